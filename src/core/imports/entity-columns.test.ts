// The entity files' columns and cells: header checks, cell readers, keys given twice, dollars.
import { describe, expect, it } from 'vitest';
import {
  CellReader,
  centsText,
  checkHeader,
  columnOfField,
  dollarsCents,
  duplicateKeys,
  ENTITY_COLUMNS,
  ENTITY_KINDS,
  rowKey,
  type SheetRow,
} from './entity-columns.js';

const row = (cells: Record<string, string>, n = 2): SheetRow => ({ row: n, cells });

describe('checkHeader', () => {
  it("accepts every kind's own columns in any order", () => {
    for (const kind of ENTITY_KINDS)
      expect(checkHeader(kind, ENTITY_COLUMNS[kind].map((c) => c.name).reverse())).toEqual([]);
  });

  it('names an unknown column, a column given twice and each required column missing', () => {
    expect(checkHeader('allocations', ['country', 'program', 'Program', 'country'])).toEqual([
      expect.objectContaining({
        row: 1,
        column: 'Program',
        message: expect.stringContaining('unknown column "Program"') as unknown,
      }),
      { row: 1, column: 'country', message: 'column "country" is given twice' },
      { row: 1, column: 'fiscalYear', message: 'required column "fiscalYear" is missing' },
      { row: 1, column: 'amount', message: 'required column "amount" is missing' },
      { row: 1, column: 'reason', message: 'required column "reason" is missing' },
    ]);
  });
});

describe('dollars', () => {
  it.each([
    ['50430.5', 5_043_050],
    ['$1,200.00', 120_000],
    ['0', 0],
    ['9999999999999.99', 999_999_999_999_999],
  ])('reads %s as %d cents', (text, cents) => {
    expect(dollarsCents(text)).toBe(cents);
    expect(dollarsCents(centsText(cents))).toBe(cents);
  });

  it.each(['-5', '1.234', '1e6', '', 'abc'])('refuses %j', (text) => {
    expect(dollarsCents(text)).toBeUndefined();
  });

  it('writes cents as dollars with two decimals', () => {
    expect(centsText(5)).toBe('0.05');
    expect(centsText(5_043_050)).toBe('50430.50');
  });
});

describe('CellReader', () => {
  it('reads numbers, booleans, lists and tuition, collecting each bad cell with its row and column', () => {
    const r = new CellReader(
      row(
        {
          seats: '3',
          fy: '20x',
          ok: 'Yes',
          bad: 'maybe',
          names: 'A; ;B',
          tuition: '2019=10.5; FY2020: 11; junk',
        },
        7,
      ),
    );
    expect(r.integer('seats')).toBe(3);
    expect(r.integer('fy')).toBeUndefined();
    expect(r.integer('absent')).toBeUndefined();
    expect(r.boolean('ok')).toBe(true);
    expect(r.boolean('bad')).toBe(false);
    expect(r.list('names')).toEqual(['A', 'B']);
    expect(r.tuition('tuition')).toEqual([
      { fiscalYear: 2019, cents: 1050 },
      { fiscalYear: 2020, cents: 1100 },
    ]);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [7, 'fy'],
      [7, 'bad'],
      [7, 'tuition'],
    ]);
  });
});

describe('keys', () => {
  it('refuses a key given twice, naming both rows', () => {
    const rows = [row({ id: 'b171005' }, 2), row({ id: 'X1' }, 3), row({ id: 'B171005 ' }, 9)];
    expect(duplicateKeys(rows, (r) => rowKey('courses', r), 'id', 'course')).toEqual([
      { row: 9, column: 'id', message: 'course B171005 is in rows 2 and 9: give it once' },
    ]);
  });

  it('matches a student without id by country, names (case and spaces aside) and birth date', () => {
    const a = row({
      country: 'jor',
      familyName: 'Al  Zoubi',
      givenNames: 'Khalid',
      birthDate: '1989-12-11',
    });
    const b = row({
      country: 'JOR',
      familyName: 'al zoubi',
      givenNames: 'KHALID',
      birthDate: '1989-12-11',
    });
    const c = row({ country: 'JOR', familyName: 'al zoubi', givenNames: 'KHALID', birthDate: '' });
    expect(rowKey('students', a)).toBe(rowKey('students', b));
    expect(rowKey('students', a)).not.toBe(rowKey('students', c));
    expect(
      rowKey(
        'lines',
        row({ country: 'JOR', fiscalYear: '2020', course: 'x', classStart: '2020-06-01' }),
      ),
    ).toBe('JOR FY2020 X IMET from 2020-06-01');
  });

  it("maps a check's field to the file's column, or the whole row", () => {
    expect(columnOfField('lines', 'start')).toBe('classStart');
    expect(columnOfField('allocations', 'amountCents')).toBe('amount');
    expect(columnOfField('students', 'birthDate')).toBe('birthDate');
    expect(columnOfField('students', 'version')).toBe('*');
    expect(columnOfField('courses', undefined)).toBe('*');
  });
});
