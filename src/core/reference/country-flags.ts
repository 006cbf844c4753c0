// Country flags that statutes attach to named countries (NATO membership, FMT report exclusion, grant-IMET exclusion), each with its source.
import type { IsoDate } from '../dates.js';

/** The flags a country can carry; each one names a list fixed by law or treaty. */
export type CountryFlag = 'natoMember' | 'fmtReportExcluded' | 'grantImetExcluded';

/** The value of every flag for one country. */
export type CountryFlags = Readonly<Record<CountryFlag, boolean>>;

/** One NATO member, the year it acceded (1949 for the founding signatories) and the day. */
export interface NatoMember {
  readonly iso3: string;
  readonly accessionYear: number;
  /**
   * The day it became a member: the treaty's entry into force (24 August 1949) for the founders,
   * else the day its instrument of accession was deposited with the United States.
   */
  readonly accededOn: IsoDate;
}

/**
 * The 32 members of NATO: the twelve signatories of the North Atlantic Treaty (1949) and the
 * states that acceded by protocol since. Germany acceded as the Federal Republic in 1955.
 * Days: NATO, "Member countries" (https://www.nato.int/cps/en/natohq/topics_52044.htm), and the
 * US Department of State as depositary of the treaty.
 */
export const NATO_MEMBERS: readonly NatoMember[] = Object.freeze(
  (
    [
      ['BEL', 1949, '1949-08-24'],
      ['CAN', 1949, '1949-08-24'],
      ['DNK', 1949, '1949-08-24'],
      ['FRA', 1949, '1949-08-24'],
      ['ISL', 1949, '1949-08-24'],
      ['ITA', 1949, '1949-08-24'],
      ['LUX', 1949, '1949-08-24'],
      ['NLD', 1949, '1949-08-24'],
      ['NOR', 1949, '1949-08-24'],
      ['PRT', 1949, '1949-08-24'],
      ['GBR', 1949, '1949-08-24'],
      ['USA', 1949, '1949-08-24'],
      ['GRC', 1952, '1952-02-18'],
      ['TUR', 1952, '1952-02-18'],
      ['DEU', 1955, '1955-05-06'],
      ['ESP', 1982, '1982-05-30'],
      ['CZE', 1999, '1999-03-12'],
      ['HUN', 1999, '1999-03-12'],
      ['POL', 1999, '1999-03-12'],
      ['BGR', 2004, '2004-03-29'],
      ['EST', 2004, '2004-03-29'],
      ['LVA', 2004, '2004-03-29'],
      ['LTU', 2004, '2004-03-29'],
      ['ROU', 2004, '2004-03-29'],
      ['SVK', 2004, '2004-03-29'],
      ['SVN', 2004, '2004-03-29'],
      ['ALB', 2009, '2009-04-01'],
      ['HRV', 2009, '2009-04-01'],
      ['MNE', 2017, '2017-06-05'],
      ['MKD', 2020, '2020-03-27'],
      ['FIN', 2023, '2023-04-04'],
      ['SWE', 2024, '2024-03-07'],
    ] as const
  ).map(([iso3, accessionYear, accededOn]) =>
    Object.freeze({ iso3, accessionYear, accededOn: accededOn as IsoDate }),
  ),
);

/** Countries other than NATO members that 22 USC 2416(a)(2) leaves out of the FMT report. */
const FMT_REPORT_EXCLUDED_NON_NATO: readonly string[] = ['AUS', 'JPN', 'NZL'];

/** The high-income countries of 22 USC 2347e(b): no grant IMET. */
export const GRANT_IMET_EXCLUDED: readonly string[] = Object.freeze([
  'AUT',
  'FIN',
  'KOR',
  'SGP',
  'ESP',
]);

/** The legal source of each flag. */
export const FLAG_SOURCES: Readonly<Record<CountryFlag, string>> = Object.freeze({
  natoMember:
    'North Atlantic Treaty (Washington, 4 April 1949) and the protocols of accession of each later member',
  fmtReportExcluded:
    '22 U.S.C. 2416(a)(2): the annual Foreign Military Training report does not apply to any NATO member, ' +
    'Australia, Japan, or New Zealand, unless a committee requests a country in writing at least 90 days before it is due',
  grantImetExcluded:
    '22 U.S.C. 2347e(a)-(b): no grant military education and training for the high-income countries ' +
    'Austria, Finland, the Republic of Korea, Singapore, and Spain',
});

const NATO = new Map(NATO_MEMBERS.map((m) => [m.iso3, m]));
const FMT_EXCLUDED = new Set([...NATO.keys(), ...FMT_REPORT_EXCLUDED_NON_NATO]);
const GRANT_EXCLUDED = new Set(GRANT_IMET_EXCLUDED);

/**
 * The flags of a country by alpha-3 code (any case); an unknown code carries none.
 * Membership is as of today's treaty list: Sweden is a member here even for dates before 2024
 * (use `natoAccessionYear` when the date matters).
 * @example countryFlags('JPN') // { natoMember: false, fmtReportExcluded: true, grantImetExcluded: false }
 */
export function countryFlags(iso3: string): CountryFlags {
  const code = iso3.trim().toUpperCase();
  return {
    natoMember: NATO.has(code),
    fmtReportExcluded: FMT_EXCLUDED.has(code),
    grantImetExcluded: GRANT_EXCLUDED.has(code),
  };
}

/** The year a country acceded to NATO, or undefined when it is not a member. */
export function natoAccessionYear(iso3: string): number | undefined {
  return NATO.get(iso3.trim().toUpperCase())?.accessionYear;
}

/** The day a country acceded to NATO, or undefined when it is not a member. */
export function natoAccededOn(iso3: string): IsoDate | undefined {
  return NATO.get(iso3.trim().toUpperCase())?.accededOn;
}
