// One entry for every format of a report document, as a route or a command hands it out: the
// bytes, their content type and a file name.
import type { ReportDocument } from '../core/reports/report-document.js';
import { renderDocumentCsv } from './document-csv.js';
import { renderDocumentHtml } from './document-html.js';
import { renderDocumentPdf } from './document-pdf.js';
import { renderDocumentXlsx } from './document-xlsx.js';

export const REPORT_FORMATS = ['json', 'html', 'csv', 'xlsx', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedReport {
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly fileName: string;
}

const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** Whether a format's bytes are text a terminal can show. */
export function isTextFormat(format: ReportFormat): boolean {
  return format === 'json' || format === 'html' || format === 'csv';
}

async function bytesOf(doc: ReportDocument, format: ReportFormat): Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8');
    case 'html':
      return Buffer.from(renderDocumentHtml(doc), 'utf8');
    case 'csv':
      return Buffer.from(renderDocumentCsv(doc), 'utf8');
    case 'xlsx':
      return renderDocumentXlsx(doc);
    case 'pdf':
      return renderDocumentPdf(doc);
  }
}

/** The document in `format`, named after the report and the day it speaks for. */
export async function renderDocument(
  doc: ReportDocument,
  format: ReportFormat,
): Promise<RenderedReport> {
  return {
    bytes: await bytesOf(doc, format),
    contentType: CONTENT_TYPES[format],
    fileName: `${doc.fileStem}.${format}`,
  };
}
