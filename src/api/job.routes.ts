// Jobs: a long report or import asked for with `?async=true` (or by a route that always queues)
// answers 202 with the job; its status, progress, outcome and result file are read here.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { JOB_STATUSES } from '../core/imports/vocabulary.js';
import type { Result } from '../core/result.js';
import type { AppContext } from '../services/context.js';
import {
  DEFAULT_JOB_PAGE,
  MAX_JOB_PAGE,
  getJob,
  getJobResult,
  listMyJobs,
  type JobView,
} from '../services/jobs/job.service.js';
import { problems, responseHeaders } from './contract.js';
import { instant, oneOfValues } from './fields.js';
import { actorOf } from './http.js';
import { OffsetInput, wholeNumberInput } from './input.schemas.js';
import { problemOf } from './problem.js';
import { sendResult } from './reply.js';

const WHO =
  'Who: anyone signed in, for the jobs they submitted (with a session or any of their tokens); an admin for any job. Another person’s job answers 404 JOB.NOT_FOUND, as one that does not exist.';

const JobProblem = z
  .object({
    status: z.number().int().meta({ description: 'the HTTP status the refusal would have had' }),
    code: z.string().meta({ example: 'IMPORT.ROWS_REFUSED' }),
    detail: z.string().meta({ description: 'what went wrong, for people' }),
    field: z.string().optional().meta({ description: 'the input field at fault, when one is' }),
    details: z.record(z.string(), z.unknown()).optional().meta({
      description: 'facts behind the refusal, e.g. the rows an import refused',
    }),
  })
  .meta({ description: 'why the job failed, as the problem its route would have answered' });

export const JobSchema = z
  .object({
    id: z.string().meta({ example: 'job_3f9a0c12ab45' }),
    kind: z.string().meta({ description: 'what the job does', example: 'audit.verify' }),
    status: oneOfValues(JOB_STATUSES, 'queued, running, then succeeded or failed'),
    input: z.unknown().meta({ description: 'what was asked (never a file’s contents)' }),
    progress: z.object({
      done: z.number().int().meta({ description: 'units done (rows, entries, files)' }),
      total: z.number().int().nullable().meta({ description: 'units in all; null until known' }),
      note: z.string().nullable().meta({ description: 'what it is doing, in words' }),
    }),
    result: z
      .object({
        href: z.string().meta({ example: '/api/v1/jobs/job_3f9a0c12ab45/result' }),
        fileName: z.string().meta({ example: 'attache-audit-verification-20261130T120000Z.json' }),
        contentType: z.string().meta({ example: 'application/json' }),
        bytes: z.number().int(),
      })
      .nullable()
      .meta({ description: 'the file it made, once it succeeded; null otherwise' }),
    outcome: z
      .object({
        summary: z.unknown().optional().meta({ description: 'what it did, when it succeeded' }),
        problem: JobProblem.optional(),
      })
      .nullable()
      .meta({ description: 'its summary or its problem; null until it ends' }),
    createdBy: z.string().meta({ example: 'user:auditor@demo.attache' }),
    createdAt: instant('when it was submitted'),
    startedAt: instant('when a worker started it (last, when started again)').nullable(),
    finishedAt: instant('when it ended').nullable(),
    starts: z.number().int().meta({
      description:
        'how many times it was started: a job is started again from the start, at most 3 times in all, when its server dies or stops under it (a job that writes ends with its write’s answer when that write had committed)',
      example: 1,
    }),
  })
  .meta({
    id: 'Job',
    example: {
      id: 'job_3f9a0c12ab45',
      kind: 'restriction.record',
      status: 'queued',
      input: { country: 'PAK', kind: 'policy', scope: ['security-assistance'], from: '2018-01-04' },
      progress: { done: 0, total: null, note: null },
      result: null,
      outcome: null,
      createdBy: 'user:pm@demo.attache',
      createdAt: '2026-11-30T12:00:00.000Z',
      startedAt: null,
      finishedAt: null,
      starts: 0,
    },
  });

