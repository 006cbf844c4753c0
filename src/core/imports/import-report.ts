// What an import reports: the rows it refused (by row and column), what it did, and its progress.
import type { DomainError } from '../result.js';

/** One refused cell (or row): the file's row number as a spreadsheet shows it, the column's header. */
export interface RowError {
  /** 1-based, counting the header row, as a spreadsheet numbers it. */
  readonly row: number;
  /** The column's header as the file spells it, or `*` for the whole row. */
  readonly column: string;
  readonly message: string;
}

/** What an import did (or, in a dry run, would do), record by record. */
export interface ImportCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** Told as an import goes: rows (or files) done out of the total, and what it is doing. */
export type ProgressListener = (done: number, total: number, note?: string) => void;

/** Rows refused are listed at most this many at a time in a refusal (the count says how many). */
export const ROW_ERRORS_SHOWN = 200;

/**
 * The refusal of a file with bad rows: nothing is written. The field names the first bad cell
 * (`students.csv row 7 column birthDate`), the details list them all (up to ROW_ERRORS_SHOWN).
 */
export function rowsRefused(fileName: string, errors: readonly RowError[]): DomainError {
  const first = errors[0];
  const where =
    first === undefined ? fileName : `${fileName} row ${first.row} column ${first.column}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return {
    code: 'INPUT.INVALID',
    reason: 'IMPORT.ROWS_REFUSED',
    field: where,
    message: `${first?.message ?? 'the file has no rows'}${more}; nothing was imported`,
    details: { file: fileName, count: errors.length, errors: errors.slice(0, ROW_ERRORS_SHOWN) },
  };
}
