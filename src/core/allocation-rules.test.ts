import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WAIT_DAYS,
  IMET_EXEMPT_BELOW_CENTS,
  notificationExemption,
  versionInForce,
  type NotificationExemption,
} from './allocation-rules.js';
import { isoDate } from './dates.js';
import type { ProgramCode } from './programs.js';

describe('allocation constants', () => {
  it('exempts IMET changes below $25,000 and waits 15 days by default', () => {
    expect(IMET_EXEMPT_BELOW_CENTS).toBe(2_500_000);
    expect(DEFAULT_WAIT_DAYS).toBe(15);
  });
});

describe('notificationExemption', () => {
  // An already-justified IMET country: $100,000 in force on the day of the change.
  const inForce = 10_000_000;
  it.each<[string, ProgramCode, boolean, number | null, number, NotificationExemption | null]>([
    ['IMET +$24,999.99', 'IMET', true, inForce, inForce + 2_499_999, 'imet-under-25000'],
    ['IMET −$24,999.99', 'IMET', true, inForce, inForce - 2_499_999, 'imet-under-25000'],
    ['IMET +$0.01', 'IMET', true, inForce, inForce + 1, 'imet-under-25000'],
    ['IMET +$25,000.00', 'IMET', true, inForce, inForce + 2_500_000, null],
    ['IMET −$25,000.00', 'IMET', true, inForce, inForce - 2_500_000, null],
    ['IMET +$25,000.01', 'IMET', true, inForce, inForce + 2_500_001, null],
    ['IMET not yet justified (only a pending version)', 'IMET', true, null, 1, null],
    ['FMF +$0.01', 'FMF', true, inForce, inForce + 1, null],
    ['PKO −$24,999.99', 'PKO', true, inForce, inForce - 2_499_999, null],
    ['CTFP +$1.00', 'CTFP', true, inForce, inForce + 100, null],
    ['IMET unchanged', 'IMET', true, inForce, inForce, 'unchanged'],
    ['FMF unchanged', 'FMF', true, inForce, inForce, 'unchanged'],
    ['FMF unchanged at zero', 'FMF', true, 0, 0, 'unchanged'],
    ['IMET first allocation', 'IMET', false, null, 50_000_000, 'first-allocation'],
    ['FMF first allocation', 'FMF', false, null, 900_000_000, 'first-allocation'],
    ['first allocation of zero', 'NADR', false, null, 0, 'first-allocation'],
  ])('%s → %s', (_case, program, hasVersions, inForceCents, amountCents, expected) => {
    expect(notificationExemption({ program, hasVersions, inForceCents, amountCents })).toBe(
      expected,
    );
  });
});

describe('versionInForce', () => {
  const v = (id: string, effectiveFrom: string, supersededAt: string | null = null) => ({
    id,
    effectiveFrom: isoDate(effectiveFrom),
    supersededAt,
  });
  const history = [
    v('a', '2018-01-10'),
    v('b', '2018-03-01'),
    v('old', '2018-04-01', '2018-02-15T12:00:00Z'),
    v('pending', '2018-06-15'),
  ];

  it.each<[string, string, string | undefined]>([
    ['before the first version', '2018-01-09', undefined],
    ['on the first effective date', '2018-01-10', 'a'],
    ['between the first two', '2018-02-28', 'a'],
    ['on the second effective date', '2018-03-01', 'b'],
    ['after a superseded version would have started', '2018-04-02', 'b'],
    ['the day before a pending version', '2018-06-14', 'b'],
    ['the day a pending version takes effect', '2018-06-15', 'pending'],
    ['long after', '2030-01-01', 'pending'],
  ])('%s (%s) → %s', (_case, on, expected) => {
    expect(versionInForce(history, isoDate(on))?.id).toBe(expected);
  });

  it('takes the latest effective date, whatever the order given', () => {
    expect(versionInForce([...history].reverse(), isoDate('2018-05-01'))?.id).toBe('b');
  });

  it('finds nothing when every version is superseded', () => {
    const all = [v('x', '2018-01-01', '2018-02-01T00:00:00Z')];
    expect(versionInForce(all, isoDate('2018-03-01'))).toBeUndefined();
    expect(versionInForce([], isoDate('2018-03-01'))).toBeUndefined();
  });

  it('keeps the first of two versions with the same effective date', () => {
    const twins = [v('first', '2018-01-01'), v('second', '2018-01-01')];
    expect(versionInForce(twins, isoDate('2018-01-01'))?.id).toBe('first');
  });

  it('answers the very object given', () => {
    const only = v('only', '2018-01-01');
    expect(versionInForce([only], isoDate('2018-01-01'))).toBe(only);
  });
});
