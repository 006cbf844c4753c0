import { describe, expect, it } from 'vitest';
import { COUNTRY_NAME_OVERRIDES, countryCodeForName } from './country-names.js';
import { findCountry, findCountryByName } from '../reference/countries.js';

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
    ['Burma', 'MMR', 'override'],
    ['Kyrgyz Republic', 'KGZ', 'override'],
    ['Macedonia', 'MKD', 'override'],
    ['West Bank and Gaza', 'PSE', 'override'],
    ['The Bahamas', 'BHS', 'override'],
    ['Micronesia', 'FSM', 'override'],
    ['Cabo Verde', 'CPV', 'override'],
    ['burma', 'MMR', 'override'],
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

  it.each(Object.entries(COUNTRY_NAME_OVERRIDES))(
    'override %j → %s is needed and names a known country',
    (name, iso3) => {
      expect(findCountry(iso3)).toBeDefined();
      expect(findCountryByName(name)).toBeUndefined();
    },
  );
});
