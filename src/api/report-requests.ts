// Every report the API makes, asked the same way whether it is answered at once (GET /reports/…)
// or as a job (POST /reports): what was asked, read by one schema, then the service that reads the
// record within the caller's scope and the renderer of the format asked.
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import { invalid, err, ok, type Result } from '../core/result.js';
import { REPORT_FORMATS, renderDocument } from '../reports/document-render.js';
import { renderFmt } from '../reports/fmt-render.js';
import type { AppContext } from '../services/context.js';
import { FISCAL_YEAR_RANGE } from '../services/field-input.js';
import { fmtReport } from '../services/reports/fmt-report.service.js';
import {
  impactReport,
  prominenceReport,
  recordsReport,
  timelineReport,
} from '../services/reports/record-reports.service.js';
import { IsoDateInput } from './input.schemas.js';

export const REPORTS = ['fmt', 'impact', 'timeline', 'records', 'prominence'] as const;
export type ReportName = (typeof REPORTS)[number];

const Format = z.enum(REPORT_FORMATS).meta({
  description:
    'json (the calculation itself), html, csv, xlsx (a sheet per section) or pdf: the same numbers in each',
  example: 'pdf',
});

const Country = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'an ISO 3166-1 alpha-3 code, e.g. PAK')
  .transform((s) => s.toUpperCase())
  .meta({ description: 'ISO 3166-1 alpha-3 country code', example: 'PAK' });

const Id = (what: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .meta({ description: `the ${what}'s id`, example: 'rst_…' });

/** What a report is asked with: its name, its own parameters, and the format. */
export const ReportRequestSchema = z
  .discriminatedUnion('report', [
    z.object({
      report: z.literal('fmt').meta({
        description:
          'the Foreign Military Training report to Congress (22 USC 2416): FY year-1 actual, FY year planned',
      }),
      year: z
        .number()
        .int()
        .min(FISCAL_YEAR_RANGE.first)
        .max(FISCAL_YEAR_RANGE.last)
        .meta({ description: 'the report year', example: 2020 }),
      format: Format,
    }),
    z.object({
      report: z.literal('impact').meta({
        description:
          'what a restriction or a relief did: seats, students and money by course and status',
      }),
      restriction: Id('restriction').optional(),
      relief: Id('relief').optional(),
      format: Format,
    }),
    z.object({
      report: z.literal('timeline').meta({
        description:
          "a country's restrictions, reliefs, notifications and allocations over time, with a chart",
      }),
      country: Country,
      from: IsoDateInput.optional(),
      to: IsoDateInput.optional(),
      format: Format,
    }),
    z.object({
      report: z.literal('records').meta({
        description: "a country's 22 USC 2347g participant records (within the caller's scope)",
      }),
      country: Country,
      unit: z.string().min(1).max(200).optional().meta({ description: 'only this unit' }),
      names: z
        .array(z.string().min(1).max(200))
        .max(10_000)
        .optional()
        .meta({ description: 'only these names (any spelling)' }),
      format: Format,
    }),
    z.object({
      report: z.literal('prominence').meta({
        description: "a country's participants who hold or held a position of prominence",
      }),
      country: Country,
      format: Format,
    }),
  ])
  .meta({ example: { report: 'fmt', year: 2020, format: 'pdf' } });

export type ReportRequest = z.output<typeof ReportRequestSchema>;

/** A report as a file: what a route sends and a job keeps. */
export interface ReportFile {
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** Reads a request given as JSON (a job's input): the first problem names its field. */
export function parseReportRequest(input: unknown): Result<ReportRequest> {
  const parsed = ReportRequestSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? 'report' : issue.path.join('.');
  return err(invalid(field, issue?.message ?? 'not a report request'));
}

/** Makes the report asked, as `actor` sees the record. */
export async function makeReport(
  ctx: AppContext,
  actor: Actor,
  request: ReportRequest,
): Promise<Result<ReportFile>> {
  if (request.report === 'fmt') {
    const report = await fmtReport(ctx, actor, { year: request.year });
    if (!report.ok) return report;
    const rendered = await renderFmt(report.value, request.format);
    return ok({
      fileName: rendered.fileName,
      contentType: rendered.contentType,
      bytes: rendered.bytes,
    });
  }
  const doc = await documentOf(ctx, actor, request);
  if (!doc.ok) return doc;
  return ok(await renderDocument(doc.value, request.format));
}

function documentOf(
  ctx: AppContext,
  actor: Actor,
  request: Exclude<ReportRequest, { report: 'fmt' }>,
) {
  switch (request.report) {
    case 'impact':
      return impactReport(ctx, actor, { restriction: request.restriction, relief: request.relief });
    case 'timeline':
      return timelineReport(ctx, actor, {
        country: request.country,
        from: request.from,
        to: request.to,
      });
    case 'records':
      return recordsReport(ctx, actor, {
        country: request.country,
        unit: request.unit,
        names: request.names,
      });
    case 'prominence':
      return prominenceReport(ctx, actor, request.country);
  }
}
