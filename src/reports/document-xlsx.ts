// A report document as an XLSX workbook (exceljs): a cover sheet with the title and as-of line,
// then a sheet per section with a frozen header row, numbers as numbers (money in dollars with a
// currency format, dates as dates shown to their known precision) and a bold totals row.
import ExcelJS from 'exceljs';
import type { DateQuality } from '../core/restrictions.js';
import {
  dateText,
  isDateCell,
  type Cell,
  type ReportColumn,
  type ReportDocument,
} from '../core/reports/report-document.js';
import { displayText, dollars } from './document-cells.js';

const MONEY = '"$"#,##0.00';
const COUNT = '#,##0';
/** Formats that show a date as `dateText` does: never a day the record does not know. */
const DATE_FORMATS: Readonly<Record<DateQuality, string>> = {
  exact: 'yyyy-mm-dd',
  month: 'yyyy-mm" (month only)"',
  year: 'yyyy" (year only)"',
  approx: '"about "yyyy-mm-dd',
};
const SHADE: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EDF3' } };

/** Sheet names: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(heading: string, taken: Set<string>): string {
  const base =
    heading
      .replace(/[[\]:*?/\\]/g, ' ')
      .slice(0, 28)
      .trim() || 'Sheet';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n += 1) name = `${base} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

function setCell(target: ExcelJS.Cell, cell: Cell, column: ReportColumn): void {
  if (cell === null) return;
  if (isDateCell(cell)) {
    // A fiscal year (a year date on 1 October) has no number format: it is written as its text.
    if (cell.quality === 'year' && cell.date.endsWith('-10-01')) {
      target.value = dateText(cell);
      return;
    }
    target.value = new Date(`${cell.date}T00:00:00Z`);
    target.numFmt = DATE_FORMATS[cell.quality];
  } else if (typeof cell === 'number') {
    target.value = column.kind === 'money' ? dollars(cell) : cell;
    target.numFmt = column.kind === 'money' ? MONEY : COUNT;
  } else {
    target.value = cell;
  }
}

/** The document as XLSX bytes, dated by its as-of day so the same report gives the same content. */
export async function renderDocumentXlsx(doc: ReportDocument): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const asOf = new Date(`${doc.asOf}T00:00:00Z`);
  book.creator = 'Attaché';
  book.created = asOf;
  book.modified = asOf;
  book.title = doc.title;
  const taken = new Set<string>();
  const cover = book.addWorksheet(sheetName('Report', taken));
  cover.getColumn(1).width = 40;
  cover.getColumn(2).width = 16;
  cover.addRow([doc.title]).font = { bold: true, size: 14 };
  cover.addRow([doc.subtitle]);
  cover.addRow([]);
  cover.addRow(['Sheet', 'Rows']).font = { bold: true };
  for (const section of doc.sections) {
    const name = sheetName(section.heading, taken);
    cover.addRow([name, section.rows.length]);
    const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    const header = sheet.addRow(section.columns.map((c) => c.header));
    header.font = { bold: true };
    header.eachCell((c) => (c.fill = SHADE));
    const write = (cells: readonly Cell[]) => {
      const row = sheet.addRow([]);
      cells.forEach((cell, i) => setCell(row.getCell(i + 1), cell, section.columns[i]!));
      return row;
    };
    for (const cells of section.rows) write(cells);
    if (section.totals !== undefined) {
      const totals = write(section.totals);
      totals.font = { bold: true };
      totals.eachCell((c) => (c.fill = SHADE));
    }
    section.columns.forEach((column, i) => {
      const longest = Math.max(
        column.header.length,
        ...section.rows.map((r) => displayText(r[i] ?? null, column).length),
      );
      sheet.getColumn(i + 1).width = Math.min(Math.max(longest + 2, 8), 60);
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
