// Allocations (country × program × FY) and non-country budget lines; changes supersede, never overwrite.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from './database.js';
import { insertChunked, queryRows } from './raw-sql.js';
import { allocations, budgetLines } from './schema.js';

export interface AllocationRow {
  readonly id: string;
  readonly countryIso3: string;
  readonly programCode: string;
  readonly fiscalYear: number;
  readonly amountCents: number;
  readonly reason: string;
  readonly source: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

export interface BudgetLineRow {
  readonly id: string;
  readonly fiscalYear: number;
  readonly programCode: string;
  readonly name: string;
  readonly kind:
    'total' | 'region' | 'regional-program' | 'central' | 'multi-country' | 'unrecognised';
  readonly region: string | null;
  readonly amountCents: number;
  readonly source: string | null;
  readonly recordedAt: string;
}

export async function insertAllocations(
  tx: Executor,
  rows: readonly AllocationRow[],
): Promise<void> {
  await insertChunked(tx, allocations, rows);
}

export async function insertBudgetLines(
  tx: Executor,
  rows: readonly BudgetLineRow[],
): Promise<void> {
  await insertChunked(tx, budgetLines, rows);
}

/** Current allocations of one country for one program, oldest FY first. */
export async function listCurrentAllocations(
  db: Executor,
  countryIso3: string,
  programCode: string,
): Promise<{ fiscalYear: number; amountCents: number }[]> {
  return db
    .select({ fiscalYear: allocations.fiscalYear, amountCents: allocations.amountCents })
    .from(allocations)
    .where(
      and(
        eq(allocations.countryIso3, countryIso3),
        eq(allocations.programCode, programCode),
        isNull(allocations.supersededAt),
      ),
    )
    .orderBy(asc(allocations.fiscalYear));
}

/** Every version of a country's allocations, with their transaction time (for "as known on"). */
export async function listAllocationVersions(
  db: Executor,
  countryIso3: string,
): Promise<
  {
    program: string;
    fiscalYear: number;
    cents: number;
    recordedAt: string;
    supersededAt: string | null;
  }[]
> {
  return queryRows(
    db,
    sql`select program_code as "program", fiscal_year as "fiscalYear", amount_cents::float8 as "cents",
          to_char(recorded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "recordedAt",
          to_char(superseded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "supersededAt"
        from allocations where country_iso3 = ${countryIso3} order by fiscal_year, program_code, recorded_at`,
  );
}
