// Jobs over HTTP: an audit verification asked for as a job answers 202 with its Location, its
// progress and outcome are read there, its report is downloaded with its type and name; another
// person gets 404, an unfinished job's result 409, a failed job its problem. Two servers on one
// PostgreSQL run each job exactly once and each shows the other's progress; a server killed with
// SIGKILL mid-job leaves it failed, not running (on PostgreSQL by a live server's sweep, on the
// embedded database when the data dir is next opened).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import type { Actor } from '../../src/core/actor.js';
import { contextOver, openContext, type AppContext } from '../../src/services/context.js';
import { syncReferenceData } from '../../src/services/countries/reference.service.js';
import { jobRunnerOf, MOST_STARTS, startJobRunner } from '../../src/services/jobs/job-runner.js';
import { submitJob } from '../../src/services/jobs/job.service.js';
import { migrateStore, openStore, type Store } from '../../src/store/database.js';
import { findJob, JOB_LEASES_APPLICATION } from '../../src/store/job.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { signedIn, type Caller } from '../support/accounts.js';
import { demoDataDir, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { gate, registerTestJobs, runs } from '../support/jobs.js';
import { readCacheCount } from '../support/metrics.js';
import {
  endBackends,
  localPostgresSkipReason,
  scratchDatabase,
  type ScratchDatabase,
} from '../support/local-postgres.js';

const FAST = { pollSeconds: 0.5, progressEveryMs: 50, sweepSeconds: 1 } as const;

const actorOf = (caller: Caller, role: Actor['role']): Actor => ({ id: caller.actor, role });

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not there in ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface JobBody {
  id: string;
  status: string;
  progress: { done: number; total: number | null; note: string | null };
  result: { href: string; fileName: string; contentType: string; bytes: number } | null;
  outcome: { summary?: unknown; problem?: { status: number; code: string; field?: string } } | null;
  finishedAt: string | null;
}

describe('jobs over HTTP', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  const callers = {} as Record<'analyst' | 'pm' | 'admin', Caller>;

  beforeAll(async () => {
    db = await openTestDatabase('demo');
    registerTestJobs();
    callers.analyst = await signedIn(db.ctx, 'jobs-analyst', { role: 'analyst' });
    callers.pm = await signedIn(db.ctx, 'jobs-pm', { role: 'program-manager' });
    callers.admin = await signedIn(db.ctx, 'jobs-admin', { role: 'admin' });
    app = await buildApp(db.ctx, { jobs: FAST });
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const get = (url: string, who: Caller) =>
    app.inject({ method: 'GET', url, headers: who.headers });
  const job = async (url: string, who: Caller) => (await get(url, who)).json<JobBody>();

  it('verifies the audit log as a job: 202 and Location, progress, the report as a file', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/audit/verifications',
      headers: callers.analyst.headers,
      payload: { deep: false },
    });
    expect(res.statusCode).toBe(202);
    const location = res.headers.location as string;
    expect(location).toBe(`/api/v1/jobs/${res.json<JobBody>().id}`);
    expect(res.json<JobBody>().status).toBe('queued');
    const done = await until(
      () => job(location, callers.analyst),
      (j) => j.finishedAt !== null,
    );
    expect(done.status).toBe('succeeded');
    expect(done.progress.done).toBe(done.progress.total);
    expect(done.outcome?.summary).toMatchObject({ ok: true });
    const file = await get(done.result!.href, callers.analyst);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/json');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="${done.result!.fileName}"`,
    );
    expect(file.json<{ ok: boolean }>().ok).toBe(true);
    expect(file.rawPayload.length).toBe(done.result!.bytes);
    // Another person: the job and its file do not exist for them; an admin sees both.
    expect((await get(location, callers.pm)).statusCode).toBe(404);
    expect((await get(done.result!.href, callers.pm)).json()).toMatchObject({
      status: 404,
      code: 'JOB.NOT_FOUND',
    });
    expect((await get(location, callers.admin)).statusCode).toBe(200);
    const mine = (await get('/api/v1/jobs?limit=10', callers.analyst)).json<{ items: JobBody[] }>();
    expect(mine.items.map((j) => j.id)).toContain(done.id);
    expect((await get('/api/v1/jobs', callers.pm)).json<{ total: number }>().total).toBe(0);
  });

  it('answers 409 for the result of a job still running, and shows a failed job’s problem', async () => {
    const open = gate();
    const analyst = actorOf(callers.analyst, 'analyst');
    const submitted = await submitJob(db.ctx, analyst, 'test.gated', { gate: open.name });
    if (!submitted.ok) throw new Error(submitted.error.message);
    const url = `/api/v1/jobs/${submitted.value.id}`;
    const running = await until(
      () => job(url, callers.analyst),
      (j) => j.progress.done === 3,
    );
    expect(running).toMatchObject({ status: 'running', result: null, outcome: null });
    const early = await get(`${url}/result`, callers.analyst);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({
      code: 'JOB.NOT_SUCCEEDED',
      details: { status: 'running' },
    });
    open.release();
    await until(
      () => job(url, callers.analyst),
      (j) => j.status === 'succeeded',
    );
    const file = await get(`${url}/result`, callers.analyst);
    expect(file.headers['content-type']).toBe('text/csv');
    expect(file.headers['content-disposition']).toBe('attachment; filename="gated.csv"');
    expect(file.body).toBe('a,b\r\n1,2\r\n');
    // The file of a job that succeeded never changes: asked again, it is answered from memory,
    // the same bytes and headers (its 409 of before was never kept).
    const hits = () => readCacheCount(app, callers.analyst.headers, 'hits');
    const before = await hits();
    const again = await get(`${url}/result`, callers.analyst);
    expect(await hits()).toBe(before + 1);
    expect(again.body).toBe(file.body);
    expect(again.headers['content-disposition']).toBe(file.headers['content-disposition']);
    expect(again.headers['cache-control']).toBe('no-store');

    const refused = await submitJob(db.ctx, analyst, 'test.fails', { how: 'refuses' });
    if (!refused.ok) throw new Error(refused.error.message);
    const failed = await until(
      () => job(`/api/v1/jobs/${refused.value.id}`, callers.analyst),
      (j) => j.finishedAt !== null,
    );
    expect(failed.status).toBe('failed');
    expect(failed.outcome?.problem).toMatchObject({
      status: 400,
      code: 'IMPORT.ROWS_REFUSED',
      field: 'file.csv row 7 column date',
    });
  });

  it('refuses bad input (400), a role without the capability (403), a server running no jobs (503)', async () => {
    const post = (target: FastifyInstance, who: Caller, payload: object) =>
      target.inject({
        method: 'POST',
        url: '/api/v1/audit/verifications',
        headers: who.headers,
        payload,
      });
    expect((await post(app, callers.analyst, { deep: 'yes' })).json()).toMatchObject({
      status: 400,
      field: 'deep',
    });
    const sco = await signedIn(db.ctx, 'jobs-sco', { role: 'sco', countries: ['PAK'] });
    expect((await post(app, sco, {})).statusCode).toBe(403);
    const other = await openTestDatabase('empty');
    try {
      const bare = await buildApp(other.ctx);
      const analyst = await signedIn(other.ctx, 'jobs-analyst', { role: 'analyst' });
      expect((await post(bare, analyst, {})).json()).toMatchObject({
        status: 503,
        code: 'JOBS.NOT_RUNNING',
      });
      await bare.close();
    } finally {
      await other.close();
    }
    expect((await get('/api/v1/jobs?limit=0', callers.analyst)).statusCode).toBe(400);
  });

  it('stops its runner when the server closes, failing a job that does not end in time', async () => {
    const other = await openTestDatabase('empty');
    try {
      const server = await buildApp(other.ctx, { jobs: { ...FAST, stopTimeoutMs: 300 } });
      const who = await signedIn(other.ctx, 'jobs-analyst', { role: 'analyst' });
      const submitted = await submitJob(other.ctx, actorOf(who, 'analyst'), 'test.gated', {
        gate: 'never',
      });
      if (!submitted.ok) throw new Error(submitted.error.message);
      await until(
        () => findJob(other.store.db, submitted.value.id),
        (r) => r?.progressDone === 3,
      );
      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(5_000);
      const row = await findJob(other.store.db, submitted.value.id);
      expect(row?.status).toBe('failed');
      expect(JSON.parse(row!.outcome!)).toMatchObject({ problem: { reason: 'JOB.INTERRUPTED' } });
    } finally {
      await other.close();
    }
  });
});

