// Parses a State Department country-by-account budget table (CSV, thousands of dollars) into countries, other lines, notes and checks.
import { parse } from 'csv-parse/sync';
import { err, invalid, ok, type Result } from '../result.js';
import { decodeBudgetBytes } from './decode-budget-bytes.js';
import {
  readSourceLines,
  normaliseName,
  type AmountsThousands,
  type BudgetColumns,
} from './budget-rows.js';
import { classifyLines } from './budget-structure.js';
import { markCentralSubtotals, reconcile } from './budget-checks.js';
import type { BudgetRegion } from './budget-line-names.js';

export type { AmountsThousands } from './budget-rows.js';

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
  readonly sourceUrl: string | null;
}

function readColumns(header: readonly string[]): BudgetColumns {
  const accounts: { name: string; index: number }[] = [];
  let fiscalYearIndex: number | undefined;
  header.forEach((cell, index) => {
    const name = normaliseName(cell);
    if (index === 0 || name === '') return;
    if (/^fiscal year$/i.test(name)) fiscalYearIndex = index;
    else accounts.push({ name, index });
  });
  return { accounts, fiscalYearIndex };
}

/**
 * Parses the text of one budget table for a fiscal year. Every repair and every name it could
 * not place is in `notes`; `checks` reconcile each region and the TOTAL, account by account.
 * Fails only when the text is not a CSV table with account columns and a TOTAL row.
 * @example
 * const result = parseBudgetTable(text, 2017);
 * if (result.ok) result.value.countries.find((c) => c.iso3 === 'PAK')?.amountsThousands.IMET; // 4800
 */
export function parseBudgetTable(text: string, fy: number): Result<BudgetTable> {
  if (!Number.isInteger(fy) || fy < 1900 || fy > 2999)
    return err(invalid('fy', `not a fiscal year: ${fy}`));
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

  const notes: string[] = [];
  const replaced = [...text].filter((ch) => ch === '\uFFFD').length;
  if (replaced > 0)
    notes.push(`the text holds ${replaced} replacement characters (bytes lost before parsing)`);
  const source = readSourceLines(rows, columns, fy);
  notes.push(...source.notes);

  const structure = classifyLines(source.lines);
  if (structure === undefined)
    return err(invalid('file', 'the table has no TOTAL row', 'BUDGET.NO_TOTAL'));
  notes.push(...structure.notes);
  const central = markCentralSubtotals(structure.lines, accounts);
  notes.push(...central.notes);
  const checks = [
    ...structure.duplicateChecks,
    ...reconcile(structure.countries, central.lines, accounts),
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
    lines: central.lines,
    notes,
    checks,
    sourceUrl: source.sourceUrl,
  });
}

/**
 * Decodes (UTF-8, windows-1252 for invalid bytes) and parses a budget table file's bytes;
 * the notes say how many bytes were not UTF-8.
 */
export function parseBudgetBytes(bytes: Uint8Array, fy: number): Result<BudgetTable> {
  const decoded = decodeBudgetBytes(bytes);
  const result = parseBudgetTable(decoded.text, fy);
  if (!result.ok || decoded.replacedBytes === 0) return result;
  const note = `decoded ${decoded.replacedBytes} bytes that are not UTF-8 as windows-1252 (e.g. 0x92 as ’)`;
  return ok({ ...result.value, notes: [note, ...result.value.notes] });
}
