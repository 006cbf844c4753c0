// The program's unit of money: chosen from the instance so the solver sees coefficients near 1
// (in dollars, HiGHS stopped with gaps of 0.4% to 1% on programs it now solves to 0.1%).
import { describe, expect, it } from 'vitest';
import { reprogramInstance } from '../../../test/support/reprogram-instances.js';
import { isoDate } from '../dates.js';
import {
  buildModel,
  DEFAULT_WEIGHTS,
  moneyUnitOf,
  perDollar,
  type ReprogramInput,
} from './model.js';

const withSeatCents = (...seatCents: number[]): ReprogramInput => {
  const input = reprogramInstance(1, { countries: 1, linesEach: seatCents.length });
  return {
    ...input,
    candidates: input.candidates.map((c, i) => ({ ...c, seatCents: seatCents[i]! })),
  };
};

describe('the program’s unit of money', () => {
  it('is the power of ten at or below the dearest seat, and never less than a dollar', () => {
    expect(moneyUnitOf(withSeatCents(500_000, 12_000_000))).toBe(10_000_000);
    expect(moneyUnitOf(withSeatCents(999_999))).toBe(100_000);
    expect(moneyUnitOf(withSeatCents(1_000_000))).toBe(1_000_000);
    expect(moneyUnitOf(withSeatCents(0, 42))).toBe(100);
    expect(moneyUnitOf({ ...withSeatCents(1), candidates: [] })).toBe(100);
  });

  it('keeps every coefficient and money bound of a 200-country program near 1', () => {
    for (const pool of ['released', 'end-of-year'] as const) {
      const model = buildModel(reprogramInstance(3, { countries: 200, linesEach: 50, pool }));
      const money = model.values.filter((v) => v !== 1 && v !== -1);
      expect(money.length).toBeGreaterThan(1000);
      for (const v of money) expect(Math.abs(v)).toBeGreaterThanOrEqual(1e-3);
      for (const v of money) expect(Math.abs(v)).toBeLessThanOrEqual(1e3);
      for (const row of model.rows) expect(Math.abs(row.upper)).toBeLessThanOrEqual(1e4);
    }
  });

  it('states money rows in the unit and gives their shadow prices per dollar', () => {
    const line = (lineId: string, seatCents: number) => ({
      lineId,
      country: 'AAA',
      courseId: `C-${lineId}`,
      category: 'PME' as const,
      eImet: false,
      priority: 'B' as const,
      classStart: isoDate('2018-09-10'),
      seats: 2,
      seatCents,
      blocking: [],
    });
    const model = buildModel({
      fiscalYear: 2018,
      pool: 'released',
      poolCents: 5_000_000,
      on: isoDate('2018-08-10'),
      lists: [
        {
          country: 'AAA',
          allocationCents: 20_000_000,
          priorityACents: 19_000_000,
          pmeCents: 15_000_000,
          pooledCents: 0,
        },
      ],
      candidates: [line('a1', 2_500_000), line('a2', 1_000_000)],
      capacities: [{ courseId: 'C-a1', classStart: isoDate('2018-09-10'), seats: 1 }],
      weights: DEFAULT_WEIGHTS,
    });
    expect(model.moneyUnitCents).toBe(1_000_000);
    const row = (rule: string) => model.rows.findIndex((r) => r.rule === rule);
    expect(model.rows[row('POOL')]!.upper).toBe(5);
    expect(model.rows[row('PRIORITY_A_WITHIN_ALLOCATION')]!.upper).toBe(1);
    expect(model.rows[row('PME_AT_LEAST_HALF')]!.upper).toBe(10);
    expect(model.values.slice(model.starts[row('PRIORITY_A_WITHIN_ALLOCATION')])).toEqual(
      expect.arrayContaining([2.5, 1, -1]),
    );
    // A value of 3 per $10,000 is 0.0003 per dollar; a class's price stays per seat.
    expect(perDollar(model, row('POOL'), 3)).toBeCloseTo(0.0003, 12);
    expect(perDollar(model, row('CLASS_CAPACITY'), 3)).toBe(3);
  });
});
