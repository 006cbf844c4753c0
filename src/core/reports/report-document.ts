// A report as plain data (title, as-of line, sections of typed tables, an optional timeline chart):
// core computes it once, and every renderer (HTML, CSV, XLSX, PDF, JSON) formats the same numbers.
import { shownDate } from '../date-precision.js';
import type { IsoDate } from '../dates.js';
import type { DateQuality } from '../restrictions.js';

/**
 * What a column holds, which decides how each format shows it: `count` is an integer, `money` is
 * integer cents (shown in dollars), `date` a calendar date known to a precision.
 */
export type ColumnKind = 'text' | 'date' | 'count' | 'money';

export interface ReportColumn {
  readonly header: string;
  readonly kind: ColumnKind;
  /** Relative width where the layout shares a page between columns (PDF), default 1. */
  readonly weight?: number;
}

/** A date as the record knows it: `quality` month means the day was set to the 1st. */
export interface DateCell {
  readonly date: IsoDate;
  readonly quality: DateQuality;
}

/** A text or date cell may be empty (null); count and money cells are numbers. */
export type Cell = string | number | DateCell | null;

export interface ReportSection {
  readonly heading: string;
  /** A sentence under the heading saying what the table counts. */
  readonly note?: string;
  readonly columns: readonly ReportColumn[];
  readonly rows: readonly (readonly Cell[])[];
  /** The totals row (label in the first column, sums under count and money columns). */
  readonly totals?: readonly Cell[];
}

/**
 * A span of time on one lane of the chart: `until` null runs to the chart's end. The qualities say
 * how precisely its ends are known (a month-only end is labelled and drawn as the whole month).
 */
export interface ChartSpan {
  readonly lane: string;
  readonly kind: 'restriction' | 'relief';
  readonly label: string;
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  readonly fromQuality: DateQuality;
  readonly untilQuality: DateQuality;
}

/** The data of a country timeline chart: lanes of spans, dated marks, yearly amounts. */
export interface TimelineChart {
  readonly from: IsoDate;
  readonly until: IsoDate;
  readonly spans: readonly ChartSpan[];
  readonly marks: readonly { readonly date: IsoDate; readonly label: string }[];
  /** Allocation amounts in cents by fiscal year and program (stacked columns). */
  readonly amounts: readonly {
    readonly fiscalYear: number;
    readonly program: string;
    readonly cents: number;
  }[];
}

export interface ReportDocument {
  /** What kind of report it is (`impact`, `timeline`, …), for file names and the API. */
  readonly kind: string;
  readonly title: string;
  /** The as-of line: what the report covers and when it was drawn. */
  readonly subtitle: string;
  /** The day the report speaks for: it dates the files (reproducible bytes). */
  readonly asOf: IsoDate;
  /** File name without extension, safe on every file system. */
  readonly fileStem: string;
  /** Wide tables read better across the page. */
  readonly orientation: 'portrait' | 'landscape';
  readonly chart?: TimelineChart;
  readonly sections: readonly ReportSection[];
}

/** A date cell, or null when the record has no date. */
export function dateCell(date: IsoDate | null, quality: DateQuality | null = 'exact'): Cell {
  return date === null ? null : { date, quality: quality ?? 'exact' };
}

export function isDateCell(cell: Cell): cell is DateCell {
  return typeof cell === 'object' && cell !== null;
}

/**
 * A date as text to its known precision, as everywhere in Attaché (`shownDate`): `2018-08 (month
 * only)`, `2018 (year only)` or `FY2016 (fiscal year only)`, `about 2018-08-01`; never a day that
 * the record does not know.
 */
export function dateText(cell: DateCell): string {
  return shownDate(cell.date, cell.quality);
}

/**
 * The totals row of a table: `label` in the first column and, under every count and money column
 * named in `summed` (all of them when omitted), the sum of that column.
 */
export function totalsRow(
  label: string,
  columns: readonly ReportColumn[],
  rows: readonly (readonly Cell[])[],
  summed?: readonly number[],
): Cell[] {
  return columns.map((column, i) => {
    if (i === 0) return label;
    const numeric = column.kind === 'count' || column.kind === 'money';
    if (!numeric || (summed !== undefined && !summed.includes(i))) return null;
    return rows.reduce<number>((sum, row) => sum + (typeof row[i] === 'number' ? row[i] : 0), 0);
  });
}

/** A file-name-safe stem: letters, digits, dots and dashes. */
export function fileStem(...parts: readonly string[]): string {
  return parts
    .map((p) => p.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter((p) => p !== '')
    .join('-');
}