const JobPageSchema = z
  .object({
    items: z.array(JobSchema).readonly(),
    total: z.number().int().meta({ description: 'the caller’s jobs, on every page' }),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .meta({ id: 'JobPage' });

const JobId = z.object({ id: z.string().meta({ example: 'job_3f9a0c12ab45' }) });

/** The file bytes: sent as they are, documented as binary of the job's content type. */
const FileSchema = z
  .custom<Buffer>((value) => Buffer.isBuffer(value))
  .meta({ type: 'string', format: 'binary', description: 'the file the job made' });

/** A JSON file: any JSON document, as the job wrote it. */
const JsonFileSchema = z.unknown().meta({ description: 'the JSON file the job made' });

/** The content types of the files jobs make (reports, exports, verifications). */
export const RESULT_MEDIA_TYPES = [
  'application/json',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/pdf',
  'text/html',
  'application/octet-stream',
] as const;

/** The job as the API shows it: its result as a link, its problem as problem fields. */
export function jobAnswer(job: JobView): z.infer<typeof JobSchema> {
  const problem = job.outcome?.problem;
  const shown = problem === undefined ? undefined : problemOf(problem);
  return {
    ...job,
    result: job.result === null ? null : { href: `/api/v1/jobs/${job.id}/result`, ...job.result },
    outcome:
      job.outcome === null
        ? null
        : shown === undefined
          ? { summary: job.outcome.summary }
          : {
              problem: {
                status: shown.status,
                code: shown.code,
                detail: shown.detail,
                ...(shown.field === undefined ? {} : { field: shown.field }),
                ...(shown.details === undefined ? {} : { details: { ...shown.details } }),
              },
            },
  };
}

/**
 * Answers a submitted job: 202 with its Location, or the refusal. A route that queues a job
 * documents `{ 202: JobSchema }` and `responseHeaders({ 202: ['Location'] })`.
 */
export function sendAccepted(reply: FastifyReply, submitted: Result<JobView>): FastifyReply {
  if (!submitted.ok) return sendResult<never>(reply, submitted);
  return reply
    .code(202)
    .header('location', `/api/v1/jobs/${submitted.value.id}`)
    .send(jobAnswer(submitted.value));
}

export function jobRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/jobs',
      {
        // Kept in memory until a job's row is written, here or on any server (decision 019).
        config: { kept: true, keptWith: 'jobs' },
        schema: {
          operationId: 'listJobs',
          tags: ['jobs'],
          summary: 'My jobs, newest first',
          description: `The jobs the caller submitted (reports and imports run in the background), newest first, each with its status, progress and outcome. Paged (\`limit\`, default ${DEFAULT_JOB_PAGE}, at most ${MAX_JOB_PAGE}; \`offset\`). Who: anyone signed in, for their own jobs (an admin too: another person's job is read by its id). Refusals: 400 INPUT.INVALID naming \`limit\` or \`offset\`.`,
          querystring: z.object({
            limit: wholeNumberInput({ min: 1, max: MAX_JOB_PAGE })
              .optional()
              .meta({
                description: `page size, 1–${MAX_JOB_PAGE} (default ${DEFAULT_JOB_PAGE})`,
                example: '20',
              }),
            offset: OffsetInput.optional(),
          }),
          response: { 200: JobPageSchema },
        },
      },
      async (request, reply) => {
        const { limit, offset } = request.query;
        const page = await listMyJobs(ctx, actorOf(request), {
          ...(limit === undefined ? {} : { limit }),
          ...(offset === undefined ? {} : { offset }),
        });
        if (!page.ok) return sendResult(reply, page);
        return { ...page.value, items: page.value.items.map(jobAnswer) };
      },
    );
    app.get(
      '/jobs/:id',
      {
        config: { kept: true, keptWith: 'jobs' },
        schema: {
          operationId: 'getJob',
          tags: ['jobs'],
          summary: 'A job: its status, progress and outcome',
          description: `Where a job stands: queued, running (with its progress: done of total, and what it is doing, updated a few times a second), succeeded (its summary, and a link to its file when it made one) or failed (the problem its route would have answered: a refusal, an internal error, or \`JOB.INTERRUPTED\` when it was cut off at each of its 3 starts: a job cut off by its server is queued again and run from the start, up to 3 starts, \`starts\` counting them; a report only reads, and an import that had committed its write ends with that write's answer, never writing twice). Poll it until \`finishedAt\` is set. ${WHO} Refusals: 404 JOB.NOT_FOUND.`,
          params: JobId,
          response: { 200: JobSchema, ...problems(404) },
        },
      },
      async (request, reply) => {
        const job = await getJob(ctx, actorOf(request), request.params.id);
        return job.ok ? jobAnswer(job.value) : sendResult(reply, job);
      },
    );
    app.get(
      '/jobs/:id/result',
      {
        // A succeeded job's file never changes (only a 200 is kept; a job not yet succeeded
        // answers 409): kept like a record's answer, whatever is written of jobs.
        config: { kept: true },
        schema: {
          operationId: 'getJobResult',
          tags: ['jobs'],
          summary: 'The file a job made',
          description: `The file a succeeded job made, with its content type, and its name in Content-Disposition (an attachment). ${WHO} Refusals: 404 JOB.NOT_FOUND, JOB.NO_RESULT_FILE (it succeeded without a file: its outcome holds all it did); 409 JOB.NOT_SUCCEEDED (it is queued, running or failed; \`details.status\` says which).`,
          params: JobId,
          response: {
            200: {
              description: 'the file, of the content type the job gave it',
              content: Object.fromEntries(
                RESULT_MEDIA_TYPES.map((type) => [
                  type,
                  { schema: type === 'application/json' ? JsonFileSchema : FileSchema },
                ]),
              ),
            },
            ...problems(404, 409),
          },
          ...responseHeaders({ 200: ['Content-Disposition'] }),
        },
      },
      async (request, reply) => {
        const file = await getJobResult(ctx, actorOf(request), request.params.id);
        if (!file.ok) return sendResult(reply, file);
        const name = file.value.fileName.replace(/["\\\r\n]/g, '_');
        return reply
          .type(file.value.contentType)
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'no-store')
          .send(file.value.bytes);
      },
    );
  };
}
