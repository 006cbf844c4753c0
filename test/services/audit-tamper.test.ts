// Tampering with a real database (the demo), one kind a case: each is caught, naming the entry (or
// the record and field) at fault. Every case tampers inside a transaction that is then rolled back,
// bypassing the append-only trigger as only a superuser or the table's owner can.
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealEntry, type AuditEntry } from '../../src/core/audit-chain.js';
import {
  anchorSpacing,
  keyIdOf,
  signCheckpoint,
  type Checkpoint,
} from '../../src/core/audit-checkpoint.js';
import type { SigningKey } from '../../src/services/audit/audit-keys.js';
import {
  makeCheckpoint,
  verifyAudit,
  verifyAuditOn,
  type AuditVerification,
} from '../../src/services/audit/audit.service.js';
import { readAuditPage } from '../../src/store/audit.repository.js';
import type { Executor } from '../../src/store/database.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { file: '(test)', privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

const key = newKey();
const otherKey = newKey();

let db: TestDatabase;
let checkpoint: Checkpoint;
/** The checkpoint's entry: the head of the untampered demo log. */
let head: number;
let every: number;
/** An entry in the middle with a before, an after and a reason (a seat cancelled by a cascade). */
let k: number;
/** Facts of the demo the record cases tamper with. */
let facts: {
  programmedSeat: string;
  restriction: string;
  allocation: string;
  importRun: string;
  student: string;
  screening: string;
  course: string;
};

async function one<T>(query: ReturnType<typeof sql>, on: Executor = db.store.db): Promise<T> {
  const [row] = await queryRows<T>(on, query);
  if (row === undefined) throw new Error('the demo lacks what this test tampers with');
  return row;
}

beforeAll(async () => {
  db = await openTestDatabase('demo');
  const made = await makeCheckpoint(db.ctx, key);
  if (!made.ok) throw new Error(made.error.message);
  checkpoint = made.value;
  head = checkpoint.seq;
  every = anchorSpacing(head);
  k = Number(
    (
      await one<{ seq: string }>(
        sql`select min(seq) as seq from audit_log where action = 'seat.cancel'`,
      )
    ).seq,
  );
  facts = await one(sql`select
    (select id from seats where status = 'programmed' and version = 1 order by id limit 1) as "programmedSeat",
    (select restriction_id from restriction_versions order by restriction_id limit 1) as "restriction",
    (select id from allocations order by id limit 1) as "allocation",
    (select id from import_runs order by id limit 1) as "importRun",
    (select id from students order by id limit 1) as "student",
    (select id from screenings order by id limit 1) as "screening",
    (select id from courses order by id limit 1) as "course"`);
});
afterAll(async () => db.close());

class RolledBack extends Error {}

