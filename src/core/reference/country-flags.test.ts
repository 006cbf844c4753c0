import { describe, expect, it } from 'vitest';
import { findCountry } from './countries.js';
import {
  FLAG_SOURCES,
  GRANT_IMET_EXCLUDED,
  NATO_MEMBERS,
  countryFlags,
  natoAccededOn,
  natoAccessionYear,
} from './country-flags.js';

describe('NATO_MEMBERS', () => {
  it('has the 32 members, each a known country, once', () => {
    expect(NATO_MEMBERS).toHaveLength(32);
    expect(new Set(NATO_MEMBERS.map((m) => m.iso3)).size).toBe(32);
    for (const m of NATO_MEMBERS) expect(findCountry(m.iso3), m.iso3).toBeDefined();
  });

  it('has twelve founders of 1949 and accession years in treaty order', () => {
    expect(NATO_MEMBERS.filter((m) => m.accessionYear === 1949)).toHaveLength(12);
    for (const m of NATO_MEMBERS) {
      expect(m.accessionYear).toBeGreaterThanOrEqual(1949);
      expect(m.accessionYear).toBeLessThanOrEqual(2024);
    }
  });

  it.each([
    ['USA', 1949],
    ['TUR', 1952],
    ['DEU', 1955],
    ['ESP', 1982],
    ['POL', 1999],
    ['HRV', 2009],
    ['MKD', 2020],
    ['FIN', 2023],
    ['SWE', 2024],
    ['AUT', undefined],
  ])('%s acceded in %s', (iso3, year) => {
    expect(natoAccessionYear(iso3)).toBe(year);
  });
});

describe('natoAccededOn', () => {
  it.each([
    ['USA', '1949-08-24'],
    ['DEU', '1955-05-06'],
    ['MKD', '2020-03-27'],
    ['SWE', '2024-03-07'],
    ['JPN', undefined],
  ])('%s acceded on %s', (iso3, day) => {
    expect(natoAccededOn(iso3)).toBe(day);
  });

  it('agrees with the accession year of every member', () => {
    for (const m of NATO_MEMBERS)
      expect(Number(m.accededOn.slice(0, 4)), m.iso3).toBe(m.accessionYear);
  });
});

describe('countryFlags', () => {
  it.each([
    ['FIN', { natoMember: true, fmtReportExcluded: true, grantImetExcluded: true }],
    ['SWE', { natoMember: true, fmtReportExcluded: true, grantImetExcluded: false }],
    ['ESP', { natoMember: true, fmtReportExcluded: true, grantImetExcluded: true }],
    ['KOR', { natoMember: false, fmtReportExcluded: false, grantImetExcluded: true }],
    ['AUT', { natoMember: false, fmtReportExcluded: false, grantImetExcluded: true }],
    ['SGP', { natoMember: false, fmtReportExcluded: false, grantImetExcluded: true }],
    ['JPN', { natoMember: false, fmtReportExcluded: true, grantImetExcluded: false }],
    ['AUS', { natoMember: false, fmtReportExcluded: true, grantImetExcluded: false }],
    ['NZL', { natoMember: false, fmtReportExcluded: true, grantImetExcluded: false }],
    ['POL', { natoMember: true, fmtReportExcluded: true, grantImetExcluded: false }],
    ['pak', { natoMember: false, fmtReportExcluded: false, grantImetExcluded: false }],
    ['PAK', { natoMember: false, fmtReportExcluded: false, grantImetExcluded: false }],
    ['IND', { natoMember: false, fmtReportExcluded: false, grantImetExcluded: false }],
    ['ZZZ', { natoMember: false, fmtReportExcluded: false, grantImetExcluded: false }],
  ])('%s', (iso3, flags) => {
    expect(countryFlags(iso3)).toEqual(flags);
  });

  it('excludes from the FMT report exactly NATO plus Australia, Japan and New Zealand', () => {
    const excluded = ['AUS', 'JPN', 'NZL', ...NATO_MEMBERS.map((m) => m.iso3)];
    for (const code of excluded) expect(countryFlags(code).fmtReportExcluded, code).toBe(true);
    expect(excluded).toHaveLength(35);
  });

  it('names the five 2347e countries for the grant-IMET exclusion', () => {
    expect([...GRANT_IMET_EXCLUDED].sort()).toEqual(['AUT', 'ESP', 'FIN', 'KOR', 'SGP']);
  });
});

describe('FLAG_SOURCES', () => {
  it.each([
    ['natoMember', 'North Atlantic Treaty'],
    ['fmtReportExcluded', '22 U.S.C. 2416(a)(2)'],
    ['grantImetExcluded', '22 U.S.C. 2347e'],
  ] as const)('%s cites %s', (flag, citation) => {
    expect(FLAG_SOURCES[flag]).toContain(citation);
  });
});
