// Files in and out: imports as jobs (budget tables, courses, students, allocations, training
// lines), the runs they left, a template per entity, and exports importable back.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ENTITY_KINDS } from '../core/imports/entity-columns.js';
import { BUDGET_STAGES, IMPORT_KINDS } from '../core/imports/vocabulary.js';
import type { Result } from '../core/result.js';
import type { AppContext } from '../services/context.js';
import {
  entityTemplate,
  exportEntities,
  type ExportedFile,
} from '../services/imports/entity-import.service.js';
import { MAX_IMPORT_BYTES, MAX_IMPORT_FILES } from '../services/imports/import-jobs.js';
import { listImportRuns } from '../services/imports/import-runs.service.js';
import { TABLE_FORMATS } from '../services/imports/tabular-file.js';
import { submitJob } from '../services/jobs/job.service.js';
import { problems, responseHeaders } from './contract.js';
import { instant, oneOfValues } from './fields.js';
import { actorOf, writers } from './http.js';
import { FiscalYearInput } from './input.schemas.js';
import { JobSchema, sendAccepted } from './job.routes.js';
import { sendResult } from './reply.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const FileSchema = z
  .custom<Buffer>((value) => Buffer.isBuffer(value))
  .meta({ type: 'string', format: 'binary', description: 'the file' });

const TABLE_FILE = {
  200: {
    description: 'the file, CSV or XLSX, named in Content-Disposition',
    content: { 'text/csv': { schema: FileSchema }, [XLSX]: { schema: FileSchema } },
  },
};

const TableFormatQuery = z
  .enum(TABLE_FORMATS)
  .optional()
  .meta({ description: 'csv (default) or xlsx', example: 'xlsx' });

const ImportBody = z
  .object({
    files: z
      .array(
        z.object({
          name: z.string().min(1).max(255).meta({ example: 'fy2017.csv' }),
          content: z
            .string()
            .meta({ description: "the file's bytes in base64", example: 'Q291bnRyeSwuLi4=' }),
        }),
      )
      .min(1)
      .max(MAX_IMPORT_FILES)
      .meta({
        description: `the files: any number of budget tables (one per FY), or one file of another kind; at most ${MAX_IMPORT_BYTES} bytes in all`,
      }),
    stage: z.enum(BUDGET_STAGES).optional().meta({
      description:
        'budget tables only: the stage of the figures (request, estimate, enacted); only an enacted table becomes allocations in force. Absent: unstated',
    }),
    dryRun: z.boolean().optional().meta({
      description:
        'check and apply everything, then roll it all back: the summary of what the import would do, nothing kept',
    }),
  })
  .meta({
    example: { files: [{ name: 'courses.csv', content: 'aWQsdGl0bGUsLi4u' }], dryRun: true },
  });

