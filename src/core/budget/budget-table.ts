// Parses a State Department country-by-account budget table (CSV, thousands of dollars) into countries, other lines, notes and checks.
import { parse } from 'csv-parse/sync';
import { rowsRefused } from '../imports/import-report.js';
import { err, invalid, ok, type Result } from '../result.js';
import type { CountryNames } from './country-names.js';
import { decodeBudgetBytes } from './decode-budget-bytes.js';
import {
  readSourceLines,
  normaliseName,
  type AmountsThousands,
  type BudgetColumns,
} from './budget-rows.js';
import { classifyLines } from './budget-structure.js';
import {
  markCentralSubtotals,
  recogniseStatedSubtotals,
  reconcile,
  type BudgetDiscrepancy,
} from './budget-checks.js';
import type { BudgetRegion } from './budget-line-names.js';

export type { AmountsThousands } from './budget-rows.js';
export type { BudgetDiscrepancy } from './budget-checks.js';

/**
 * What a line is: the grand `total`; a `region` subtotal; a `regional-program` or a
 * `multi-country` line inside a region's block; a `central` (bureau, agency or fund) line after
 * the last region; or `unrecognised`, a name inside a region's block that is none of these
 * (counted in that region and reported in the notes).
 */
export type BudgetLineKind =
  'total' | 'region' | 'regional-program' | 'multi-country' | 'central' | 'unrecognised';

/** One country's line: its ISO code, the name the table used, its region and its amounts. */
export interface BudgetCountry {
  readonly iso3: string;
  readonly sourceName: string;
  readonly region: BudgetRegion;
  readonly amountsThousands: AmountsThousands;
}

/** A line that is not one country. */
export interface BudgetLine {
  readonly name: string;
  readonly kind: BudgetLineKind;
  /** The region whose block holds the line (and the region a `region` line totals). */
  readonly region?: BudgetRegion;
  /**
   * Set on a central line whose amounts an earlier central line already carries: that line is
   * its subtotal (`Independent Agencies` over `Peace Corps`, …) or the same line under another name.
   */
  readonly countedIn?: string;
  readonly amountsThousands: AmountsThousands;
}

/** A reconciliation of one account: what the table states against what its lines add up to. */
export interface BudgetCheck {
  readonly account: string;
  /** `region:<Region>` (subtotal = its countries and programs), `total` (TOTAL = regions + central lines), `duplicate:<ISO3>` (a country given twice with different amounts). */
  readonly check: string;
  readonly expected: number;
  readonly actual: number;
  readonly ok: boolean;
}

/** A parsed budget table. Amounts are thousands of US dollars. */
export interface BudgetTable {
  readonly fy: number;
  /** Account columns as the header names them (they change across years: `GHCS- USAID`, `GHP USAID`, …). */
  readonly accounts: readonly string[];
  readonly countries: readonly BudgetCountry[];
  readonly lines: readonly BudgetLine[];
  /** What the import did: rows joined, duplicates dropped, names mapped, bytes replaced, anything not recognised. */
  readonly notes: readonly string[];
  readonly checks: readonly BudgetCheck[];
  /** Subtotal lines whose stated figure (the one TOTAL adds) is not the sum of their lines. */
  readonly discrepancies: readonly BudgetDiscrepancy[];
  readonly sourceUrl: string | null;
}

/** How to read a table: its names index, the file name row errors cite, and its FY when known. */
export interface BudgetTableOptions {
  readonly names: CountryNames;
  /** The file's name, cited by row errors (`fy2017.csv row 7 column IMET`). */
  readonly file: string;
  /** The fiscal year; when absent, the table's Fiscal Year column, else a year in the file name. */
  readonly fy?: number;
}

function readColumns(header: readonly string[]): BudgetColumns {
  const accounts: { name: string; header: string; index: number }[] = [];
  let fiscalYearIndex: number | undefined;
  header.forEach((cell, index) => {
    const name = normaliseName(cell);
    if (index === 0 || name === '') return;
    if (/^fiscal year$/i.test(name)) fiscalYearIndex = index;
    else accounts.push({ name, header: cell, index });
  });
  return { accounts, fiscalYearIndex };
}

/**
 * The table's fiscal year: the value of its Fiscal Year column on the first row that has one,
 * else a year (19xx or 20xx) in the file name; undefined when neither says.
 */
