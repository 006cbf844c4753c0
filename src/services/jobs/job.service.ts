// Jobs for their readers: submit one (the handler's capability checked, the actor recorded), see
// its status and progress, list one's own, download the result. A job is seen by the person who
// submitted it and by admins; to anyone else it does not exist (decision 014).
import { can, forbidden } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import type { JobStatus } from '../../core/imports/vocabulary.js';
import { err, invalid, notFound, ok, type DomainError, type Result } from '../../core/result.js';
import {
  countJobsByStatus,
  findJob,
  listJobs,
  readJobResult,
  type JobRow,
} from '../../store/job.repository.js';
import type { AppContext } from '../context.js';
import { ownerOf } from './job-actor.js';
import { findJobHandler, jobKinds } from './job-kinds.js';
import { jobRunnerOf } from './job-runner.js';

export interface JobView {
  readonly id: string;
  readonly kind: string;
  readonly status: JobStatus;
  /** What was asked, as the kind describes it (never a file's contents). */
  readonly input: unknown;
  readonly progress: {
    readonly done: number;
    readonly total: number | null;
    readonly note: string | null;
  };
  /** The file it made, once it succeeded with one. */
  readonly result: {
    readonly fileName: string;
    readonly contentType: string;
    readonly bytes: number;
  } | null;
  /** What it did (`summary`), or why it failed (`problem`); null until it ends. */
  readonly outcome:
    | { readonly summary: unknown; readonly problem?: never }
    | { readonly problem: DomainError; readonly summary?: never }
    | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** How many times it was started: more than once when its server died or stopped under it. */
  readonly starts: number;
}

export const DEFAULT_JOB_PAGE = 50;
export const MAX_JOB_PAGE = 500;

/**
 * Submits a job of `kind` as `actor`: refused as the kind's own route would refuse it (its
 * capability, its input), then queued; it runs as `actor`. The answer is the job as queued.
 */
export async function submitJob(
  ctx: AppContext,
  actor: Actor,
  kind: string,
  input: unknown,
): Promise<Result<JobView>> {
  const handler = findJobHandler(kind);
  if (handler === undefined)
    return err(invalid('kind', `no kind of job ${kind}: one of ${jobKinds().join(', ')}`));
  if (handler.capability !== null && !can(actor, handler.capability))
    return err(forbidden(actor, handler.capability));
  const parsed = handler.parseInput(input);
  if (!parsed.ok) return parsed;
  const runner = jobRunnerOf(ctx.store);
  if (runner === undefined)
    return err({
      code: 'UNAVAILABLE',
      reason: 'JOBS.NOT_RUNNING',
      message:
        'this server runs no jobs: ask again without asking for a job, or of a server that runs them',
    });
  const id = ctx.newId('job');
  await runner.enqueue({
    id,
    kind,
    input: JSON.stringify(input ?? null),
    createdBy: actor.id,
    createdAt: ctx.clock(),
  });
  const row = await findJob(ctx.store.db, id);
  if (row === undefined) throw new Error(`job ${id} vanished once queued`);
  return ok(jobView(row));
}

/** A job the actor may see: theirs, or any for an admin. */
export async function getJob(ctx: AppContext, actor: Actor, id: string): Promise<Result<JobView>> {
  const row = await visibleJob(ctx, actor, id);
  return row.ok ? ok(jobView(row.value)) : row;
}

export interface JobPage {
  readonly items: readonly JobView[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** The actor's own jobs, newest first, a page at a time. */
export async function listMyJobs(
  ctx: AppContext,
  actor: Actor,
  page: { readonly limit?: number; readonly offset?: number } = {},
): Promise<Result<JobPage>> {
  const limit = page.limit ?? DEFAULT_JOB_PAGE;
  const offset = page.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_JOB_PAGE)
    return err(invalid('limit', `a page size from 1 to ${MAX_JOB_PAGE}`));
  if (!Number.isInteger(offset) || offset < 0)
    return err(invalid('offset', 'a whole number of jobs to skip, from 0'));
  const found = await listJobs(ctx.store.db, ownerOf(actor.id), { limit, offset });
  return ok({ items: found.rows.map(jobView), total: found.total, limit, offset });
}

export interface JobFile {
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** The file a job made: refused while it has not succeeded (409), absent when it made none. */
export async function getJobResult(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<Result<JobFile>> {
  const row = await visibleJob(ctx, actor, id);
  if (!row.ok) return row;
  if (row.value.status !== 'succeeded')
    return err({
      code: 'CONFLICT',
      reason: 'JOB.NOT_SUCCEEDED',
      message:
        row.value.status === 'failed'
          ? `job ${id} failed: it has no result (its outcome says why)`
          : `job ${id} is ${row.value.status}: its result is ready once it has succeeded`,
      details: { status: row.value.status },
    });
  const file = await readJobResult(ctx.store.db, id);
  if (file === undefined)
    return err({
      code: 'NOT_FOUND',
      reason: 'JOB.NO_RESULT_FILE',
      message: `job ${id} made no file: its outcome holds all it did`,
    });
  return ok(file);
}

async function visibleJob(ctx: AppContext, actor: Actor, id: string): Promise<Result<JobRow>> {
  const row = await findJob(ctx.store.db, id);
  const mine = row !== undefined && ownerOf(row.createdBy) === ownerOf(actor.id);
  if (row === undefined || !(mine || actor.role === 'admin')) return err(notFound('job', id));
  return ok(row);
}

function jobView(row: JobRow): JobView {
  const outcome =
    row.outcome === null ? null : (JSON.parse(row.outcome) as NonNullable<JobView['outcome']>);
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    input: describedInput(row),
    progress: { done: row.progressDone, total: row.progressTotal, note: row.progressNote },
    result:
      row.resultFileName === null || row.resultContentType === null || row.resultSize === null
        ? null
        : {
            fileName: row.resultFileName,
            contentType: row.resultContentType,
            bytes: row.resultSize,
          },
    outcome,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    starts: row.starts,
    finishedAt: row.finishedAt,
  };
}

function describedInput(row: JobRow): unknown {
  const input = JSON.parse(row.input) as unknown;
  const handler = findJobHandler(row.kind);
  if (handler?.describeInput === undefined) return input;
  const parsed = handler.parseInput(input);
  return parsed.ok ? handler.describeInput(parsed.value) : null;
}

/** How many jobs of every person are on record in each status (for metrics, not for a person). */
export async function jobCounts(ctx: AppContext): Promise<Map<string, number>> {
  return countJobsByStatus(ctx.store.db);
}
