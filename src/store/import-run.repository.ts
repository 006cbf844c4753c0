// Import runs: one row per file imported, with its digest and what it did (the provenance of imported records).
import { desc, eq } from 'drizzle-orm';
import type { BudgetStage, ImportKind } from '../core/imports/vocabulary.js';
import type { Executor } from './database.js';
import { importRuns } from './schema.js';

export interface ImportRunRow {
  readonly id: string;
  readonly kind: ImportKind;
  readonly fileName: string;
  readonly sha256: string;
  readonly budgetStage: BudgetStage | null;
  /** JSON text of what the import did. */
  readonly summary: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

export async function insertImportRun(tx: Executor, row: ImportRunRow): Promise<void> {
  await tx.insert(importRuns).values(row);
}

/** The newest runs first, of one kind or of all. */
export async function readImportRuns(
  db: Executor,
  kind?: ImportKind,
  limit = 100,
): Promise<ImportRunRow[]> {
  const rows = await db
    .select()
    .from(importRuns)
    .where(kind === undefined ? undefined : eq(importRuns.kind, kind))
    .orderBy(desc(importRuns.recordedAt), desc(importRuns.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r,
    kind: r.kind as ImportKind,
    budgetStage: r.budgetStage as BudgetStage | null,
  }));
}
