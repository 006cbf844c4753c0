import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  dateOfInstant,
  addDays,
  daysBetween,
  fiscalYearInterval,
  fiscalYearOf,
  intervalContains,
  isoDate,
  parseIsoDate,
  type IsoDate,
} from './dates.js';

/** `YYYY-MM-DD` of any numbers, whether or not such a day exists. */
const dateShape = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

describe('parseIsoDate', () => {
  it.each([
    ['2020-02-29', '2020-02-29'],
    ['2019-02-29', undefined],
    ['2019-13-01', undefined],
    ['2019-1-01', undefined],
    ['20190101', undefined],
    ['2019-01-01T00:00', undefined],
    ['', undefined],
  ])('%s → %s', (text, expected) => {
    expect(parseIsoDate(text)).toBe(expected);
  });

  it('agrees with the Temporal calendar on every YYYY-MM-DD shape, days 00–39 of months 00–19', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 19 }),
        fc.integer({ min: 0, max: 39 }),
        (y, m, d) => {
          const text = dateShape(y, m, d);
          let expected: string | undefined;
          try {
            expected = Temporal.PlainDate.from(text, { overflow: 'reject' }).toString();
          } catch {
            expected = undefined;
          }
          expect(parseIsoDate(text)).toBe(expected);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('date arithmetic', () => {
  it('ends a 15-day notification window on the 15th day after notification', () => {
    expect(addDays(isoDate('2019-12-19'), 15)).toBe('2020-01-03');
  });

  it('adds and counts days consistently', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        fc.integer({ min: -5000, max: 5000 }),
        (d, n) => {
          const from = d.toISOString().slice(0, 10) as IsoDate;
          expect(daysBetween(from, addDays(from, n))).toBe(n);
        },
      ),
    );
  });
});

describe('date arithmetic without Temporal', () => {
  /** What `add` returns, or the kind of error it throws. */
  const outcome = (add: () => string) => {
    try {
      return add();
    } catch (e) {
      return e instanceof RangeError ? 'RangeError' : 'other';
    }
  };
  const temporalAdd = (date: string, days: number) =>
    outcome(() => Temporal.PlainDate.from(date).add({ days }).toString());
  const fastAdd = (date: string, days: number) => outcome(() => addDays(date as IsoDate, days));

  it('adds days as Temporal does, on every YYYY-MM-DD shape and whole or fractional days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.oneof(
          fc.integer({ min: -4_000_000, max: 4_000_000 }),
          fc.integer({ min: -400, max: 400 }),
          fc.double({ min: -10, max: 10, noNaN: true }),
        ),
        (y, m, d, days) => {
          const text = dateShape(y, m, d);
          expect(fastAdd(text, days)).toBe(temporalAdd(text, days));
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['2020-02-28', 1, '2020-02-29'],
    ['2019-02-28', 1, '2019-03-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['1900-02-28', 1, '1900-03-01'],
    ['0100-01-01', -1, '0099-12-31'],
    ['0099-12-31', 1, '0100-01-01'],
    ['9999-12-31', -364, '9999-01-01'],
    ['1969-12-31', 1, '1970-01-01'],
  ])(
    '%s plus %i days is %s, across leap days, centuries and the edges of the fast path',
    (date, days, expected) => {
      expect(addDays(date as IsoDate, days)).toBe(expected);
      expect(daysBetween(date as IsoDate, expected as IsoDate)).toBe(days);
    },
  );

  it('counts days between any two dates as Temporal does', () => {
    const day = fc
      .date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10) as IsoDate);
    fc.assert(
      fc.property(day, day, (a, b) => {
        expect(daysBetween(a, b)).toBe(
          Temporal.PlainDate.from(a).until(Temporal.PlainDate.from(b), { largestUnit: 'days' })
            .days,
        );
      }),
      { numRuns: 5000 },
    );
  });
});

describe('fiscal years', () => {
  it.each([
    ['2019-09-30', 2019],
    ['2019-10-01', 2020],
    ['2020-09-30', 2020],
    ['2018-08-01', 2018],
  ])('%s is in FY%i', (date, fy) => {
    expect(fiscalYearOf(isoDate(date))).toBe(fy);
  });

  it('FY2020 runs 2019-10-01 to 2020-09-30', () => {
    expect(fiscalYearInterval(2020)).toEqual({ from: '2019-10-01', until: '2020-10-01' });
  });
});

describe('intervalContains', () => {
  const interval = { from: isoDate('2018-01-04'), until: isoDate('2018-08-01') };
  it.each([
    ['2018-01-03', false],
    ['2018-01-04', true],
    ['2018-07-31', true],
    ['2018-08-01', false],
  ])('[2018-01-04, 2018-08-01) contains %s: %s', (date, inside) => {
    expect(intervalContains(interval, isoDate(date))).toBe(inside);
  });

  it('is open-ended without until', () => {
    expect(intervalContains({ from: isoDate('2020-01-03') }, isoDate('2099-12-31'))).toBe(true);
  });
});

describe('dateOfInstant', () => {
  it('gives the UTC date Temporal gives, for instants in UTC and with an offset', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2200-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offsetMinutes) => {
          const instant = Temporal.Instant.fromEpochMilliseconds(date.getTime());
          const utc = instant.toZonedDateTimeISO('UTC').toPlainDate().toString();
          expect(dateOfInstant(date.toISOString())).toBe(utc);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const hh = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
          const mm = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
          const local = instant.toString({ timeZone: `${sign}${hh}:${mm}` });
          expect(dateOfInstant(local)).toBe(utc);
        },
      ),
    );
  });
});
