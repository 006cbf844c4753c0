// Runs jobs: on PostgreSQL through pg-boss, N at a time per server, any server taking a job any
// other queued; on the embedded database in this process, one at a time. Either way the job's row
// says what it is doing: its progress (written at most every 250 ms), its result, its outcome.
import PgBoss from 'pg-boss';
import type { Store } from '../../store/database.js';
import {
  insertJob,
  insertJobEnqueued,
  jobIdsIn,
  openJobLeases,
  reclaimOrphanedJobs,
  settleCutOffJob,
  settleCutOffJobEnqueued,
  type ExecuteSql,
  type JobLeases,
  type JobRow,
  type NewJob,
  type Orphaned,
} from '../../store/job.repository.js';
import type { AppContext } from '../context.js';
import {
  interrupted,
  interruptedTooOften,
  JobNotStarted,
  jobWrite,
  runJob,
  type JobLog,
} from './job-execution.js';
import { findJobHandler } from './job-kinds.js';

export type { JobLog } from './job-execution.js';

/** The pg-boss queue every kind of job goes through: the job's row says what kind it is. */
const QUEUE = 'attache-jobs';

/**
 * A job's message is handed out again when the database failed before the job was started (it is
 * still queued), up to five times, 2 s after, then twice as long each time. Handed out again
 * otherwise (its worker died and the message expired), it finds its job no longer queued and does
 * nothing: a job runs from its row, claimed once a start, never from its message.
 */
const MESSAGE = { retryLimit: 5, retryDelay: 2, retryBackoff: true } as const;

export interface JobRunnerOptions {
  /** PostgreSQL: jobs this server runs at once (default 2); 0 submits jobs but runs none. */
  readonly workers?: number;
  /** Progress is written to the job's row at most this often (ms). */
  readonly progressEveryMs?: number;
  /** PostgreSQL: how often an idle worker looks for a job another server queued (seconds, ≥ 0.5). */
  readonly pollSeconds?: number;
  /** PostgreSQL: how often the jobs of servers that died are looked for (seconds). */
  readonly sweepSeconds?: number;
  /** How long stop() waits for running jobs before it marks them failed (ms). */
  readonly stopTimeoutMs?: number;
  readonly log?: JobLog;
}

export interface JobRunner {
  readonly backend: Store['backend'];
  /** Records the job as queued and sees that it runs (here or, on PostgreSQL, on any server). */
  enqueue(job: NewJob): Promise<void>;
  /** Stops taking jobs and waits for the running ones; those still running at the end are settled as fateOf says. */
  stop(): Promise<void>;
}

const runners = new WeakMap<Store, JobRunner>();

/** The runner started for this store in this process, if any. */
export function jobRunnerOf(store: Store): JobRunner | undefined {
  return runners.get(store);
}

const SILENT: JobLog = { info: () => undefined, error: () => undefined };

/** A job that may run again (see JobHandler.rerunnable) is started at most this many times. */
export const MOST_STARTS = 3;

/**
 * What becomes of a job cut off by its server's death or stop: a kind that writes nothing (a
 * report, a verification) or whose one write is recorded with the job (an import) runs again from
 * the start, up to MOST_STARTS starts; any other fails, JOB.INTERRUPTED, never run twice.
 */
function fateOf(ctx: AppContext, job: JobRow, why?: string): Orphaned {
  if (findJobHandler(job.kind)?.rerunnable !== true)
    return { requeue: false, end: interrupted(ctx, why) };
  if (job.starts < MOST_STARTS) return { requeue: true };
  return { requeue: false, end: interruptedTooOften(ctx, job.starts) };
}

/**
 * Starts running jobs for this store: first it deals with the jobs whose server died while running
 * them (queued again when their kind writes nothing, else failed: see fateOf), then it takes
 * queued ones.
 * One runner per store; stop it before closing the store.
 */
export async function startJobRunner(
  ctx: AppContext,
  options: JobRunnerOptions = {},
): Promise<JobRunner> {
  if (runners.has(ctx.store)) throw new Error('a job runner is already running on this store');
  const settings = {
    workers: options.workers ?? 2,
    progressEveryMs: options.progressEveryMs ?? 250,
    pollSeconds: Math.max(0.5, options.pollSeconds ?? 2),
    sweepSeconds: options.sweepSeconds ?? 30,
    stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
    log: options.log ?? SILENT,
  };
  const runner =
    ctx.store.pgPool === undefined
      ? await inProcessRunner(ctx, settings)
      : await queueRunner(ctx, ctx.store.pgPool, settings);
  runners.set(ctx.store, runner);
  return {
    backend: runner.backend,
    enqueue: (job) => runner.enqueue(job),
    async stop() {
      runners.delete(ctx.store);
      await runner.stop();
    },
  };
}

type Settings = Required<Omit<JobRunnerOptions, 'log'>> & { readonly log: JobLog };

/**
 * Runs a job; a failure of the database under it is logged (the sweep or next start settles it).
 * One before it was started is thrown again when `retried`: the queue hands its message out again.
 */
function runLogged(
  ctx: AppContext,
  id: string,
  settings: Settings,
  leases: JobLeases | undefined,
  retried = false,
): Promise<void> {
  return runJob(ctx, id, settings, leases).catch((error: unknown) => {
    if (retried && error instanceof JobNotStarted) {
      settings.log.error({ err: error, job: id }, 'job not started; it is handed out again');
      throw error;
    }
    settings.log.error({ err: error, job: id }, 'job not run to its end');
  });
}

