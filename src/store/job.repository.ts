// Jobs: the rows that say what a long report or import is doing (queued, running, done), its
// progress and its result file; and, on PostgreSQL, the lease a running job holds while its
// process lives (decision 014).
import { and, count, desc, eq, like, or, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { JobStatus } from '../core/imports/vocabulary.js';
import type { Executor, Store } from './database.js';
import { queryRows } from './raw-sql.js';
import * as schema from './schema.js';
import { jobs, jobWrites } from './schema.js';

export interface JobRow {
  readonly id: string;
  readonly kind: string;
  readonly status: JobStatus;
  /** The input as JSON text. */
  readonly input: string;
  readonly progressDone: number;
  readonly progressTotal: number | null;
  readonly progressNote: string | null;
  readonly resultFileName: string | null;
  readonly resultContentType: string | null;
  /** The result file's size in bytes (its bytes are read only by readJobResult). */
  readonly resultSize: number | null;
  /** JSON text: `{ summary }` or `{ problem }`. */
  readonly outcome: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** How many times it was started. */
  readonly starts: number;
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

/** Every column but the result's bytes: a list of jobs never carries their files. */
const columns = {
  id: jobs.id,
  kind: jobs.kind,
  status: jobs.status,
  input: jobs.input,
  progressDone: jobs.progressDone,
  progressTotal: jobs.progressTotal,
  progressNote: jobs.progressNote,
  resultFileName: jobs.resultFileName,
  resultContentType: jobs.resultContentType,
  resultSize: sql<number | null>`octet_length(${jobs.resultBytes})`.mapWith((v: unknown) =>
    v === null ? null : Number(v),
  ),
  outcome: jobs.outcome,
  createdBy: jobs.createdBy,
  createdAt: jobs.createdAt,
  startedAt: jobs.startedAt,
  finishedAt: jobs.finishedAt,
  starts: jobs.starts,
};

function toRow(r: {
  [K in keyof JobRow]: K extends 'status' ? string : JobRow[K];
}): JobRow {
  return {
    ...r,
    status: r.status as JobStatus,
    createdAt: iso(r.createdAt)!,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
  };
}

export interface NewJob {
  readonly id: string;
  readonly kind: string;
  readonly input: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

export async function insertJob(db: Executor, job: NewJob): Promise<void> {
  await db.insert(jobs).values({ ...job, status: 'queued' });
}

/** A connection's query function, as pg-boss takes it to join our transaction. */
export type ExecuteSql = (text: string, values: unknown[]) => Promise<{ rows: unknown[] }>;

/**
 * Runs `work` in one transaction on a connection of the pool, handing it the connection both as
 * Drizzle and as the raw `executeSql` pg-boss takes, so a queue's message joins our rows.
 */
async function onOneConnection<T>(
  store: Store,
  work: (tx: Executor, executeSql: ExecuteSql) => Promise<T>,
): Promise<T> {
  if (store.pgPool === undefined) throw new Error('a job queue runs on PostgreSQL only');
  const client = await store.pgPool.connect();
  try {
    await client.query('begin');
    const value = await work(drizzlePg({ client, schema }), (text, values) =>
      client.query(text, values),
    );
    await client.query('commit');
    return value;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Inserts a queued job and, in the same PostgreSQL transaction, hands it to the queue through
 * `enqueue` (given the connection's query function): a job is in the queue if and only if its row
 * exists. PostgreSQL only.
 */
export async function insertJobEnqueued(
  store: Store,
  job: NewJob,
  enqueue: (executeSql: ExecuteSql) => Promise<void>,
): Promise<void> {
  await onOneConnection(store, async (tx, executeSql) => {
    await insertJob(tx, job);
    await enqueue(executeSql);
  });
}

export async function findJob(db: Executor, id: string): Promise<JobRow | undefined> {
  const [row] = await db.select(columns).from(jobs).where(eq(jobs.id, id));
  return row === undefined ? undefined : toRow(row);
}

/** Records `jobId`'s one write, in that write's transaction (a second one fails: its key). */
export async function recordJobWrite(
  tx: Executor,
  jobId: string,
  value: string,
  now: string,
): Promise<void> {
  await tx.insert(jobWrites).values({ jobId, value, recordedAt: now });
}

/** What `jobId`'s write answered (JSON text) when it committed; undefined when it never did. */
export async function findJobWrite(db: Executor, jobId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ value: jobWrites.value })
    .from(jobWrites)
    .where(eq(jobWrites.jobId, jobId));
  return row?.value;
}

/**
 * The jobs of one person (`owner`: an actor id such as `user:a@b.c`, which also matches the
 * jobs they submitted with a token, `user:a@b.c/token:…`), or of everyone (null); newest first.
 */
export async function listJobs(
  db: Executor,
  owner: string | null,
  page: { readonly limit: number; readonly offset: number },
): Promise<{ rows: JobRow[]; total: number }> {
  const where =
    owner === null
      ? undefined
      : or(eq(jobs.createdBy, owner), like(jobs.createdBy, `${escapeLike(owner)}/%`));
  const [rows, [counted]] = await Promise.all([
    db
      .select(columns)
      .from(jobs)
      .where(where)
      .orderBy(desc(jobs.createdAt), desc(jobs.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ n: count() }).from(jobs).where(where),
  ]);
  return { rows: rows.map(toRow), total: Number(counted?.n ?? 0) };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Ids of the jobs in a state, oldest first. */
/** How many jobs are on record in each status. */
export async function countJobsByStatus(db: Executor): Promise<Map<string, number>> {
  const rows = await db.select({ status: jobs.status, n: count() }).from(jobs).groupBy(jobs.status);
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

export async function jobIdsIn(db: Executor, status: JobStatus): Promise<string[]> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where(eq(jobs.status, status))
    .orderBy(jobs.createdAt, jobs.id);
  return rows.map((r) => r.id);
}

/**
 * Marks a queued job running: the number of this start (1 for its first), which its progress and
 * end are written under, or undefined when it is no longer queued.
 */
export async function claimJob(db: Executor, id: string, at: string): Promise<number | undefined> {
  const rows = await db
    .update(jobs)
    .set({ status: 'running', startedAt: at, starts: sql`${jobs.starts} + 1` })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'queued')))
    .returning({ starts: jobs.starts });
  return rows[0]?.starts;
}

/**
 * Which run of a job a write is for: the one still queued, any running one (a server settling a
 * job it holds the lease of), or the running one of a given start. A start cut off (its lease
 * lost, the job queued again and started elsewhere) writes nothing over the start after it.
 */
export type JobRun = 'queued' | 'running' | { readonly start: number };

const isRun = (run: JobRun) =>
  typeof run === 'string'
    ? eq(jobs.status, run)
    : and(eq(jobs.status, 'running'), eq(jobs.starts, run.start));

export async function saveJobProgress(
  db: Executor,
  id: string,
  run: JobRun,
  progress: { readonly done: number; readonly total: number | null; readonly note: string | null },
): Promise<void> {
  await db
    .update(jobs)
    .set({
      progressDone: progress.done,
      progressTotal: progress.total,
      progressNote: progress.note,
    })
    .where(and(eq(jobs.id, id), isRun(run)));
}

export interface JobEnd {
  readonly status: 'succeeded' | 'failed';
  readonly outcome: string;
  readonly finishedAt: string;
  readonly result?: {
    readonly fileName: string;
    readonly contentType: string;
    readonly bytes: Buffer;
  };
}

/**
 * Ends the `run` of a job (queued for a job refused before it started); false when that run is
 * over (marked failed meanwhile, or queued again: its end is not recorded over that).
 */
export async function finishJob(
  db: Executor,
  id: string,
  end: JobEnd,
  run: JobRun = 'running',
): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      status: end.status,
      outcome: end.outcome,
      finishedAt: end.finishedAt,
      ...(end.result === undefined
        ? {}
        : {
            resultFileName: end.result.fileName,
            resultContentType: end.result.contentType,
            resultBytes: end.result.bytes,
          }),
    })
    .where(and(eq(jobs.id, id), isRun(run)))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

