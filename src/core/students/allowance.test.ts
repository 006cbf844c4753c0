import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, isoDate, type IsoDate } from '../dates.js';
import {
  INCIDENTALS_CENTS_PER_DAY,
  findRate,
  livingAllowance,
  type AllowanceInput,
  type AllowanceRate,
} from './allowance.js';
import { parseTlaRates } from './tla-rates.js';

const LEAVENWORTH: AllowanceRate = {
  schoolId: 'CGSC',
  installation: 'Fort Leavenworth, KS',
  lodgingMaxCents: 12_400,
  mealsCents: 6_100,
  messMealsCents: 1_400,
  governmentQuartersCents: 6_000,
};

/** 44 days: 2019-08-05 up to (not including) 2019-09-18. */
const BASE: AllowanceInput = {
  rate: LEAVENWORTH,
  from: isoDate('2019-08-05'),
  until: isoDate('2019-09-18'),
  quarters: 'commercial',
  mess: false,
  dependentsAuthorised: 0,
  dependentShare: 0.5,
};

function allowance(change: Partial<AllowanceInput> = {}) {
  return livingAllowance({ ...BASE, ...change });
}

function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8'));
}

describe('livingAllowance: quarters', () => {
  it('pays the commercial lodging maximum for every night', () => {
    const a = allowance({ quarters: 'commercial' });
    expect(a.days).toBe(44);
    expect(a.perDay.lodgingCents).toBe(12_400);
    expect(a.lodgingCents).toBe(44 * 12_400);
    expect(a.basis[0]).toBe(
      'lodging: 44 nights at $124.00 (commercial, up to the maximum at Fort Leavenworth, KS)',
    );
  });

  it('pays the quarters charge, not the maximum, in government quarters; meals unchanged', () => {
    const commercial = allowance({ quarters: 'commercial' });
    const government = allowance({ quarters: 'government' });
    expect(government.perDay.lodgingCents).toBe(6_000);
    expect(government.lodgingCents).toBe(44 * 6_000);
    expect(government.mealsCents).toBe(commercial.mealsCents);
    expect(commercial.totalCents - government.totalCents).toBe(44 * (12_400 - 6_000));
    expect(government.basis[0]).toBe(
      'lodging: 44 nights at $60.00 (government quarters charge at Fort Leavenworth, KS)',
    );
  });
});

describe('livingAllowance: mess', () => {
  it('pays the locality meals rate without the mess', () => {
    const a = allowance({ mess: false });
    expect(a.perDay.mealsCents).toBe(6_100);
    expect(a.mealsCents).toBe(44 * 6_100);
    expect(a.basis[1]).toBe('meals: 44 days at $61.00 (locality rate at Fort Leavenworth, KS)');
  });

  it('reduces meals to the mess rate, leaving lodging, incidentals and dependents alone', () => {
    const noMess = allowance({ mess: false, dependentsAuthorised: 2 });
    const mess = allowance({ mess: true, dependentsAuthorised: 2 });
    expect(mess.perDay.mealsCents).toBe(1_400);
    expect(mess.mealsCents).toBe(44 * 1_400);
    expect(mess.lodgingCents).toBe(noMess.lodgingCents);
    expect(mess.incidentalsCents).toBe(noMess.incidentalsCents);
    // Dependents are not fed by the mess: their share is of the locality rate either way.
    expect(mess.dependentsCents).toBe(noMess.dependentsCents);
    expect(mess.basis[1]).toBe(
      'meals: 44 days at $14.00 (government mess at Fort Leavenworth, KS)',
    );
  });
});

describe('livingAllowance: dependents', () => {
  it('adds nothing without authorised dependents', () => {
    const a = allowance({ dependentsAuthorised: 0 });
    expect(a.dependentsCents).toBe(0);
    expect(a.totalCents).toBe(a.lodgingCents + a.mealsCents + a.incidentalsCents);
    expect(a.basis[3]).toBe('dependents: none authorised');
  });

  it('adds the share of locality meals and incidentals per dependent per day', () => {
    const none = allowance({ dependentsAuthorised: 0 });
    const one = allowance({ dependentsAuthorised: 1 });
    const two = allowance({ dependentsAuthorised: 2 });
    // 50% of ($61.00 + $11.00) = $36.00 per dependent per day.
    expect(one.dependentsCents).toBe(44 * 3_600);
    expect(two.dependentsCents).toBe(2 * 44 * 3_600);
    expect(two.totalCents - none.totalCents).toBe(2 * 44 * 3_600);
    expect(two.basis[3]).toBe(
      'dependents: 2 authorised for 44 days, each 50% of $72.00 a day (locality meals and incidentals): $3,168.00, rounded once to the cent',
    );
  });

  it('follows the share given by the rate table', () => {
    expect(allowance({ dependentsAuthorised: 1, dependentShare: 0.25 }).dependentsCents).toBe(
      44 * 1_800,
    );
    expect(allowance({ dependentsAuthorised: 3, dependentShare: 0 }).dependentsCents).toBe(0);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %s dependents with a RangeError', (n) => {
    expect(() => allowance({ dependentsAuthorised: n })).toThrow(RangeError);
  });

  it.each([-0.1, 1.5, 0.12345, Number.NaN])('refuses a dependent share of %s', (share) => {
    expect(() => allowance({ dependentsAuthorised: 1, dependentShare: share })).toThrow(RangeError);
  });
});

