// Answers kept in memory (decision 019): a record route's GET answers the same caller from memory
// until anything is written, here or (PostgreSQL) on another server; per caller, per day; the audit
// log's pages and summary until any entry is appended (or, the summary, the keys' files move), jobs
// until a job's row is written, health for a second.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTHY_KEPT_MS } from '../../src/api/health.routes.js';
import { buildApp } from '../../src/api/server.js';
import type { Actor } from '../../src/core/actor.js';
import { CHANGES_CHANNEL, hearsChanges } from '../../src/services/change-feed.js';
import { SIGNING_KEY_VARIABLE } from '../../src/services/audit/audit-query.service.js';
import { generateSigningKey } from '../../src/services/audit/audit-keys.js';
import { verifyAudit } from '../../src/services/audit/audit.service.js';
import type { AppContext } from '../../src/services/context.js';
import { recordRestriction } from '../../src/services/eligibility/restriction.service.js';
import {
  addStudent,
  getStudent,
  searchStudents,
} from '../../src/services/students/student.service.js';
import { jobWrite } from '../../src/services/jobs/job-execution.js';
import type { Store } from '../../src/store/database.js';
import { insertJob } from '../../src/store/job.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { signedIn, tokenFor } from '../support/accounts.js';
import { until } from '../support/until.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { readCacheCount } from '../support/metrics.js';
import {
  localPostgresSkipReason,
  scratchServers,
  type ScratchServers,
} from '../support/local-postgres.js';

const pm: Actor = { id: 'user:pm', role: 'program-manager' };

/** A change no write of the road makes (no audit entry, no trigger): only a kept answer hides it. */
async function changeBehindTheRoad(store: Store, country: string): Promise<void> {
  await queryRows(
    store.db,
    sql`update allocations set amount_cents = amount_cents + 100
        where country_iso3 = ${country} and superseded_at is null returning 1`,
  );
}

async function suspend(ctx: AppContext, country: string): Promise<void> {
  const written = await recordRestriction(ctx, pm, {
    country,
    kind: 'policy',
    scope: ['IMET'],
    from: '2021-03-01',
    basis: 'test suspension',
    authority: 'Secretary of State',
    seatPolicy: 'hold',
  });
  if (!written.ok) throw new Error(written.error.message);
}

