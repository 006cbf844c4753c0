// Maps the English short names of State Department budget tables to ISO 3166-1 alpha-3 codes.
import { findCountry, findCountryByName } from '../reference/countries.js';

/**
 * Names the tables use that i18n-iso-countries does not know (checked against its English
 * names and aliases). Kosovo needs no entry: the package carries it as XK / XKK.
 */
export const COUNTRY_NAME_OVERRIDES: Readonly<Record<string, string>> = Object.freeze({
  Burma: 'MMR',
  'Cabo Verde': 'CPV',
  'Kyrgyz Republic': 'KGZ',
  Laos: 'LAO',
  Macedonia: 'MKD',
  Micronesia: 'FSM',
  Moldova: 'MDA',
  Swaziland: 'SWZ',
  Syria: 'SYR',
  'The Bahamas': 'BHS',
  'West Bank and Gaza': 'PSE',
  // Further State Department short forms, not in FY2008–2017 tables but common in later ones.
  Brunei: 'BRN',
  'Korea, North': 'PRK',
  'Korea, South': 'KOR',
  'Gambia, The': 'GMB',
  'Bahamas, The': 'BHS',
});

const OVERRIDES_BY_LOWER: ReadonlyMap<string, string> = new Map(
  Object.entries(COUNTRY_NAME_OVERRIDES).map(([name, iso3]) => [name.toLowerCase(), iso3]),
);

/** How a table name was matched to a country. */
export interface CountryNameMatch {
  readonly iso3: string;
  readonly via: 'package' | 'override';
}

/** Curly apostrophes and runs of whitespace are the only differences we forgive before matching. */
function lookupKey(name: string): string {
  return name
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The alpha-3 code of a budget-table country name: the override table first, then the names
 * and aliases of i18n-iso-countries; undefined when the name is not one country.
 * @example countryCodeForName('Burma') // { iso3: 'MMR', via: 'override' }
 */
export function countryCodeForName(name: string): CountryNameMatch | undefined {
  const key = lookupKey(name);
  if (key === '') return undefined;
  const override = OVERRIDES_BY_LOWER.get(key.toLowerCase());
  if (override !== undefined && findCountry(override) !== undefined)
    return { iso3: override, via: 'override' };
  const country = findCountryByName(key);
  return country === undefined ? undefined : { iso3: country.iso3, via: 'package' };
}