describe('livingAllowance: incidentals', () => {
  it('is $11 a day', () => {
    expect(INCIDENTALS_CENTS_PER_DAY).toBe(1_100);
  });

  it.each([
    ['commercial', false],
    ['commercial', true],
    ['government', false],
    ['government', true],
  ] as const)('pays exactly $11 for each day (%s quarters, mess %s)', (quarters, mess) => {
    const a = allowance({ quarters, mess, dependentsAuthorised: 1 });
    expect(a.perDay.incidentalsCents).toBe(1_100);
    expect(a.incidentalsCents).toBe(44 * 1_100);
    expect(a.basis[2]).toBe('incidentals: 44 days at $11.00');
  });
});

describe('livingAllowance: days', () => {
  it.each([
    ['2019-08-05', '2019-08-05', 0],
    ['2019-08-05', '2019-08-06', 1],
    ['2019-08-05', '2019-09-18', 44],
    ['2020-02-28', '2020-03-01', 2],
    ['2019-02-28', '2019-03-01', 1],
    ['2019-10-01', '2020-10-01', 366],
    ['2019-12-31', '2020-01-01', 1],
  ])('from %s until %s is %i days, `from` paid and `until` not', (from, until, days) => {
    const a = allowance({ from: isoDate(from), until: isoDate(until) });
    expect(a.days).toBe(days);
    expect(a.from).toBe(from);
    expect(a.until).toBe(until);
    expect(a.totalCents).toBe(days * (12_400 + 6_100 + 1_100));
  });

  it('writes one night and one day in the singular', () => {
    const a = allowance({ until: isoDate('2019-08-06') });
    expect(a.basis[0]).toMatch(/^lodging: 1 night at /);
    expect(a.basis[2]).toBe('incidentals: 1 day at $11.00');
  });

  it('throws a RangeError when until is before from', () => {
    expect(() => allowance({ from: isoDate('2019-09-18'), until: isoDate('2019-09-17') })).toThrow(
      RangeError,
    );
  });
});

describe('livingAllowance: stopped early', () => {
  it('is pro rata by days: every component per day times the shorter period', () => {
    const full = allowance({
      from: isoDate('2019-08-05'),
      until: isoDate('2020-06-12'),
      dependentsAuthorised: 2,
    });
    const stopped = allowance({
      from: isoDate('2019-08-05'),
      until: isoDate('2019-12-01'),
      dependentsAuthorised: 2,
    });
    expect(full.days).toBe(312);
    expect(stopped.days).toBe(118);
    expect(stopped.perDay).toEqual(full.perDay);
    for (const key of [
      'lodgingCents',
      'mealsCents',
      'incidentalsCents',
      'dependentsCents',
    ] as const) {
      expect(stopped[key] * full.days).toBe(full[key] * stopped.days);
    }
    expect(stopped.totalCents).toBe(118 * (12_400 + 6_100 + 1_100 + 2 * 3_600));
  });
});

describe('livingAllowance: rounding', () => {
  const odd = { dependentsAuthorised: 1, dependentShare: 0.3333 } as const;

  it('rounds the dependents once on the whole period, not per day', () => {
    // 33.33% of $72.00 = 2399.76 cents a day.
    expect(allowance({ ...odd, until: addDays(BASE.from, 1) }).dependentsCents).toBe(2_400);
    // 3 × 2399.76 = 7199.28 → 7199; rounding each day first would give 7200.
    expect(allowance({ ...odd, until: addDays(BASE.from, 3) }).dependentsCents).toBe(7_199);
    // 44 × 2399.76 = 105589.44 → 105589.
    expect(allowance(odd).dependentsCents).toBe(105_589);
  });

  it('rounds halves up and below halves down', () => {
    const oneDay = {
      until: addDays(BASE.from, 1),
      dependentsAuthorised: 1,
      dependentShare: 0.0001,
    };
    const at = (mealsCents: number) =>
      allowance({ ...oneDay, rate: { ...LEAVENWORTH, mealsCents } });
    // 0.01% of (3900 + 1100) = 0.5 cent → 1; of (3899 + 1100) = 0.4999 → 0.
    expect(at(3_900).dependentsCents).toBe(1);
    expect(at(3_899).dependentsCents).toBe(0);
  });

  it('returns whole cents in every amount', () => {
    const a = allowance(odd);
    for (const cents of [
      a.lodgingCents,
      a.mealsCents,
      a.incidentalsCents,
      a.dependentsCents,
      a.totalCents,
    ]) {
      expect(Number.isSafeInteger(cents)).toBe(true);
    }
  });
});

