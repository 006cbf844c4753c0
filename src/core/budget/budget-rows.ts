// Turns budget-table CSV records into logical lines: amounts read, wrapped names joined, blank, URL and duplicate rows set aside.
import type { RowError } from '../imports/import-report.js';
import type { CountryNames } from './country-names.js';
import { isTotalName, regionOfName } from './budget-line-names.js';

/** Amounts in thousands of dollars by account: `-` in the table is 0, an empty cell is null. */
export type AmountsThousands = Readonly<Record<string, number | null>>;

/** One logical line of the table: a name and its amounts, with the file rows it came from. */
export interface SourceLine {
  readonly name: string;
  readonly amountsThousands: AmountsThousands;
  /** 1-based row numbers in the file (the header is row 1). */
  readonly rows: readonly number[];
}

/** The lines of a table, what was set aside, notes on every repair, and the cells refused. */
export interface SourceLines {
  readonly lines: readonly SourceLine[];
  readonly sourceUrl: string | null;
  readonly notes: readonly string[];
  /** Cells that are no amount, or a Fiscal Year that is not the table's: the file is refused. */
  readonly errors: readonly RowError[];
}

const AMOUNT = /^-?(\d{1,3}(,\d{3})+|\d+)$/;
const DASHES = /^[-\u2013\u2014]$/;

/** Reads one amount cell: `-` is none (0), empty is null, `"1,234"` is 1234; undefined when unreadable. */
export function readAmount(cell: string): number | null | undefined {
  const text = cell.trim();
  if (text === '') return null;
  if (DASHES.test(text)) return 0;
  if (!AMOUNT.test(text)) return undefined;
  return Number(text.replaceAll(',', ''));
}

/** Collapses runs of whitespace (the tables have double and trailing spaces) and trims. */
export function normaliseName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

function hasAmounts(amounts: AmountsThousands): boolean {
  return Object.values(amounts).some((v) => v !== null);
}

/** A whole name on its own: gluing a wrapped fragment onto it would corrupt it. */
function isCompleteName(name: string, names: CountryNames): boolean {
  return isTotalName(name) || regionOfName(name) !== undefined || names.codeFor(name) !== undefined;
}

/** Column positions of a header: the name column, the accounts, and the fiscal-year column if any. */
export interface BudgetColumns {
  /** `name` as normalised; `header` as the file spells it (what a row error names). */
  readonly accounts: readonly {
    readonly name: string;
    readonly header: string;
    readonly index: number;
  }[];
  readonly fiscalYearIndex: number | undefined;
}

/**
 * Reads the records after the header into logical lines. A row with a name and no amounts is
 * the first part of a name wrapped onto the next rows: it is joined to the next row that has
 * amounts (blank rows in between are skipped). Exact repeats (same name, same amounts) are dropped.
 * A cell that is no amount, or a Fiscal Year cell that is not `fy`, is a row error.
 */
export function readSourceLines(
  records: readonly (readonly string[])[],
  columns: BudgetColumns,
  fy: number,
  names: CountryNames,
): SourceLines {
  const notes: string[] = [];
  const errors: RowError[] = [];
  const lines: SourceLine[] = [];
  let sourceUrl = null as string | null;
  let pending = null as { parts: string[]; rows: number[] } | null;
  let blankRows = 0;
  let respacedNames = 0;

  const flushPending = () => {
    if (pending === null) return;
    const name = pending.parts.join(' ');
    notes.push(`row ${pending.rows.join('+')}: '${name}' has no amounts; kept as a line with none`);
    lines.push({ name, amountsThousands: emptyAmounts(columns), rows: pending.rows });
    pending = null;
  };

  for (const [index, cells] of records.entries()) {
    const row = index + 2;
    const rawName = cells[0] ?? '';
    const name = normaliseName(rawName);
    if (name !== rawName && name !== rawName.trim()) respacedNames += 1;
    const amounts: Record<string, number | null> = {};
    for (const account of columns.accounts) {
      const cell = cells[account.index] ?? '';
      const value = readAmount(cell);
      if (value === undefined) {
        errors.push({
          row,
          column: account.header,
          message: `'${cell.trim()}' for '${name}' is not an amount in thousands of dollars (e.g. 1,234, - or empty)`,
        });
      }
      amounts[account.name] = value ?? null;
    }
    const fyCell =
      columns.fiscalYearIndex === undefined ? '' : (cells[columns.fiscalYearIndex] ?? '').trim();
    if (fyCell !== '' && fyCell !== String(fy)) {
      errors.push({
        row,
        column: 'Fiscal Year',
        message: `'${fyCell}' is not the table's fiscal year ${fy}`,
      });
    }

    if (!hasAmounts(amounts)) {
      if (name === '') {
        blankRows += 1;
      } else if (/^https?:\/\//i.test(name)) {
        flushPending();
        sourceUrl = name;
      } else if (pending === null) {
        pending = { parts: [name], rows: [row] };
      } else {
        pending.parts.push(name);
        pending.rows.push(row);
      }
      continue;
    }
    if (
      pending !== null &&
      name !== '' &&
      isCompleteName(name, names) &&
      !isCompleteName(joinName(pending.parts, name), names)
    ) {
      flushPending();
    }
    if (pending === null) {
      if (name === '') notes.push(`row ${row}: amounts without a name; kept as a line named ''`);
      lines.push({ name, amountsThousands: amounts, rows: [row] });
      continue;
    }
    const joined = joinName(pending.parts, name);
    const joinedRows = [...pending.rows, row];
    notes.push(
      `rows ${joinedRows.join('+')}: joined a name wrapped over several rows: '${joined}'`,
    );
    lines.push({ name: joined, amountsThousands: amounts, rows: joinedRows });
    pending = null;
  }
  flushPending();

  if (respacedNames > 0)
    notes.push(`normalised the spacing of ${respacedNames} names (double or stray spaces)`);
  if (blankRows > 0) notes.push(`skipped ${blankRows} blank rows`);
  if (sourceUrl !== null) notes.push(`source URL row: ${sourceUrl}`);
  return { lines: dropExactDuplicates(lines, notes), sourceUrl, notes, errors };
}

function joinName(parts: readonly string[], last: string): string {
  return normaliseName([...parts, last].join(' '));
}

function emptyAmounts(columns: BudgetColumns): AmountsThousands {
  return Object.fromEntries(columns.accounts.map((a) => [a.name, null]));
}

function dropExactDuplicates(lines: readonly SourceLine[], notes: string[]): SourceLine[] {
  const seen = new Map<string, SourceLine>();
  const kept: SourceLine[] = [];
  for (const line of lines) {
    const key = `${line.name.toLowerCase()}\u0000${JSON.stringify(line.amountsThousands)}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, line);
      kept.push(line);
    } else {
      notes.push(
        `row ${line.rows.join('+')}: dropped '${line.name}', an exact duplicate of row ${first.rows.join('+')}`,
      );
    }
  }
  return kept;
}