export async function readJobResult(
  db: Executor,
  id: string,
): Promise<{ fileName: string; contentType: string; bytes: Buffer } | undefined> {
  const [row] = await db
    .select({
      fileName: jobs.resultFileName,
      contentType: jobs.resultContentType,
      bytes: jobs.resultBytes,
    })
    .from(jobs)
    .where(eq(jobs.id, id));
  if (row?.fileName == null || row.contentType === null || row.bytes === null) return undefined;
  return { fileName: row.fileName, contentType: row.contentType, bytes: row.bytes };
}

// ---- leases (PostgreSQL): a running job's process holds a session lock named after the job ----

/** The advisory lock key of a job: the process running it holds it for as long as it lives. */
const leaseKey = (id: string) => sql`hashtextextended(${`attache.job:${id}`}, 0)`;

/**
 * One connection holding the locks of the jobs this process runs; closing it releases them. Lost
 * (the database restarted, an administrator ended it), its jobs' locks go with it: another
 * connection is opened at once, and takes again the locks of the jobs still running here that no
 * other server took meanwhile (a job whose lock another took was queued again or failed by that
 * server's sweep: its start writes nothing more, see JobRun).
 */
export interface JobLeases {
  /** Takes job `id`'s lock, waiting for it: the lease, to release once the job's end is written. */
  hold(id: string): Promise<JobLease>;
  release(lease: JobLease): Promise<void>;
  close(): Promise<void>;
}

