// Pure view logic for the country list: filtering, sorting and formatting (no React, no I/O).
import type { CountrySummary } from '../../api/countries.js';

export interface CountryFilter {
  readonly query: string;
  readonly onlyWithImet: boolean;
  readonly onlyRestricted: boolean;
}

export type SortKey = 'name' | 'iso3' | 'imet' | 'restricted';
export type SortDirection = 'ascending' | 'descending';
export interface SortOrder {
  readonly key: SortKey;
  readonly direction: SortDirection;
}

/** Lower case without diacritics, so "cote" finds "Côte d'Ivoire" and "turkiye" finds "Türkiye". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function matchesFilter(country: CountrySummary, filter: CountryFilter): boolean {
  if (filter.onlyWithImet && country.latestImet === null) return false;
  if (filter.onlyRestricted && country.restrictionsInForce.length === 0) return false;
  const query = fold(filter.query.trim());
  if (query === '') return true;
  return fold(country.name).includes(query) || country.iso3.toLowerCase().includes(query);
}

const collator = new Intl.Collator('en', { sensitivity: 'base' });

// Countries without an allocation sort after every amount, whichever the direction.
function compareImet(a: CountrySummary, b: CountrySummary, sign: number): number {
  if (a.latestImet === null || b.latestImet === null) {
    return (a.latestImet === null ? 1 : 0) - (b.latestImet === null ? 1 : 0);
  }
  return sign * (a.latestImet.cents - b.latestImet.cents || a.latestImet.fy - b.latestImet.fy);
}

function compareBy(key: SortKey, a: CountrySummary, b: CountrySummary, sign: number): number {
  switch (key) {
    case 'name':
      return sign * collator.compare(a.name, b.name);
    case 'iso3':
      return sign * a.iso3.localeCompare(b.iso3);
    case 'imet':
      return compareImet(a, b, sign);
    case 'restricted':
      return sign * (a.restrictionsInForce.length - b.restrictionsInForce.length);
  }
}

/** A new array in the given order; ties fall back to the country name. */
export function sortCountries(
  countries: readonly CountrySummary[],
  order: SortOrder,
): CountrySummary[] {
  const sign = order.direction === 'ascending' ? 1 : -1;
  return [...countries].sort(
    (a, b) => compareBy(order.key, a, b, sign) || collator.compare(a.name, b.name),
  );
}

/** The filtered, sorted rows to show. */
export function visibleCountries(
  countries: readonly CountrySummary[],
  filter: CountryFilter,
  order: SortOrder,
): CountrySummary[] {
  return sortCountries(
    countries.filter((country) => matchesFilter(country, filter)),
    order,
  );
}

const acronyms = new Set(['imet', 'fmf', 'cspa', 'faa', 'us', 'usa']);

/** A restriction kind as words: `grant-imet-exclusion` → `grant IMET exclusion`. */
export function kindLabel(kind: string): string {
  return kind
    .split(/[-_\s]+/)
    .map((word) => (acronyms.has(word.toLowerCase()) ? word.toUpperCase() : word))
    .join(' ');
}
