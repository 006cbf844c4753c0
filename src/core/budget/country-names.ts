// Maps the English short names of State Department budget tables to ISO 3166-1 alpha-3 codes: the maintained package plus a reviewed alias list.
import { parse } from 'csv-parse/sync';
import { err, invalid, ok, type Result } from '../result.js';
import { findCountry, findCountryByName } from '../reference/countries.js';

/** One reviewed alias: a table's name, the country it names and why (shipped in resources/budget/country-aliases.csv). */
export interface CountryAlias {
  readonly name: string;
  readonly iso3: string;
  readonly source: string;
}

/** How a table name was matched to a country. */
export interface CountryNameMatch {
  readonly iso3: string;
  readonly via: 'package' | 'alias';
}

/** Finds the country a budget-table name is: built once from the reviewed aliases. */
export interface CountryNames {
  codeFor(name: string): CountryNameMatch | undefined;
}

/** Curly apostrophes and runs of whitespace are the only differences we forgive before matching. */
function lookupKey(name: string): string {
  return name
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Reads and checks the alias file (`name,iso3,source`, a header row first). Refuses, naming the
 * row and column: an unknown code, an empty source, a name given twice, and a name the package
 * already knows (the alias would be dead weight, or worse, disagree with the package).
 */
export function parseCountryAliases(text: string, file: string): Result<readonly CountryAlias[]> {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return err(invalid(file, `not a readable CSV file: ${message}`));
  }
  const [header, ...rows] = records;
  if (header?.join(',') !== 'name,iso3,source')
    return err(invalid(`${file} row 1`, 'the header must be name,iso3,source'));
  const aliases: CountryAlias[] = [];
  const seen = new Set<string>();
  for (const [index, cells] of rows.entries()) {
    const at = `${file} row ${index + 2}`;
    const [name = '', iso3 = '', source = ''] = cells.map((c) => c.trim());
    const key = lookupKey(name).toLowerCase();
    if (key === '') return err(invalid(`${at} column name`, 'an alias names a line'));
    if (seen.has(key)) return err(invalid(`${at} column name`, `'${name}' is given twice`));
    if (findCountry(iso3)?.iso3 !== iso3)
      return err(invalid(`${at} column iso3`, `'${iso3}' is not an ISO 3166-1 alpha-3 code`));
    if (source === '')
      return err(invalid(`${at} column source`, `say why '${name}' is ${iso3} (a source)`));
    const known = findCountryByName(lookupKey(name));
    if (known !== undefined) {
      return err(
        invalid(
          `${at} column name`,
          `i18n-iso-countries already maps '${name}' to ${known.iso3}; remove the alias`,
        ),
      );
    }
    seen.add(key);
    aliases.push({ name, iso3, source });
  }
  return ok(aliases);
}

/**
 * The name index for a list of reviewed aliases: the aliases first, then the names and aliases
 * of i18n-iso-countries; undefined when the name is not one country.
 * @example countryNames([{ name: 'Burma', iso3: 'MMR', source: '…' }]).codeFor('Burma') // { iso3: 'MMR', via: 'alias' }
 */
export function countryNames(aliases: readonly CountryAlias[]): CountryNames {
  const byName = new Map(aliases.map((a) => [lookupKey(a.name).toLowerCase(), a.iso3]));
  const cache = new Map<string, CountryNameMatch | undefined>();
  return {
    codeFor(name) {
      const key = lookupKey(name);
      if (key === '') return undefined;
      if (cache.has(key)) return cache.get(key);
      const alias = byName.get(key.toLowerCase());
      const country = alias === undefined ? findCountryByName(key) : undefined;
      const match: CountryNameMatch | undefined =
        alias !== undefined
          ? { iso3: alias, via: 'alias' }
          : country === undefined
            ? undefined
            : { iso3: country.iso3, via: 'package' };
      cache.set(key, match);
      return match;
    },
  };
}
