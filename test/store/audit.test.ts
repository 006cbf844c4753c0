// The audit chain on a real database: every write appends in its transaction; tampering is named.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/audit-chain.js';
import { systemActor } from '../../src/core/actor.js';
import { ok } from '../../src/core/result.js';
import { auditRead } from '../../src/services/audit/audit-read.service.js';
import { verifyAudit } from '../../src/services/audit/audit.service.js';
import { writeTransaction } from '../../src/services/unit-of-work.js';
import { readAuditPage, type AuditRecord } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('empty');
});
afterAll(async () => db.close());

async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
  // As the database owner, bypassing the append-only guard the application role cannot.
  await db.store.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
  });
}

/** A write, as `user:alice` unless named, that states `audit` and changes nothing else. */
function writeStating(audit: AuditRecord[], actorId = 'user:alice') {
  return writeTransaction(
    db.ctx,
    { id: actorId, role: 'program-manager' },
    'restrictions.write',
    () => Promise.resolve(ok({ value: null, audit })),
  );
}

describe('audit log', () => {
  it('attributes each write to its actor, in sequence, chained from the reference-data load', async () => {
    const first = await readAuditPage(db.store.db, 0, 1);
    expect(first[0]).toMatchObject({
      seq: 1,
      actor: 'system:reference-data',
      action: 'country.add',
    });
    const result = await writeStating([
      {
        action: 'note.add',
        entityType: 'note',
        entityId: 'n1',
        after: { b: 2, a: 1 },
        reason: 'why',
      },
    ]);
    expect(result.ok).toBe(true);
    const verification = await verifyAudit(db.ctx);
    expect(verification.ok).toBe(true);
    const [last] = await readAuditPage(db.store.db, verification.entries - 1, 1);
    expect(last).toMatchObject({
      actor: 'user:alice',
      action: 'note.add',
      after: '{"a":1,"b":2}',
      reason: 'why',
    });
  });

  it('stores what a write states exactly, whatever its characters, and the chain verifies', async () => {
    const before = await verifyAudit(db.ctx);
    const stated = {
      action: 'note.add',
      entityType: 'note',
      entityId: 'n\\2\t',
      before: { path: 'C:\\users\\x' },
      after: { text: 'tab\there\nnew line\r\\N \\u0041', emoji: '😀 é \u0001' },
      reason: 'a \\ backslash, a \t tab and a \u2028 separator',
    };
    // More entries than one piece of the append's COPY, each its own text.
    const many = Array.from({ length: 2_345 }, (_, i) => ({ ...stated, entityId: `n${i}\t\\` }));
    const result = await writeStating([stated, ...many], 'user:alice\tb');
    expect(result.ok).toBe(true);
    const verification = await verifyAudit(db.ctx);
    expect(verification).toMatchObject({ ok: true, entries: before.entries + 1 + many.length });
    const [first] = await readAuditPage(db.store.db, before.entries, 1);
    expect(first).toMatchObject({
      actor: 'user:alice\tb',
      entityId: stated.entityId,
      before: canonicalJson(stated.before),
      after: canonicalJson(stated.after),
      reason: stated.reason,
    });
    const [last] = await readAuditPage(db.store.db, verification.entries - 1, 1);
    expect(last).toMatchObject({ entityId: 'n2344\t\\', seq: verification.entries });
  });

  it.each([
    ['a NUL deep in the record', { after: { a: { b: 'x\0y' } } }, 'a.b', /NUL/],
    ['a lone surrogate in the reason', { reason: 'why \uD800' }, 'reason', /lone UTF-16/],
  ])(
    'refuses %s a write states, naming the field, and writes nothing',
    async (_, part, field, message) => {
      const before = await verifyAudit(db.ctx);
      const fine = { action: 'note.add', entityType: 'note', entityId: 'ok' };
      const result = await writeStating([fine, { ...fine, entityId: 'bad', ...part }, fine]);
      expect(result).toMatchObject({ ok: false, error: { code: 'INPUT.INVALID', field } });
      if (!result.ok) expect(result.error.message).toMatch(message);
      expect(await verifyAudit(db.ctx)).toMatchObject({ ok: true, entries: before.entries });
    },
  );

  it('appends a read of a record as one `read` entry on the same chain', async () => {
    const before = await verifyAudit(db.ctx);
    await auditRead(
      db.ctx,
      { id: 'user:sco', role: 'sco' },
      {
        entityType: 'student',
        entityId: 'stu_1',
        reason: 'profile viewed',
      },
    );
    const after = await verifyAudit(db.ctx, { deep: true });
    expect(after).toMatchObject({ ok: true, entries: before.entries + 1, deep: { reads: 1 } });
    const [read] = await readAuditPage(db.store.db, before.entries, 1);
    expect(read).toMatchObject({
      actor: 'user:sco',
      action: 'read',
      entityType: 'student',
      entityId: 'stu_1',
      before: null,
      after: null,
      reason: 'profile viewed',
      prevHash: before.headHash,
    });
  });

  it('names the entry whose content was changed', async () => {
    await tamper(
      sql`update audit_log set after = replace(after, 'Pakistan', 'Pakistan!') where entity_id = 'PAK'`,
    );
    const [row] = await queryRows<{ seq: string }>(
      db.store.db,
      sql`select seq from audit_log where entity_id = 'PAK'`,
    );
    const seq = Number(row!.seq);
    const verification = await verifyAudit(db.ctx);
    expect(verification).toMatchObject({ ok: false, break: { kind: 'hash-mismatch', seq } });
    if (!verification.ok)
      expect(verification.message).toBe(
        `audit entry ${seq} was changed: its hash no longer matches its content`,
      );
  });

  it('names a missing entry', async () => {
    const other = await openTestDatabase('empty');
    try {
      await other.store.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
        await tx.execute(sql`delete from audit_log where seq = 5`);
        await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
      });
      expect(await verifyAudit(other.ctx)).toMatchObject({
        ok: false,
        break: { kind: 'sequence-gap', expectedSeq: 5 },
      });
    } finally {
      await other.close();
    }
  });

  it('keeps one chain when writers race', async () => {
    const other = await openTestDatabase('empty');
    try {
      const writes = Array.from({ length: 8 }, (_, i) =>
        writeTransaction(other.ctx, systemActor(`w${i}`), 'reference.write', () =>
          Promise.resolve(
            ok({ value: i, audit: [{ action: 'race', entityType: 'race', entityId: String(i) }] }),
          ),
        ),
      );
      expect((await Promise.all(writes)).every((r) => r.ok)).toBe(true);
      expect(await verifyAudit(other.ctx)).toMatchObject({ ok: true });
    } finally {
      await other.close();
    }
  });
});
