// CSV and XLSX files of the program's entities: bytes to numbered rows (cells checked as text), rows to bytes.
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import {
  checkHeader,
  columnGuide,
  ENTITY_COLUMNS,
  IMPORT_LIMITS,
  SHEET_NAMES,
  type EntityKind,
  type SheetRow,
} from '../../core/imports/entity-columns.js';
import type { RowError } from '../../core/imports/import-report.js';
import { err, ok, type Result } from '../../core/result.js';
import { checkTextField } from '../text-input.js';
import type { ImportFile } from './import-file.js';

export const TABLE_FORMATS = ['csv', 'xlsx'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

/** The rows of a file under their header, each numbered as a spreadsheet shows it. */
export interface Table {
  readonly format: TableFormat;
  readonly headerRow: number;
  readonly rows: readonly SheetRow[];
}

/** A refusal of the whole file (or of one row), as the row errors of an import. */
export const fileError = (message: string, row = 1, column = '*'): RowError[] => [
  { row, column, message },
];

/** An XLSX file is a zip archive; anything else is read as CSV text. */
export function formatOf(file: ImportFile): TableFormat {
  const b = file.bytes;
  const zip = b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
  return zip || file.name.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
}

/**
 * Reads a file of `kind`: the first row that is not a `#` comment is the header (checked against
 * the kind's columns), every later row not wholly blank is a row. Refused, with the row and column:
 * a file over IMPORT_LIMITS, text that is not UTF-8, a broken CSV record, a row with more cells
 * than the header, a cell the database cannot store (NUL, lone surrogate) or too long.
 */
export async function readTable(
  file: ImportFile,
  kind: EntityKind,
): Promise<Result<Table, RowError[]>> {
  if (file.bytes.length > IMPORT_LIMITS.bytes)
    return err(
      fileError(
        `the file is ${file.bytes.length} bytes, over the limit of ${IMPORT_LIMITS.bytes}: split it`,
      ),
    );
  const format = formatOf(file);
  const records = format === 'xlsx' ? await xlsxRecords(file, kind) : csvRecords(file);
  if (!records.ok) return records;
  const table = tableOf(kind, records.value);
  return table.ok ? ok({ format, ...table.value }) : table;
}

/** A record of a file: its row number and its cells as text. */
export type NumberedRecord = readonly [row: number, cells: string[]];

/**
 * A CSV file's records, numbered from 1; refused when it is not UTF-8 (saying how to save it:
 * `saveAs`) or not readable as CSV.
 */
export function csvRecords(
  file: ImportFile,
  saveAs = 'CSV UTF-8 or XLSX',
): Result<NumberedRecord[], RowError[]> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch {
    return err(fileError(`the file is not UTF-8 text: save it as ${saveAs}`));
  }
  try {
    const records: string[][] = parse(text, { bom: true, relax_column_count: true });
    return ok(records.map((cells, i) => [i + 1, cells] as const));
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    return err(fileError(`not readable as CSV: ${e.message ?? String(error)}`, e.lines ?? 1));
  }
}

async function xlsxRecords(
  file: ImportFile,
  kind: EntityKind,
): Promise<Result<NumberedRecord[], RowError[]>> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(file.bytes) as unknown as ArrayBuffer);
  } catch (error) {
    return err(fileError(`not readable as XLSX: ${(error as Error).message}`));
  }
  const sheet = workbook.getWorksheet(SHEET_NAMES[kind]) ?? workbook.worksheets[0];
  if (sheet === undefined) return err(fileError('the workbook has no sheet'));
  if (sheet.actualRowCount > IMPORT_LIMITS.rows + 1)
    return err(tooManyRows(sheet.actualRowCount - 1));
  const records: NumberedRecord[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, colNumber) => {
      cells[colNumber - 1] = cellText(cell.value);
    });
    records.push([rowNumber, Array.from(cells, (c) => c ?? '')]);
  });
  return ok(records);
}

