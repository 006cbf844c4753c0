import { describe, expect, it } from 'vitest';
import {
  caveatsOf,
  firstReason,
  groundsOf,
  kindWords,
  monthIndex,
  monthStart,
  readQuery,
  tally,
  verdictOf,
  type Decision,
} from './dashboard.js';

function decision(
  eligible: boolean,
  statuses: ('blocking' | 'relieved')[] = [],
  country = 'PAK',
): Decision {
  return {
    country,
    program: 'IMET',
    on: '2019-06-01',
    knownOn: null,
    asOf: null,
    course: null,
    eligible,
    conditions: [],
    pending: [],
    precision: [],
    coverage: null,
    restrictions: statuses.map((status, i) => ({
      id: `r${i}`,
      version: 1,
      kind: 'policy',
      basis: 'b',
      authority: 'a',
      source: null,
      from: '2018-01-01',
      until: null,
      fromQuality: null,
      untilQuality: null,
      liftNotifiedOn: null,
      status,
      seatPolicy: 'cancel',
      reliefId: null,
      relief: null,
      reason: `${status} ${i}`,
    })),
  };
}

describe('verdictOf', () => {
  it('colours what the API decided', () => {
    expect(verdictOf(undefined)).toBe('no-data');
    expect(verdictOf(decision(true))).toBe('eligible');
    expect(verdictOf(decision(true, ['relieved']))).toBe('relieved');
    expect(verdictOf(decision(false, ['relieved', 'blocking']))).toBe('blocked');
  });

  it('gives the reason behind the verdict', () => {
    expect(firstReason(decision(false, ['relieved', 'blocking']))).toBe('blocking 1');
    expect(firstReason(decision(true, ['relieved']))).toBe('relieved 0');
    expect(firstReason(decision(true))).toBeUndefined();
  });

  it('keeps the restrictions behind the verdict, and says their kind', () => {
    expect(groundsOf(decision(false, ['relieved', 'blocking'])).map((r) => r.id)).toEqual(['r1']);
    expect(groundsOf(decision(true, ['relieved'])).map((r) => r.id)).toEqual(['r0']);
    expect(kindWords('child-soldiers')).toBe('Child soldiers');
  });

  it('counts the decisions by verdict', () => {
    const counted = tally([
      decision(false, ['blocking'], 'PAK'),
      decision(true, ['relieved'], 'EGY'),
      decision(true, [], 'IND'),
    ]);
    expect(counted.blocked.map((d) => d.country)).toEqual(['PAK']);
    expect(counted.relieved).toBe(1);
    expect(counted.eligible).toBe(1);
  });
});

describe('readQuery', () => {
  const today = '2026-11-30';
  it('reads the program and date of the address', () => {
    expect(readQuery(new URLSearchParams('program=fmf&on=2019-06-01'), today)).toEqual({
      program: 'FMF',
      on: '2019-06-01',
    });
  });
  it('falls back to IMET today for what it cannot use', () => {
    for (const query of ['', 'program=XYZ&on=2019-02-30', 'on=1999-12-31', 'on=2027-01-01'])
      expect(readQuery(new URLSearchParams(query), today)).toEqual({ program: 'IMET', on: today });
  });
});

describe('the month slider', () => {
  it('places a date on its month and back to the first of it', () => {
    expect(monthIndex('2000-01-15')).toBe(0);
    expect(monthIndex('2019-06-01')).toBe(233);
    expect(monthStart(233, '2026-11-30')).toBe('2019-06-01');
    expect(monthStart(monthIndex('2020-12-31'), '2026-11-30')).toBe('2020-12-01');
  });
  it('never goes past today', () => {
    expect(monthStart(monthIndex('2026-11-30') + 1, '2026-11-30')).toBe('2026-11-30');
  });
});

describe('caveatsOf', () => {
  it('names the answers resting on imprecise dates and counts those of a partial history', () => {
    const rough = {
      ...decision(false, ['blocking'], 'THA'),
      precision: ['coup restriction … ended 2019-07 (month only): …'],
    };
    const partial = {
      ...decision(true, [], 'CUB'),
      coverage: {
        partial: [{ kind: 'arrears', note: 'n' }],
        note: 'the recorded history is partial',
      },
    };
    const caveats = caveatsOf([decision(true), rough, partial]);
    expect(caveats.imprecise.map((d) => d.country)).toEqual(['THA']);
    expect(caveats.partial).toBe(1);
    expect(caveatsOf([decision(true)])).toEqual({ imprecise: [], partial: 0 });
  });
});