describe('answers kept on one server', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let now = '2026-01-15T12:00:00.000Z';
  const headers = {} as Record<'pm' | 'sco' | 'analyst', Record<string, string>>;

  beforeAll(async () => {
    db = await openTestDatabase('demo', { clock: () => now });
    headers.pm = await tokenFor(db.ctx, 'kept-pm', { role: 'program-manager' });
    headers.analyst = await tokenFor(db.ctx, 'kept-analyst', { role: 'analyst' });
    headers.sco = await tokenFor(db.ctx, 'kept-sco', { role: 'sco', countries: ['THA'] });
    app = await buildApp(db.ctx, { checkResponses: true });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  /** The id of the demo's student `n` (in id order). */
  const studentId = async (n: number) =>
    (
      await queryRows<{ id: string }>(
        db.store.db,
        sql`select id from students order by id offset ${n} limit 1`,
      )
    )[0]!.id;
  const hits = () => readCacheCount(app, headers.analyst, 'hits');
  const allocations = async (who: Record<string, string>, country = 'PAK') =>
    (await app.inject({ url: `/api/v1/allocations?country=${country}&program=IMET`, headers: who }))
      .body;

  it('answers again from memory until a write, then reads the record again', async () => {
    const first = await allocations(headers.pm);
    // Heard only once the change feed listens; the first answers are not kept before it does.
    await until(async () => {
      await allocations(headers.pm);
      return hearsChanges(db.store);
    });
    const kept = await allocations(headers.pm);
    expect(kept).toBe(first);
    await changeBehindTheRoad(db.store, 'PAK');
    expect(await allocations(headers.pm)).toBe(kept);
    // Another caller is answered by the route: it sees the change.
    const analyst = await allocations(headers.analyst);
    expect(analyst).not.toBe(kept);
    // Any write on the road forgets every kept answer.
    await suspend(db.ctx, 'BRA');
    const after = await allocations(headers.pm);
    expect(after).not.toBe(kept);
    expect(after).toBe(analyst);
  });

  it('keeps an answer per caller: an SCO is never answered what a program manager was', async () => {
    const url = '/api/v1/seats/summary?fy=2018';
    const forPm = await app.inject({ url, headers: headers.pm });
    await app.inject({ url, headers: headers.pm });
    const forSco = await app.inject({ url, headers: headers.sco });
    expect(forPm.statusCode).toBe(200);
    expect(forSco.statusCode).toBe(200);
    expect(forSco.body).not.toBe(forPm.body);
  });

  it('answers a read that is audited (a foreign officer’s record) from memory, and audits it for each caller before it answers', async () => {
    const found = await app.inject({ url: '/api/v1/students?name=Khan', headers: headers.pm });
    const id = found.json<{ items: { id: string }[] }>().items[0]!.id;
    const reads = async () =>
      queryRows<{ actor: string; reason: string | null }>(
        db.store.db,
        sql`select actor, reason from audit_log
            where action = 'read' and entity_type = 'student' and entity_id = ${id} order by seq`,
      );
    const before = (await reads()).length;
    const start = await hits();
    const first = await app.inject({ url: `/api/v1/students/${id}`, headers: headers.pm });
    expect(first.statusCode).toBe(200);
    for (let i = 0; i < 2; i++) {
      const again = await app.inject({ url: `/api/v1/students/${id}`, headers: headers.pm });
      expect(again.statusCode).toBe(200);
      expect(again.body).toBe(first.body);
    }
    expect(await hits()).toBe(start + 2);
    expect((await reads()).length).toBe(before + 3);
    // Asked by many at once: each answered and audited, and the next caller answered too.
    const together = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.inject({ url: `/api/v1/students/${id}`, headers: headers.pm }),
      ),
    );
    expect(together.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(await hits()).toBe(start + 22);
    const next = await app.inject({ url: `/api/v1/students/${id}`, headers: headers.analyst });
    expect(next.statusCode).toBe(200);
    const entries = await reads();
    expect(entries.length).toBe(before + 24);
    // Each entry names its own caller: the program manager's 23, then the analyst's.
    const actors = entries.slice(before).map((e) => e.actor);
    expect(new Set(actors.slice(0, 23))).toEqual(new Set([actors[0]]));
    expect(actors[23]).not.toBe(actors[0]);
    expect(await verifyAudit(db.ctx, { deep: false })).toMatchObject({ ok: true });
  });

  it('answers nothing from memory when its audit entry cannot be written', async () => {
    const id = await studentId(1);
    const url = `/api/v1/students/${id}`;
    const profile = await app.inject({ url, headers: headers.analyst });
    expect(profile.statusCode).toBe(200);
    const familyName = profile.json<{ student: { familyName: string } }>().student.familyName;
    await queryRows(
      db.store.db,
      sql`create function refuse_reads() returns trigger language plpgsql as $$
          begin raise exception 'the audit log refuses'; end $$`,
    );
    await queryRows(
      db.store.db,
      sql`create trigger refuse_reads before insert on audit_log for each row execute function refuse_reads()`,
    );
    try {
      const start = await hits();
      const refused = await Promise.all(
        Array.from({ length: 3 }, () => app.inject({ url, headers: headers.analyst })),
      );
      expect(refused.map((r) => r.statusCode)).toEqual([500, 500, 500]);
      for (const r of refused) {
        expect(r.json()).toMatchObject({ status: 500, code: 'INTERNAL' });
        expect(r.body).not.toContain(familyName);
      }
      expect(await hits()).toBe(start + 3);
    } finally {
      await queryRows(db.store.db, sql`drop trigger refuse_reads on audit_log`);
      await queryRows(db.store.db, sql`drop function refuse_reads()`);
    }
    expect((await app.inject({ url, headers: headers.analyst })).statusCode).toBe(200);
  });

  it('keeps no answer worked out while another read was audited that it did not capture', async () => {
    const id = await studentId(2);
    const url = `/api/v1/students/${id}`;
    const asked = { ...headers.pm, accept: 'application/json; not-captured' };
    const start = await hits();
    // A read audited by no request (the capture cannot tell it from a request's own) while the
    // answer is worked out: the answer is not kept, and the next caller is answered afresh.
    const [answer] = await Promise.all([
      app.inject({ url, headers: asked }),
      getStudent(db.ctx, pm, id),
    ]);
    expect(answer.statusCode).toBe(200);
    expect((await app.inject({ url, headers: asked })).statusCode).toBe(200);
    expect(await hits()).toBe(start);
  });

  it('forgets nothing it kept when a read is audited: a read changes no record', async () => {
    await until(async () => {
      await allocations(headers.pm, 'IND');
      return hearsChanges(db.store);
    });
    const kept = await allocations(headers.pm, 'IND');
    await changeBehindTheRoad(db.store, 'IND');
    const found = await app.inject({ url: '/api/v1/students?name=Khan', headers: headers.analyst });
    const id = found.json<{ items: { id: string }[] }>().items[0]!.id;
    const audited = await app.inject({ url: `/api/v1/students/${id}`, headers: headers.analyst });
    expect(audited.statusCode).toBe(200);
    expect(await allocations(headers.pm, 'IND')).toBe(kept);
    await suspend(db.ctx, 'IND');
    expect(await allocations(headers.pm, 'IND')).not.toBe(kept);
  });

  it('keeps a page of the audit log until any entry is appended: a read audited here, a write', async () => {
    const page = async () => {
      const answer = await app.inject({
        url: '/api/v1/audit/entries?limit=3',
        headers: headers.analyst,
      });
      expect(answer.statusCode).toBe(200);
      return answer;
    };
    const first = (answer: { json: <T>() => T }) =>
      answer.json<{ items: { seq: number; action: string; entityId: string }[] }>().items[0]!;
    const allocationsKept = await allocations(headers.pm, 'KEN');
    await until(async () => {
      await page();
      return hearsChanges(db.store);
    });
    expect(await allocations(headers.pm, 'KEN')).toBe(allocationsKept);
    const kept = await page();
    const start = await hits();
    expect((await page()).body).toBe(kept.body);
    expect(await hits()).toBe(start + 1);
    // An audited read changes no record (the allocations stay kept) but appends to the log.
    const id = await studentId(3);
    // Its own read forgets it here at once, before (here: without) any notification of it.
    await queryRows(db.store.db, sql`alter table audit_log disable trigger audit_log_written`);
    try {
      expect((await getStudent(db.ctx, pm, id)).ok).toBe(true);
    } finally {
      await queryRows(db.store.db, sql`alter table audit_log enable trigger audit_log_written`);
    }
    const afterRead = await page();
    expect(first(afterRead)).toMatchObject({
      seq: first(kept).seq + 1,
      action: 'read',
      entityId: id,
    });
    expect(await allocations(headers.pm, 'KEN')).toBe(allocationsKept);
    // A page worked out while a read is committed is not answered again once it is.
    const [during] = await Promise.all([page(), getStudent(db.ctx, pm, id)]);
    const next = await page();
    expect(first(next)).toMatchObject({ seq: first(afterRead).seq + 1, action: 'read' });
    if (first(during).seq !== first(next).seq) expect((await page()).body).toBe(next.body);
    // A write appends its entries too.
    await suspend(db.ctx, 'KEN');
    expect(first(await page()).seq).toBeGreaterThan(first(next).seq);
    expect(await verifyAudit(db.ctx, { deep: false })).toMatchObject({ ok: true });
  });

  it('keeps the answers of jobs until a job’s row is written: this process’s at once, another’s once heard', async () => {
    const caller = await signedIn(db.ctx, 'kept-jobs', { role: 'analyst' });
    const list = async () => {
      const answer = await app.inject({ url: '/api/v1/jobs', headers: caller.headers });
      expect(answer.statusCode).toBe(200);
      return answer.json<{ total: number; items: { id: string; progress: { done: number } }[] }>();
    };
    const allocationsKept = await allocations(headers.pm, 'GHA');
    await until(async () => {
      await list();
      return hearsChanges(db.store);
    });
    const before = await list();
    let start = await hits();
    expect(await list()).toEqual(before);
    expect(await hits()).toBe(start + 1);
    // Written by this process: answered at once, before (here: without) any notification of it.
    const id = db.ctx.newId('job');
    await queryRows(db.store.db, sql`alter table jobs disable trigger jobs_changed`);
    try {
      await jobWrite(
        db.store,
        insertJob(db.store.db, {
          id,
          kind: 'audit.verify',
          input: '{"deep":false}',
          createdBy: caller.actor,
          createdAt: db.ctx.clock(),
        }),
      );
    } finally {
      await queryRows(db.store.db, sql`alter table jobs enable trigger jobs_changed`);
    }
    const added = await list();
    expect(added.total).toBe(before.total + 1);
    expect(added.items[0]!.id).toBe(id);
    // A job is not the record: its answers kept stay kept.
    start = await hits();
    expect(await allocations(headers.pm, 'GHA')).toBe(allocationsKept);
    expect(await hits()).toBe(start + 1);
    // Written elsewhere (another server, a script): answered once its notification is heard.
    await queryRows(db.store.db, sql`update jobs set progress_done = 7 where id = ${id}`);
    await until(async () => (await list()).items[0]!.progress.done === 7);
    start = await hits();
    expect(await allocations(headers.pm, 'GHA')).toBe(allocationsKept);
    expect(await hits()).toBe(start + 1);
    await queryRows(db.store.db, sql`update jobs set status = 'failed' where id = ${id}`);
  });

  it('answers the next caller when the one working an answer out hung up before it was sent', async () => {
    const found = await app.inject({ url: '/api/v1/students?name=Khan', headers: headers.pm });
    const path = `/api/v1/students/${found.json<{ items: { id: string }[] }>().items[0]!.id}`;
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const asked = { ...headers.pm, accept: 'application/json; hung-up' };
    // A caller that hangs up while its (audited, never kept) answer is being worked out: the audit
    // chain is held meanwhile, so the answer waits for it.
    let release = () => undefined as void;
    let taken = () => undefined as void;
    const locked = new Promise<void>((resolve) => (taken = resolve));
    const holding = db.store.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('attache.audit'))`);
      taken();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await locked;
    await new Promise<void>((resolve) => {
      const request = httpRequest(`${base}${path}`, { headers: asked });
      request.on('error', () => resolve());
      request.end();
      setTimeout(() => {
        request.destroy();
        resolve();
      }, 200);
    });
    release();
    await holding;
    const next = await fetch(`${base}${path}`, {
      headers: asked,
      signal: AbortSignal.timeout(5_000),
    });
    expect(next.status).toBe(200);
  });

  it('keeps an answer for its day only', async () => {
    await allocations(headers.pm, 'THA');
    const kept = await allocations(headers.pm, 'THA');
    await changeBehindTheRoad(db.store, 'THA');
    expect(await allocations(headers.pm, 'THA')).toBe(kept);
    now = '2026-01-16T00:00:01.000Z';
    expect(await allocations(headers.pm, 'THA')).not.toBe(kept);
  });

  it('keeps the audit summary until an entry is appended, an audited read’s too, or the audit keys’ files move', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'attache-kept-keys-'));
    const keyFile = join(dir, 'audit.key');
    const saved = process.env[SIGNING_KEY_VARIABLE];
    const summary = async () => {
      const res = await app.inject({ url: '/api/v1/audit', headers: headers.analyst });
      return {
        status: res.statusCode,
        body: res.body,
        entries: res.json<{ entries: number }>().entries,
        signing: res.json<{ keys?: { signingKeyId: string | null } }>().keys?.signingKeyId,
      };
    };
    /** Asks twice: the second answer is from memory (and the same) when the first was kept. */
    const twice = async () => {
      const first = await summary();
      const start = await hits();
      const second = await summary();
      return { first, kept: (await hits()) === start + 1 && second.body === first.body };
    };
    try {
      delete process.env[SIGNING_KEY_VARIABLE];
      await until(async () => (await twice()).kept);
      const kept = await summary();
      expect(kept.signing).toBeNull();
      // A record's answer stays kept through an audited read; the summary counts the read at once.
      const allocationsKept = await allocations(headers.pm, 'KEN');
      expect(await allocations(headers.pm, 'KEN')).toBe(allocationsKept);
      expect((await getStudent(db.ctx, pm, await studentId(4))).ok).toBe(true);
      const afterRead = await twice();
      expect(afterRead.first.entries).toBe(kept.entries + 1);
      expect(afterRead.kept).toBe(true);
      expect(await allocations(headers.pm, 'KEN')).toBe(allocationsKept);
      // A key named: shown at once, then kept.
      const made = generateSigningKey(keyFile);
      if (!made.ok) throw new Error(made.error);
      process.env[SIGNING_KEY_VARIABLE] = keyFile;
      const named = await twice();
      expect(named.first.signing).toBe(made.value.keyId);
      expect(named.kept).toBe(true);
      // The file opened to others: refused at once (and a refusal is not kept).
      chmodSync(keyFile, 0o644);
      expect((await summary()).status).toBe(503);
      chmodSync(keyFile, 0o600);
      expect((await summary()).signing).toBe(made.value.keyId);
      // Another key put in its place: its id at once.
      rmSync(keyFile);
      const other = generateSigningKey(keyFile);
      if (!other.ok) throw new Error(other.error);
      expect((await summary()).signing).toBe(other.value.keyId);
      // A write appends its entries.
      await suspend(db.ctx, 'EGY');
      expect((await summary()).entries).toBeGreaterThan(afterRead.first.entries);
    } finally {
      if (saved === undefined) delete process.env[SIGNING_KEY_VARIABLE];
      else process.env[SIGNING_KEY_VARIABLE] = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the files imported until a write', async () => {
    const runs = () => app.inject({ url: '/api/v1/imports', headers: headers.pm });
    const listed = await runs();
    expect(listed.statusCode).toBe(200);
    const [run] = listed.json<{ items: { id: string; fileName: string }[] }>().items;
    if (run === undefined) throw new Error('the demo records no import run');
    await until(async () => {
      const start = await hits();
      await runs();
      return (await hits()) === start + 1;
    });
    // Renamed behind the road: hidden by the answer kept, until a write.
    await queryRows(
      db.store.db,
      sql`update import_runs set file_name = 'renamed.csv' where id = ${run.id} returning 1`,
    );
    try {
      expect((await runs()).body).toBe(listed.body);
      await suspend(db.ctx, 'COL');
      expect((await runs()).json<{ items: { fileName: string }[] }>().items[0]!.fileName).toBe(
        'renamed.csv',
      );
    } finally {
      await queryRows(
        db.store.db,
        sql`update import_runs set file_name = ${run.fileName} where id = ${run.id} returning 1`,
      );
    }
  });

  it('keeps a healthy answer a second, for callers asking at once too, and never a degraded one', async () => {
    const health = () => app.inject({ url: '/api/v1/health' });
    const misses = () => readCacheCount(app, headers.analyst, 'misses');
    const second = () => new Promise((resolve) => setTimeout(resolve, HEALTHY_KEPT_MS + 50));
    expect((await health()).statusCode).toBe(200);
    await second();
    // Fifty monitors at once: one of them asks the database, the others are given its answer.
    const [hitsBefore, missesBefore] = [await hits(), await misses()];
    const together = await Promise.all(Array.from({ length: 50 }, health));
    expect(together.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    expect(new Set(together.map((r) => r.body)).size).toBe(1);
    expect([(await hits()) - hitsBefore, (await misses()) - missesBefore]).toEqual([49, 1]);
    // A migration lost behind its back: the healthy answer stands for its second, then 503.
    const [last] = await queryRows<{ id: number; hash: string; created_at: string }>(
      db.store.db,
      sql`delete from drizzle.__drizzle_migrations
          where id = (select max(id) from drizzle.__drizzle_migrations) returning *`,
    );
    try {
      expect((await health()).statusCode).toBe(200);
      await second();
      const start = await misses();
      expect((await health()).statusCode).toBe(503);
      expect((await health()).statusCode).toBe(503);
      expect((await misses()) - start).toBe(2);
    } finally {
      await queryRows(
        db.store.db,
        sql`insert into drizzle.__drizzle_migrations (id, hash, created_at)
            values (${last!.id}, ${last!.hash}, ${last!.created_at}) returning 1`,
      );
    }
    // Healthy again: said at once, nothing degraded was kept.
    expect((await health()).statusCode).toBe(200);
  });

  it('keeps an export of courses until a write, and an export of students too, audited each time', async () => {
    const exported = async (kind: string) => {
      const res = await app.inject({
        url: `/api/v1/exports/${kind}?format=csv&country=PAK`,
        headers: headers.pm,
      });
      expect(res.statusCode).toBe(200);
      // Answered from memory as when worked out: a file of the record is never stored on the way.
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
      return res.body;
    };
    const start = await hits();
    const courses = await exported('courses');
    expect(await exported('courses')).toBe(courses);
    expect(await hits()).toBe(start + 1);
    const audited = async () =>
      (
        await queryRows<{ n: number }>(
          db.store.db,
          sql`select count(*)::int as n from audit_log
              where action = 'read' and entity_id = 'export:PAK'`,
        )
      )[0]!.n;
    const before = await audited();
    const students = await exported('students');
    for (let i = 0; i < 2; i++) expect(await exported('students')).toBe(students);
    expect(await audited()).toBe(before + 3);
    expect(await hits()).toBe(start + 3);
  });

  it('works an answer out once for callers asking for it together, and lets them go on when it is not kept', async () => {
    const scrape = async () =>
      (await app.inject({ url: '/metrics', headers: headers.analyst })).body;
    const count = (text: string, name: string) =>
      Number(new RegExp(`^attache_read_cache_${name}_total (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    const before = await scrape();
    const together = await Promise.all(
      Array.from({ length: 20 }, () =>
        app.inject({ url: '/api/v1/courses', headers: headers.analyst }),
      ),
    );
    const after = await scrape();
    expect(together.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(new Set(together.map((r) => r.body)).size).toBe(1);
    expect(count(after, 'misses') - count(before, 'misses')).toBe(1);
    expect(count(after, 'hits') - count(before, 'hits')).toBe(19);
    // A 404 is not kept: the others ask themselves, and every one is answered.
    const missing = await Promise.all(
      Array.from({ length: 5 }, () =>
        app.inject({ url: '/api/v1/courses/NO-SUCH-COURSE', headers: headers.analyst }),
      ),
    );
    expect(missing.map((r) => r.statusCode)).toEqual(Array(5).fill(404));
  });
});

const skipReason = await localPostgresSkipReason();
if (skipReason !== undefined) console.warn(`two-server read cache tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('answers kept on two servers on one PostgreSQL', () => {
  let servers: ScratchServers;
  let a: AppContext;
  let b: AppContext;
  let serverB: FastifyInstance;
  let bearer: Record<string, string>;

  beforeAll(async () => {
    servers = await scratchServers('attache_kept', 2);
    [a, b] = servers.contexts as [AppContext, AppContext];
    serverB = await buildApp(b);
    bearer = await tokenFor(a, 'kept-two', { role: 'analyst' });
  });
  afterAll(async () => {
    await serverB?.close();
    await servers?.close();
  });

  it('forgets what it kept when another server writes', async () => {
    const timeline = async () =>
      (await serverB.inject({ url: '/api/v1/countries/KEN/timeline', headers: bearer })).json<{
        restrictions: unknown[];
      }>().restrictions.length;
    await until(async () => {
      await timeline();
      return hearsChanges(b.store);
    });
    expect(await timeline()).toBe(0);
    await suspend(a, 'KEN');
    await until(async () => (await timeline()) === 1);
  });

  it('tells every other server of an audited read as a read, which no record cache heeds, and of a write', async () => {
    const heard: string[] = [];
    const listener = b.store.listen!(CHANGES_CHANNEL, {
      notified: (payload) => heard.push(payload),
      listening: () => heard.push('(listening)'),
      lost: () => heard.push('(lost)'),
    });
    try {
      await until(() => heard.includes('(listening)'));
      const added = await addStudent(a, pm, {
        country: 'GHA',
        familyName: 'MENSAH',
        givenNames: 'Kofi',
      });
      if (!added.ok) throw new Error(added.error.message);
      await until(() => heard.includes('write'));
      heard.length = 0;
      const read = await getStudent(a, pm, added.value.id);
      expect(read.ok).toBe(true);
      await suspend(a, 'GHA');
      // Notifications arrive in commit order: once the marker sent after the write is heard, the
      // read's and the write's, had there been any, were heard before it.
      await queryRows(a.store.db, sql`select pg_notify(${CHANGES_CHANNEL}, 'marker')`);
      await until(() => heard.includes('marker'));
      expect(heard.filter((payload) => payload === 'write')).toEqual(['write']);
      expect(heard.filter((payload) => payload === 'read')).toEqual(['read']);
      expect(heard).not.toContain('(lost)');
    } finally {
      await listener.close();
    }
  });

  it('forgets a page of the audit log it kept when a read is audited on another server', async () => {
    const head = async () =>
      (await serverB.inject({ url: '/api/v1/audit/entries?limit=1', headers: bearer })).json<{
        items: { seq: number; action: string; entityId: string }[];
      }>().items[0]!;
    const added = await addStudent(a, pm, {
      country: 'KEN',
      familyName: 'KAMAU',
      givenNames: 'Juma',
    });
    if (!added.ok) throw new Error(added.error.message);
    await until(async () => (await head()).entityId === added.value.id && hearsChanges(b.store));
    const kept = await head();
    expect(await head()).toEqual(kept);
    const read = await getStudent(a, pm, added.value.id);
    expect(read.ok).toBe(true);
    await until(async () => (await head()).seq > kept.seq);
    expect(await head()).toMatchObject({
      seq: kept.seq + 1,
      action: 'read',
      entityId: added.value.id,
    });
  });

  it('finds by name a student added on another server, and one added here at once', async () => {
    const ids = async (ctx: AppContext, name: string) => {
      const found = await searchStudents(ctx, pm, { name });
      if (!found.ok) throw new Error(found.error.message);
      return found.value.map((s) => s.id);
    };
    const add = async (ctx: AppContext, familyName: string) => {
      const added = await addStudent(ctx, pm, { country: 'KEN', familyName, givenNames: 'Amani' });
      if (!added.ok) throw new Error(added.error.message);
      return added.value.id;
    };
    await until(async () => {
      await ids(b, 'Amani Wanjiru');
      return hearsChanges(b.store);
    });
    // B keeps its index of names; a student added on A is found on B once B hears of the write.
    expect(await ids(b, 'Amani Wanjiru')).toEqual([]);
    const there = await add(a, 'WANJIRU');
    await until(async () => (await ids(b, 'Amani Wanjiru')).includes(there));
    // Added on B itself: found by the very next search.
    const here = await add(b, 'OTIENO');
    expect(await ids(b, 'Amani Otieno')).toEqual([here]);
  });
});
