// How precisely a recorded date is known, and what that means for a date shown or a decision made:
// a "month" date is never shown as a day, and a decision on a day its record cannot place says so.
import { addDays, type IsoDate } from './dates.js';
import type { DateQuality } from './restrictions.js';

/**
 * A date as it may honestly be shown: `2019-07` (month only), `2006` (year only), `about
 * 2014-10-30`; an exact (or unqualified) date as it is.
 * @example shownDate('2006-01-01', 'year') // '2006 (year only)'
 */
export function shownDate(date: IsoDate | string, quality: DateQuality | null): string {
  switch (quality) {
    case 'month':
      return `${date.slice(0, 7)} (month only)`;
    case 'year':
      return isFiscalYearStart(date)
        ? `FY${Number(date.slice(0, 4)) + 1} (fiscal year only)`
        : `${date.slice(0, 4)} (year only)`;
    case 'approx':
      return `about ${date}`;
    default:
      return date;
  }
}

/** Days either side of an approximate date that it may be off by. */
export const APPROX_DAYS = 15;

function isFiscalYearStart(date: string): boolean {
  return date.slice(5) === '10-01';
}

/**
 * The days a recorded date may stand for, `[first, last]` inclusive: its month, its year (or
 * fiscal year, for a 1 October placeholder), or ±15 days; undefined for an exact date.
 */
export function uncertainDays(
  date: IsoDate,
  quality: DateQuality | null,
): { readonly first: IsoDate; readonly last: IsoDate } | undefined {
  const year = Number(date.slice(0, 4));
  switch (quality) {
    case 'month': {
      const first = `${date.slice(0, 7)}-01` as IsoDate;
      const next = addDays(`${date.slice(0, 7)}-28` as IsoDate, 4).slice(0, 7);
      return { first, last: addDays(`${next}-01` as IsoDate, -1) };
    }
    case 'year':
      return isFiscalYearStart(date)
        ? { first: date, last: `${year + 1}-09-30` as IsoDate }
        : { first: `${year}-01-01` as IsoDate, last: `${year}-12-31` as IsoDate };
    case 'approx':
      return { first: addDays(date, -APPROX_DAYS), last: addDays(date, APPROX_DAYS) };
    default:
      return undefined;
  }
}
