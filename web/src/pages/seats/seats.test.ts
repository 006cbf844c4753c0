// The seats board's view logic: filters to and from the address, and the words of a history entry.
import { describe, expect, it } from 'vitest';
import {
  actionLabel,
  boardQuery,
  changeValue,
  filtersFromParams,
  formatInstant,
  hasScope,
  paramsWith,
  statusTone,
} from './seats.js';

describe('the board filters in the address', () => {
  it('reads every filter, the country in capitals, and asks the API only for those given', () => {
    const filters = filtersFromParams(
      new URLSearchParams('country=pak&fy=2018&status=cancelled&restriction=rst_x'),
    );
    expect(filters).toEqual({
      country: 'PAK',
      fy: '2018',
      status: 'cancelled',
      course: '',
      restriction: 'rst_x',
      offset: 0,
    });
    expect(boardQuery(filters)).toEqual({
      country: 'PAK',
      fy: '2018',
      status: 'cancelled',
      restriction: 'rst_x',
    });
    expect(hasScope(filters)).toBe(true);
    expect(hasScope(filtersFromParams(new URLSearchParams('fy=2018')))).toBe(false);
    expect(hasScope(filtersFromParams(new URLSearchParams('restriction=rst_x')))).toBe(true);
  });

  it('drops an emptied filter and goes back to the first page on any change', () => {
    const start = new URLSearchParams('country=PAK&fy=2018&offset=500');
    expect(paramsWith(start, 'fy', '').toString()).toBe('country=PAK');
    expect(paramsWith(start, 'status', 'held').toString()).toBe('country=PAK&fy=2018&status=held');
    expect(paramsWith(start, 'offset', '1000').toString()).toBe('country=PAK&fy=2018&offset=1000');
    expect(paramsWith(start, 'offset', '0').toString()).toBe('country=PAK&fy=2018');
    expect(filtersFromParams(new URLSearchParams('offset=-3')).offset).toBe(0);
  });
});

describe('the words of a seat', () => {
  it('gives each status a tone, never the only cue', () => {
    expect(statusTone('cancelled')).toBe('blocked');
    expect(statusTone('held')).toBe('warn');
    expect(statusTone('completed')).toBe('ok');
    expect(statusTone('programmed')).toBe('neutral');
  });

  it('says what a history entry did and what it changed', () => {
    expect(actionLabel('seat.cancel')).toBe('Cancelled');
    expect(actionLabel('seat.ito-issued')).toBe('Moved to ITO issued');
    expect(actionLabel('school-event.in-training')).toBe('School reported: in training');
    expect(actionLabel('something.else')).toBe('something.else');
    expect(changeValue('penaltyCents', '250000')).toBe('$2,500');
    expect(changeValue('cancelledOn', '2018-01-04')).toBe('4 Jan 2018');
    expect(changeValue('status', 'in-training')).toBe('In training');
    expect(changeValue('flagged', 'true')).toBe('yes');
    expect(changeValue('reason', null)).toBe('—');
    expect(formatInstant('2026-11-27T12:05:00.000Z')).toBe('27 Nov 2026, 12:05 UTC');
  });
});
