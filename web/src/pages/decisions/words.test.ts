import { describe, expect, it } from 'vitest';
import {
  idList,
  impactSentence,
  inputKey,
  placeProblem,
  seatsWord,
  sentence,
  statusCounts,
} from './words.js';

describe('placeProblem', () => {
  const inputs = ['from', 'until', 'scope', 'basis'] as const;
  it('puts a problem beside the input the API names', () => {
    expect(placeProblem('until', inputs)).toBe('until');
    expect(placeProblem('scope.0', inputs)).toBe('scope');
    expect(placeProblem('scope[1]', inputs)).toBe('scope');
  });
  it('maps the API’s name to the form’s where they differ', () => {
    expect(placeProblem('on', ['endOn'], { on: 'endOn' })).toBe('endOn');
  });
  it('leaves a field the form does not have (or none) for above the form', () => {
    expect(placeProblem('version', inputs)).toBeUndefined();
    expect(placeProblem('If-Match', inputs)).toBeUndefined();
    expect(placeProblem(undefined, inputs)).toBeUndefined();
  });
});

describe('inputKey', () => {
  it('is the same for the same input whatever the key order, and differs for another', () => {
    expect(inputKey({ a: 1, b: ['x'], c: undefined })).toBe(inputKey({ b: ['x'], a: 1 }));
    expect(inputKey({ a: 1 })).not.toBe(inputKey({ a: 2 }));
    expect(inputKey({ a: null })).not.toBe(inputKey({}));
  });
});

describe('words', () => {
  it('counts seats in words', () => {
    expect(seatsWord(1)).toBe('1 seat');
    expect(seatsWord(3)).toBe('3 seats');
  });
  it('orders the statuses a reader asks about first and drops zeros', () => {
    expect(statusCounts({ programmed: 1, held: 2, cancelled: 3, flagged: 0 })).toEqual([
      { label: 'cancelled', count: 3 },
      { label: 'held', count: 2 },
      { label: 'back to programmed', count: 1 },
    ]);
  });
  it('reads a list of ids', () => {
    expect(idList(' P176003, P176019  B171807,,')).toEqual(['P176003', 'P176019', 'B171807']);
  });
});

describe('impactSentence', () => {
  const money = (cents: number) => `$${String(cents / 100)}`;
  it('says what a suspension does in one sentence, from the API’s figures', () => {
    expect(
      impactSentence(
        {
          seats: 3,
          byStatus: { cancelled: 3 },
          students: ['a', 'b', 'c'],
          releasedCents: 11_820_000,
          penaltiesCents: 0,
        },
        money,
      ),
    ).toBe('cancels 3 seats (3 students on them) and releases $118200; no penalty.');
    expect(
      impactSentence(
        { seats: 1, byStatus: { held: 1 }, students: [], releasedCents: 0, penaltiesCents: 0 },
        money,
      ),
    ).toBe('holds 1 seat (no student on them), releases no money; no penalty.');
    expect(
      impactSentence(
        { seats: 0, byStatus: {}, students: [], releasedCents: 0, penaltiesCents: 0 },
        money,
      ),
    ).toBe('changes no seat and no money.');
  });
  it('starts an API message as a sentence', () => {
    expect(sentence('the basis is required')).toBe('The basis is required');
  });
});
