import { describe, expect, it } from 'vitest';
import {
  attachmentName,
  changeSummary,
  entityPath,
  entriesQuery,
  formatInstant,
  formatValue,
  pageRange,
  paramsFromView,
  viewFromParams,
} from './audit.js';

describe('the view in the address', () => {
  it('reads filters, page, size and the opened entry, and writes back only what differs', () => {
    const params = new URLSearchParams(
      'entityType=seat&entityId=seat_1&from=2026-11-01&page=3&size=100&entry=4502',
    );
    const view = viewFromParams(params);
    expect(view).toEqual({
      filters: {
        actor: '',
        action: '',
        entityType: 'seat',
        entityId: 'seat_1',
        from: '2026-11-01',
        to: '',
      },
      page: 3,
      size: 100,
      open: 4502,
    });
    expect(paramsFromView(view).toString()).toBe(
      'entityType=seat&entityId=seat_1&from=2026-11-01&page=3&size=100&entry=4502',
    );
    expect(paramsFromView(viewFromParams(new URLSearchParams())).toString()).toBe('');
  });

  it('falls back to the defaults for what it cannot read', () => {
    const view = viewFromParams(new URLSearchParams('page=0&size=7&entry=x'));
    expect(view).toMatchObject({ page: 1, size: 50, open: null });
  });

  it('asks the API for the page the view shows', () => {
    const view = viewFromParams(new URLSearchParams('action=seat.cancel&page=2&size=25'));
    expect(entriesQuery(view)).toEqual({ action: 'seat.cancel', limit: '25', offset: '25' });
  });
});

describe("an entry's record", () => {
  it('links the kinds of record the app has a page for', () => {
    expect(entityPath('seat', 'seat_1')).toBe('/seats/seat_1');
    expect(entityPath('student', 'stu_1')).toBe('/students/stu_1');
    expect(entityPath('restriction', 'rst_pak-2018')).toBe('/decisions/restrictions/rst_pak-2018');
    expect(entityPath('country', 'PAK')).toBe('/countries/PAK');
    expect(entityPath('allocation', 'alc_1')).toBeNull();
    expect(entityPath('country', 'not a code')).toBeNull();
  });
});

describe('words for people', () => {
  it('writes instants in UTC whatever the reader’s zone', () => {
    expect(formatInstant('2026-11-27T12:00:00.000Z')).toBe('27 Nov 2026, 12:00:00 UTC');
    expect(formatInstant('yesterday')).toBe('yesterday');
  });

  it('summarises a change by the fields it touched', () => {
    const entry = (before: unknown, after: unknown, fields: string[], action = 'seat.cancel') => ({
      action,
      before,
      after,
      changes: fields.map((field) => ({ field, before: null, after: null })),
    });
    expect(changeSummary(entry(null, { a: 1, b: 2 }, ['a', 'b']))).toBe('set a, b');
    expect(changeSummary(entry(null, {}, ['a', 'b', 'c', 'd']))).toBe('set 4 fields');
    expect(changeSummary(entry({ a: 1 }, { a: 2 }, ['status']))).toBe('status');
    expect(changeSummary(entry({}, {}, ['a', 'b', 'c', 'd', 'e']))).toBe('a, b, c and 2 more');
    expect(changeSummary(entry(null, null, [], 'read'))).toBe('read the record');
  });

  it('shortens long values and counts pages', () => {
    expect(formatValue(null)).toBe('—');
    expect(formatValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(formatValue('x'.repeat(10), 5)).toBe('xxxx…');
    expect(pageRange({ offset: 50, count: 50, total: 4502 })).toBe('Entries 51–100 of 4,502');
    expect(pageRange({ offset: 0, count: 0, total: 0 })).toBe('No entries (of 0)');
  });

  it('takes the file name from Content-Disposition', () => {
    expect(attachmentName('attachment; filename="cp-1.json"', 'x.json')).toBe('cp-1.json');
    expect(attachmentName(null, 'x.json')).toBe('x.json');
  });
});