/**
 * One hold of a job's lock. A session's advisory locks are re-entrant, so two starts of one job in
 * this process (one cut off from its lock, one after) each release only their own hold.
 */
export type JobLease = number;

/** What the leases tell their server: the connection lost, and which locks were taken again. */
export interface JobLeaseEvents {
  /** The connection was lost with the locks of `held`. */
  lost(error: Error, held: readonly string[]): void;
  /** A new connection took again the locks of `retaken`; those of `taken` another server holds. */
  renewed(retaken: readonly string[], taken: readonly string[]): void;
}

/** The application name of the leases' connection, as pg_stat_activity shows it. */
export const JOB_LEASES_APPLICATION = 'attache job leases';

/** The leases' connection, lost, is opened again after this long, then twice as long each time. */
const RENEW_FIRST_MS = 50;
const RENEW_LAST_MS = 10_000;

export function openJobLeases(pool: pg.Pool, events: JobLeaseEvents): JobLeases {
  // The connection (none until the first hold, and none once lost until another is opened), the
  // holds it has (lease → job id), and those the lost one had, of jobs still running here, to be
  // taken again.
  let client: pg.PoolClient | undefined;
  let db: Executor | undefined;
  let leases = 0;
  const held = new Map<JobLease, string>();
  const lostHeld = new Map<JobLease, string>();
  let closed = false;
  const connection = async (): Promise<Executor> => {
    if (closed) throw new Error('the job leases are closed');
    if (db !== undefined) return db;
    const opened = await pool.connect();
    opened.on('error', (error) => {
      if (client !== opened) return;
      client = undefined;
      db = undefined;
      opened.release(error);
      for (const [lease, id] of held) lostHeld.set(lease, id);
      events.lost(error, [...held.values()]);
      if (held.size > 0) renew(RENEW_FIRST_MS);
      held.clear();
    });
    const opening = drizzlePg({ client: opened, schema }) as unknown as Executor;
    try {
      await opening.execute(
        sql`select set_config('application_name', ${JOB_LEASES_APPLICATION}, false)`,
      );
      const again = new Map<JobLease, string>();
      const taken: string[] = [];
      for (const [lease, id] of lostHeld) {
        const [row] = await queryRows<{ got: boolean }>(
          opening,
          sql`select pg_try_advisory_lock(${leaseKey(id)}) as got`,
        );
        if (row?.got === true) again.set(lease, id);
        else taken.push(id);
      }
      lostHeld.clear();
      for (const [lease, id] of again) held.set(lease, id);
      if (again.size + taken.length > 0) events.renewed([...again.values()], taken);
    } catch (error) {
      opened.release(error instanceof Error ? error : true);
      throw error;
    }
    client = opened;
    db = opening;
    return opening;
  };
  // One query at a time on the connection: holds and releases of concurrent jobs queue up.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work);
    chain = next.catch(() => undefined);
    return next;
  };
  // Lost with locks held, the connection is opened again at once (the locks of running jobs are
  // taken again before another server's sweep finds them free), and while the database cannot be
  // reached, again after twice as long each time.
  const renew = (delayMs: number) => {
    setTimeout(() => {
      if (closed || db !== undefined) return;
      serial(connection).catch(() => renew(Math.min(2 * delayMs, RENEW_LAST_MS)));
    }, delayMs).unref();
  };
  return {
    hold: (id) =>
      serial(async () => {
        const holding = await connection();
        await holding.execute(sql`select pg_advisory_lock(${leaseKey(id)})`);
        // Lost as the lock was granted (both in one read), the lock went with the connection.
        if (db !== holding) throw new Error('the job leases lost their connection');
        const lease = ++leases;
        held.set(lease, id);
        return lease;
      }),
    release: (lease) =>
      serial(async () => {
        // A lock the lost connection held went with it; only one this connection holds is freed.
        lostHeld.delete(lease);
        const id = held.get(lease);
        if (id === undefined || db === undefined) return;
        held.delete(lease);
        await db.execute(sql`select pg_advisory_unlock(${leaseKey(id)})`);
      }),
    async close() {
      closed = true;
      await chain;
      client?.release(true);
      client = undefined;
      db = undefined;
    },
  };
}

