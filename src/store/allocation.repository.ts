// Allocations (country × program × FY) and non-country budget lines; changes supersede, never overwrite.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from './database.js';
import { insertChunked } from './raw-sql.js';
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
