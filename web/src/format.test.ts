// Money and dates as the pages show them.
import { describe, expect, it } from 'vitest';
import { formatDate, formatUsd } from './format.js';

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
