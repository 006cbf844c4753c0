// The Foreign Military Training report as one CSV file: every section in one table, told apart by its first column.
//
// One rectangular table (RFC 4180, CRLF, a header row) rather than blocks with their own headers:
// a spreadsheet or csv-parse reads it in one go and filters by `section`; a column a section does
// not use is empty. Numbers are plain (no currency sign, no thousands separator): counts as whole
// numbers, money as dollars with two decimals (`value_usd`).
import type {
  FmtActivity,
  FmtMeasures,
  FmtReport,
  FmtSummaryRow,
} from '../core/reports/fmt-report.js';
import { plainDollars } from './fmt-layout.js';

export const CSV_COLUMNS = [
  'section',
  'fiscal_year',
  'country',
  'country_name',
  'program',
  'sessions',
  'students',
  'courses',
  'value_usd',
  'course_id',
  'course_title',
  'class_start',
  'purpose',
  'purpose_recorded',
  'school',
  'location',
  'units',
  'note',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
type CsvRow = Partial<Record<CsvColumn, string | number>>;

/**
 * The sections, as named in the `section` column: `actual` and `planned` (by country and program),
 * `actual-country-total` and `planned-country-total` (each country's totals row),
 * `actual-total` and `planned-total` (the report's), `activity` (fiscal_year says which
 * section), `excluded` and `included-on-request` (note says why).
 */
export function renderFmtCsv(report: FmtReport): string {
  const rows: CsvRow[] = [];
  const fy = { actual: report.actualPeriod.fiscalYear, planned: report.plannedPeriod.fiscalYear };
  for (const section of ['actual', 'planned'] as const) {
    const summary = section === 'actual' ? report.actual : report.planned;
    for (const row of summary) rows.push(summaryRow(section, fy[section], row));
    for (const c of report.countries) {
      rows.push({
        section: `${section}-country-total`,
        fiscal_year: fy[section],
        country: c.country,
        country_name: c.countryName,
        ...measures(c[section]),
      });
    }
    rows.push({
      section: `${section}-total`,
      fiscal_year: fy[section],
      ...measures(report.totals[section]),
    });
  }
  for (const a of report.activities) rows.push(activityRow(a));
  for (const e of report.excluded) {
    rows.push({
      section: 'excluded',
      country: e.country,
      country_name: e.countryName,
      note: e.reason,
    });
  }
  for (const r of report.includedOnRequest) {
    rows.push({
      section: 'included-on-request',
      country: r.country,
      country_name: r.countryName,
      note: `requested by the ${r.committee} on ${r.requestedOn}${r.source === null ? '' : ` (${r.source})`}`,
    });
  }
  const lines = [
    CSV_COLUMNS.join(','),
    ...rows.map((r) => CSV_COLUMNS.map((c) => quote(r[c])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

function measures(m: FmtMeasures): CsvRow {
  return {
    sessions: m.sessions,
    students: m.students,
    courses: m.courses,
    value_usd: plainDollars(m.valueCents),
  };
}

function summaryRow(section: string, fiscalYear: number, row: FmtSummaryRow): CsvRow {
  return {
    section,
    fiscal_year: fiscalYear,
    country: row.country,
    country_name: row.countryName,
    program: row.program,
    ...measures(row),
  };
}

function activityRow(a: FmtActivity): CsvRow {
  return {
    section: 'activity',
    fiscal_year: a.fiscalYear,
    country: a.country,
    country_name: a.countryName,
    program: a.program,
    students: a.students,
    value_usd: plainDollars(a.valueCents),
    course_id: a.courseId,
    course_title: a.courseTitle,
    class_start: a.classStart,
    purpose: a.purpose,
    purpose_recorded: a.purposeRecorded ? 'yes' : 'no',
    school: a.school,
    location: a.location,
    units: a.units.join('; '),
    note: a.section,
  };
}

/**
 * A field quoted when RFC 4180 needs it. A text field that a spreadsheet would run as a formula
 * (starting with =, +, - or @) is prefixed with an apostrophe: the file comes from records people
 * typed, and must not execute when opened.
 */
function quote(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
