// One job from queued to its end: claimed once, run as its submitter with its progress written to
// its row (at most every `progressEveryMs`), ended with its file and summary or its problem.
import { can, forbidden } from '../../core/access.js';
import type { ProgressListener } from '../../core/imports/import-report.js';
import { err, ok, type DomainError, type Result } from '../../core/result.js';
import {
  claimJob,
  findJob,
  findJobWrite,
  finishJob,
  saveJobProgress,
  type JobEnd,
  type JobLeases,
  type JobRow,
  type JobRun,
} from '../../store/job.repository.js';
import type { Store } from '../../store/database.js';
import type { AppContext } from '../context.js';
import { actorOfSubmitter } from './job-actor.js';
import type { JobOutput } from './job-handler.js';
import { findJobHandler } from './job-kinds.js';

/**
 * `write` of jobs' rows, counted for this process once it is over (committed or not): what keeps
 * job answers in memory learns at once of this process's own (src/api/read-cache.ts).
 */
export function jobWrite<T>(store: Store, write: Promise<T>): Promise<T> {
  return write.finally(() => {
    store.jobWrites.count += 1;
  });
}

/** What the runner tells the server's log (pino's signature, as Fastify's logger has it). */
export interface JobLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ExecutionSettings {
  readonly progressEveryMs: number;
  readonly log: JobLog;
}

/**
 * The job was not started: the database failed before it was claimed, so it is still queued and
 * its message may be handed out again.
 */
export class JobNotStarted extends Error {
  constructor(
    readonly id: string,
    cause: unknown,
  ) {
    super(`job ${id} was not started: the database failed before it was claimed`, { cause });
    this.name = 'JobNotStarted';
  }
}

/**
 * Runs the job if it is still queued. On PostgreSQL the lease is taken before the job is claimed
 * and held until its end is written, so a sweep never fails a job whose server is alive. Its
 * progress and end are written for this start only: a start whose lease was lost, and the job
 * queued again and started elsewhere, writes nothing over the one after it. Rejects with
 * JobNotStarted when the database fails before the claim.
 */
export async function runJob(
  ctx: AppContext,
  id: string,
  settings: ExecutionSettings,
  leases: JobLeases | undefined,
): Promise<void> {
  const db = ctx.store.db;
  const start = await beforeStart(id, async () => {
    const row = await findJob(db, id);
    if (row?.status !== 'queued') return undefined;
    const handler = findJobHandler(row.kind);
    if (handler === undefined) {
      await jobWrite(ctx.store, finishJob(db, id, failure(ctx, unknownKind(row.kind)), 'queued'));
      return undefined;
    }
    const lease = await leases?.hold(id);
    const release = async () => {
      if (lease !== undefined) await leases?.release(lease);
    };
    try {
      const claimed = await jobWrite(ctx.store, claimJob(db, id, ctx.clock()));
      if (claimed !== undefined) return { row, handler, run: { start: claimed }, release };
    } catch (error) {
      await release().catch(() => undefined);
      throw error;
    }
    await release();
    return undefined;
  });
  if (start === undefined) return;
  const { row, handler, run, release } = start;
  try {
    const progress = progressWriter(ctx, id, run, settings);
    let outcome: Result<JobOutput>;
    try {
      outcome = await resumed(ctx, row, () => work(ctx, row, handler, progress.listener));
    } catch (error) {
      settings.log.error({ err: error, job: id, kind: row.kind }, 'job failed');
      outcome = err({
        code: 'UNAVAILABLE',
        reason: 'JOB.CRASHED',
        message: 'the job failed on an internal error; the cause is in the server log',
      });
    }
    await progress.flush();
    const ended = await jobWrite(
      ctx.store,
      finishJob(
        db,
        id,
        outcome.ok ? success(ctx, outcome.value) : failure(ctx, outcome.error),
        run,
      ),
    );
    if (!ended)
      settings.log.info(
        { job: id, start: run.start },
        'job ended after it had been marked failed or queued again',
      );
  } finally {
    await release();
  }
}

async function beforeStart<T>(id: string, claim: () => Promise<T>): Promise<T> {
  try {
    return await claim();
  } catch (error) {
    throw new JobNotStarted(id, error);
  }
}

