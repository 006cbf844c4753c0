import { describe, expect, it } from 'vitest';
import type { AllocationYear, DecisionRestriction } from './api.js';
import { noteOf, verdictOf } from './views.js';

const restriction = (status: 'blocking' | 'relieved') => ({ status }) as DecisionRestriction;

describe('the verdict', () => {
  it('is the API’s: blocked when not eligible, by relief when a relief lifted a restriction', () => {
    expect(verdictOf({ eligible: false, restrictions: [restriction('blocking')] }).label).toBe(
      'Blocked',
    );
    expect(verdictOf({ eligible: true, restrictions: [restriction('relieved')] })).toEqual({
      label: 'Eligible by relief',
      tone: 'relieved',
    });
    expect(verdictOf({ eligible: true, restrictions: [] }).label).toBe('Eligible');
  });
});

describe('an allocation year’s note', () => {
  const version = (
    amountCents: number,
    supersededAt: string | null,
    effectiveFrom = '2017-01-01',
  ) => ({ amountCents, supersededAt, effectiveFrom }) as AllocationYear['history'][number];

  it('says nothing for a single amount in force', () => {
    expect(noteOf({ pending: [], history: [version(480_000_000, null)] })).toBe('');
  });

  it('names a pending change and amounts superseded', () => {
    expect(
      noteOf({
        pending: [version(500_000_000, null, '2020-01-03')],
        history: [version(400_000_000, '2019-01-01T00:00:00Z'), version(480_000_000, null)],
      }),
    ).toBe('pending: $5,000,000 from 3 Jan 2020; revised: 1 earlier amount superseded');
  });
});
