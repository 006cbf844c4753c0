// What the shipped restriction history covers (resources/history/coverage.csv): per kind, period
// and countries, "complete" or "partial". A decision outside complete coverage carries a note, so
// no answer silently implies a history it does not have (issue #15).
import { parseIsoDate, type IsoDate } from '../dates.js';
import type { CoverageNote } from '../eligibility/decision.js';
import { RESTRICTION_KINDS, type RestrictionKind } from '../restrictions.js';

export const COVERAGE_STATUSES = ['complete', 'partial'] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

/** One row of the coverage table. */
export interface CoverageRow {
  readonly kind: RestrictionKind;
  /** ISO3 codes, or null for every country. A row naming countries wins over one that does not. */
  readonly countries: readonly string[] | null;
  /** Half-open `[from, until)`. */
  readonly from: IsoDate;
  readonly until: IsoDate;
  readonly status: CoverageStatus;
  readonly note: string;
}

export const COVERAGE_COLUMNS = ['kind', 'countries', 'from', 'until', 'status', 'note'] as const;

/** Kind names as a sentence says them. */
const KIND_WORDS: Readonly<Record<RestrictionKind, string>> = {
  policy: 'policy suspensions',
  coup: 'coup restrictions',
  terrorism: 'terrorism-list designations',
  'child-soldiers': 'child-soldiers lists and waivers',
  arrears: 'loan-arrears restrictions',
  'human-rights': 'human-rights (FAA 502B) restrictions',
  exclusion: '22 USC 2347e exclusions',
  proviso: 'appropriations provisos',
};

/**
 * Reads the table (cells by column name, in file order); throws naming the row on a bad cell, as
 * a shipped file with a bad row is a bug.
 */
export function parseCoverage(rows: readonly Readonly<Record<string, string>>[]): CoverageRow[] {
  return rows.map((cells, i) => {
    const where = `coverage row ${i + 2}`;
    const kind = cells.kind as RestrictionKind;
    if (!(RESTRICTION_KINDS as readonly string[]).includes(kind))
      throw new Error(`${where}: unknown kind ${cells.kind}`);
    const from = parseIsoDate(cells.from ?? '');
    const until = parseIsoDate(cells.until ?? '');
    if (from === undefined || until === undefined || until <= from)
      throw new Error(`${where}: from and until are dates, until after from`);
    const status = cells.status as CoverageStatus;
    if (!(COVERAGE_STATUSES as readonly string[]).includes(status))
      throw new Error(`${where}: status is complete or partial`);
    const countries = (cells.countries ?? '').trim();
    return {
      kind,
      countries:
        countries === '' || countries === '*' ? null : countries.split(';').map((c) => c.trim()),
      from,
      until,
      status,
      note: (cells.note ?? '').trim(),
    };
  });
}

/**
 * `coverageOf` over a fixed table, answered in O(log n) and shared: the answer changes only at the
 * table's dates, and differs by country only for the countries a row names.
 */
export function coverageLookup(
  rows: readonly CoverageRow[],
): (country: string, on: IsoDate) => CoverageNote | null {
  const dates = [...new Set(rows.flatMap((r) => [r.from, r.until]))].sort();
  const named = new Set(rows.flatMap((r) => r.countries ?? []));
  const kept = new Map<string, CoverageNote | null>();
  return (country, on) => {
    let lo = 0;
    let hi = dates.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (dates[mid]! <= on) lo = mid + 1;
      else hi = mid;
    }
    const who = named.has(country) ? country : '*';
    const key = `${who}|${lo}`;
    let note = kept.get(key);
    if (note === undefined && !kept.has(key)) {
      // Any day of the segment answers for all of it: its first day, or `on` before the first date.
      const day = lo === 0 ? on : (dates[lo - 1] as IsoDate);
      note = coverageOf(rows, who === '*' ? '' : country, day);
      if (note !== null) Object.freeze(note);
      kept.set(key, note);
    }
    return note ?? null;
  };
}

/**
 * Where the history is partial for `country` on `on`: each kind whose most specific row there is
 * partial, or that no row covers (then the history does not reach that date). Null when every
 * kind is complete there.
 * @example coverageOf(rows, 'CUB', '2025-01-16') // { partial: [{ kind: 'coup', … }], note: … }
 */
export function coverageOf(
  rows: readonly CoverageRow[],
  country: string,
  on: IsoDate,
): CoverageNote | null {
  const partial: { kind: string; note: string }[] = [];
  for (const kind of RESTRICTION_KINDS) {
    const applicable = rows.filter(
      (r) =>
        r.kind === kind &&
        r.from <= on &&
        on < r.until &&
        (r.countries === null || r.countries.includes(country)),
    );
    const row = applicable.find((r) => r.countries !== null) ?? applicable[0];
    if (row === undefined)
      partial.push({ kind, note: `the history of ${KIND_WORDS[kind]} does not reach that date` });
    else if (row.status === 'partial') partial.push({ kind, note: row.note });
  }
  if (partial.length === 0) return null;
  return {
    partial,
    note: `the recorded history is partial here for ${partial.map((p) => KIND_WORDS[p.kind as RestrictionKind]).join(', ')}: an answer of "no restriction" for those kinds means none is recorded, not that none existed`,
  };
}
