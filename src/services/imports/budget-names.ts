// The reviewed country aliases of the budget tables (resources/budget/country-aliases.csv), read and checked once.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  countryNames,
  parseCountryAliases,
  type CountryNames,
} from '../../core/budget/country-names.js';

const ALIAS_FILE = fileURLToPath(
  new URL('../../../resources/budget/country-aliases.csv', import.meta.url),
);

let names: CountryNames | undefined;

/** The name index of the budget tables: the package plus the shipped aliases. A bad shipped file is a bug: it throws, naming row and column. */
export function budgetCountryNames(): CountryNames {
  if (names !== undefined) return names;
  const aliases = parseCountryAliases(
    readFileSync(ALIAS_FILE, 'utf8'),
    'resources/budget/country-aliases.csv',
  );
  if (!aliases.ok) throw new Error(`${aliases.error.field ?? ''}: ${aliases.error.message}`);
  names = countryNames(aliases.value);
  return names;
}
