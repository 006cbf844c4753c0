// The audit log over HTTP on the demo (DESIGN §6): entries filtered and paged newest first, exactly
// as the table holds them; verification now (OK on the demo, the entry named once a row is changed
// behind the application's back); a signed checkpoint as a file, the one the CLI's makeCheckpoint
// makes. Readers only: an SCO and an IMSO are refused, and nothing is written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { canonicalJson, entryHash } from '../../src/core/audit-chain.js';
import { generateSigningKey, readSigningKey } from '../../src/services/audit/audit-keys.js';
import { makeCheckpoint } from '../../src/services/audit/audit.service.js';
import { appendAudit } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { signedIn, type Caller } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { until } from '../support/until.js';

// Years ahead of the wall clock: the demo's import run is written at the real instant it is loaded.
const NOW = '2036-12-05T12:00:00.000Z';
const KEY_VARIABLE = 'ATTACHE_AUDIT_SIGNING_KEY_FILE';

let db: TestDatabase;
let app: FastifyInstance;
let dir: string;
let keyFile: string;
const savedKey = process.env[KEY_VARIABLE];
const callers = {} as Record<'analyst' | 'pm' | 'admin' | 'sco' | 'imso', Caller>;

/** Entries appended on known days by known actors, for the filters to find. */
const MARKED = [
  { at: '2036-12-01T09:00:00.000Z', actor: 'user:ana@attache.test', entityId: 'note_mark_1' },
  { at: '2036-12-02T23:59:59.999Z', actor: 'user:ana@attache.test', entityId: 'note_mark_2' },
  { at: '2036-12-03T00:00:00.000Z', actor: 'user:bob@attache.test', entityId: 'note_mark_1' },
] as const;

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: () => NOW });
  callers.analyst = await signedIn(db.ctx, 'auditor', { role: 'analyst' });
  callers.pm = await signedIn(db.ctx, 'pm', { role: 'program-manager' });
  callers.admin = await signedIn(db.ctx, 'admin', { role: 'admin' });
  callers.sco = await signedIn(db.ctx, 'sco', { role: 'sco', countries: ['PAK'] });
  callers.imso = await signedIn(db.ctx, 'imso', { role: 'imso', schools: ['CGSC'] });
  // Of an entity type no deep rule reads (deep verification counts them, compares nothing).
  for (const [at, actor, entityId, i] of MARKED.map((m, i) => [m.at, m.actor, m.entityId, i]))
    await db.store.db.transaction((tx) =>
      appendAudit(tx, String(actor), String(at), [
        {
          action: 'note.mark',
          entityType: 'note',
          entityId: String(entityId),
          before: { id: entityId, status: 'programmed', note: null },
          after: { id: entityId, status: 'held', note: `mark ${Number(i) + 1}` },
          reason: `marked ${Number(i) + 1}`,
        },
      ]),
    );
  app = await buildApp(db.ctx);
  dir = mkdtempSync(join(tmpdir(), 'attache-audit-routes-'));
  keyFile = join(dir, 'audit.key');
  const made = generateSigningKey(keyFile);
  if (!made.ok) throw new Error(made.error);
}, 120_000);