describe('findRate', () => {
  const DEFAULT: AllowanceRate = { ...LEAVENWORTH, schoolId: '*', installation: 'elsewhere' };

  it('finds the rate of the school', () => {
    expect(findRate([DEFAULT, LEAVENWORTH], 'CGSC')).toBe(LEAVENWORTH);
  });

  it('falls back to the default rate', () => {
    expect(findRate([LEAVENWORTH, DEFAULT], 'AWC')).toBe(DEFAULT);
  });

  it('is undefined without a school rate or a default', () => {
    expect(findRate([LEAVENWORTH], 'AWC')).toBeUndefined();
    expect(findRate([], 'CGSC')).toBeUndefined();
  });
});

describe('the rate table in resources', () => {
  const table = parseTlaRates(readJson('../../../resources/reference/tla-rates.json'));
  const catalog = readJson('../../../resources/demo/catalog.json') as {
    schools: { id: string; location: string }[];
  };

  it('parses, with $11 incidentals and a share from 0 to 1', () => {
    expect(table.incidentalsCentsPerDay).toBe(INCIDENTALS_CENTS_PER_DAY);
    expect(table.dependentShare).toBeGreaterThan(0);
    expect(table.dependentShare).toBeLessThanOrEqual(1);
  });

  it('has a rate of its own for every school of the demo catalog, and a default', () => {
    expect(catalog.schools.length).toBeGreaterThan(0);
    for (const school of catalog.schools) {
      expect(
        table.rates.find((r) => r.schoolId === school.id),
        school.id,
      ).toBeDefined();
    }
    expect(table.rates.find((r) => r.schoolId === '*')).toBeDefined();
  });

  it('has no rate for a school the catalog does not know', () => {
    const known = new Set([...catalog.schools.map((s) => s.id), '*']);
    expect(table.rates.filter((r) => !known.has(r.schoolId))).toEqual([]);
  });

  it('gives each school the GSA FY2020 figures of its installation', () => {
    expect(findRate(table.rates, 'CGSC')).toMatchObject({
      lodgingMaxCents: 12_400,
      mealsCents: 6_100,
    });
    expect(findRate(table.rates, 'AWC')).toMatchObject({
      lodgingMaxCents: 9_600,
      mealsCents: 5_000,
    });
    expect(findRate(table.rates, 'NOT-A-SCHOOL')).toMatchObject({
      schoolId: '*',
      lodgingMaxCents: 9_600,
    });
  });
});

