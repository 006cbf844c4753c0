// Records an import run inside the import's own write transaction, with the audit entry naming the file and its sha256.
import type { Actor } from '../../core/actor.js';
import type { ImportCounts } from '../../core/imports/import-report.js';
import type { BudgetStage, ImportKind } from '../../core/imports/vocabulary.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import { insertImportRun, type ImportRunRow } from '../../store/import-run.repository.js';
import type { AppContext } from '../context.js';
import type { ImportFile } from './import-file.js';

export interface ImportRunInput {
  /** The run's id when the import named it before its records (they cite it); a new one otherwise. */
  readonly id?: string | undefined;
  readonly kind: ImportKind;
  readonly file: ImportFile;
  readonly budgetStage?: BudgetStage | null;
  readonly counts: ImportCounts;
  readonly notes?: readonly string[];
}

/**
 * Inserts the run and returns it with its audit record: `import.<kind>`, reason
 * `<file> (sha256 <hex>)`. Call it from the import's apply function, so a refused or dry-run
 * import records no run either. Records the import creates can cite `run.id` as their source.
 */
export async function recordImportRun(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  input: ImportRunInput,
): Promise<{ run: ImportRunRow; audit: AuditRecord }> {
  const run: ImportRunRow = {
    id: input.id ?? ctx.newId('imp'),
    kind: input.kind,
    fileName: input.file.name,
    sha256: input.file.sha256,
    budgetStage: input.budgetStage ?? null,
    summary: JSON.stringify({ ...input.counts, notes: input.notes ?? [] }),
    recordedAt: now,
    recordedBy: actor.id,
  };
  await insertImportRun(tx, run);
  return {
    run,
    audit: {
      action: `import.${input.kind}`,
      entityType: 'import-run',
      entityId: run.id,
      after: run,
      reason: importReason(input.file),
    },
  };
}

/** How an audit entry names the file a record came from. */
export function importReason(file: ImportFile): string {
  return `${file.name} (sha256 ${file.sha256})`;
}

/** `record` with `note` (which import wrote it) added to its reason, or as its reason. */
export function noteImport(record: AuditRecord, note: string): AuditRecord {
  const reason = record.reason ?? null;
  return { ...record, reason: reason === null || reason === '' ? note : `${reason} (${note})` };
}
