import { describe, expect, it } from 'vitest';
import { isoDate } from '../dates.js';
import { dateCell, dateText, fileStem, totalsRow, type ReportColumn } from './report-document.js';

describe('dateText', () => {
  it.each([
    ['exact', '2018-08-01'],
    ['month', '2018-08 (month only)'],
    ['year', '2018 (year only)'],
    ['approx', 'about 2018-08-01'],
  ] as const)('shows a %s date as %s', (quality, text) => {
    expect(dateText({ date: isoDate('2018-08-01'), quality })).toBe(text);
  });

  it('shows a year date on 1 October as its fiscal year', () => {
    expect(dateText({ date: isoDate('2015-10-01'), quality: 'year' })).toBe(
      'FY2016 (fiscal year only)',
    );
  });

  it('makes no cell of a missing date and an exact one of an unqualified date', () => {
    expect(dateCell(null)).toBeNull();
    expect(dateCell(isoDate('2020-01-03'), null)).toEqual({ date: '2020-01-03', quality: 'exact' });
  });
});

describe('totalsRow', () => {
  const columns: ReportColumn[] = [
    { header: 'Course', kind: 'text' },
    { header: 'Start', kind: 'date' },
    { header: 'Seats', kind: 'count' },
    { header: 'Money', kind: 'money' },
  ];
  const rows = [
    ['A', dateCell(isoDate('2018-01-01')), 2, 150],
    ['B', null, 3, 1_000_001],
  ];

  it('sums count and money columns and leaves the others empty', () => {
    expect(totalsRow('Total', columns, rows)).toEqual(['Total', null, 5, 1_000_151]);
  });

  it('sums only the columns asked', () => {
    expect(totalsRow('Total', columns, rows, [3])).toEqual(['Total', null, null, 1_000_151]);
  });
});

describe('fileStem', () => {
  it('keeps letters, digits, dots and dashes', () => {
    expect(fileStem('impact', 'rst_pak/2018', '2026-11-30')).toBe('impact-rst-pak-2018-2026-11-30');
  });
});
