import { describe, expect, it } from 'vitest';
import { PROGRAM_GROUPS } from '../programs.js';
import { PROGRAM_ACCOUNTS, accountForProgram, isBudgetProgram } from './program-accounts.js';

const FY2008 = ['Total', 'GHCS- USAID', 'INCLE', 'NADR', 'PKO', 'IMET', 'FMF', 'Other*'];
const FY2017 = ['All Accounts', 'GHP USAID', 'INCLE', 'NADR', 'IMET', 'FMF', 'PKO', 'Other**'];

describe('PROGRAM_ACCOUNTS', () => {
  it('covers exactly the security-assistance programs', () => {
    expect(Object.keys(PROGRAM_ACCOUNTS).sort()).toEqual(
      [...PROGRAM_GROUPS['security-assistance']].sort(),
    );
  });

  it.each([
    ['IMET', FY2008, 'IMET'],
    ['FMF', FY2017, 'FMF'],
    ['PKO', FY2008, 'PKO'],
    ['INCLE', FY2017, 'INCLE'],
    ['NADR', FY2008, 'NADR'],
    ['CTFP', FY2017, undefined],
    ['FMS', FY2017, undefined],
    ['IMET', ['Total', 'FMF'], undefined],
  ] as const)('%s in %j → %s', (program, accounts, expected) => {
    expect(accountForProgram(accounts, program)).toBe(expected);
  });

  it.each([
    ['IMET', true],
    ['NADR', true],
    ['SEC333', false],
  ] as const)('isBudgetProgram(%s) is %s', (program, expected) => {
    expect(isBudgetProgram(program)).toBe(expected);
  });
});
