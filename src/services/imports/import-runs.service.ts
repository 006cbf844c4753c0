// The files imported, newest first: what each was (name, sha256, stage) and what it did.
import { can, forbidden, scopeFilter } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import type { ImportCounts } from '../../core/imports/import-report.js';
import type { BudgetStage, ImportKind } from '../../core/imports/vocabulary.js';
import { err, ok, type Result } from '../../core/result.js';
import { readImportRuns } from '../../store/import-run.repository.js';
import type { AppContext } from '../context.js';
import { IMPORT_CAPABILITY } from './import-jobs.js';

export interface ImportRunView extends ImportCounts {
  readonly id: string;
  readonly kind: ImportKind;
  readonly fileName: string;
  readonly sha256: string;
  readonly budgetStage: BudgetStage | null;
  readonly notes: readonly string[];
  readonly recordedAt: string;
  readonly recordedBy: string;
}

/**
 * The import runs of `kind` (or all) an actor may see: those of the kinds they may import, or all
 * for a reader of the audit log (a run is provenance, as its audit entry is). A run is not
 * scoped to countries (a file may span several), so an actor with a scope (an SCO) sees only
 * the runs they made.
 */
export async function listImportRuns(
  ctx: AppContext,
  actor: Actor,
  kind?: ImportKind,
  limit = 100,
): Promise<Result<ImportRunView[]>> {
  const readsAll = can(actor, 'audit.read');
  if (kind !== undefined && !readsAll && !can(actor, IMPORT_CAPABILITY[kind]))
    return err(forbidden(actor, IMPORT_CAPABILITY[kind]));
  const rows = await readImportRuns(ctx.store.db, kind, limit);
  return ok(
    rows
      .filter((r) => readsAll || can(actor, IMPORT_CAPABILITY[r.kind]))
      .filter((r) => scopeFilter(actor) === null || r.recordedBy === actor.id)
      .map((r) => {
        const summary = JSON.parse(r.summary) as Partial<ImportCounts> & { notes?: string[] };
        return {
          id: r.id,
          kind: r.kind,
          fileName: r.fileName,
          sha256: r.sha256,
          budgetStage: r.budgetStage,
          created: summary.created ?? 0,
          updated: summary.updated ?? 0,
          unchanged: summary.unchanged ?? 0,
          notes: summary.notes ?? [],
          recordedAt: new Date(r.recordedAt).toISOString(),
          recordedBy: r.recordedBy,
        };
      }),
  );
}
