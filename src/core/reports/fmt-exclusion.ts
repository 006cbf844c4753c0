// Which countries the Foreign Military Training report leaves out (22 USC 2416(a)(2)) and when a committee's request brings one back in.
import { addDays, type IsoDate } from '../dates.js';
import { findCountry } from '../reference/countries.js';
import { natoAccededOn } from '../reference/country-flags.js';

/** The countries 22 USC 2416(a)(2) names besides the NATO members. */
const NAMED: Readonly<Record<string, string>> = {
  AUS: 'Australia',
  JPN: 'Japan',
  NZL: 'New Zealand',
};

/** Days before the report is due by which a committee must have asked (22 USC 2416(a)(2)). */
export const REQUEST_LEAD_DAYS = 90;

/**
 * The four "appropriate congressional committees" of 22 USC 2416(e), by a short code. The House
 * Committee on International Relations of the statute is today's Committee on Foreign Affairs.
 */
export const APPROPRIATE_COMMITTEES = {
  HAC: 'House Committee on Appropriations',
  HFAC: 'House Committee on Foreign Affairs',
  SAC: 'Senate Committee on Appropriations',
  SFRC: 'Senate Committee on Foreign Relations',
} as const;
export type CommitteeCode = keyof typeof APPROPRIATE_COMMITTEES;

/** The day the report of year `year` is due: "not later than January 31 of each year" (22 USC 2416(a)(1)). */
export function fmtReportDueOn(year: number): IsoDate {
  return `${year}-01-31` as IsoDate;
}

/**
 * The last day a committee's request counts for the report of `year`: 90 calendar days before it
 * is due (22 USC 2416(a)(2)), i.e. 2 November of the year before.
 * @example fmtRequestDeadline(2020) // '2019-11-02'
 */
export function fmtRequestDeadline(year: number): IsoDate {
  return addDays(fmtReportDueOn(year), -REQUEST_LEAD_DAYS);
}

/**
 * The report a request made on `requestedOn` counts for: the first whose deadline it meets. A
 * request asks for inclusion "in the report", the one annual report then being prepared, so each
 * year needs its own; a request too late for one report is not lost, it counts for the next.
 * @example fmtReportYearOfRequest('2019-11-02') // 2020
 * @example fmtReportYearOfRequest('2019-11-03') // 2021
 */
export function fmtReportYearOfRequest(requestedOn: IsoDate): number {
  const year = Number(requestedOn.slice(0, 4)) + 1;
  return requestedOn <= fmtRequestDeadline(year) ? year : year + 1;
}

/** Why the statute leaves a country out, when it does. */
export interface FmtExemption {
  readonly basis: 'nato' | 'named';
  /** NATO: the day the country acceded. */
  readonly since: IsoDate | null;
  readonly text: string;
}

/**
 * Whether 22 USC 2416(a)(2) leaves `iso3` out of the report of `year`. NATO membership is judged on
 * the day the report is due: the statute speaks of the report as submitted, so a country that
 * acceded later in that year (North Macedonia, 27 March 2020) is still in that year's report and
 * out of the next.
 */
export function fmtExemption(iso3: string, year: number): FmtExemption | undefined {
  const dueOn = fmtReportDueOn(year);
  const acceded = natoAccededOn(iso3);
  if (acceded !== undefined && acceded <= dueOn)
    return { basis: 'nato', since: acceded, text: `NATO member since ${acceded}` };
  const named = NAMED[iso3];
  if (named !== undefined)
    return { basis: 'named', since: null, text: `${named} is named in 22 U.S.C. 2416(a)(2)` };
  return undefined;
}

/** The English short name of a country, or its code when the reference data has none. */
export function countryName(iso3: string): string {
  return findCountry(iso3)?.name ?? iso3;
}
