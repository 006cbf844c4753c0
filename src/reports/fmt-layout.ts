// What every format of the Foreign Military Training report shares: its titles, the country summary's columns, and the report cut by country.
import { formatUsd } from '../core/money.js';
import type {
  FmtActivity,
  FmtCountry,
  FmtMeasures,
  FmtReport,
  FmtSummaryRow,
} from '../core/reports/fmt-report.js';

export const FMT_TITLE = 'Foreign Military Training Report';

/** "Fiscal Years 2019 and 2020": the two years the report of Y covers. */
export function fmtSubtitle(report: FmtReport): string {
  return `Fiscal Years ${report.actualPeriod.fiscalYear} and ${report.plannedPeriod.fiscalYear}`;
}

/** The running header: title, years, and the scope when the copy is limited. */
export function fmtRunningTitle(report: FmtReport): string {
  return `${FMT_TITLE} · FY${report.actualPeriod.fiscalYear} actual, FY${report.plannedPeriod.fiscalYear} planned${scopeNote(report)}`;
}

export function scopeNote(report: FmtReport): string {
  return report.scope === null ? '' : ` · limited to ${report.scope.join(', ') || 'no country'}`;
}

/** The lines that open every format: what the report is, its period, its basis. */
export function fmtPreamble(report: FmtReport): string[] {
  const { actualPeriod: a, plannedPeriod: p } = report;
  return [
    `Report year ${report.year}, due to the appropriate congressional committees by ${report.dueOn} (22 U.S.C. 2416(a)(1)).`,
    `Actual: training that began in FY${a.fiscalYear} (${a.from} to ${a.to}). Planned: training proposed for FY${p.fiscalYear} (${p.from} to ${p.to}). A course counts in the fiscal year its class starts.`,
    `Training sessions are enrolments; individual students are counted once per country and program; course count is distinct catalog courses. Actual value is tuition and living allowance of the training that took place plus cancellation penalties; planned value is the programmed tuition and allowance.`,
    `NATO members, Australia, Japan and New Zealand are left out unless a committee asked by ${report.requestDeadline}, 90 days before the report is due (22 U.S.C. 2416(a)(2)).`,
    ...(report.scope === null
      ? []
      : [
          `This copy is limited to ${report.scope.join(', ') || 'no country'}: the figures are those countries' only.`,
        ]),
  ];
}

/** The published country summary's columns (FMT report, Volume I, section III). */
export const SUMMARY_COLUMNS = [
  'Program',
  'Training sessions',
  'Individual students',
  'Course count',
  'Dollar value',
] as const;

/** The activity tables' columns (22 U.S.C. 2416(b)(1)). */
export const ACTIVITY_COLUMNS = [
  'Course',
  'Purpose or foreign-policy justification',
  'Location',
  'Class start',
  'Students',
  'Units',
  'Dollar value',
] as const;

/** The four measures, in the summary's order. */
export function measureValues(m: FmtMeasures): [number, number, number, number] {
  return [m.sessions, m.students, m.courses, m.valueCents];
}

/** Cents as plain dollars for a machine: `1234.5` becomes `"1234.50"`, no sign or separators. */
export function plainDollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** An activity's dollar value as printed, saying what of it is a cancellation penalty. */
export function activityValue(a: FmtActivity): string {
  return a.penaltyCents === 0
    ? formatUsd(a.valueCents)
    : `${formatUsd(a.valueCents)} (incl. ${formatUsd(a.penaltyCents)} cancellation penalty)`;
}

/** Where an activity took place: the school and its location. */
export function activityLocation(a: FmtActivity): string {
  return `${a.school}, ${a.location}`;
}

/** One country's part of the report. */
export interface FmtCountrySection extends FmtCountry {
  readonly actualRows: readonly FmtSummaryRow[];
  readonly plannedRows: readonly FmtSummaryRow[];
  readonly actualActivities: readonly FmtActivity[];
  readonly plannedActivities: readonly FmtActivity[];
}

/** The report cut by country, in the contents' order (by name). */
export function countrySections(report: FmtReport): FmtCountrySection[] {
  const group = <T extends { readonly country: string }>(items: readonly T[]) => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const list = map.get(item.country);
      if (list === undefined) map.set(item.country, [item]);
      else list.push(item);
    }
    return map;
  };
  const actual = group(report.actual);
  const planned = group(report.planned);
  const actualActivities = group(report.activities.filter((a) => a.section === 'actual'));
  const plannedActivities = group(report.activities.filter((a) => a.section === 'planned'));
  return report.countries.map((c) => ({
    ...c,
    actualRows: actual.get(c.country) ?? [],
    plannedRows: planned.get(c.country) ?? [],
    actualActivities: actualActivities.get(c.country) ?? [],
    plannedActivities: plannedActivities.get(c.country) ?? [],
  }));
}
