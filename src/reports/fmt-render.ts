// The Foreign Military Training report in the format asked for, with its content type and a file name: what a command, a route or a job hands on.
import type { FmtReport } from '../core/reports/fmt-report.js';
import { REPORT_FORMATS, type ReportFormat } from './document-render.js';
import { renderFmtCsv } from './fmt-csv.js';
import { renderFmtHtml } from './fmt-html.js';
import { renderFmtPdf } from './fmt-pdf.js';
import { renderFmtXlsx } from './fmt-xlsx.js';

/** The formats of every report (document-render.ts): the FMT report is made in each of them. */
export const FMT_FORMATS = REPORT_FORMATS;
export type FmtFormat = ReportFormat;

export function isFmtFormat(text: string): text is FmtFormat {
  return (FMT_FORMATS as readonly string[]).includes(text);
}

/** A rendered report: its bytes, and its text too when the format is text. */
export interface RenderedFmt {
  readonly format: FmtFormat;
  readonly contentType: string;
  readonly fileName: string;
  readonly bytes: Buffer;
  /** The text of a text format (json, html, csv); null for xlsx and pdf. */
  readonly text: string | null;
}

const CONTENT_TYPES: Readonly<Record<FmtFormat, string>> = {
  json: 'application/json',
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** `fmt-report-2020.pdf`, or `fmt-report-2020-PAK.pdf` for a copy limited to Pakistan. */
export function fmtFileName(report: FmtReport, format: FmtFormat): string {
  const scope = report.scope === null ? '' : `-${report.scope.join('-') || 'none'}`;
  return `fmt-report-${report.year}${scope}.${format}`;
}

/** The report in `format`. JSON is the calculation itself, as the API returns it. */
export async function renderFmt(report: FmtReport, format: FmtFormat): Promise<RenderedFmt> {
  const text = textOf(report, format);
  const bytes =
    text !== null
      ? Buffer.from(text, 'utf8')
      : format === 'xlsx'
        ? await renderFmtXlsx(report)
        : await renderFmtPdf(report);
  return {
    format,
    contentType: CONTENT_TYPES[format],
    fileName: fmtFileName(report, format),
    bytes,
    text,
  };
}

function textOf(report: FmtReport, format: FmtFormat): string | null {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'html':
      return renderFmtHtml(report);
    case 'csv':
      return renderFmtCsv(report);
    case 'xlsx':
    case 'pdf':
      return null;
  }
}
