// Which account column of the State Department budget tables carries each security-assistance program.
import type { PROGRAM_GROUPS, ProgramCode } from '../programs.js';

/** The programs the budget tables allocate by country: the security-assistance group. */
export type BudgetProgram = (typeof PROGRAM_GROUPS)['security-assistance'][number];

/**
 * Account column names of each program, in order of preference. FY2008–2017 use the same names
 * every year (the accounts that change, GHCS → GHP, are not programs of ours).
 */
export const PROGRAM_ACCOUNTS: Readonly<Record<BudgetProgram, readonly string[]>> = Object.freeze({
  IMET: ['IMET'],
  FMF: ['FMF'],
  PKO: ['PKO'],
  INCLE: ['INCLE'],
  NADR: ['NADR'],
});

/** True for the programs that have a budget-table account. */
export function isBudgetProgram(program: ProgramCode): program is BudgetProgram {
  return Object.hasOwn(PROGRAM_ACCOUNTS, program);
}

/**
 * The column of a table's accounts that carries the program; undefined when the program has no
 * budget-table account (CTFP, FMS, SEC333) or the table lacks it.
 * @example accountForProgram(['Total', 'IMET', 'FMF'], 'IMET') // 'IMET'
 */
export function accountForProgram(
  accounts: readonly string[],
  program: ProgramCode,
): string | undefined {
  if (!isBudgetProgram(program)) return undefined;
  return PROGRAM_ACCOUNTS[program].find((name) => accounts.includes(name));
}