function tableYear(
  rows: readonly (readonly string[])[],
  columns: BudgetColumns,
  file: string,
): number | undefined {
  const index = columns.fiscalYearIndex;
  if (index !== undefined) {
    for (const cells of rows) {
      const cell = (cells[index] ?? '').trim();
      if (/^\d{4}$/.test(cell)) return Number(cell);
    }
  }
  const named = /(?:^|\D)((?:19|20)\d{2})(?:\D|$)/.exec(file);
  return named?.[1] === undefined ? undefined : Number(named[1]);
}

/**
 * Parses the text of one budget table. Every repair and every name it could not place is in
 * `notes`; `checks` reconcile each region and the TOTAL, account by account; `discrepancies` name
 * the source's subtotals that are not the sum of their lines. Fails when the text is not a CSV
 * table with account columns and a TOTAL row, when its fiscal year cannot be told, and when a
 * cell is no amount (IMPORT.ROWS_REFUSED, naming each row and column).
 * @example
 * const result = parseBudgetTable(text, { names, file: 'fy2017.csv' });
 * if (result.ok) result.value.countries.find((c) => c.iso3 === 'PAK')?.amountsThousands.IMET; // 4800
 */
export function parseBudgetTable(text: string, options: BudgetTableOptions): Result<BudgetTable> {
  const { names, file } = options;
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, relax_quotes: true });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return err(invalid('file', `not a readable CSV table: ${message}`, 'BUDGET.NOT_CSV'));
  }
  const [header, ...rows] = records;
  const columns = readColumns(header ?? []);
  if (columns.accounts.length === 0) {
    return err(invalid('file', 'the first row names no account columns', 'BUDGET.NO_ACCOUNTS'));
  }
  const accounts = columns.accounts.map((a) => a.name);
  if (new Set(accounts).size !== accounts.length) {
    return err(
      invalid('file', `account columns repeat: ${accounts.join(', ')}`, 'BUDGET.NO_ACCOUNTS'),
    );
  }
  const fy = options.fy ?? tableYear(rows, columns, file);
  if (fy === undefined)
    return err(
      invalid(
        'fy',
        `${file}: no Fiscal Year column and no year in the file name; name it e.g. fy2017.csv`,
      ),
    );
  if (!Number.isInteger(fy) || fy < 1950 || fy > 2100)
    return err(invalid('fy', `not a fiscal year: ${fy}`));

  const notes: string[] = [];
  const replaced = [...text].filter((ch) => ch === '\uFFFD').length;
  if (replaced > 0)
    notes.push(`the text holds ${replaced} replacement characters (bytes lost before parsing)`);
  const source = readSourceLines(rows, columns, fy, names);
  if (source.errors.length > 0) return err(rowsRefused(file, source.errors));
  notes.push(...source.notes);

  const structure = classifyLines(source.lines, names);
  if (structure === undefined)
    return err(invalid('file', 'the table has no TOTAL row', 'BUDGET.NO_TOTAL'));
  notes.push(...structure.notes);
  const central = markCentralSubtotals(structure.lines, accounts);
  notes.push(...central.notes);
  const first = reconcile(structure.countries, central.lines, accounts);
  const stated = recogniseStatedSubtotals(
    central.lines,
    accounts,
    first.filter((c) => c.check === 'total'),
  );
  notes.push(...stated.notes);
  const checks = [
    ...structure.duplicateChecks,
    ...(stated.discrepancies.length === 0 && stated.lines === central.lines
      ? first
      : reconcile(structure.countries, stated.lines, accounts)),
  ];
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    notes.push(
      `${failed.length} of ${checks.length} checks fail: ${failed
        .map((c) => `${c.check} ${c.account} (table ${c.expected}, lines ${c.actual})`)
        .join('; ')}`,
    );
  }
  return ok({
    fy,
    accounts,
    countries: structure.countries,
    lines: stated.lines,
    notes,
    checks,
    discrepancies: stated.discrepancies,
    sourceUrl: source.sourceUrl,
  });
}

/**
 * Decodes (UTF-8, windows-1252 for invalid bytes) and parses a budget table file's bytes;
 * the notes say how many bytes were not UTF-8.
 */
export function parseBudgetBytes(
  bytes: Uint8Array,
  options: BudgetTableOptions,
): Result<BudgetTable> {
  const decoded = decodeBudgetBytes(bytes);
  const result = parseBudgetTable(decoded.text, options);
  if (!result.ok || decoded.replacedBytes === 0) return result;
  const note = `decoded ${decoded.replacedBytes} bytes that are not UTF-8 as windows-1252 (e.g. 0x92 as ’)`;
  return ok({ ...result.value, notes: [note, ...result.value.notes] });
}
