// The coverage table shipped beside the history (resources/history/coverage.csv), read once.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { IsoDate } from '../../core/dates.js';
import type { CoverageNote } from '../../core/eligibility/decision.js';
import { coverageLookup, parseCoverage, type CoverageRow } from '../../core/history/coverage.js';

const COVERAGE_FILE = fileURLToPath(
  new URL('../../../resources/history/coverage.csv', import.meta.url),
);

let table: CoverageRow[] | undefined;
let lookup: ((country: string, on: IsoDate) => CoverageNote | null) | undefined;

/** The rows of the shipped coverage table (a malformed shipped file is a bug: it throws). */
export function coverageTable(): readonly CoverageRow[] {
  table ??= parseCoverage(parse(readFileSync(COVERAGE_FILE, 'utf8'), { columns: true, bom: true }));
  return table;
}

/** Where the shipped history is partial for a country on a date (null: complete there). */
export function historyCoverage(country: string, on: IsoDate): CoverageNote | null {
  lookup ??= coverageLookup(coverageTable());
  return lookup(country, on);
}
