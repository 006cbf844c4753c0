import { describe, expect, it } from 'vitest';
import { normaliseName, readAmount } from './budget-rows.js';

describe('readAmount', () => {
  it.each([
    ['-', 0],
    ['–', 0],
    ['', null],
    ['   ', null],
    ['0', 0],
    ['85,181', 85_181],
    ['25,207,133', 25_207_133],
    ['-164,500', -164_500],
    [' 222 ', 222],
    ['1234', 1234],
    ['12,34', undefined],
    ['1,2345', undefined],
    ['n/a', undefined],
    ['1.5', undefined],
  ])('%j → %s', (cell, amount) => {
    expect(readAmount(cell)).toBe(amount);
  });
});

describe('normaliseName', () => {
  it.each([
    ['Country ', 'Country'],
    ['Democratic Republic of the  Congo', 'Democratic Republic of the Congo'],
    ['  USAID  Administrative Expenses', 'USAID Administrative Expenses'],
    ['Tab\tseparated', 'Tab separated'],
  ])('%j → %j', (name, expected) => {
    expect(normaliseName(name)).toBe(expected);
  });
});
