// The reports as files: each answered at once (GET /reports/…), or made as a job for a large one
// (POST /reports); and the committee requests that bring a country into the FMT report.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Result } from '../core/result.js';
import type { AppContext } from '../services/context.js';
import { submitJob } from '../services/jobs/job.service.js';
import {
  listCommitteeRequests,
  recordCommitteeRequest,
} from '../services/reports/committee-request.service.js';
import { problems, responseHeaders } from './contract.js';
import { instant, isoDate } from './fields.js';
import { actorOf, writers, written } from './http.js';
import { FiscalYearInput, IsoDateInput } from './input.schemas.js';
import { JobSchema, RESULT_MEDIA_TYPES, sendAccepted } from './job.routes.js';
import { sendResult } from './reply.js';
import { REPORTS, ReportRequestSchema, makeReport, type ReportFile } from './report-requests.js';
import { REPORT_JOB } from './report-jobs.js';

const FormatQuery = z
  .enum(['json', 'html', 'csv', 'xlsx', 'pdf'])
  .optional()
  .meta({ description: 'json (default), html, csv, xlsx or pdf', example: 'pdf' });

const CountryParam = z.object({
  country: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'an ISO 3166-1 alpha-3 code, e.g. PAK')
    .meta({ description: 'ISO 3166-1 alpha-3 country code', example: 'PAK' }),
});

const FileSchema = z
  .custom<Buffer>((value) => Buffer.isBuffer(value))
  .meta({ type: 'string', format: 'binary', description: 'the report file' });

/** A report's 200: the file in the format asked, JSON being the calculation itself. */
const REPORT_FILE = {
  200: {
    description: 'the report, as a file of the format asked (named in Content-Disposition)',
    content: Object.fromEntries(
      RESULT_MEDIA_TYPES.filter((t) => t !== 'application/octet-stream').map((type) => [
        type,
        {
          schema:
            type === 'application/json'
              ? z.unknown().meta({ description: 'the report as JSON' })
              : FileSchema,
        },
      ]),
    ),
  },
};

const SCOPE = `Who: anyone signed in; each reads the record within their scope (an SCO their countries, an IMSO their schools), and the file's as-of line says so.`;

const CommitteeRequestSchema = z
  .object({
    id: z.string(),
    country: z.string().meta({ example: 'DEU' }),
    countryName: z.string().meta({ example: 'Germany' }),
    committee: z.string().meta({ example: 'Senate Committee on Foreign Relations' }),
    requestedOn: isoDate('the day the committee asked'),
    source: z.string().nullable(),
    recordedAt: instant(),
    recordedBy: z.string(),
    reportYear: z.number().int().meta({ description: 'the report year the request counts for' }),
    deadline: isoDate("that report's deadline for requests: 90 days before 31 January"),
    exemption: z.string().nullable().meta({
      description:
        'why the statute would leave the country out of that report (NATO, Australia, Japan, New Zealand); null: it is in anyway',
    }),
  })
  .meta({ id: 'CommitteeRequest' });