/** A spreadsheet cell as the text a CSV would hold: numbers plain, dates as YYYY-MM-DD. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    // A float that is whole cents (50430.5, 0.1 + 0.2) reads as those cents.
    const cents = Math.round(value * 100);
    return Math.abs(value * 100 - cents) < 1e-6 ? String(cents / 100) : String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value)
    return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return String(value);
}

/** The header and the rows under it, every cell checked as storable text of bounded length. */
function tableOf(
  kind: EntityKind,
  records: readonly NumberedRecord[],
): Result<Omit<Table, 'format'>, RowError[]> {
  const blank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');
  const headerAt = records.findIndex(
    ([, cells]) => !blank(cells) && !(cells[0] ?? '').trimStart().startsWith('#'),
  );
  if (headerAt === -1) return err(fileError('the file has no header row'));
  const [headerRow, headerCells] = records[headerAt]!;
  const header = headerCells.map((h) => h.trim());
  while (header.length > 0 && header[header.length - 1] === '') header.pop();
  const headerErrors = checkHeader(kind, header, headerRow);
  if (headerErrors.length > 0) return err(headerErrors);
  const body = records.slice(headerAt + 1).filter(([, cells]) => !blank(cells));
  if (body.length > IMPORT_LIMITS.rows) return err(tooManyRows(body.length));
  const errors: RowError[] = [];
  const rows: SheetRow[] = [];
  for (const [row, cells] of body) {
    const values: Record<string, string> = {};
    cells.forEach((raw, i) => {
      const column = header[i];
      if (column === undefined || column === '') {
        if (raw.trim() !== '')
          errors.push({
            row,
            column: `column ${i + 1}`,
            message: `a value under no header ("${raw.slice(0, 40)}")`,
          });
        return;
      }
      const checked = checkTextField(column, raw, IMPORT_LIMITS.cellCharacters);
      if (!checked.ok) errors.push({ row, column, message: checked.error.message });
      else values[column] = raw.trim();
    });
    rows.push({ row, cells: values });
  }
  return errors.length > 0 ? err(errors) : ok({ headerRow, rows });
}

function tooManyRows(count: number): RowError[] {
  return fileError(
    `the file has ${count} rows, over the limit of ${IMPORT_LIMITS.rows}: split it into several files`,
    IMPORT_LIMITS.rows + 2,
  );
}

/** A row to write: cells by column name, as text (numbers in XLSX are written as numbers). */
export type TableRow = Readonly<Record<string, string>>;

/**
 * A file of `kind` with the given rows under the kind's header. CSV: RFC 4180 (CRLF, fields with a
 * comma, quote or line break quoted, quotes doubled), UTF-8 without BOM; with `guide`, `#` comment
 * lines before the header describe each column. XLSX: the rows on a sheet named after the kind,
 * integers and dollars as numbers, and a README sheet describing each column.
 */
export async function writeTable(
  format: TableFormat,
  kind: EntityKind,
  rows: readonly TableRow[],
  { guide = false }: { readonly guide?: boolean } = {},
): Promise<Uint8Array> {
  const columns = ENTITY_COLUMNS[kind];
  if (format === 'csv') {
    const lines: string[] = [];
    if (guide)
      for (const [name, required, meaning, allowed] of columnGuide(kind).slice(1))
        lines.push(
          csvField(`# ${name}${required === 'yes' ? ' (required)' : ''}: ${meaning}; ${allowed}`),
        );
    lines.push(columns.map((c) => csvField(c.name)).join(','));
    for (const row of rows) lines.push(columns.map((c) => csvField(row[c.name] ?? '')).join(','));
    return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
  }
  const workbook = new ExcelJS.Workbook();
  // Fixed dates: the same rows give the same workbook.
  workbook.created = workbook.modified = new Date('2000-01-01T00:00:00Z');
  workbook.creator = 'Attaché';
  const sheet = workbook.addWorksheet(SHEET_NAMES[kind]);
  sheet.columns = columns.map((c) => ({
    header: c.name,
    key: c.name,
    width: Math.max(12, c.name.length + 2),
    ...(c.type === 'dollars' ? { style: { numFmt: '0.00' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const row of rows) {
    const values: Record<string, string | number> = {};
    for (const c of columns) {
      const text = row[c.name] ?? '';
      values[c.name] =
        text !== '' && (c.type === 'integer' || c.type === 'dollars') ? Number(text) : text;
    }
    sheet.addRow(values);
  }
  const readme = workbook.addWorksheet('README');
  readme.addRows(columnGuide(kind));
  readme.getRow(1).font = { bold: true };
  readme.columns.forEach((c, i) => (c.width = [20, 10, 60, 60][i] ?? 20));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** One CSV field, quoted when it holds a comma, a quote, a line break or edge spaces. */
function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
