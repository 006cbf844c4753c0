// The Foreign Military Training report as an XLSX workbook (exceljs): a sheet per section, numbers as numbers, totals checked.
//
// Totals rows are SUM formulas saved with their result, so a spreadsheet shows the figure at once
// and recomputes it if a reader edits a cell. Before writing, each result is checked against the
// calculation's own total: a workbook whose column does not add up to the report is never written.
// Course count is the one measure that is not a sum (a course taken under two programs counts
// once), so its totals cell is the calculation's figure, noted as such.
import ExcelJS from 'exceljs';
import type { FmtMeasures, FmtReport, FmtSummaryRow } from '../core/reports/fmt-report.js';
import {
  ACTIVITY_COLUMNS,
  FMT_TITLE,
  SUMMARY_COLUMNS,
  fmtPreamble,
  fmtSubtitle,
} from './fmt-layout.js';

const DOLLARS = '"$"#,##0.00';
const COUNT = '#,##0';

/** Sheet names, in order. */
export const XLSX_SHEETS = {
  about: 'About',
  countries: 'Countries',
  actual: 'Actual',
  planned: 'Planned',
  activities: 'Activities',
  excluded: 'Excluded',
} as const;

/** The workbook's bytes; the same report gives the same cells (created and modified = due date). */
export async function renderFmtXlsx(report: FmtReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const stamp = new Date(`${report.dueOn}T00:00:00Z`);
  wb.creator = 'Attaché';
  wb.created = stamp;
  wb.modified = stamp;
  wb.title = `${FMT_TITLE} ${fmtSubtitle(report)}`;

  const about = wb.addWorksheet(XLSX_SHEETS.about);
  about.getColumn(1).width = 120;
  about.addRow([`${FMT_TITLE}: ${fmtSubtitle(report)}`]).font = { bold: true, size: 14 };
  for (const line of fmtPreamble(report)) about.addRow([line]).alignment = { wrapText: true };
  about.addRow([
    'Totals rows add their column with a formula; course count totals count distinct courses and are not a column sum.',
  ]);

  countriesSheet(wb, report);
  summarySheet(
    wb,
    XLSX_SHEETS.actual,
    report.actualPeriod.fiscalYear,
    report.actual,
    report.totals.actual,
  );
  summarySheet(
    wb,
    XLSX_SHEETS.planned,
    report.plannedPeriod.fiscalYear,
    report.planned,
    report.totals.planned,
  );
  activitiesSheet(wb, report);
  excludedSheet(wb, report);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function header(
  ws: ExcelJS.Worksheet,
  columns: readonly { header: string; width: number }[],
): void {
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  const row = ws.getRow(1);
  row.font = { bold: true };
  row.alignment = { vertical: 'top', wrapText: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

function formatMeasures(ws: ExcelJS.Worksheet, first: number): void {
  for (let c = first; c < first + 3; c++) ws.getColumn(c).numFmt = COUNT;
  ws.getColumn(first + 3).numFmt = DOLLARS;
}

/**
 * The four totals cells of the measures in columns `first`.. over data rows 2..: SUM formulas for
 * sessions, students and value, whose results must equal `expected`; the distinct course count
 * as a value.
 */
function totalCells(
  ws: ExcelJS.Worksheet,
  first: number,
  rows: readonly FmtMeasures[],
  expected: FmtMeasures,
): ExcelJS.CellValue[] {
  const sum = (pick: (m: FmtMeasures) => number) => rows.reduce((n, m) => n + pick(m), 0);
  for (const [what, got, want] of [
    ['sessions', sum((m) => m.sessions), expected.sessions],
    ['students', sum((m) => m.students), expected.students],
    ['value', sum((m) => m.valueCents), expected.valueCents],
  ] as const) {
    if (got !== want)
      throw new Error(`${ws.name}: the ${what} add up to ${got}, the report says ${want}`);
  }
  const formula = (i: number, result: number): ExcelJS.CellValue => {
    if (rows.length === 0) return result;
    const col = ws.getColumn(first + i).letter;
    return { formula: `SUM(${col}2:${col}${rows.length + 1})`, result };
  };
  return [
    formula(0, expected.sessions),
    formula(1, expected.students),
    expected.courses,
    formula(3, expected.valueCents / 100),
  ];
}

function countriesSheet(wb: ExcelJS.Workbook, report: FmtReport): void {
  const ws = wb.addWorksheet(XLSX_SHEETS.countries);
  const a = report.actualPeriod.fiscalYear;
  const p = report.plannedPeriod.fiscalYear;
  header(ws, [
    { header: 'Country', width: 9 },
    { header: 'Country name', width: 28 },
    ...SUMMARY_COLUMNS.slice(1).map((h) => ({ header: `FY${a} actual: ${h}`, width: 14 })),
    ...SUMMARY_COLUMNS.slice(1).map((h) => ({ header: `FY${p} planned: ${h}`, width: 14 })),
  ]);
  formatMeasures(ws, 3);
  formatMeasures(ws, 7);
  for (const c of report.countries) {
    ws.addRow([c.country, c.countryName, ...cells(c.actual), ...cells(c.planned)]);
  }
  const actual = report.countries.map((c) => c.actual);
  const planned = report.countries.map((c) => c.planned);
  ws.addRow([
    'TOTAL',
    'All countries',
    ...totalCells(ws, 3, actual, report.totals.actual),
    ...totalCells(ws, 7, planned, report.totals.planned),
  ]).font = { bold: true };
}

function cells(m: FmtMeasures): number[] {
  return [m.sessions, m.students, m.courses, m.valueCents / 100];
}

function summarySheet(
  wb: ExcelJS.Workbook,
  name: string,
  fiscalYear: number,
  rows: readonly FmtSummaryRow[],
  total: FmtMeasures,
): void {
  const ws = wb.addWorksheet(name);
  header(ws, [
    { header: 'Fiscal year', width: 10 },
    { header: 'Country', width: 9 },
    { header: 'Country name', width: 28 },
    ...SUMMARY_COLUMNS.map((h, i) => ({ header: h, width: i === 0 ? 10 : 16 })),
  ]);
  formatMeasures(ws, 5);
  for (const r of rows) ws.addRow([fiscalYear, r.country, r.countryName, r.program, ...cells(r)]);
  ws.addRow([fiscalYear, 'TOTAL', 'All countries', '', ...totalCells(ws, 5, rows, total)]).font = {
    bold: true,
  };
}

function activitiesSheet(wb: ExcelJS.Workbook, report: FmtReport): void {
  const ws = wb.addWorksheet(XLSX_SHEETS.activities);
  const [course, purpose, , classStart, students, units, value] = ACTIVITY_COLUMNS;
  header(ws, [
    { header: 'Section', width: 9 },
    { header: 'Fiscal year', width: 10 },
    { header: 'Country', width: 9 },
    { header: 'Country name', width: 22 },
    { header: 'Program', width: 9 },
    { header: `${course} id`, width: 10 },
    { header: `${course} title`, width: 36 },
    { header: purpose, width: 50 },
    { header: 'Purpose recorded', width: 10 },
    { header: 'School', width: 30 },
    { header: 'Location', width: 24 },
    { header: classStart, width: 12 },
    { header: students, width: 10 },
    { header: units, width: 40 },
    { header: value, width: 16 },
  ]);
  ws.getColumn(13).numFmt = COUNT;
  ws.getColumn(15).numFmt = DOLLARS;
  for (const a of report.activities) {
    const row = ws.addRow([
      a.section,
      a.fiscalYear,
      a.country,
      a.countryName,
      a.program,
      a.courseId,
      a.courseTitle,
      a.purpose,
      a.purposeRecorded ? 'yes' : 'no',
      a.school,
      a.location,
      a.classStart,
      a.students,
      a.units.join('; '),
      a.valueCents / 100,
    ]);
    row.alignment = { vertical: 'top', wrapText: true };
  }
}

function excludedSheet(wb: ExcelJS.Workbook, report: FmtReport): void {
  const ws = wb.addWorksheet(XLSX_SHEETS.excluded);
  header(ws, [
    { header: 'Country', width: 9 },
    { header: 'Country name', width: 24 },
    { header: 'In the report', width: 12 },
    { header: 'Why', width: 110 },
  ]);
  for (const e of report.excluded) ws.addRow([e.country, e.countryName, 'no', e.reason]);
  for (const r of report.includedOnRequest) {
    ws.addRow([
      r.country,
      r.countryName,
      'yes',
      `requested by the ${r.committee} on ${r.requestedOn}${r.source === null ? '' : ` (${r.source})`}`,
    ]);
  }
}