/** Tampers inside a transaction, verifies there, and rolls everything back. */
async function tampered(
  tamper: (tx: Executor) => Promise<unknown>,
  verify: (tx: Executor) => Promise<AuditVerification>,
): Promise<AuditVerification> {
  let result: AuditVerification | undefined;
  try {
    await db.store.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger user`);
      await tamper(tx);
      result = await verify(tx);
      throw new RolledBack();
    });
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error;
  }
  return result!;
}

async function entry(tx: Executor, seq: number): Promise<AuditEntry> {
  const [found] = await readAuditPage(tx, seq - 1, 1);
  if (found?.seq !== seq) throw new Error(`no entry ${seq}`);
  return found;
}

/** Writes `entries` (sealed by the forger) in place of the rows with their sequence numbers. */
async function put(tx: Executor, entries: readonly AuditEntry[]): Promise<void> {
  const seqs = entries.map((e) => e.seq);
  await tx.execute(sql`delete from audit_log where seq = any(${sql.param(seqs)}::bigint[])`);
  await tx.execute(sql`insert into audit_log (seq, recorded_at, actor, action, entity_type, entity_id,
      before, after, reason, prev_hash, hash)
    select "seq", "recordedAt", "actor", "action", "entityType", "entityId", "before", "after", "reason",
      "prevHash", "hash"
    from json_to_recordset(${JSON.stringify(entries)}::json) as t("seq" bigint, "recordedAt" text,
      "actor" text, "action" text, "entityType" text, "entityId" text, "before" text, "after" text,
      "reason" text, "prevHash" text, "hash" text)`);
}

/** Re-seals every entry from `from` on, after `edit` changed the first: a consistent rewrite. */
async function rewriteFrom(
  tx: Executor,
  from: number,
  edit: (e: AuditEntry) => AuditEntry,
): Promise<void> {
  const originals = await readAuditPage(tx, from - 1, head);
  let prev = originals[0]!.prevHash;
  const rewritten = originals.map((original) => {
    const sealed = sealEntry(prev, original.seq === from ? edit(original) : original);
    prev = sealed.hash;
    return sealed;
  });
  await put(tx, rewritten);
}

/** The range a checkpoint names for a rewrite beginning at `seq`: its anchor and the one before. */
function rewriteRange(seq: number): { from: number; seq: number } {
  const anchor = Math.min(Math.ceil(seq / every) * every, head);
  const before = Math.floor((seq - 1) / every) * every;
  return { from: before + 1, seq: anchor };
}

type Expect = Record<string, unknown> | 'intact';

interface ChainCase {
  readonly name: string;
  readonly tamper: (tx: Executor) => Promise<unknown>;
  /** What verification without a checkpoint says. */
  readonly alone: () => Expect;
  /** What it says against the checkpoint. */
  readonly against: () => Expect;
}

const update = (column: string, value: string) => (tx: Executor) =>
  tx.execute(sql`update audit_log set ${sql.identifier(column)} = ${value} where seq = ${k}`);

const changed = () => ({ ok: false, break: { kind: 'hash-mismatch', seq: k } });

const CHAIN_CASES: readonly ChainCase[] = [
  ...(
    [
      ['actor', 'user:mallory'],
      ['action', 'seat.add'],
      ['recorded_at', '2001-01-01T00:00:00.000Z'],
      ['entity_type', 'student'],
      ['entity_id', 'seat_forged'],
      ['before', '{"status":"held"}'],
      ['after', '{"status":"programmed"}'],
      ['reason', 'a better reason'],
      ['hash', 'f'.repeat(64)],
      ['prev_hash', 'e'.repeat(64)],
    ] as const
  ).map(([column, value]): ChainCase => ({
    name: `change the ${column} of an entry`,
    tamper: update(column, value),
    alone: changed,
    against: changed,
  })),
  {
    name: 'renumber an entry',
    tamper: (tx) => tx.execute(sql`update audit_log set seq = seq + 10000000 where seq = ${k}`),
    alone: () => ({ ok: false, break: { kind: 'sequence-gap', expectedSeq: k, seq: k + 1 } }),
    against: () => ({ ok: false, break: { kind: 'sequence-gap', expectedSeq: k } }),
  },
  {
    name: 'delete an entry in the middle',
    tamper: (tx) => tx.execute(sql`delete from audit_log where seq = ${k}`),
    alone: () => ({ ok: false, break: { kind: 'sequence-gap', expectedSeq: k, seq: k + 1 } }),
    against: () => ({ ok: false, break: { kind: 'sequence-gap', expectedSeq: k } }),
  },
  {
    name: 'delete the first entry',
    tamper: (tx) => tx.execute(sql`delete from audit_log where seq = 1`),
    alone: () => ({ ok: false, entries: 0, break: { kind: 'sequence-gap', expectedSeq: 1 } }),
    against: () => ({ ok: false, break: { kind: 'sequence-gap', expectedSeq: 1, seq: 2 } }),
  },
  {
    name: "swap two entries' contents",
    tamper: async (tx) => {
      const [a, b] = [await entry(tx, k), await entry(tx, k + 3)];
      const content = (e: AuditEntry) =>
        sql`actor = ${e.actor}, action = ${e.action}, entity_type = ${e.entityType}, entity_id = ${e.entityId},
            before = ${e.before}, after = ${e.after}, reason = ${e.reason}`;
      await tx.execute(sql`update audit_log set ${content(b)} where seq = ${k}`);
      await tx.execute(sql`update audit_log set ${content(a)} where seq = ${k + 3}`);
    },
    alone: changed,
    against: changed,
  },
  {
    name: 'swap two entries in the sequence',
    tamper: async (tx) => {
      await tx.execute(sql`update audit_log set seq = 10000000 where seq = ${k}`);
      await tx.execute(sql`update audit_log set seq = ${k} where seq = ${k + 1}`);
      await tx.execute(sql`update audit_log set seq = ${k + 1} where seq = 10000000`);
    },
    alone: changed,
    against: changed,
  },
  {
    name: 're-seal one edited entry (its hash made to match)',
    tamper: async (tx) => {
      const original = await entry(tx, k);
      await put(tx, [sealEntry(original.prevHash, { ...original, actor: 'user:mallory' })]);
    },
    // The entry itself is consistent: the next one no longer links to it.
    alone: () => ({ ok: false, break: { kind: 'link-mismatch', seq: k + 1 } }),
    against: () => ({
      ok: false,
      break:
        k % every === 0
          ? { kind: 'checkpoint-mismatch', seq: k }
          : { kind: 'link-mismatch', seq: k + 1 },
    }),
  },
  {
    name: 'insert a forged entry in the middle (later entries renumbered)',
    tamper: async (tx) => {
      const before = await entry(tx, k);
      await tx.execute(sql`update audit_log set seq = seq + 10000000 where seq > ${k}`);
      await tx.execute(sql`update audit_log set seq = seq - 9999999 where seq > 10000000`);
      await put(tx, [
        sealEntry(before.hash, {
          ...before,
          seq: k + 1,
          actor: 'user:mallory',
          action: 'seat.cancel',
          reason: 'forged',
        }),
      ]);
    },
    // The forgery is sealed onto the chain: the entry after it, renumbered, is what breaks.
    alone: () => ({ ok: false, break: { kind: 'hash-mismatch', seq: k + 2 } }),
    against: () => ({
      ok: false,
      break:
        (k + 1) % every === 0
          ? { kind: 'checkpoint-mismatch', seq: k + 1 }
          : { kind: 'hash-mismatch', seq: k + 2 },
    }),
  },
  {
    name: "replace the checkpoint's entry with a forged one",
    tamper: async (tx) => {
      const last = await entry(tx, head);
      await put(tx, [sealEntry(last.prevHash, { ...last, actor: 'user:mallory' })]);
    },
    alone: () => 'intact',
    against: () => ({ ok: false, break: { kind: 'checkpoint-mismatch', ...rewriteRange(head) } }),
  },
  {
    name: 'append an entry after the checkpoint with a hash that does not match',
    tamper: async (tx) => {
      const last = await entry(tx, head);
      const next = sealEntry(last.hash, { ...last, seq: head + 1, actor: 'user:mallory' });
      await put(tx, [{ ...next, hash: 'c'.repeat(64) }]);
    },
    alone: () => ({ ok: false, entries: head, break: { kind: 'hash-mismatch', seq: head + 1 } }),
    // The checkpoint holds: what breaks came after it.
    against: () => ({
      ok: false,
      break: { kind: 'hash-mismatch', seq: head + 1 },
      checkpoint: { holds: true, entriesSince: 0 },
    }),
  },
  {
    name: 'truncate the tail',
    tamper: (tx) => tx.execute(sql`delete from audit_log where seq > ${head - 3}`),
    alone: () => 'intact',
    against: () => ({
      ok: false,
      entries: head - 3,
      break: { kind: 'truncated', seq: head - 2, checkpointSeq: head },
      checkpoint: { holds: false, entriesSince: null },
    }),
  },
  {
    name: 'empty the log',
    tamper: (tx) => tx.execute(sql`delete from audit_log`),
    alone: () => 'intact',
    against: () => ({
      ok: false,
      entries: 0,
      break: { kind: 'truncated', seq: 1, checkpointSeq: head },
    }),
  },
  {
    name: 'rewrite the chain consistently from an entry on',
    tamper: (tx) => rewriteFrom(tx, k, (e) => ({ ...e, reason: 'rewritten' })),
    alone: () => 'intact',
    against: () => ({ ok: false, break: { kind: 'checkpoint-mismatch', ...rewriteRange(k) } }),
  },
  {
    name: 'rewrite the chain consistently from the first entry on',
    tamper: (tx) => rewriteFrom(tx, 1, (e) => ({ ...e, actor: 'user:mallory' })),
    alone: () => 'intact',
    against: () => ({ ok: false, break: { kind: 'checkpoint-mismatch', ...rewriteRange(1) } }),
  },
  {
    name: 'replace the last entries with as many forged ones',
    tamper: (tx) => rewriteFrom(tx, head - 5, (e) => ({ ...e, action: 'seat.hold' })),
    alone: () => 'intact',
    against: () => ({
      ok: false,
      break: { kind: 'checkpoint-mismatch', ...rewriteRange(head - 5) },
    }),
  },
];

function expectVerification(result: AuditVerification, expected: Expect): void {
  if (expected === 'intact') {
    expect(result).toMatchObject({ ok: true });
    expect(result.break).toBeUndefined();
  } else expect(result).toMatchObject(expected);
}

describe('audit tampering, one kind a case', () => {
  it('finds the untampered demo intact, against its checkpoint and its records', async () => {
    const result = await verifyAudit(db.ctx, { checkpoint: { checkpoint, key }, deep: true });
    expect(result).toMatchObject({
      ok: true,
      entries: head,
      headHash: checkpoint.headHash,
      checkpoint: { holds: true, entriesSince: 0 },
      deep: { ok: true, differences: [] },
    });
  });

  it.each(CHAIN_CASES)('$name', async (c) => {
    const alone = await tampered(c.tamper, (tx) => verifyAuditOn(tx));
    expectVerification(alone, c.alone());
    const against = await tampered(c.tamper, (tx) =>
      verifyAuditOn(tx, { checkpoint: { checkpoint, key } }),
    );
    expectVerification(against, c.against());
    if (!against.ok) expect(against.message).toMatch(/^(audit entr|the audit log)/);
  });

  it('locates a consistent rewrite to the entry on a checkpoint with one anchor an entry', async () => {
    const small = await openTestDatabase('empty');
    try {
      const made = await makeCheckpoint(small.ctx, key);
      if (!made.ok) throw new Error(made.error.message);
      expect(made.value.anchors.every).toBe(1);
      const at = Math.floor(made.value.seq / 2);
      let result: AuditVerification | undefined;
      await small.store.db
        .transaction(async (tx) => {
          await tx.execute(sql`alter table audit_log disable trigger user`);
          const [first] = await readAuditPage(tx, at - 1, 1);
          let prev = first!.prevHash;
          for (const e of await readAuditPage(tx, at - 1, made.value.seq)) {
            const sealed = sealEntry(prev, e.seq === at ? { ...e, after: '{"forged":true}' } : e);
            await tx.execute(sql`update audit_log set after = ${sealed.after}, prev_hash = ${sealed.prevHash},
                hash = ${sealed.hash} where seq = ${e.seq}`);
            prev = sealed.hash;
          }
          result = await verifyAuditOn(tx, { checkpoint: { checkpoint: made.value, key } });
          throw new RolledBack();
        })
        .catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        });
      expect(result).toMatchObject({
        ok: false,
        break: { kind: 'checkpoint-mismatch', seq: at, from: at },
        message: `audit entry ${at} differs from the checkpoint: it was rewritten, and the chain re-sealed after it`,
      });
    } finally {
      await small.close();
    }
  });
});

interface CheckpointCase {
  readonly name: string;
  readonly forge: (c: Checkpoint) => Checkpoint;
  readonly expected: Record<string, unknown>;
}

/** A checkpoint changed and signed again by the forger's key, claiming to be ours or not. */
const resign = (change: Partial<Checkpoint>, keyId?: string) => (c: Checkpoint) =>
  signCheckpoint({ ...c, ...change, keyId: keyId ?? c.keyId }, otherKey.privateKey);

const CHECKPOINT_CASES: readonly CheckpointCase[] = [
  {
    name: 're-sign the checkpoint with another key (naming it)',
    forge: (c) => resign({}, otherKey.keyId)(c),
    expected: {
      break: { kind: 'checkpoint-key', keyId: otherKey.keyId, expectedKeyId: key.keyId },
    },
  },
  {
    name: 're-sign the checkpoint with another key (naming ours)',
    forge: resign({}),
    expected: { break: { kind: 'checkpoint-signature' } },
  },
  {
    name: "edit the checkpoint's head hash",
    forge: (c) => ({ ...c, headHash: 'a'.repeat(64) }),
    expected: { break: { kind: 'checkpoint-signature' } },
  },
  {
    name: "lower the checkpoint's sequence (to hide a cut tail)",
    forge: (c) => ({ ...c, seq: c.seq - 10 }),
    expected: { break: { kind: 'checkpoint-signature' } },
  },
  {
    name: "edit one of the checkpoint's anchors",
    forge: (c) => ({
      ...c,
      anchors: { ...c.anchors, hashes: ['b'.repeat(64), ...c.anchors.hashes.slice(1)] },
    }),
    expected: { break: { kind: 'checkpoint-signature' } },
  },
  {
    name: "edit the checkpoint's time",
    forge: (c) => ({ ...c, recordedAt: '2001-01-01T00:00:00.000Z' }),
    expected: { break: { kind: 'checkpoint-signature' } },
  },
  {
    name: "flip a bit of the checkpoint's signature",
    forge: (c) => {
      const bytes = Buffer.from(c.signature, 'base64');
      bytes[0] = bytes[0]! ^ 1;
      return { ...c, signature: bytes.toString('base64') };
    },
    expected: { break: { kind: 'checkpoint-signature' } },
  },
];

describe('a tampered checkpoint', () => {
  it.each(CHECKPOINT_CASES)('$name', async (c) => {
    const result = await verifyAudit(db.ctx, {
      checkpoint: { checkpoint: c.forge(checkpoint), key },
    });
    expect(result).toMatchObject({ ok: false, checkpoint: { holds: false }, ...c.expected });
    expect(result.message).toMatch(/^the checkpoint/);
  });
});

interface RecordCase {
  readonly name: string;
  readonly tamper: (tx: Executor) => Promise<unknown>;
  readonly finding: () => Record<string, unknown>;
}

const RECORD_CASES: readonly RecordCase[] = [
  {
    name: "change a seat's status without an entry",
    tamper: (tx) =>
      tx.execute(sql`update seats set status = 'held' where id = ${facts.programmedSeat}`),
    finding: () => ({
      kind: 'field-differs',
      record: 'seat',
      id: facts.programmedSeat,
      field: 'status',
      audited: 'programmed',
      current: 'held',
    }),
  },
  {
    name: 'give a seat a student without an entry',
    tamper: (tx) =>
      tx.execute(
        sql`update seats set student_id = ${facts.student} where id = ${facts.programmedSeat}`,
      ),
    finding: () => ({
      record: 'seat',
      id: facts.programmedSeat,
      field: 'studentId',
      audited: null,
    }),
  },
  {
    name: "move a restriction's end without an entry",
    tamper: (tx) =>
      tx.execute(sql`update restriction_versions set valid_until = '2099-01-01'
          where restriction_id = ${facts.restriction} and superseded_at is null`),
    finding: () => ({
      record: 'restriction',
      id: facts.restriction,
      field: 'until',
      current: '2099-01-01',
    }),
  },
  {
    name: 'move the instant a relief version was superseded',
    tamper: (tx) =>
      tx.execute(sql`update relief_versions set superseded_at = superseded_at + interval '1 day'
          where relief_id = 'rlf_pak-imet-exception-2018' and version = 1`),
    finding: () => ({
      record: 'relief',
      id: 'rlf_pak-imet-exception-2018',
      version: 1,
      field: 'supersededAt',
    }),
  },
  {
    name: "rewrite a superseded relief version's end",
    tamper: (tx) =>
      tx.execute(sql`update relief_versions set valid_until = '2030-01-01'
          where relief_id = 'rlf_pak-imet-exception-2018' and version = 1`),
    finding: () => ({
      record: 'relief',
      id: 'rlf_pak-imet-exception-2018',
      version: 1,
      field: 'until',
      audited: null,
      current: '2030-01-01',
    }),
  },
  {
    name: "raise an allocation's amount without an entry",
    tamper: (tx) =>
      tx.execute(
        sql`update allocations set amount_cents = amount_cents + 100 where id = ${facts.allocation}`,
      ),
    finding: () => ({ record: 'allocation', id: facts.allocation, field: 'amountCents' }),
  },
  {
    name: "rewrite an import run's digest without an entry",
    tamper: (tx) =>
      tx.execute(
        sql`update import_runs set sha256 = ${'0'.repeat(64)} where id = ${facts.importRun}`,
      ),
    finding: () => ({ record: 'import-run', id: facts.importRun, field: 'sha256' }),
  },
  {
    name: 'insert a school without an entry',
    tamper: (tx) =>
      tx.execute(sql`insert into schools values ('FORGED', 'Forged school', 'Nowhere', 'Army')`),
    finding: () => ({ kind: 'row-unaudited', record: 'school', id: 'FORGED' }),
  },
  {
    name: "change a student's passport number without an entry",
    tamper: (tx) =>
      tx.execute(sql`update students set passport_number = 'X0000000' where id = ${facts.student}`),
    finding: () => ({
      record: 'student',
      id: facts.student,
      field: 'passportNumber',
      current: 'X0000000',
    }),
  },
  {
    name: "turn a screening's outcome without an entry",
    tamper: (tx) =>
      tx.execute(sql`update screenings set outcome = case when outcome = 'denied' then 'approved' else 'denied' end
          where id = ${facts.screening}`),
    finding: () => ({ record: 'screening', id: facts.screening, field: 'outcome' }),
  },
  {
    name: 'retitle a course without an entry',
    tamper: (tx) => tx.execute(sql`update courses set title = 'Forged' where id = ${facts.course}`),
    finding: () => ({ record: 'course', id: facts.course, field: 'title', current: 'Forged' }),
  },
  {
    name: "remove a country's English exemption without an entry",
    tamper: (tx) => tx.execute(sql`delete from english_exemptions where country_iso3 = 'PAK'`),
    finding: () => ({ kind: 'row-missing', record: 'english-exemption', id: 'PAK' }),
  },
  {
    name: 'append a forged, well-sealed entry claiming a change that never happened',
    tamper: async (tx) => {
      const last = await entry(tx, head);
      await put(tx, [
        sealEntry(last.hash, {
          ...last,
          seq: head + 1,
          action: 'seat.cancel',
          entityType: 'seat',
          entityId: facts.programmedSeat,
          before: null,
          after: '{"status":"cancelled"}',
          reason: 'forged',
        }),
      ]);
    },
    finding: () => ({
      record: 'seat',
      id: facts.programmedSeat,
      field: 'status',
      audited: 'cancelled',
      current: 'programmed',
      seq: head + 1,
    }),
  },
];

describe('deep verification: a record changed without an audit entry', () => {
  it.each(RECORD_CASES)('$name', async (c) => {
    const result = await tampered(c.tamper, (tx) =>
      verifyAuditOn(tx, { checkpoint: { checkpoint, key }, deep: true }),
    );
    expect(result.deep?.differences).toEqual([expect.objectContaining(c.finding())]);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/without (an audit entry|one)/);
    // Without --deep the chain alone says nothing of the records.
    const shallow = await tampered(c.tamper, (tx) => verifyAuditOn(tx));
    expect(shallow.ok).toBe(true);
  });

  it('says plainly what it does not compare', async () => {
    const result = await verifyAudit(db.ctx, { deep: true });
    expect(result.deep?.limits.length).toBeGreaterThan(0);
    expect(result.deep?.limits.join(' ')).toContain('school events');
    // Every entry the demo writes is read by a rule.
    expect(result.deep?.notCompared).toEqual([]);
  });
});