describe('a job that only reads, cut off by a server stopping', () => {
  it('is queued again, not failed, and the next runner runs it to its end', async () => {
    registerTestJobs();
    const other = await openTestDatabase('empty');
    try {
      const server = await buildApp(other.ctx, { jobs: { ...FAST, stopTimeoutMs: 300 } });
      const who = await signedIn(other.ctx, 'jobs-analyst', { role: 'analyst' });
      const held = gate();
      const submitted = await submitJob(other.ctx, actorOf(who, 'analyst'), 'test.rerun', {
        gate: held.name,
      });
      if (!submitted.ok) throw new Error(submitted.error.message);
      await until(
        () => findJob(other.store.db, submitted.value.id),
        (r) => r?.progressDone === 3,
      );
      await server.close();
      const queued = await findJob(other.store.db, submitted.value.id);
      expect(queued).toMatchObject({ status: 'queued', starts: 1, progressDone: 0 });
      held.release();
      const runner = await startJobRunner(other.ctx, FAST);
      try {
        const row = await until(
          () => findJob(other.store.db, submitted.value.id),
          (r) => r?.status === 'succeeded',
        );
        expect(row?.starts).toBe(2);
      } finally {
        await runner.stop();
      }
    } finally {
      await other.close();
    }
  }, 60_000);
});