/** Puts a running job back in the queue, its progress cleared; false when it is not running. */
export async function requeueJob(db: Executor, id: string): Promise<boolean> {
  const rows = await db
    .update(jobs)
    .set({
      status: 'queued',
      startedAt: null,
      progressDone: 0,
      progressTotal: null,
      progressNote: null,
    })
    .where(and(eq(jobs.id, id), eq(jobs.status, 'running')))
    .returning({ id: jobs.id });
  return rows.length === 1;
}

/** What becomes of a job cut off by its server: queued again (and handed to the queue), or ended. */
export type Orphaned =
  { readonly requeue: true } | { readonly requeue: false; readonly end: JobEnd };

/** What was done with a job cut off; `none` when it was no longer running. */
export type CutOffOutcome = 'requeued' | 'failed' | 'none';

/**
 * Settles a running job cut off by its server, on `db`: queued again (then `enqueue` hands it to
 * the queue, in the same transaction when `db` is one) or ended, as `decide` says.
 */
export async function settleCutOffJob(
  db: Executor,
  id: string,
  decide: (job: JobRow) => Orphaned,
  enqueue: () => Promise<void> = () => Promise.resolve(),
): Promise<CutOffOutcome> {
  const job = await findJob(db, id);
  if (job?.status !== 'running') return 'none';
  const fate = decide(job);
  if (!fate.requeue) return (await finishJob(db, id, fate.end)) ? 'failed' : 'none';
  if (!(await requeueJob(db, id))) return 'none';
  await enqueue();
  return 'requeued';
}

/**
 * settleCutOffJob in one PostgreSQL transaction with its queue message, for a job whose lease this
 * process holds (a server stopping): queued again if and only if its message is sent.
 */
export async function settleCutOffJobEnqueued(
  store: Store,
  id: string,
  decide: (job: JobRow) => Orphaned,
  enqueue: (id: string, executeSql: ExecuteSql) => Promise<void>,
): Promise<CutOffOutcome> {
  return onOneConnection(store, (tx, executeSql) =>
    settleCutOffJob(tx, id, decide, () => enqueue(id, executeSql)),
  );
}

/**
 * The running jobs no living server holds the lease of (its process died: killed, or its
 * connection lost), each settled in its own transaction holding the lease while it does: queued
 * again with its message, or ended, as `decide` says. PostgreSQL only: the embedded database has
 * one process, which settles them all on start-up.
 */
export async function reclaimOrphanedJobs(
  store: Store,
  decide: (job: JobRow) => Orphaned,
  enqueue: (id: string, executeSql: ExecuteSql) => Promise<void>,
): Promise<{ requeued: string[]; failed: string[] }> {
  const reclaimed = { requeued: [] as string[], failed: [] as string[] };
  for (const id of await jobIdsIn(store.db, 'running')) {
    const outcome = await onOneConnection(store, async (tx, executeSql) => {
      const [free] = await queryRows<{ free: boolean }>(
        tx,
        sql`select pg_try_advisory_xact_lock(${leaseKey(id)}) as free`,
      );
      if (free?.free !== true) return 'none';
      return settleCutOffJob(tx, id, decide, () => enqueue(id, executeSql));
    });
    if (outcome !== 'none') reclaimed[outcome].push(id);
  }
  return reclaimed;
}