afterAll(async () => {
  // Test files share a worker's process: leave its environment as it was.
  if (savedKey === undefined) delete process.env[KEY_VARIABLE];
  else process.env[KEY_VARIABLE] = savedKey;
  await app?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Entry {
  seq: number;
  recordedAt: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  changes: { field: string; before: unknown; after: unknown }[];
  prevHash: string;
  hash: string;
}
interface EntryPage {
  items: Entry[];
  total: number;
  limit: number;
  offset: number;
  nextBefore: number | null;
}

function get(url: string, who: Caller = callers.analyst) {
  return app.inject({ method: 'GET', url, headers: who.headers });
}

function post(url: string, payload: object = {}, who: Caller = callers.analyst) {
  return app.inject({ method: 'POST', url, payload, headers: who.headers });
}

async function entries(query: string): Promise<EntryPage> {
  const res = await get(`/api/v1/audit/entries${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<EntryPage>();
}

/** The sequences the table holds for `where`, newest first: what a filter must answer exactly. */
async function seqsWhere(where: ReturnType<typeof sql>, limit = 10_000): Promise<number[]> {
  const rows = await queryRows<{ seq: string }>(
    db.store.db,
    sql`select seq from audit_log where ${where} order by seq desc limit ${limit}`,
  );
  return rows.map((r) => Number(r.seq));
}

async function auditLength(): Promise<number> {
  const [row] = await queryRows<{ n: string }>(
    db.store.db,
    sql`select count(*)::text as n from audit_log`,
  );
  return Number(row?.n);
}

describe('GET /audit/entries', () => {
  it('answers the newest entries first, as the table holds them, each hash its own', async () => {
    const page = await entries('?limit=5');
    expect(page.items.map((e) => e.seq)).toEqual(await seqsWhere(sql`true`, 5));
    expect(page.total).toBe(await auditLength());
    const newest = page.items[0]!;
    expect(newest).toMatchObject({
      actor: 'user:bob@attache.test',
      action: 'note.mark',
      entityType: 'note',
      entityId: 'note_mark_1',
      recordedAt: '2036-12-03T00:00:00.000Z',
      reason: 'marked 3',
      before: { id: 'note_mark_1', status: 'programmed', note: null },
      after: { id: 'note_mark_1', status: 'held', note: 'mark 3' },
      changes: [
        { field: 'note', before: null, after: 'mark 3' },
        { field: 'status', before: 'programmed', after: 'held' },
      ],
    });
    for (const e of page.items) {
      const text = (v: unknown) => (v === null ? null : canonicalJson(v));
      expect(
        entryHash(e.prevHash, {
          seq: e.seq,
          recordedAt: e.recordedAt,
          actor: e.actor,
          action: e.action,
          entityType: e.entityType,
          entityId: e.entityId,
          before: text(e.before),
          after: text(e.after),
          reason: e.reason,
        }),
      ).toBe(e.hash);
    }
    expect(page.items[1]!.hash).toBe(page.items[0]!.prevHash);
  });

  it('a creation lists every field it set as changed', async () => {
    const page = await entries('?entityType=country&entityId=PAK&action=country.add');
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ action: 'country.add', before: null });
    expect(page.items[0]!.changes).toContainEqual({ field: 'iso3', before: null, after: 'PAK' });
  });

  it('filters by entity type exactly', async () => {
    const page = await entries('?entityType=restriction&limit=500');
    const want = await seqsWhere(sql`entity_type = 'restriction'`);
    expect(page.total).toBe(want.length);
    expect(page.items.map((e) => e.seq)).toEqual(want.slice(0, 500));
    expect(new Set(page.items.map((e) => e.entityType))).toEqual(new Set(['restriction']));
  });

  it('filters by action, actor, entity id, and all of them together', async () => {
    expect((await entries('?action=seat.cancel&limit=500')).items.map((e) => e.seq)).toEqual(
      await seqsWhere(sql`action = 'seat.cancel'`),
    );
    expect((await entries('?actor=user%3Aana%40attache.test')).items.map((e) => e.seq)).toEqual(
      await seqsWhere(sql`actor = 'user:ana@attache.test'`),
    );
    const seat = await entries('?entityType=note&entityId=note_mark_1');
    expect(seat.items.map((e) => e.entityId)).toEqual(['note_mark_1', 'note_mark_1']);
    const both = await entries(
      '?entityType=note&entityId=note_mark_1&action=note.mark&actor=user:ana@attache.test',
    );
    expect(both.items.map((e) => e.reason)).toEqual(['marked 1']);
    expect((await entries('?entityType=no-such-type')).items).toEqual([]);
  });

  it('filters by dates (whole UTC days) and by instants (included)', async () => {
    const reasons = async (q: string) => (await entries(q)).items.map((e) => e.reason);
    expect(await reasons('?from=2036-12-01&to=2036-12-02')).toEqual(['marked 2', 'marked 1']);
    expect(await reasons('?from=2036-12-02&to=2036-12-04')).toEqual(['marked 3', 'marked 2']);
    expect(await reasons('?from=2036-12-03&to=2036-12-03')).toEqual(['marked 3']);
    expect(await reasons('?from=2036-12-01T09:00:00Z&to=2036-12-02T23:59:59.999Z')).toEqual([
      'marked 2',
      'marked 1',
    ]);
    expect(await reasons('?from=2036-12-01T09:00:00.001Z&to=2036-12-02T23:59:59.998Z')).toEqual([]);
    // An offset is the same instant in UTC.
    expect(await reasons('?from=2036-12-03T01:00:00%2B01:00&to=2036-12-04')).toEqual(['marked 3']);
    const before = await entries('?to=2036-11-30');
    expect(before.total).toBe((await seqsWhere(sql`recorded_at < '2036-12-01'`)).length);
    expect(before.total).toBeGreaterThan(1000);
  });

  it('pages by limit and offset, and by the cursor, to the same entries', async () => {
    const all = await seqsWhere(sql`entity_type = 'seat'`);
    const first = await entries('?entityType=seat&limit=20');
    const second = await entries('?entityType=seat&limit=20&offset=20');
    expect(first.items.map((e) => e.seq)).toEqual(all.slice(0, 20));
    expect(second.items.map((e) => e.seq)).toEqual(all.slice(20, 40));
    expect(first.nextBefore).toBe(all[19]);
    const cursor = await entries(`?entityType=seat&limit=20&before=${first.nextBefore}`);
    expect(cursor.items.map((e) => e.seq)).toEqual(all.slice(20, 40));
    expect(cursor.total).toBe(all.length - 20);
    const last = await entries(`?entityType=seat&limit=20&offset=${all.length - 5}`);
    expect(last.items).toHaveLength(5);
    expect(last.nextBefore).toBeNull();
    expect(first).toMatchObject({ limit: 20, offset: 0, total: all.length });
    expect((await entries('')).limit).toBe(50);
  });

  it.each([
    ['from=2026-13-01', 'from'],
    ['from=yesterday', 'from'],
    ['to=2026-02-30', 'to'],
    ['to=2036-12-01T25:00:00Z', 'to'],
    ['from=2036-12-02&to=2036-12-01', 'to'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=ten', 'limit'],
    ['offset=-1', 'offset'],
    ['before=0', 'before'],
    ['before=abc', 'before'],
    [`actor=${'x'.repeat(201)}`, 'actor'],
    [`entityId=${'x'.repeat(201)}`, 'entityId'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const res = await get(`/api/v1/audit/entries?${query}`);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INPUT.INVALID', field });
  });
});

describe('GET /audit', () => {
  it('gives the count, the head, and the values to filter by', async () => {
    const res = await get('/api/v1/audit');
    expect(res.statusCode, res.body).toBe(200);
    const overview = res.json<{
      entries: number;
      head: { seq: number; hash: string; recordedAt: string };
      entityTypes: { value: string; entries: number }[];
      actors: { value: string; entries: number }[];
      keys: { signingKeyId: string | null };
    }>();
    expect(overview.entries).toBe(await auditLength());
    expect(overview.head).toMatchObject({
      seq: overview.entries,
      recordedAt: '2036-12-03T00:00:00.000Z',
    });
    expect(overview.entityTypes).toContainEqual({ value: 'note', entries: 3 });
    expect(overview.entityTypes).toContainEqual({
      value: 'seat',
      entries: (await seqsWhere(sql`entity_type = 'seat'`)).length,
    });
    expect(overview.actors).toContainEqual({ value: 'user:ana@attache.test', entries: 2 });
  });
});

describe('POST /audit/verify', () => {
  it('says the demo log verifies, and deep: every record matches', async () => {
    const res = await post('/api/v1/audit/verify', { deep: true });
    expect(res.statusCode, res.body).toBe(200);
    const length = await auditLength();
    expect(res.json()).toMatchObject({
      ok: true,
      entries: length,
      break: null,
      checkpoint: null,
      checkedAt: NOW,
      deep: { ok: true, differenceCount: 0, differences: [] },
    });
    expect(res.json<{ deep: { notCompared: unknown[] } }>().deep.notCompared).toContainEqual({
      entityType: 'note',
      action: 'note.mark',
      entries: 3,
    });
  });

  it('without deep, the chain alone', async () => {
    const res = await post('/api/v1/audit/verify');
    expect(res.json()).toMatchObject({ ok: true, deep: null, break: null });
    expect(res.json<{ summary: string }>().summary).toMatch(
      /^The audit log verifies: all [\d,]+ entries are intact/,
    );
  });
});

describe('a row changed behind the application’s back', () => {
  it('verify names the entry; no checkpoint is signed of the broken chain', async () => {
    process.env[KEY_VARIABLE] = keyFile;
    const [victim] = await seqsWhere(sql`action = 'seat.cancel'`, 1);
    const tamper = (reason: string | null) =>
      db.store.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger user`);
        await tx.execute(sql`update audit_log set reason = ${reason} where seq = ${victim}`);
        await tx.execute(sql`alter table audit_log enable trigger user`);
      });
    const [original] = await queryRows<{ reason: string | null }>(
      db.store.db,
      sql`select reason from audit_log where seq = ${victim}`,
    );
    await tamper('nothing to see here');
    try {
      const res = await post('/api/v1/audit/verify');
      expect(res.statusCode, res.body).toBe(200);
      const result = res.json<{ ok: boolean; entries: number; summary: string; break: unknown }>();
      expect(result).toMatchObject({
        ok: false,
        entries: victim! - 1,
        break: {
          kind: 'hash-mismatch',
          seq: victim,
          description: `audit entry ${victim} was changed: its hash no longer matches its content`,
        },
      });
      expect(result.summary).toContain(`audit entry ${victim} was changed`);
      const checkpoint = await post('/api/v1/audit/checkpoints');
      expect(checkpoint.statusCode, checkpoint.body).toBe(422);
      expect(checkpoint.json()).toMatchObject({
        code: 'AUDIT.CHAIN_BROKEN',
        details: { seq: victim },
      });
    } finally {
      await tamper(original!.reason);
    }
    expect((await post('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });
});

describe('POST /audit/checkpoints', () => {
  it('is refused, saying why, when the server has no signing key', async () => {
    delete process.env[KEY_VARIABLE];
    const res = await post('/api/v1/audit/checkpoints');
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ code: 'AUDIT.NO_SIGNING_KEY' });
    expect(res.json<{ detail: string }>().detail).toMatch(/attache audit keygen/);
    expect((await get('/api/v1/audit')).json()).toMatchObject({
      keys: { signingKeyId: null, verifyingKeyId: null },
    });
  });

  it('answers, as a file, the checkpoint the CLI’s makeCheckpoint makes; verify then holds it', async () => {
    process.env[KEY_VARIABLE] = keyFile;
    const key = readSigningKey(keyFile);
    if (!key.ok) throw new Error(key.error);
    const res = await post('/api/v1/audit/checkpoints');
    expect(res.statusCode, res.body).toBe(200);
    const length = await auditLength();
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="attache-audit-checkpoint-${length}-20361205T120000Z.json"`,
    );
    const made = await makeCheckpoint(db.ctx, key.value);
    if (!made.ok) throw new Error(made.error.message);
    expect(res.json()).toEqual(made.value);
    expect(made.value).toMatchObject({ seq: length, keyId: key.value.keyId });
    expect((await get('/api/v1/audit')).json()).toMatchObject({
      keys: { signingKeyId: key.value.keyId, verifyingKeyId: key.value.keyId },
    });

    const verified = await post('/api/v1/audit/verify', { checkpoint: res.json() });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({
      ok: true,
      checkpoint: { seq: length, holds: true, entriesSince: 0 },
    });
    const forged = await post('/api/v1/audit/verify', {
      checkpoint: { ...made.value, anchors: { every: 1, hashes: [] } },
    });
    expect(forged.statusCode, forged.body).toBe(400);
    expect(forged.json()).toMatchObject({ field: 'checkpoint.anchors.every' });
    const resigned = await post('/api/v1/audit/verify', {
      checkpoint: { ...made.value, headHash: 'a'.repeat(64) },
    });
    expect(resigned.json()).toMatchObject({
      ok: false,
      break: { kind: 'checkpoint-signature', seq: null },
    });
    const bad = await post('/api/v1/audit/verify', {
      checkpoint: { ...made.value, headHash: 'not a hash' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INPUT.INVALID', field: 'checkpoint.headHash' });
  });
});

describe('who may read the log', () => {
  const routes = [
    ['GET', '/api/v1/audit'],
    ['GET', '/api/v1/audit/entries'],
    ['POST', '/api/v1/audit/verify'],
    ['POST', '/api/v1/audit/checkpoints'],
  ] as const;

  it.each(['sco', 'imso'] as const)('the %s gets 403 from every audit route', async (role) => {
    for (const [method, url] of routes) {
      const res = await app.inject({
        method,
        url,
        headers: callers[role].headers,
        ...(method === 'POST' ? { payload: {} } : {}),
      });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(403);
      expect(res.json()).toMatchObject({
        code: 'ACCESS.FORBIDDEN',
        detail: `the ${role} role may not read the audit log`,
      });
    }
  });

  it.each(['analyst', 'pm', 'admin'] as const)(
    'the %s reads, verifies and exports, and nothing is written',
    async (who) => {
      process.env[KEY_VARIABLE] = keyFile;
      const length = await auditLength();
      expect((await get('/api/v1/audit', callers[who])).statusCode).toBe(200);
      expect((await get('/api/v1/audit/entries', callers[who])).statusCode).toBe(200);
      expect((await post('/api/v1/audit/verify', {}, callers[who])).statusCode).toBe(200);
      expect((await post('/api/v1/audit/checkpoints', {}, callers[who])).statusCode).toBe(200);
      expect(await auditLength()).toBe(length);
    },
  );

  it('a POST signed in by cookie without its CSRF token is refused', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/verify',
      payload: {},
      headers: { cookie: callers.analyst.headers.cookie! },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'ACCESS.CSRF' });
  });
});

describe('GET /audit as the log grows', () => {
  let fresh: TestDatabase;
  let server: FastifyInstance;
  let reader: Caller;
  beforeAll(async () => {
    fresh = await openTestDatabase('empty', { clock: () => NOW });
    reader = await signedIn(fresh.ctx, 'auditor', { role: 'analyst' });
    server = await buildApp(fresh.ctx);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await fresh?.close();
  });

  /**
   * Appends entries as another server would (the summary is kept until it hears of them: on
   * PostgreSQL a notification comes a little later), and waits until the summary's head is theirs.
   */
  const append = async (actor: string, entityType: string, n: number) => {
    await fresh.store.db.transaction((tx) =>
      appendAudit(
        tx,
        actor,
        NOW,
        Array.from({ length: n }, (_, i) => ({
          action: `${entityType}.mark`,
          entityType,
          entityId: `${entityType}_${i}`,
          after: { i },
        })),
      ),
    );
    const [last] = await queryRows<{ hash: string }>(
      fresh.store.db,
      sql`select hash from audit_log order by seq desc limit 1`,
    );
    await until(async () => (await overview()).head?.hash === last!.hash);
  };
  /** What the log holds, counted by the database now. */
  const counted = async () => {
    const facet = async (column: string) =>
      (
        await queryRows<{ value: string; entries: number }>(
          fresh.store.db,
          sql`select ${sql.raw(column)} as value, count(*)::int as entries from audit_log
              group by 1 order by ${sql.raw(column)} collate "C"`,
        )
      ).map((r) => ({ value: r.value, entries: r.entries }));
    return {
      entityTypes: await facet('entity_type'),
      actions: await facet('action'),
      actors: await facet('actor'),
    };
  };
  const overview = async () => {
    const res = await server.inject({ url: '/api/v1/audit', headers: reader.headers });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ entries: number; head: { seq: number; hash: string } | null }>();
  };

  it('counts what was appended since it last counted, and everything again when the log it counted was replaced', async () => {
    await append('user:a', 'note', 3);
    const first = await overview();
    expect(first).toMatchObject(await counted());
    await append('user:b', 'memo', 2);
    await append('user:a', 'note', 1);
    const grown = await overview();
    expect(grown).toMatchObject(await counted());
    expect(grown.entries).toBe(first.entries + 3);
    // A log restored from a backup: its last entries are other entries with the same sequences.
    await queryRows(fresh.store.db, sql`alter table audit_log disable trigger user`);
    try {
      await queryRows(
        fresh.store.db,
        sql`delete from audit_log where seq > ${grown.head!.seq - 3} returning 1`,
      );
    } finally {
      await queryRows(fresh.store.db, sql`alter table audit_log enable trigger user`);
    }
    await append('user:c', 'tally', 3);
    const restored = await overview();
    expect(restored.head!.seq).toBe(grown.head!.seq);
    expect(restored).toMatchObject(await counted());
    expect(restored).toMatchObject({
      actions: expect.not.arrayContaining([{ value: 'memo.mark', entries: 2 }]),
    });
  });
});