const ImportRunSchema = z
  .object({
    id: z.string(),
    kind: oneOfValues(IMPORT_KINDS),
    fileName: z.string(),
    sha256: z.string().meta({ description: "the file's SHA-256, lowercase hex" }),
    budgetStage: z.enum(BUDGET_STAGES).nullable(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    notes: z.array(z.string()).readonly(),
    recordedAt: instant(),
    recordedBy: z.string(),
  })
  .meta({ id: 'ImportRun' });

const WHO_IMPORTS = `Who: budget tables and allocations ${writers('allocations.write')}; courses ${writers('catalog.write')}; students ${writers('students.write')}; training lines ${writers('training.write')}.`;

function sendFile(reply: FastifyReply, made: Result<ExportedFile>): FastifyReply {
  if (!made.ok) return sendResult<never>(reply, made);
  return reply
    .type(made.value.contentType)
    .header('content-disposition', `attachment; filename="${made.value.fileName}"`)
    .header('cache-control', 'no-store')
    .send(Buffer.from(made.value.bytes));
}

export function importRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post(
      '/imports/:kind',
      {
        schema: {
          operationId: 'startImport',
          tags: ['imports', 'jobs'],
          summary: 'Import files as a job',
          description: `Imports \`files\` of \`kind\` (budget: State Department country-by-account tables; courses, students, allocations or lines: CSV or XLSX with the template's columns) in the background, all or nothing, as \`attache import\` does: answers 202 at once with the job (Location: /jobs/{id}), whose progress counts what is done and whose outcome is the summary (created, updated, unchanged; for budget tables each account's reconciliation) or the refusal listing every bad cell by row and column (\`details.errors\`). \`dryRun\` says what it would do and keeps nothing. Each import run names the file and its sha256 in the audit log; a file that changes nothing writes nothing. ${WHO_IMPORTS} Refusals: 400 INPUT.INVALID naming the field (\`files.0.content\` not base64, \`stage\` for a kind that has none, more than one file of an entity); 403 ACCESS.FORBIDDEN; 413 BODY.TOO_LARGE; 503 JOBS.NOT_RUNNING.`,
          params: z.object({ kind: oneOfValues(IMPORT_KINDS, 'what the files hold') }),
          body: ImportBody,
          response: { 202: JobSchema, ...problems(403, 503) },
          ...responseHeaders({ 202: ['Location'] }),
        },
        // Base64 takes four bytes for three.
        bodyLimit: Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 64 * 1024,
      },
      async (request, reply) =>
        sendAccepted(
          reply,
          await submitJob(ctx, actorOf(request), `import.${request.params.kind}`, request.body),
        ),
    );
    app.get(
      '/imports',
      {
        schema: {
          operationId: 'listImportRuns',
          tags: ['imports'],
          summary: 'Files imported',
          description: `The import runs, newest first (at most \`limit\`, default 100): each file's name, sha256, budget stage and what it did. A reader sees the runs of the kinds they may import, or all when they may read the audit log; an SCO only their own. Refusals: 400 INPUT.INVALID naming \`kind\` or \`limit\`; 403 ACCESS.FORBIDDEN (a kind the caller may not import).`,
          querystring: z.object({
            kind: oneOfValues(IMPORT_KINDS).optional(),
            limit: z
              .string()
              .regex(/^\d{1,3}$/, 'a whole number from 1 to 500')
              .transform(Number)
              .refine((n) => n >= 1 && n <= 500, 'a whole number from 1 to 500')
              .optional()
              .meta({ description: 'at most this many runs, 1–500', example: '20' }),
          }),
          response: { 200: z.object({ items: z.array(ImportRunSchema) }), ...problems(403) },
        },
      },
      async (request, reply) => {
        const runs = await listImportRuns(
          ctx,
          actorOf(request),
          request.query.kind,
          request.query.limit,
        );
        return sendResult(reply, runs.ok ? { ok: true, value: { items: runs.value } } : runs);
      },
    );
    app.get(
      '/imports/templates/:kind',
      {
        // The same file until this version changes: kept like a record's read.
        config: { kept: true },
        schema: {
          operationId: 'getImportTemplate',
          tags: ['imports'],
          summary: 'An empty file to fill in for an import',
          description: `The header row of \`kind\`'s import, with each column's meaning, whether it is required and its allowed values (\`#\` lines before a CSV header; a README sheet in XLSX). Imported as it is, it creates nothing. Who: anyone signed in. Refusals: 400 INPUT.INVALID naming \`kind\` or \`format\`.`,
          params: z.object({ kind: oneOfValues(ENTITY_KINDS) }),
          querystring: z.object({ format: TableFormatQuery }),
          response: TABLE_FILE,
          ...responseHeaders({ 200: ['Content-Disposition'] }),
        },
      },
      async (request, reply) =>
        sendFile(reply, {
          ok: true,
          value: await entityTemplate(request.params.kind, request.query.format ?? 'csv'),
        }),
    );
    app.get(
      '/exports/:kind',
      {
        // The record alone, as the caller sees it: kept until a write (a students export that is
        // audited is never kept: src/api/read-cache.ts).
        config: { kept: true },
        schema: {
          operationId: 'exportRecords',
          tags: ['imports'],
          summary: 'Export records in the import columns',
          description: `The \`kind\` records the caller sees (an SCO their countries'), optionally of one \`country\` and \`fy\`, as CSV or XLSX in the columns its import takes: imported back, every row is unchanged. Who: anyone signed in, within their scope. Refusals: 400 INPUT.INVALID naming \`kind\`, \`format\`, \`country\` or \`fy\`; 404 COUNTRY.NOT_FOUND.`,
          params: z.object({ kind: oneOfValues(ENTITY_KINDS) }),
          querystring: z.object({
            format: TableFormatQuery,
            country: z
              .string()
              .regex(/^[A-Za-z]{3}$/, 'an ISO 3166-1 alpha-3 code, e.g. PAK')
              .optional(),
            fy: FiscalYearInput.optional(),
          }),
          response: { ...TABLE_FILE, ...problems(404) },
          ...responseHeaders({ 200: ['Content-Disposition'] }),
        },
      },
      async (request, reply) =>
        sendFile(
          reply,
          await exportEntities(
            ctx,
            actorOf(request),
            request.params.kind,
            request.query.format ?? 'csv',
            {
              country: request.query.country?.toUpperCase(),
              fiscalYear: request.query.fy,
            },
          ),
        ),
    );
  };
}