const skipReason = await localPostgresSkipReason();
if (skipReason !== undefined) console.warn(`two-server job tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('jobs on two servers of one PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let setup: Store;
  const stores: Store[] = [];
  const apps: FastifyInstance[] = [];
  let analyst: Caller;

  beforeAll(async () => {
    registerTestJobs();
    scratch = await scratchDatabase('attache_jobs');
    setup = await openStore({ kind: 'postgres', url: scratch.url });
    await migrateStore(setup);
    const synced = await syncReferenceData(contextOver(setup));
    if (!synced.ok) throw new Error(synced.error.message);
    analyst = await signedIn(contextOver(setup), 'jobs-analyst', { role: 'analyst' });
    for (let i = 0; i < 2; i++) {
      const store = await openStore({ kind: 'postgres', url: scratch.url });
      stores.push(store);
      apps.push(await buildApp(contextOver(store), { jobs: { ...FAST, workers: 2 } }));
    }
  }, 120_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    await setup?.close();
    await scratch?.drop();
  });

  /** How many lease connections wait for a lock. */
  async function leaseWaiters(): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      setup.db,
      sql`select count(*)::int as n
            from pg_locks l join pg_stat_activity a on a.pid = l.pid
           where l.locktype = 'advisory' and not l.granted and a.datname = current_database()
             and a.application_name = ${JOB_LEASES_APPLICATION}`,
    );
    return row?.n ?? 0;
  }

  /** How many lease connections hold job `id`'s lease (its lock, by its two halves). */
  async function leaseHolders(id: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      setup.db,
      sql`with lease as (select hashtextextended(${`attache.job:${id}`}, 0) as key)
          select count(*)::int as n
            from pg_locks l join pg_stat_activity a on a.pid = l.pid, lease
           where l.locktype = 'advisory' and l.granted and l.objsubid = 1
             and l.classid = ((lease.key >> 32) & 4294967295)::oid
             and l.objid = (lease.key & 4294967295)::oid and a.datname = current_database()
             and a.application_name = ${JOB_LEASES_APPLICATION}`,
    );
    return row?.n ?? 0;
  }

  it('runs each job exactly once, on either server, and each server shows its progress', async () => {
    const ctxA = contextOver(stores[0]!);
    const actor = actorOf(analyst, 'analyst');
    const held = gate();
    const tags = Array.from({ length: 12 }, (_, i) => `two-servers-${i}`);
    const ids: string[] = [];
    for (const [i, tag] of tags.entries()) {
      const submitted = await submitJob(ctxA, actor, 'test.count', {
        tag,
        ...(i === 0 ? { gate: held.name } : {}),
      });
      if (!submitted.ok) throw new Error(submitted.error.message);
      ids.push(submitted.value.id);
    }
    // The held job, submitted on A, read on B while it runs (wherever it runs).
    const onB = (id: string) =>
      apps[1]!.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: analyst.headers });
    const running = await until(
      async () => (await onB(ids[0]!)).json<JobBody>(),
      (j) => j.status === 'running' && j.progress.done === 1,
    );
    expect(running.progress).toEqual({ done: 1, total: 2, note: `counted by ${analyst.actor}` });
    held.release();
    for (const id of ids)
      await until(
        async () => (await onB(id)).json<JobBody>(),
        (j) => j.status === 'succeeded',
      );
    expect(tags.map((tag) => runs.get(tag))).toEqual(tags.map(() => 1));
  });

  /**
   * Runs `work` with a runner on each server that sweeps only as it starts. The jobs' locks are
   * free between a lease connection's end and their taking again (some 60 ms): a sweep then fails
   * the job, as it should. These tests ask for the sweep after (a third server starting).
   */
  async function withQuietRunners(work: () => Promise<void>): Promise<void> {
    while (apps.length > 0) await apps.pop()!.close();
    const quiet = { ...FAST, sweepSeconds: 3600, workers: 1 };
    const runners = [
      await startJobRunner(contextOver(stores[0]!), quiet),
      await startJobRunner(contextOver(stores[1]!), quiet),
    ];
    try {
      await work();
    } finally {
      for (const runner of runners) await runner.stop();
    }
  }

  /** A third server starting: its runner sweeps once, then it stops. */
  async function sweepOnce(): Promise<void> {
    const third = await openStore({ kind: 'postgres', url: scratch.url });
    try {
      await (await startJobRunner(contextOver(third), { ...FAST, workers: 0 })).stop();
    } finally {
      await third.close();
    }
  }

  it(
    'keeps running a job when PostgreSQL ends the lease connections: leases taken again, no sweep fails it',
    () =>
      withQuietRunners(async () => {
        const ctxA = contextOver(stores[0]!);
        const actor = actorOf(analyst, 'analyst');
        const held = gate();
        const submitted = await submitJob(ctxA, actor, 'test.count', {
          tag: 'lease-lost',
          gate: held.name,
        });
        if (!submitted.ok) throw new Error(submitted.error.message);
        const { id } = submitted.value;
        await until(
          () => findJob(setup.db, id),
          (r) => r?.status === 'running' && r.progressDone === 1,
        );
        expect(await endBackends(scratch.url, JOB_LEASES_APPLICATION)).toBeGreaterThan(0);
        // The lease is held again on a new connection: a sweep leaves the job be.
        await until(
          () => leaseHolders(id),
          (n) => n === 1,
        );
        await sweepOnce();
        expect((await findJob(setup.db, id))?.status).toBe('running');
        held.release();
        const row = await until(
          () => findJob(setup.db, id),
          (r) => r?.status !== 'running',
        );
        expect(row).toMatchObject({ status: 'succeeded', starts: 1 });
        expect(runs.get('lease-lost')).toBe(1);
        // Both servers take and run jobs after it.
        const after: string[] = [];
        for (let i = 0; i < 4; i++) {
          const next = await submitJob(ctxA, actor, 'test.count', { tag: `after-lease-lost-${i}` });
          if (!next.ok) throw new Error(next.error.message);
          after.push(next.value.id);
        }
        for (const next of after)
          await until(
            () => findJob(setup.db, next),
            (r) => r?.status === 'succeeded',
          );
      }),
    60_000,
  );

  it(
    'hands a job out again when its lease connection is lost before it started, and runs it once',
    () =>
      withQuietRunners(async () => {
        const ctxA = contextOver(stores[0]!);
        const runner = jobRunnerOf(stores[0]!)!;
        const id = ctxA.newId('job');
        // Another session holds the job's lease: the worker that takes it waits for it.
        const other = await setup.pgPool!.connect();
        const key = `attache.job:${id}`;
        try {
          await other.query('select pg_advisory_lock(hashtextextended($1, 0))', [key]);
          await runner.enqueue({
            id,
            kind: 'test.count',
            input: JSON.stringify({ tag: 'lease-lost-waiting' }),
            createdBy: analyst.actor,
            createdAt: ctxA.clock(),
          });
          await until(
            () => leaseWaiters(),
            (n) => n === 1,
          );
          // Its lease connection ended while it waits: the job was not started, and stays queued.
          await endBackends(scratch.url, JOB_LEASES_APPLICATION);
          expect((await findJob(setup.db, id))?.status).toBe('queued');
        } finally {
          await other.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]);
          other.release();
        }
        // Its message, handed out again, runs it: once.
        const row = await until(
          () => findJob(setup.db, id),
          (r) => r?.status === 'succeeded',
        );
        expect(row?.starts).toBe(1);
        expect(runs.get('lease-lost-waiting')).toBe(1);
      }),
    60_000,
  );

  it('fails a job whose server was killed mid-run (SIGKILL), by the sweep of a live server', async () => {
    // The live server runs no job itself (else it might take the one the killed server queued).
    while (apps.length > 0) await apps.pop()!.close();
    const sweeper = await startJobRunner(contextOver(stores[0]!), { ...FAST, workers: 0 });
    const { id } = await killedMidJob({ JOB_SERVER_URL: scratch.url });
    const row = await until(
      () => findJob(setup.db, id),
      (r) => r?.status !== 'running',
    );
    expect(row?.status).toBe('failed');
    expect(JSON.parse(row!.outcome!)).toMatchObject({ problem: { reason: 'JOB.INTERRUPTED' } });
    await sweeper.stop();
  }, 60_000);

  it('queues a job that only reads again when its server is killed, and a live server runs it', async () => {
    while (apps.length > 0) await apps.pop()!.close();
    const { id } = await killedMidJob({
      JOB_SERVER_URL: scratch.url,
      JOB_SERVER_KIND: 'test.rerun',
    });
    const live = await startJobRunner(contextOver(stores[0]!), { ...FAST, workers: 1 });
    try {
      const row = await until(
        () => findJob(setup.db, id),
        (r) => r?.status === 'succeeded',
      );
      expect(row?.starts).toBe(2);
      expect(JSON.parse(row!.outcome!)).toEqual({ summary: { ranIn: process.pid } });
    } finally {
      await live.stop();
    }
  }, 60_000);
});

describe('a server killed mid-job on the embedded database', () => {
  let dir: string;
  beforeAll(() => {
    registerTestJobs();
    dir = mkdtempSync(join(tmpdir(), 'attache-jobs-kill-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the job failed, not running, once the data dir is opened again', async () => {
    const dataDir = await demoDataDir(dir);
    const { id } = await killedMidJob({ JOB_SERVER_DATA_DIR: dataDir });
    let ctx: AppContext | undefined;
    try {
      ctx = await until(
        () => openContext({ kind: 'pglite', dataDir }).catch(() => undefined),
        (c) => c !== undefined,
      );
      expect((await findJob(ctx!.store.db, id))?.status).toBe('running');
      const runner = await startJobRunner(ctx!, FAST);
      const row = await findJob(ctx!.store.db, id);
      expect(row?.status).toBe('failed');
      expect(JSON.parse(row!.outcome!)).toMatchObject({ problem: { reason: 'JOB.INTERRUPTED' } });
      await runner.stop();
    } finally {
      await ctx?.store.close();
    }
  }, 120_000);

  it('runs a job that only reads again once the data dir is opened again, at most three starts', async () => {
    const dataDir = await demoDataDir(join(dir, 'rerun'));
    const { id } = await killedMidJob({
      JOB_SERVER_DATA_DIR: dataDir,
      JOB_SERVER_KIND: 'test.rerun',
    });
    let ctx: AppContext | undefined;
    try {
      ctx = await until(
        () => openContext({ kind: 'pglite', dataDir }).catch(() => undefined),
        (c) => c !== undefined,
      );
      const runner = await startJobRunner(ctx!, FAST);
      const row = await until(
        () => findJob(ctx!.store.db, id),
        (r) => r?.status === 'succeeded',
      );
      expect(row?.starts).toBe(2);
      await runner.stop();
      // Cut off a third time: it fails, naming how often.
      await ctx!.store.db.execute(
        sql`update jobs set status = 'running', starts = ${MOST_STARTS}, outcome = null where id = ${id}`,
      );
      const again = await startJobRunner(ctx!, FAST);
      const failed = await findJob(ctx!.store.db, id);
      expect(failed?.status).toBe('failed');
      expect(JSON.parse(failed!.outcome!)).toMatchObject({
        problem: { reason: 'JOB.INTERRUPTED', message: expect.stringContaining('started 3 times') },
      });
      await again.stop();
    } finally {
      await ctx?.store.close();
    }
  }, 120_000);
});

const SERVER = fileURLToPath(new URL('../support/job-server.ts', import.meta.url));

/** Starts a job server, waits until its job runs, kills it with SIGKILL; the job's id. */
async function killedMidJob(env: Record<string, string>): Promise<{ id: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    env: { ...process.env, JOB_SERVER_CHILD: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const id = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /\{"running":"([^"]+)"\}/.exec(out);
      if (line !== null) resolve(line[1]!);
    });
    child.on('exit', (code) => reject(new Error(`job server exited (${code}): ${stderr}`)));
  });
  child.kill('SIGKILL');
  await exited;
  return { id };
}
