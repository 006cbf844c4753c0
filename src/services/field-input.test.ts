import { describe, expect, it } from 'vitest';
import {
  parseDateField,
  parseInstant,
  parseKnownOn,
  parseOptionalDateField,
  parseWholeNumberField,
} from './field-input.js';

describe('parseDateField', () => {
  it.each([
    ['1950-01-01', { ok: true, value: '1950-01-01' }],
    ['2100-12-31', { ok: true, value: '2100-12-31' }],
    ['2020-02-29', { ok: true, value: '2020-02-29' }],
  ])('accepts %s', (text, expected) => {
    expect(parseDateField('on', text)).toEqual(expected);
  });

  it.each([
    ['1949-12-31', /^1949-12-31 is outside 1950–2100$/],
    ['2101-01-01', /^2101-01-01 is outside 1950–2100$/],
    ['2019-13-01', /^not a calendar date YYYY-MM-DD \(1950–2100\): 2019-13-01$/],
    ['2019-02-29', /^not a calendar date/],
    ['yesterday', /^not a calendar date/],
    ['2019-1-1', /^not a calendar date/],
    [' 2019-01-01', /^not a calendar date/],
    ['', /^not a calendar date/],
  ])('refuses %j, naming the field and the range', (text, message) => {
    const result = parseDateField('from', text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'INPUT.INVALID', field: 'from' });
    expect(result.error.message).toMatch(message);
  });

  it('leaves an optional date out when absent or empty, and checks it otherwise', () => {
    expect(parseOptionalDateField('until', undefined)).toEqual({ ok: true, value: null });
    expect(parseOptionalDateField('until', '')).toEqual({ ok: true, value: null });
    expect(parseOptionalDateField('until', '2101-01-01').ok).toBe(false);
  });
});

describe('parseInstant', () => {
  it.each([
    ['2019-02-28T00:00:00Z', '2019-02-28T00:00:00.000Z'],
    ['2019-02-28', '2019-02-28T00:00:00.000Z'],
    ['2019-02-28T10:00+05:30', '2019-02-28T04:30:00.000Z'],
    ['2019-02-28T10:00:00.5-0500', '2019-02-28T15:00:00.500Z'],
    ['2020-02-29T23:59:59Z', '2020-02-29T23:59:59.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });

  it.each([
    '2019-02-30T00:00:00Z', // Date.parse reads this as 2019-03-02
    '2019-02-29T00:00:00Z',
    '2019-13-01T00:00:00Z',
    '2019-02-28T25:00:00Z',
    '2019-02-28T23:60:00Z',
    '2019-02-30',
    '2019-02-28T10:00:00', // no offset: which zone?
    'yesterday',
    '',
  ])('refuses %j instead of rolling it over', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it('refuses a known-on instant that is impossible or still to come, naming the field', () => {
    const clock = () => '2026-01-01T00:00:00.000Z';
    expect(parseKnownOn('knownOn', '2019-02-30T00:00:00Z', clock)).toMatchObject({
      ok: false,
      error: { field: 'knownOn' },
    });
    expect(parseKnownOn('knownOn', '2027-01-01', clock)).toMatchObject({
      ok: false,
      error: { field: 'knownOn', message: expect.stringMatching(/in the future/) as unknown },
    });
    expect(parseKnownOn('knownOn', undefined, clock)).toEqual({ ok: true, value: null });
  });
});

describe('parseWholeNumberField', () => {
  it.each([
    ['5', {}, 5],
    [' 7 ', {}, 7],
    ['0', { min: 0 }, 0],
    ['100', { min: 0, max: 100 }, 100],
  ])('%j within %j is %i', (text, bounds, expected) => {
    expect(parseWholeNumberField('limit', text, bounds)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['-5', {}],
    ['0', {}],
    ['2.5', {}],
    ['abc', {}],
    ['5x', {}],
    ['1e3', {}],
    ['0x10', {}],
    ['', {}],
    ['101', { min: 0, max: 100 }],
    ['-1', { min: 0 }],
    ['99999999999999999999', {}],
  ])('refuses %j within %j, naming the field', (text, bounds) => {
    const result = parseWholeNumberField('limit', text, bounds);
    expect(result).toMatchObject({ ok: false, error: { code: 'INPUT.INVALID', field: 'limit' } });
  });
});