/**
 * The job's outcome: the answer its one write gave when that write committed on an earlier start
 * (WriteOptions.job), without running it again; otherwise `run`'s, and the committed answer again
 * when another start of the job committed meanwhile (JOB.WRITTEN). A job that writes nothing with
 * its id has no such answer and simply runs.
 */
async function resumed(
  ctx: AppContext,
  row: JobRow,
  run: () => Promise<Result<JobOutput>>,
): Promise<Result<JobOutput>> {
  const written = await findJobWrite(ctx.store.db, row.id);
  if (written !== undefined) return ok({ summary: JSON.parse(written) as unknown });
  const outcome = await run();
  if (outcome.ok || outcome.error.reason !== 'JOB.WRITTEN') return outcome;
  const answer = await findJobWrite(ctx.store.db, row.id);
  return answer === undefined ? outcome : ok({ summary: JSON.parse(answer) as unknown });
}

async function work(
  ctx: AppContext,
  row: JobRow,
  handler: NonNullable<ReturnType<typeof findJobHandler>>,
  progress: ProgressListener,
): Promise<Result<JobOutput>> {
  const actor = await actorOfSubmitter(ctx, row.createdBy);
  if (!actor.ok) return actor;
  if (handler.capability !== null && !can(actor.value, handler.capability))
    return err(forbidden(actor.value, handler.capability));
  const input = handler.parseInput(JSON.parse(row.input) as unknown);
  if (!input.ok) return input;
  return handler.run(ctx, actor.value, input.value, progress, { id: row.id });
}

/** A listener that keeps the latest progress and writes it at most every `progressEveryMs`. */
function progressWriter(ctx: AppContext, id: string, run: JobRun, settings: ExecutionSettings) {
  let latest: { done: number; total: number | null; note: string | null } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    timer = undefined;
    const progress = latest;
    latest = undefined;
    if (progress === undefined) return;
    lastWrite = Date.now();
    writing = writing
      .then(() => jobWrite(ctx.store, saveJobProgress(ctx.store.db, id, run, progress)))
      .catch((error: unknown) =>
        settings.log.error({ err: error, job: id }, 'job progress not saved'),
      );
  };
  const listener: ProgressListener = (done, total, note) => {
    latest = { done, total, note: note ?? null };
    timer ??= setTimeout(write, Math.max(0, lastWrite + settings.progressEveryMs - Date.now()));
  };
  return {
    listener,
    async flush() {
      if (timer !== undefined) {
        clearTimeout(timer);
        write();
      }
      await writing;
    },
  };
}

function success(ctx: AppContext, output: JobOutput): JobEnd {
  const file =
    output.bytes === undefined
      ? undefined
      : {
          fileName: output.fileName ?? 'result',
          contentType: output.contentType ?? 'application/octet-stream',
          bytes: Buffer.from(output.bytes),
        };
  return {
    status: 'succeeded',
    outcome: JSON.stringify({ summary: output.summary ?? null }),
    finishedAt: ctx.clock(),
    ...(file === undefined ? {} : { result: file }),
  };
}

function failure(ctx: AppContext, problem: DomainError): JobEnd {
  return { status: 'failed', outcome: JSON.stringify({ problem }), finishedAt: ctx.clock() };
}

/** The end of a job whose server stopped (or died) while it ran. */
export function interrupted(
  ctx: AppContext,
  why = 'the server running it stopped before it finished',
): JobEnd {
  return failure(ctx, {
    code: 'UNAVAILABLE',
    reason: 'JOB.INTERRUPTED',
    message: `${why}; it is not run again: what it wrote, if anything, was written whole in one transaction (an import's runs say whether), so look before submitting it again`,
  });
}

/** The end of a job that only reads, cut off by its server at each of its `starts`. */
export function interruptedTooOften(ctx: AppContext, starts: number): JobEnd {
  return failure(ctx, {
    code: 'UNAVAILABLE',
    reason: 'JOB.INTERRUPTED',
    message: `it was started ${starts} times and its server stopped before it finished each time; it only reads, so it may be submitted again`,
  });
}

function unknownKind(kind: string): DomainError {
  return {
    code: 'UNAVAILABLE',
    reason: 'JOB.UNKNOWN_KIND',
    message: `the server that took this job does not know jobs of kind ${kind}`,
  };
}
