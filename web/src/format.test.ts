// Money and dates as the pages show them.
import { describe, expect, it } from 'vitest';
import { formatDate, formatFrom, formatRecordDate, formatUntil, formatUsd } from './format.js';

describe('formatUsd', () => {
  it.each([
    [480_000_000, '$4,800,000'],
    [0, '$0'],
    [5, '$0.05'],
    [40_000_050, '$400,000.50'],
    [-123_456, '-$1,234.56'],
    [900_719_925_474_099, '$9,007,199,254,740.99'],
  ])('%i cents → %s', (cents, text) => expect(formatUsd(cents)).toBe(text));
});

describe('formatDate', () => {
  it.each([
    ['2018-01-04', 'day', '4 Jan 2018'],
    ['2006-05-01', 'month', 'May 2006'],
    ['1990-01-01', 'year', '1990'],
  ] as const)('%s (%s) → %s', (date, precision, text) =>
    expect(formatDate(date, precision)).toBe(text),
  );

  it('shows an unreadable date as it came', () => expect(formatDate('soon')).toBe('soon'));
});

describe('formatRecordDate', () => {
  it.each([
    ['2018-01-04', 'exact', '4 Jan 2018', 'Jan 2018'],
    ['2018-01-04', null, '4 Jan 2018', 'Jan 2018'],
    ['2018-08-01', 'month', 'Aug 2018 (month only)', 'Aug 2018'],
    ['2006-01-01', 'year', '2006 (year only)', '2006'],
    ['2015-10-01', 'year', 'FY2016 (fiscal year only)', 'FY2016'],
    ['2014-10-30', 'approx', 'about 30 Oct 2014', 'about Oct 2014'],
  ] as const)('%s (%s) → %s, or %s for short', (date, quality, text, short) => {
    expect(formatRecordDate(date, quality)).toBe(text);
    expect(formatRecordDate(date, quality, true)).toBe(short);
  });

  it('never shows a day of a date known only to the month or year', () => {
    for (const quality of ['month', 'year'] as const)
      for (const short of [false, true])
        expect(formatRecordDate('2018-08-01', quality, short)).not.toMatch(/\b1 Aug|08-01/);
  });

  it('reads the qualities a record or a decision gives, and an open end as none', () => {
    const record = { from: '2018-01-04', until: '2018-08-01', untilQuality: 'month' } as const;
    expect(formatFrom(record)).toBe('4 Jan 2018');
    expect(formatUntil(record)).toBe('Aug 2018 (month only)');
    expect(formatFrom({ from: '2006-01-01', until: null, dateQuality: 'year' })).toBe(
      '2006 (year only)',
    );
    expect(formatFrom({ from: '2006-05-01', until: null, fromQuality: 'month' })).toBe(
      'May 2006 (month only)',
    );
    expect(formatUntil({ from: '2006-05-01', until: null })).toBeNull();
  });
});
