// Country reference data: every country of the maintained i18n-iso-countries package, by ISO 3166-1 alpha-3 code.
import isoCountries from 'i18n-iso-countries/index.js';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

// The package's default entry registers every language; we load only English, explicitly.
isoCountries.registerLocale(en);

/** One country: ISO 3166-1 alpha-3 and alpha-2 codes and its English short name. */
export interface Country {
  readonly iso3: string;
  readonly iso2: string;
  readonly name: string;
}

function buildCountries(): readonly Country[] {
  const countries: Country[] = [];
  for (const [iso3, iso2] of Object.entries(isoCountries.getAlpha3Codes())) {
    const name = isoCountries.getName(iso2, 'en');
    if (name === undefined) throw new Error(`i18n-iso-countries has no English name for ${iso2}`);
    countries.push(Object.freeze({ iso3, iso2, name }));
  }
  return Object.freeze(countries.sort((a, b) => a.name.localeCompare(b.name, 'en')));
}

/**
 * Every country the package knows, sorted by English name: the 249 ISO 3166-1 entries plus
 * Kosovo, which the package carries under the user-assigned codes XK / XKK.
 */
export const ALL_COUNTRIES: readonly Country[] = buildCountries();

const BY_ISO3: ReadonlyMap<string, Country> = new Map(ALL_COUNTRIES.map((c) => [c.iso3, c]));

/**
 * The country with this alpha-3 code, ignoring case; undefined when there is none.
 * @example findCountry('pak') // { iso3: 'PAK', iso2: 'PK', name: 'Pakistan' }
 */
export function findCountry(iso3: string): Country | undefined {
  return BY_ISO3.get(iso3.trim().toUpperCase());
}

/**
 * The country whose English name (or one of the package's English aliases) is `name`,
 * ignoring case; undefined when the package knows no such name.
 * @example findCountryByName('Russia') // { iso3: 'RUS', iso2: 'RU', name: 'Russian Federation' }
 */
export function findCountryByName(name: string): Country | undefined {
  const iso3 = isoCountries.getAlpha3Code(name.trim(), 'en');
  return iso3 === undefined ? undefined : BY_ISO3.get(iso3);
}

/** True when the text is exactly (upper case, no spaces) the alpha-3 code of a known country. */
export function isIso3(text: string): boolean {
  return BY_ISO3.has(text);
}