describe('parseTlaRates', () => {
  const rate = { ...LEAVENWORTH, source: 'GSA FY2020' };
  const valid = {
    source: 'GSA FY2020',
    notes: 'test table',
    incidentalsCentsPerDay: 1_100,
    dependentShare: 0.5,
    rates: [rate, { ...rate, schoolId: '*' }],
  };

  it('returns typed rates without the documentation fields', () => {
    const parsed = parseTlaRates(valid);
    expect(parsed).toEqual({
      incidentalsCentsPerDay: 1_100,
      dependentShare: 0.5,
      rates: [LEAVENWORTH, { ...LEAVENWORTH, schoolId: '*' }],
    });
  });

  it.each([
    ['not an object', null, /^tla-rates: \(root\): /],
    ['no notes', { ...valid, notes: undefined }, /^tla-rates: notes: /],
    [
      'other incidentals',
      { ...valid, incidentalsCentsPerDay: 1_000 },
      /^tla-rates: incidentalsCentsPerDay: must be 1100/,
    ],
    ['a share above 1', { ...valid, dependentShare: 1.5 }, /^tla-rates: dependentShare: /],
    [
      'a share with five decimals',
      { ...valid, dependentShare: 0.12345 },
      /^tla-rates: dependentShare: /,
    ],
    ['no rates', { ...valid, rates: [] }, /^tla-rates: rates: /],
    [
      'missing meals',
      { ...valid, rates: [valid.rates[0], { ...rate, schoolId: '*', mealsCents: undefined }] },
      /^tla-rates: rates\[1\]\.mealsCents: /,
    ],
    [
      'fractional cents',
      { ...valid, rates: [{ ...rate, lodgingMaxCents: 12_400.5 }, valid.rates[1]] },
      /^tla-rates: rates\[0\]\.lodgingMaxCents: /,
    ],
    [
      'negative cents',
      { ...valid, rates: [{ ...rate, messMealsCents: -1 }, valid.rates[1]] },
      /^tla-rates: rates\[0\]\.messMealsCents: /,
    ],
    [
      'quarters above the maximum',
      { ...valid, rates: [{ ...rate, governmentQuartersCents: 12_401 }, valid.rates[1]] },
      /^tla-rates: rates\[0\]\.governmentQuartersCents: exceeds lodgingMaxCents/,
    ],
    [
      'mess above meals',
      { ...valid, rates: [{ ...rate, messMealsCents: 6_101 }, valid.rates[1]] },
      /^tla-rates: rates\[0\]\.messMealsCents: exceeds mealsCents/,
    ],
    [
      'an empty installation',
      { ...valid, rates: [{ ...rate, installation: ' ' }, valid.rates[1]] },
      /^tla-rates: rates\[0\]\.installation: /,
    ],
    [
      'an unknown field',
      { ...valid, rates: [{ ...rate, lodgingCents: 1 }, valid.rates[1]] },
      /^tla-rates: rates\[0\]: .*lodgingCents/,
    ],
    [
      'a duplicate school',
      { ...valid, rates: [rate, rate, valid.rates[1]] },
      /^tla-rates: rates\[1\]\.schoolId: duplicate school CGSC/,
    ],
    ['no default rate', { ...valid, rates: [rate] }, /^tla-rates: rates: no default rate/],
  ])('rejects %s, naming the field', (_label, json, message) => {
    expect(() => parseTlaRates(json)).toThrow(message);
  });
});

describe('livingAllowance: properties', () => {
  const rateArb: fc.Arbitrary<AllowanceRate> = fc
    .record({
      lodgingMaxCents: fc.integer({ min: 0, max: 50_000 }),
      mealsCents: fc.integer({ min: 0, max: 20_000 }),
      quartersPart: fc.double({ min: 0, max: 1, noNaN: true }),
      messPart: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ lodgingMaxCents, mealsCents, quartersPart, messPart }) => ({
      schoolId: 'X',
      installation: 'Somewhere, XX',
      lodgingMaxCents,
      mealsCents,
      governmentQuartersCents: Math.floor(lodgingMaxCents * quartersPart),
      messMealsCents: Math.floor(mealsCents * messPart),
    }));

  const inputArb = fc
    .record({
      rate: rateArb,
      start: fc.integer({ min: 0, max: 2_000 }),
      days: fc.integer({ min: 0, max: 800 }),
      earlier: fc.integer({ min: 0, max: 800 }),
      quarters: fc.constantFrom('commercial' as const, 'government' as const),
      mess: fc.boolean(),
      dependentsAuthorised: fc.integer({ min: 0, max: 8 }),
      shareBasisPoints: fc.integer({ min: 0, max: 10_000 }),
    })
    .map(({ start, days, earlier, shareBasisPoints, ...rest }) => {
      const from: IsoDate = addDays(isoDate('2018-01-01'), start);
      return {
        input: {
          ...rest,
          from,
          until: addDays(from, days),
          dependentShare: shareBasisPoints / 10_000,
        } satisfies AllowanceInput,
        earlierUntil: addDays(from, Math.min(earlier, days)),
      };
    });

  it('totals lodging + meals + incidentals + dependents, in whole cents', () => {
    fc.assert(
      fc.property(inputArb, ({ input }) => {
        const a = livingAllowance(input);
        expect(a.totalCents).toBe(
          a.lodgingCents + a.mealsCents + a.incidentalsCents + a.dependentsCents,
        );
        expect(a.incidentalsCents).toBe(a.days * INCIDENTALS_CENTS_PER_DAY);
        expect(Number.isSafeInteger(a.totalCents)).toBe(true);
        expect(a.basis).toHaveLength(4);
      }),
    );
  });

  it('never increases when until moves earlier', () => {
    fc.assert(
      fc.property(inputArb, ({ input, earlierUntil }) => {
        const later = livingAllowance(input);
        const earlier = livingAllowance({ ...input, until: earlierUntil });
        expect(earlier.totalCents).toBeLessThanOrEqual(later.totalCents);
        expect(earlier.dependentsCents).toBeLessThanOrEqual(later.dependentsCents);
      }),
    );
  });
});
