// A report document as one CSV file (RFC 4180, CRLF): the title and as-of line, then each section
// as its heading, a header row, its rows and its totals, with a blank line between sections.
// Numbers are plain numbers (money in dollars, "(USD)" in the header) so a spreadsheet sums them.
import {
  dateText,
  isDateCell,
  type Cell,
  type ReportColumn,
  type ReportDocument,
} from '../core/reports/report-document.js';
import { dollars } from './document-cells.js';

/** A field quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvValue(cell: Cell, column: ReportColumn): string {
  if (cell === null) return '';
  if (isDateCell(cell)) return dateText(cell);
  if (typeof cell === 'number')
    return column.kind === 'money' ? dollars(cell).toFixed(2) : String(cell);
  return cell;
}

/** A money column's header names its unit, since the values carry none. */
export function csvHeader(column: ReportColumn): string {
  return column.kind === 'money' ? `${column.header} (USD)` : column.header;
}

/** The document as CSV text. */
export function renderDocumentCsv(doc: ReportDocument): string {
  const lines: string[][] = [[doc.title], [doc.subtitle]];
  for (const section of doc.sections) {
    const row = (cells: readonly Cell[]) => cells.map((c, i) => csvValue(c, section.columns[i]!));
    lines.push([], [section.heading], section.columns.map(csvHeader));
    for (const cells of section.rows) lines.push(row(cells));
    if (section.totals !== undefined) lines.push(row(section.totals));
  }
  return lines.map((cells) => cells.map(field).join(',')).join('\r\n') + '\r\n';
}
