// Filtering and sorting of the country list.
import { describe, expect, it } from 'vitest';
import type { CountrySummary } from '../../api/countries.js';
import { kindLabel, matchesFilter, visibleCountries, type CountryFilter } from './countries.js';

function country(
  iso3: string,
  name: string,
  imet: readonly [fy: number, cents: number] | null,
  kinds: readonly CountrySummary['restrictionsInForce'][number]['kind'][] = [],
): CountrySummary {
  return {
    iso3,
    iso2: iso3.slice(0, 2),
    name,
    flags: { natoMember: false, fmtReportExcluded: false, grantImetExcluded: false },
    latestImet: imet === null ? null : { fy: imet[0], cents: imet[1], currency: 'USD' },
    restrictionsInForce: kinds.map((kind, i) => ({
      id: `${iso3}-${i}`,
      country: iso3,
      kind,
      scope: [],
      programs: ['IMET'],
      basis: 'test',
      authority: 'test',
      from: '2018-01-04',
      until: null,
      dateQuality: null,
      untilQuality: null,
      source: null,
      reliefs: [],
    })),
  };
}

const pak = country('PAK', 'Pakistan', [2017, 480_000_000], ['policy']);
const ind = country('IND', 'India', [2017, 130_000_000]);
const civ = country('CIV', "Côte d'Ivoire", [2016, 40_000_050]);
const aut = country('AUT', 'Austria', null, ['exclusion']);
const usa = country('USA', 'United States of America', null);
const all = [pak, ind, civ, aut, usa];

const none: CountryFilter = { query: '', onlyWithImet: false, onlyRestricted: false };
const iso3s = (rows: readonly CountrySummary[]) => rows.map((c) => c.iso3);

describe('matchesFilter', () => {
  it.each([
    ['pak', ['PAK']],
    ['  PAKISTAN ', ['PAK']],
    ['cote', ['CIV']], // diacritics ignored
    ['civ', ['CIV']], // ISO3
    ['ia', ['IND', 'AUT']], // anywhere in the name
    ['zzz', []],
  ] as const)('query %j finds %j', (query, expected) => {
    expect(iso3s(all.filter((c) => matchesFilter(c, { ...none, query })))).toEqual(expected);
  });

  it('keeps only countries with an allocation, and only restricted ones', () => {
    expect(iso3s(all.filter((c) => matchesFilter(c, { ...none, onlyWithImet: true })))).toEqual([
      'PAK',
      'IND',
      'CIV',
    ]);
    expect(iso3s(all.filter((c) => matchesFilter(c, { ...none, onlyRestricted: true })))).toEqual([
      'PAK',
      'AUT',
    ]);
    const both = { ...none, onlyWithImet: true, onlyRestricted: true };
    expect(iso3s(all.filter((c) => matchesFilter(c, both)))).toEqual(['PAK']);
  });
});

describe('visibleCountries order', () => {
  it('sorts by name with accents in their alphabetical place', () => {
    expect(iso3s(visibleCountries(all, none, { key: 'name', direction: 'ascending' }))).toEqual([
      'AUT',
      'CIV',
      'IND',
      'PAK',
      'USA',
    ]);
  });

  it('sorts by amount either way, countries without an allocation always last', () => {
    const asc = visibleCountries(all, none, { key: 'imet', direction: 'ascending' });
    const desc = visibleCountries(all, none, { key: 'imet', direction: 'descending' });
    expect(iso3s(asc)).toEqual(['CIV', 'IND', 'PAK', 'AUT', 'USA']);
    expect(iso3s(desc)).toEqual(['PAK', 'IND', 'CIV', 'AUT', 'USA']);
  });

  it('sorts restricted countries first when descending, ties by name', () => {
    const rows = visibleCountries(all, none, { key: 'restricted', direction: 'descending' });
    expect(iso3s(rows)).toEqual(['AUT', 'PAK', 'CIV', 'IND', 'USA']);
  });

  it('does not reorder its input', () => {
    const input = [...all];
    visibleCountries(input, none, { key: 'iso3', direction: 'descending' });
    expect(input).toEqual(all);
  });
});

describe('restriction kinds', () => {
  it('reads as words with acronyms in capitals', () => {
    expect(kindLabel('grant-imet-exclusion')).toBe('grant IMET exclusion');
    expect(kindLabel('child_soldiers')).toBe('child soldiers');
  });
});
