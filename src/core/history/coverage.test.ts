import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../dates.js';
import { RESTRICTION_KINDS } from '../restrictions.js';
import { coverageLookup, coverageOf, parseCoverage } from './coverage.js';

const d = (s: string) => s as IsoDate;
const complete = RESTRICTION_KINDS.map((kind) => ({
  kind,
  countries: '*',
  from: '2000-01-01',
  until: '2030-01-01',
  status: 'complete',
  note: `${kind} complete`,
}));
const rows = parseCoverage([
  ...complete.filter((r) => r.kind !== 'coup'),
  { ...complete[1]!, kind: 'coup', until: '2010-01-01' },
  {
    kind: 'coup',
    countries: '',
    from: '2010-01-01',
    until: '2030-01-01',
    status: 'partial',
    note: 'coups partial',
  },
  {
    kind: 'terrorism',
    countries: 'SYR;IRN',
    from: '2025-01-01',
    until: '2030-01-01',
    status: 'partial',
    note: 'Syria unsure',
  },
]);

describe('coverage of the shipped history', () => {
  it('is null where every kind is complete', () => {
    expect(coverageOf(rows, 'PAK', d('2005-06-01'))).toBeNull();
  });

  it('names the partial kinds, a country row winning over the rest', () => {
    expect(coverageOf(rows, 'PAK', d('2026-01-01'))?.partial).toEqual([
      { kind: 'coup', note: 'coups partial' },
    ]);
    expect(coverageOf(rows, 'SYR', d('2026-01-01'))?.partial.map((p) => p.kind)).toEqual([
      'coup',
      'terrorism',
    ]);
  });

  it('says the history does not reach a date no row covers', () => {
    const before = coverageOf(rows, 'PAK', d('1999-12-31'));
    expect(before?.partial).toHaveLength(RESTRICTION_KINDS.length);
    expect(before?.note).toMatch(/^the recorded history is partial here for /);
  });

  it('answers as coverageOf does, for every country and day, from its segments', () => {
    const lookup = coverageLookup(rows);
    for (const country of ['PAK', 'SYR', 'IRN', 'CUB'])
      for (const on of [
        '1999-06-01',
        '2000-01-01',
        '2009-12-31',
        '2010-01-01',
        '2024-12-31',
        '2025-01-01',
        '2029-12-31',
        '2030-01-01',
      ])
        expect(lookup(country, d(on)), `${country} ${on}`).toEqual(
          coverageOf(rows, country, d(on)),
        );
  });

  it('refuses a malformed row, naming it', () => {
    expect(() => parseCoverage([{ ...complete[0]!, status: 'mostly' }])).toThrow(/coverage row 2/);
    expect(() => parseCoverage([{ ...complete[0]!, kind: 'embargo' }])).toThrow(/unknown kind/);
    expect(() => parseCoverage([{ ...complete[0]!, until: '1999-01-01' }])).toThrow(
      /until after from/,
    );
  });
});
