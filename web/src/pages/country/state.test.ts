import { describe, expect, it } from 'vitest';
import { formatDate } from '../../format.js';
import {
  formatInstant,
  joinKnownOn,
  questionOf,
  splitKnownOn,
  withQuestion,
  yearOf,
} from './state.js';

describe('the explain question in the address', () => {
  it('defaults to IMET today, as known now', () => {
    expect(questionOf(new URLSearchParams(''), '2026-11-27')).toEqual({
      program: 'IMET',
      on: '2026-11-27',
      course: undefined,
      knownOn: undefined,
    });
  });

  it('reads program (any case), date, course and knownOn', () => {
    const q = questionOf(
      new URLSearchParams('program=fmf&on=2019-06-01&course=P176019&knownOn=2019-12-01'),
      '2026-11-27',
    );
    expect(q).toEqual({
      program: 'FMF',
      on: '2019-06-01',
      course: 'P176019',
      knownOn: '2019-12-01',
    });
  });

  it('falls back to IMET for a program it does not know', () => {
    expect(questionOf(new URLSearchParams('program=XYZ'), '2026-11-27').program).toBe('IMET');
  });

  it('writes the question back, dropping what is unset and keeping other parameters', () => {
    const params = withQuestion(new URLSearchParams('fy=2018&course=OLD&knownOn=2019-01-01'), {
      program: 'IMET',
      on: '2020-01-04',
      course: undefined,
      knownOn: undefined,
    });
    expect(params.toString()).toBe('fy=2018&program=IMET&on=2020-01-04');
  });

  it('round-trips through the address', () => {
    const question = {
      program: 'IMET' as const,
      on: '2020-01-04',
      course: 'P176019',
      knownOn: '2019-12-01T14:30:00Z',
    };
    const params = withQuestion(new URLSearchParams(), question);
    expect(questionOf(new URLSearchParams(params.toString()), '2026-11-27')).toEqual(question);
  });
});

describe('as known on', () => {
  it('splits a date or an instant for the form, and joins them back', () => {
    expect(splitKnownOn(undefined)).toEqual({ date: '', time: '' });
    expect(splitKnownOn('2019-12-01')).toEqual({ date: '2019-12-01', time: '' });
    expect(splitKnownOn('2019-12-01T14:30:00Z')).toEqual({ date: '2019-12-01', time: '14:30' });
    expect(joinKnownOn('2019-12-01', '')).toBe('2019-12-01');
    expect(joinKnownOn('2019-12-01', '14:30')).toBe('2019-12-01T14:30:00Z');
  });

  it('shows an instant in UTC words', () => {
    expect(formatInstant('2019-12-01T00:00:00.000Z', formatDate)).toBe('1 Dec 2019, 00:00 UTC');
    expect(formatInstant('soon', formatDate)).toBe('soon');
  });
});

describe('a fiscal year parameter', () => {
  it('is four digits or nothing', () => {
    expect(yearOf(new URLSearchParams('fy=2018'), 'fy')).toBe(2018);
    expect(yearOf(new URLSearchParams('fy=18'), 'fy')).toBeUndefined();
    expect(yearOf(new URLSearchParams(''), 'fy')).toBeUndefined();
  });
});
