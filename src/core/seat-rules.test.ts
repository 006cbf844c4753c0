import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from './dates.js';
import {
  CANCELLATION_REASONS,
  canTransition,
  cancellationPenalty,
  nextStatuses,
  proRataCharge,
  type CancellationReason,
} from './seat-rules.js';
import { SEAT_STATUSES } from './training.js';

const d = (s: string) => s as IsoDate;

describe('seat transitions', () => {
  it.each([
    ['planned', 'programmed', true],
    ['programmed', 'nominated', true],
    ['nominated', 'cleared', true],
    ['cleared', 'ito-issued', true],
    ['ito-issued', 'in-training', true],
    ['in-training', 'completed', true],
    ['in-training', 'not-completed', true],
    ['planned', 'nominated', false],
    ['programmed', 'in-training', false],
    ['completed', 'in-training', false],
    ['in-training', 'cancelled', false],
    ['in-training', 'held', false],
    ['ito-issued', 'cancelled', true],
    ['planned', 'held', true],
    ['cancelled', 'programmed', false],
    ['not-completed', 'completed', false],
  ] as const)('%s → %s: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('returns a held seat only to the status it was held from, or cancels it', () => {
    expect(canTransition('held', 'nominated', 'nominated')).toBe(true);
    expect(canTransition('held', 'cleared', 'nominated')).toBe(false);
    expect(canTransition('held', 'cancelled', 'nominated')).toBe(true);
    expect(canTransition('held', 'held', 'nominated')).toBe(false);
  });

  it('lists exactly the statuses canTransition allows', () => {
    for (const from of SEAT_STATUSES) {
      for (const previous of [null, 'programmed'] as const) {
        const allowed = SEAT_STATUSES.filter((to) => canTransition(from, to, previous));
        expect(new Set(nextStatuses(from, previous))).toEqual(new Set(allowed));
      }
    }
  });
});

describe('cancellation penalty', () => {
  const base = {
    refilled: false,
    dedicated: false,
    tuitionCents: 1_000_000,
    classStart: d('2020-03-01'),
  };
  it.each([
    ['partner-request', false, '2020-01-31', 500_000],
    ['partner-request', false, '2020-01-01', 0],
    ['partner-request', false, '2020-01-02', 500_000],
    ['partner-request', true, '2019-06-01', 1_000_000],
    ['us-restriction', true, '2020-02-28', 0],
    ['class-deleted', false, '2020-02-28', 0],
    ['in-country-event', true, '2020-02-28', 0],
    ['visa-delay', true, '2020-02-28', 0],
    ['student-unavailable', false, '2020-02-01', 500_000],
  ] as const)('%s (dedicated %s) on %s costs %i', (reason, dedicated, cancelledOn, cents) => {
    expect(
      cancellationPenalty({ ...base, reason, dedicated, cancelledOn: d(cancelledOn) }).cents,
    ).toBe(cents);
  });

  it('costs nothing when the seat is refilled', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(CANCELLATION_REASONS) as CancellationReason[])),
        fc.boolean(),
        (reason, dedicated) => {
          expect(
            cancellationPenalty({
              ...base,
              reason,
              dedicated,
              refilled: true,
              cancelledOn: d('2020-02-28'),
            }).cents,
          ).toBe(0);
        },
      ),
    );
  });

  it('never exceeds the tuition', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: -30, max: 400 }),
        fc.boolean(),
        (tuition, notice, dedicated) => {
          const cancelledOn = new Date(Date.UTC(2020, 2, 1) - notice * 86_400_000)
            .toISOString()
            .slice(0, 10) as IsoDate;
          const p = cancellationPenalty({
            ...base,
            reason: 'partner-request',
            dedicated,
            tuitionCents: tuition,
            cancelledOn,
          });
          expect(p.cents).toBeGreaterThanOrEqual(0);
          expect(p.cents).toBeLessThanOrEqual(tuition);
        },
      ),
    );
  });
});

describe('pro-rata charge for a student who does not complete', () => {
  it.each([
    ['2020-03-01', 0],
    ['2020-03-15', 500_000],
    ['2020-03-29', 1_000_000],
    ['2020-05-01', 1_000_000],
    ['2020-02-01', 0],
  ])('stopped on %s: %i of 1,000,000 for a 4-week course', (stoppedOn, cents) => {
    expect(proRataCharge(1_000_000, d('2020-03-01'), 4, d(stoppedOn))).toBe(cents);
  });
});