function sendReport(reply: FastifyReply, made: Result<ReportFile>): FastifyReply {
  if (!made.ok) return sendResult<never>(reply, made);
  const name = made.value.fileName.replace(/["\\\r\n]/g, '_');
  return reply
    .type(made.value.contentType)
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(made.value.bytes);
}

export function reportRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/reports/fmt',
      {
        schema: {
          operationId: 'getFmtReport',
          tags: ['reports'],
          summary: 'The Foreign Military Training report of a year',
          description: `The report to Congress of 22 USC 2416 for report year \`year\`: the training of FY year-1 (actual) and FY year (planned) by country and program (sessions, individual students, courses, dollar value), every activity (course, purpose, location, students and their units), and the countries left out (NATO members, Australia, Japan, New Zealand without a timely committee request). JSON is the calculation itself; HTML, CSV, XLSX and PDF carry the same numbers. For a whole year, POST /reports makes it as a job. Program managers, analysts and admins read it whole; an SCO the part of their countries; an IMSO is refused (it counts whole countries). Refusals: 400 INPUT.INVALID naming \`year\` or \`format\`; 403 REPORT.OUT_OF_SCOPE.`,
          querystring: z.object({ year: FiscalYearInput, format: FormatQuery }),
          response: { ...REPORT_FILE, ...problems(403) },
          ...responseHeaders({ 200: ['Content-Disposition'] }),
        },
      },
      async (request, reply) =>
        sendReport(
          reply,
          await makeReport(ctx, actorOf(request), {
            report: 'fmt',
            year: request.query.year,
            format: request.query.format ?? 'json',
          }),
        ),
    );
    app.get(
      '/reports/impact',
      {
        schema: {
          operationId: 'getImpactReport',
          tags: ['reports'],
          summary: 'What a restriction or a relief did to seats',
          description: `Seats, students and money by course and status that a restriction (\`restriction\`) or a relief (\`relief\`) cancelled, held, flagged or released; one of the two. ${SCOPE} Refusals: 400 INPUT.INVALID naming \`restriction\` (neither or both given) or \`format\`; 404 RESTRICTION.NOT_FOUND, RELIEF.NOT_FOUND.`,
          querystring: z.object({
            restriction: z.string().min(1).max(100).optional(),
            relief: z.string().min(1).max(100).optional(),
            format: FormatQuery,
          }),
          response: { ...REPORT_FILE, ...problems(404) },
          ...responseHeaders({ 200: ['Content-Disposition'] }),
        },
      },
      async (request, reply) =>
        sendReport(
          reply,
          await makeReport(ctx, actorOf(request), {
            report: 'impact',
            restriction: request.query.restriction,
            relief: request.query.relief,
            format: request.query.format ?? 'json',
          }),
        ),
    );
    app.get(
      '/reports/timeline/:country',
      {
        schema: {
          operationId: 'getTimelineReport',
          tags: ['reports'],
          summary: "A country's timeline, with its chart",
          description: `The country's restrictions, reliefs, congressional notifications and allocations over time (from \`from\` to \`to\`, default the whole record), with a chart in HTML and PDF. ${SCOPE} Refusals: 400 INPUT.INVALID naming \`country\`, \`from\`, \`to\` or \`format\`; 404 COUNTRY.NOT_FOUND.`,
          params: CountryParam,
          querystring: z.object({
            from: IsoDateInput.optional(),
            to: IsoDateInput.optional(),
            format: FormatQuery,
          }),
          response: { ...REPORT_FILE, ...problems(404) },
          ...responseHeaders({ 200: ['Content-Disposition'] }),
        },
      },
      async (request, reply) =>
        sendReport(
          reply,
          await makeReport(ctx, actorOf(request), {
            report: 'timeline',
            country: request.params.country.toUpperCase(),
            from: request.query.from,
            to: request.query.to,
            format: request.query.format ?? 'json',
          }),
        ),
    );
    app.get(
      '/reports/records/:country',
      {
        schema: {
          operationId: 'getRecordsReport',
          tags: ['reports'],
          summary: "A country's participant records (22 USC 2347g)",
          description: `The 2347g fields of the country's participants (type of instruction, dates, completion, last position, findings), of one \`unit\` or of all; a list of names is asked with POST /reports. Only participants the caller sees (an SCO of another country gets an empty export); the export is entered in the audit log. ${SCOPE} Refusals: 400 INPUT.INVALID naming \`country\`, \`unit\` or \`format\`; 404 COUNTRY.NOT_FOUND.`,
          params: CountryParam,
          querystring: z.object({
            unit: z.string().min(1).max(200).optional(),
            format: FormatQuery,
          }),
          response: { ...REPORT_FILE, ...problems(404) },
          ...responseHeaders({ 200: ['Content-Disposition'] }),
        },
      },
      async (request, reply) =>
        sendReport(
          reply,
          await makeReport(ctx, actorOf(request), {
            report: 'records',
            country: request.params.country.toUpperCase(),
            unit: request.query.unit,
            format: request.query.format ?? 'json',
          }),
        ),
    );
    app.get(
      '/reports/prominence/:country',
      {
        schema: {
          operationId: 'getProminenceReport',
          tags: ['reports'],
          summary: "A country's positions of prominence",
          description: `The country's participants who hold or held a position of prominence, with the position and its dates. ${SCOPE} Refusals: 400 INPUT.INVALID naming \`country\` or \`format\`; 404 COUNTRY.NOT_FOUND.`,
          params: CountryParam,
          querystring: z.object({ format: FormatQuery }),
          response: { ...REPORT_FILE, ...problems(404) },
          ...responseHeaders({ 200: ['Content-Disposition'] }),
        },
      },
      async (request, reply) =>
        sendReport(
          reply,
          await makeReport(ctx, actorOf(request), {
            report: 'prominence',
            country: request.params.country.toUpperCase(),
            format: request.query.format ?? 'json',
          }),
        ),
    );
    app.post(
      '/reports',
      {
        schema: {
          operationId: 'startReport',
          tags: ['reports', 'jobs'],
          summary: 'Make a report as a job',
          description: `Any of the reports (\`report\`: ${REPORTS.join(', ')}) with its parameters and a format, made in the background: answers 202 at once with the job (Location: /jobs/{id}); its result is the file. The job reads the record as the caller, within their scope, as the GET route would. Refusals: 400 INPUT.INVALID naming the field; 503 JOBS.NOT_RUNNING (this server runs no jobs). A refusal met when it runs (a restriction not found, a role the report refuses) fails the job, named in its outcome.`,
          body: ReportRequestSchema,
          response: { 202: JobSchema, ...problems(503) },
          ...responseHeaders({ 202: ['Location'] }),
        },
      },
      async (request, reply) =>
        sendAccepted(reply, await submitJob(ctx, actorOf(request), REPORT_JOB, request.body)),
    );
    app.get(
      '/reports/fmt/requests',
      {
        schema: {
          operationId: 'listCommitteeRequests',
          tags: ['reports'],
          summary: 'Committee requests for the FMT report',
          description: `The requests of the appropriate congressional committees (22 USC 2416(e)) to include a country the report would leave out, oldest first, each with the report year it counts for and that report's deadline. ${SCOPE}`,
          response: {
            200: z.object({ items: z.array(CommitteeRequestSchema) }),
          },
        },
      },
      async (request, reply) => {
        const listed = await listCommitteeRequests(ctx, actorOf(request));
        return sendResult(reply, listed.ok ? { ok: true, value: { items: listed.value } } : listed);
      },
    );
    app.post(
      '/reports/fmt/requests',
      {
        schema: {
          operationId: 'recordCommitteeRequest',
          tags: ['reports'],
          summary: 'Record a committee request for the FMT report',
          description: `A committee's request (\`committee\`: its code, e.g. SFRC, or full name) of \`requestedOn\` to include \`country\` in the Foreign Military Training report: it counts for the first report whose deadline (90 days before 31 January) it meets. Who: ${writers('restrictions.write')}. Refusals: 400 INPUT.INVALID naming \`country\`, \`committee\`, \`requestedOn\` (not a date, or in the future) or \`source\`; 403 ACCESS.FORBIDDEN; 404 COUNTRY.NOT_FOUND; 409 DB.DUPLICATE (the same request recorded already).`,
          body: z
            .object({
              country: CountryParam.shape.country,
              committee: z.string().min(1).max(200).meta({ example: 'SFRC' }),
              requestedOn: IsoDateInput,
              source: z.string().max(2000).optional(),
            })
            .meta({
              example: { country: 'DEU', committee: 'SFRC', requestedOn: '2019-10-15' },
            }),
          response: { 201: CommitteeRequestSchema, ...problems(403, 404, 409) },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) => recordCommitteeRequest(ctx, actor, request.body)),
    );
  };
}
