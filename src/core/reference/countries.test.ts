import { describe, expect, it } from 'vitest';
import { ALL_COUNTRIES, findCountry, isIso3 } from './countries.js';

describe('ALL_COUNTRIES', () => {
  it('holds every ISO 3166-1 country of the package, with distinct codes', () => {
    expect(ALL_COUNTRIES.length).toBeGreaterThanOrEqual(249);
    expect(new Set(ALL_COUNTRIES.map((c) => c.iso3)).size).toBe(ALL_COUNTRIES.length);
    expect(new Set(ALL_COUNTRIES.map((c) => c.iso2)).size).toBe(ALL_COUNTRIES.length);
    for (const c of ALL_COUNTRIES) {
      expect(c.iso3).toMatch(/^[A-Z]{3}$/);
      expect(c.iso2).toMatch(/^[A-Z]{2}$/);
      expect(c.name.length).toBeGreaterThan(0);
    }
  });

  it('is sorted by English name', () => {
    const names = ALL_COUNTRIES.map((c) => c.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(names[0]).toBe('Afghanistan');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(ALL_COUNTRIES)).toBe(true);
    expect(Object.isFrozen(ALL_COUNTRIES[0])).toBe(true);
  });
});

describe('findCountry', () => {
  it.each([
    ['PAK', 'PK', 'Pakistan'],
    ['IND', 'IN', 'India'],
    ['pak', 'PK', 'Pakistan'],
    [' usa ', 'US', 'United States of America'],
    ['MMR', 'MM', 'Myanmar'],
    ['XKK', 'XK', 'Kosovo'],
  ])('%s is %s %s', (code, iso2, name) => {
    expect(findCountry(code)).toEqual({ iso3: code.trim().toUpperCase(), iso2, name });
  });

  it.each(['XXX', 'PK', '', 'PAKI'])('%j is not a country', (code) => {
    expect(findCountry(code)).toBeUndefined();
  });
});

describe('isIso3', () => {
  it.each([
    ['PAK', true],
    ['KOR', true],
    ['pak', false],
    ['PK', false],
    ['ZZZ', false],
  ])('%s → %s', (text, expected) => {
    expect(isIso3(text)).toBe(expected);
  });
});