/** The jobs this process is running, so that stop() can wait for them. */
class Running {
  private readonly jobs = new Map<string, Promise<void>>();
  track(id: string, run: Promise<void>): Promise<void> {
    const tracked = run.finally(() => this.jobs.delete(id));
    this.jobs.set(id, tracked);
    return tracked;
  }
  get size(): number {
    return this.jobs.size;
  }
  /** Waits up to `ms` for them; returns the ids still running. */
  async settle(ms: number): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([Promise.allSettled([...this.jobs.values()]), timeout]);
    clearTimeout(timer);
    return [...this.jobs.keys()];
  }
}

// ---- the embedded database: one process holds the data dir, jobs run here one at a time ----

async function inProcessRunner(ctx: AppContext, settings: Settings): Promise<JobRunner> {
  const db = ctx.store.db;
  // Whatever was running when this process last held the data dir died with it. Queued again,
  // a job is in the list read next: this process is the queue.
  const cutOff = (id: string, why?: string) =>
    jobWrite(
      ctx.store,
      settleCutOffJob(db, id, (job) => fateOf(ctx, job, why)),
    );
  for (const id of await jobIdsIn(db, 'running')) await cutOff(id);
  const waiting = await jobIdsIn(db, 'queued');
  const running = new Running();
  let stopping = false;
  let pumping: Promise<void> | undefined;
  const pump = () => {
    pumping ??= (async () => {
      for (let id = waiting.shift(); id !== undefined && !stopping; id = waiting.shift())
        await running.track(id, runLogged(ctx, id, settings, undefined));
    })().finally(() => (pumping = undefined));
  };
  pump();
  return {
    backend: 'pglite',
    async enqueue(job) {
      if (stopping) throw new Error('the job runner is stopping');
      await jobWrite(ctx.store, insertJob(db, job));
      waiting.push(job.id);
      pump();
    },
    async stop() {
      stopping = true;
      // Jobs cut off that may run again, and jobs still queued, stay queued: the next start runs them.
      for (const id of await running.settle(settings.stopTimeoutMs))
        await cutOff(id, 'the server stopped before it finished');
    },
  };
}

// ---- PostgreSQL: pg-boss hands each job to one worker of one server ----

async function queueRunner(
  ctx: AppContext,
  pool: NonNullable<Store['pgPool']>,
  settings: Settings,
): Promise<JobRunner> {
  const leases = openJobLeases(pool, {
    lost: (error, held) =>
      settings.log.error(
        { err: error, jobs: held },
        'the job leases lost their connection to the database',
      ),
    renewed: (retaken, taken) =>
      settings.log.info(
        { jobs: retaken, takenElsewhere: taken },
        'the job leases are held again on a new connection',
      ),
  });
  const boss = new PgBoss({
    db: { executeSql: (text, values) => pool.query(text, values) },
    schema: 'pgboss',
    // The jobs' rows are the record; pg-boss keeps only the dispatch, and not for long.
    deleteAfterDays: 7,
    schedule: false,
  });
  boss.on('error', (error) => settings.log.error({ err: error }, 'job queue error'));
  try {
    await boss.start();
    await boss.createQueue(QUEUE, { name: QUEUE, retryLimit: 0, expireInSeconds: 23 * 3600 });
  } catch (error) {
    await leases.close();
    throw error;
  }
  const send = async (id: string, executeSql: ExecuteSql) => {
    await boss.send(QUEUE, { jobId: id }, { ...MESSAGE, db: { executeSql } });
  };
  const sweep = async () => {
    const { requeued, failed } = await jobWrite(
      ctx.store,
      reclaimOrphanedJobs(ctx.store, (job) => fateOf(ctx, job), send),
    );
    if (requeued.length > 0)
      settings.log.info(
        { jobs: requeued },
        'jobs whose server stopped while running them queued again',
      );
    if (failed.length > 0)
      settings.log.info({ jobs: failed }, 'jobs whose server stopped while running them failed');
  };
  await sweep();
  const sweeper = setInterval(() => {
    sweep().catch((error: unknown) => settings.log.error({ err: error }, 'job sweep failed'));
  }, settings.sweepSeconds * 1000);
  sweeper.unref();
  const running = new Running();
  const workers: string[] = [];
  for (let i = 0; i < settings.workers; i++)
    workers.push(
      await boss.work<{ jobId: string }>(
        QUEUE,
        { batchSize: 1, pollingIntervalSeconds: settings.pollSeconds },
        async (taken) => {
          for (const job of taken)
            await running.track(
              job.data.jobId,
              runLogged(ctx, job.data.jobId, settings, leases, true),
            );
        },
      ),
    );
  let next = 0;
  let stopping = false;
  return {
    backend: 'postgres',
    async enqueue(job) {
      if (stopping) throw new Error('the job runner is stopping');
      await jobWrite(
        ctx.store,
        insertJobEnqueued(ctx.store, job, (executeSql) => send(job.id, executeSql)),
      );
      // Wake one of this server's workers now rather than at its next poll.
      const worker = workers[next++ % Math.max(1, workers.length)];
      if (worker !== undefined) boss.notifyWorker(worker);
    },
    async stop() {
      stopping = true;
      clearInterval(sweeper);
      await boss.offWork(QUEUE);
      // Queued again with its message (another server, or this one's next start, runs it) or
      // failed; its lease is still this server's, so no sweep elsewhere decides it meanwhile.
      for (const id of await running.settle(settings.stopTimeoutMs))
        await jobWrite(
          ctx.store,
          settleCutOffJobEnqueued(
            ctx.store,
            id,
            (job) => fateOf(ctx, job, 'the server stopped before it finished'),
            send,
          ),
        );
      await boss.stop({ graceful: true, close: false, wait: true, timeout: 1000 });
      await leases.close();
    },
  };
}
