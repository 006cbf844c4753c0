// Money and dates as every page shows them: exact cents as US dollars, calendar dates as the API
// sends them (YYYY-MM-DD, no time zone), written for people and never shifted by the browser's zone;
// a restriction's or relief's date no more precisely than the record knows it.
import type { components } from './api/schema.js';

/** Integer cents as US dollars: `$4,800,000`, or `$1,234.50` when there are cents. */
export function formatUsd(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.trunc(abs / 100).toLocaleString('en-US');
  const rest = abs % 100;
  return rest === 0 ? `${sign}$${dollars}` : `${sign}$${dollars}.${String(rest).padStart(2, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A calendar date `YYYY-MM-DD` as `4 Jan 2018`; a date known only to the month or year is shown
 * only that far (`May 2006`, `1990`), never as an exact day. Anything else is shown as it came.
 */
export function formatDate(date: string, precision: 'day' | 'month' | 'year' = 'day'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return date;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  const monthName = MONTHS[Number(month) - 1];
  if (monthName === undefined) return date;
  if (precision === 'year') return year;
  if (precision === 'month') return `${monthName} ${year}`;
  return `${Number(day)} ${monthName} ${year}`;
}

/**
 * How precisely a recorded date is known, as the API says it (`dateQuality`, `fromQuality`,
 * `untilQuality`): `month` and `year` dates were set to the 1st of their month or year (1 October
 * for a fiscal year), `approx` ones are within about a fortnight. Null: as recorded, a day.
 */
export type DateQuality = NonNullable<components['schemas']['Restriction']['dateQuality']>;

/**
 * A restriction's or relief's date as precisely as the record knows it, never as a day it does not
 * know (what `shownDate` of src/core/date-precision.ts writes, in the pages' date style): `4 Jan
 * 2018`; `Aug 2018 (month only)`; `2006 (year only)`, or `FY2016 (fiscal year only)` for a year
 * recorded as 1 October; `about 30 Oct 2014`. `short`, for a chart's label, keeps only the month of
 * a day and leaves the words out: `Jan 2018`, `Aug 2018`, `FY2016`, `about Oct 2014`.
 */
export function formatRecordDate(
  date: string,
  quality: DateQuality | null | undefined,
  short = false,
): string {
  switch (quality) {
    case 'month':
      return short ? formatDate(date, 'month') : `${formatDate(date, 'month')} (month only)`;
    case 'year': {
      const fiscal = date.slice(5) === '10-01';
      const year = fiscal ? `FY${Number(date.slice(0, 4)) + 1}` : formatDate(date, 'year');
      return short ? year : `${year} (${fiscal ? 'fiscal year' : 'year'} only)`;
    }
    case 'approx':
      return `about ${formatDate(date, short ? 'month' : 'day')}`;
    default:
      return formatDate(date, short ? 'month' : 'day');
  }
}

/**
 * The dates of a restriction or relief with their qualities, as the API names them: `dateQuality`
 * on a record, `fromQuality` in a decision; a list that leaves them out is read as recorded.
 */
export interface RecordDates {
  readonly from: string;
  readonly until: string | null;
  readonly dateQuality?: DateQuality | null;
  readonly fromQuality?: DateQuality | null;
  readonly untilQuality?: DateQuality | null;
}

/** A record's start, to its precision. */
export function formatFrom(record: RecordDates, short = false): string {
  return formatRecordDate(record.from, record.fromQuality ?? record.dateQuality, short);
}

/** A record's end (the first day it no longer applies), to its precision; null while open. */
export function formatUntil(record: RecordDates, short = false): string | null {
  return record.until === null ? null : formatRecordDate(record.until, record.untilQuality, short);
}

/** Today in the browser's calendar as `YYYY-MM-DD`: the default "on" date of a form or control. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The US fiscal year a date falls in (FY2020 runs 1 Oct 2019 – 30 Sep 2020). */
export function fiscalYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 10 ? year + 1 : year;
}
