import { describe, expect, it } from 'vitest';
import {
  applyBody,
  mayReprogram,
  pricePerThousand,
  ratioText,
  readReprogramForm,
  reprogramQuery,
  ruleLabel,
  writeReprogramForm,
} from './reprogram.js';

describe('the re-programming form', () => {
  it('reads the address, with this fiscal year and the released pool by default', () => {
    expect(readReprogramForm(new URLSearchParams(''), 2027)).toEqual({
      fy: '2027',
      pool: 'released',
      country: '',
      on: '',
    });
    expect(
      readReprogramForm(new URLSearchParams('fy=2018&pool=end-of-year&country=pak'), 2027),
    ).toEqual({ fy: '2018', pool: 'end-of-year', country: 'PAK', on: '' });
    expect(readReprogramForm(new URLSearchParams('pool=spare'), 2027).pool).toBe('released');
  });

  it('writes back what it read, and asks the API only what was given', () => {
    const form = { fy: '2018', pool: 'released' as const, country: 'pak', on: '2018-08-01' };
    expect(writeReprogramForm(form).toString()).toBe(
      'fy=2018&pool=released&country=PAK&on=2018-08-01',
    );
    expect(readReprogramForm(writeReprogramForm(form), 2027)).toEqual({ ...form, country: 'PAK' });
    expect(reprogramQuery({ ...form, country: ' ', on: '' })).toEqual({
      fy: '2018',
      pool: 'released',
    });
  });

  it('names rules, ratios and shadow prices as people read them', () => {
    expect(ruleLabel('PME_AT_LEAST_HALF')).toBe('PME at least half of the allocation');
    expect(ruleLabel('SOMETHING_NEW')).toBe('SOMETHING_NEW');
    expect(ratioText(122, 121)).toBe('1.008×');
    expect(ratioText(3, 0)).toBe('—');
    expect(pricePerThousand(0.0000306, 'POOL')).toBe('0.031 per $1,000');
    expect(pricePerThousand(1.5, 'CLASS_CAPACITY')).toBe('1.50 per seat');
  });
});

describe('applying a proposal', () => {
  it('sends the question it answered, its basis, its chosen lines and the notification day', () => {
    const answer = { basis: 'b'.repeat(43) } as Parameters<typeof applyBody>[1];
    const proposal = {
      chosen: [
        { lineId: 'tl_1', seats: 2 },
        { lineId: 'tl_2', seats: 1 },
      ],
    } as Parameters<typeof applyBody>[2];
    const form = { fy: '2018', pool: 'released' as const, country: 'pak', on: '' };
    expect(applyBody(form, answer, proposal, ' 2018-08-02 ')).toEqual({
      fy: 2018,
      pool: 'released',
      country: 'PAK',
      basis: 'b'.repeat(43),
      lines: [
        { lineId: 'tl_1', seats: 2 },
        { lineId: 'tl_2', seats: 1 },
      ],
      notified: '2018-08-02',
    });
    expect(applyBody(form, answer, proposal, '')).not.toHaveProperty('notified');
  });
});

describe('who may ask for a re-programming', () => {
  it('is every role that sees every country', () => {
    expect(['admin', 'program-manager', 'analyst'].every(mayReprogram)).toBe(true);
    expect(['sco', 'imso'].some(mayReprogram)).toBe(false);
  });
});
