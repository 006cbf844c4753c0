import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { countryNames, parseCountryAliases } from './country-names.js';

const FILE = readFileSync(
  new URL('../../../resources/budget/country-aliases.csv', import.meta.url),
  'utf8',
);
const aliases = parseCountryAliases(FILE, 'country-aliases.csv');
if (!aliases.ok) throw new Error(aliases.error.message);
const countryCodeForName = (name: string) => countryNames(aliases.value).codeFor(name);

describe('countryCodeForName', () => {
  it.each([
    ['Pakistan', 'PAK', 'package'],
    ['Russia', 'RUS', 'package'],
    ["Cote d'Ivoire", 'CIV', 'package'],
    ['Côte d’Ivoire', 'CIV', 'package'],
    ['Timor-Leste', 'TLS', 'package'],
    ['Kosovo', 'XKK', 'package'],
    ['Democratic Republic of the Congo', 'COD', 'package'],
    ['Republic of the Congo', 'COG', 'package'],
    ['The Gambia', 'GMB', 'package'],
    ['Sierra  Leone ', 'SLE', 'package'],
    ['Burma', 'MMR', 'alias'],
    ['Kyrgyz Republic', 'KGZ', 'alias'],
    ['Macedonia', 'MKD', 'alias'],
    ['West Bank and Gaza', 'PSE', 'alias'],
    ['The Bahamas', 'BHS', 'alias'],
    ['Micronesia', 'FSM', 'alias'],
    ['Cabo Verde', 'CPV', 'alias'],
    ['burma', 'MMR', 'alias'],
  ])('%j → %s (%s)', (name, iso3, via) => {
    expect(countryCodeForName(name)).toEqual({ iso3, via });
  });

  it.each([
    'State Africa Regional',
    'USAID Asia Regional',
    'Eastern Caribbean',
    'Barbados and Eastern Caribbean',
    'Africa',
    'TOTAL',
    'PM - Political-Military Affairs',
    '',
  ])('%j is not one country', (name) => {
    expect(countryCodeForName(name)).toBeUndefined();
  });
});

describe('parseCountryAliases', () => {
  const HEADER = 'name,iso3,source';
  it('reads the shipped file: every alias sourced and needed', () => {
    expect(aliases.value.length).toBeGreaterThan(10);
    expect(aliases.value.find((a) => a.name === 'Burma')).toMatchObject({ iso3: 'MMR' });
  });

  it.each([
    ['an unknown code', `${HEADER}\nAtlantis,ATL,legend`, 'row 2 column iso3'],
    ['no source', `${HEADER}\nBurma,MMR,`, 'row 2 column source'],
    ['a name given twice', `${HEADER}\nBurma,MMR,a\nburma,MMR,b`, 'row 3 column name'],
    ['a name the package knows', `${HEADER}\nPakistan,PAK,a`, 'row 2 column name'],
    ['a wrong header', 'name,code\nBurma,MMR', 'row 1'],
  ])('refuses %s, naming the row and column', (_label, text, where) => {
    const result = parseCountryAliases(text, 'aliases.csv');
    expect(result.ok ? undefined : result.error.field).toBe(`aliases.csv ${where}`);
  });
});
