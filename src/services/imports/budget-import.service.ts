// `attache import budget`: State Department budget tables, every figure of every account recorded
// per FY and stage, reconciled, idempotent; only an enacted table's security-assistance amounts
// become allocations in force. All files in one transaction: all or nothing, or a dry run.
import type { Actor } from '../../core/actor.js';
import {
  reconciliationByAccount,
  type AccountReconciliation,
} from '../../core/budget/budget-checks.js';
import {
  diffFigures,
  figuresOfTable,
  type BudgetFigure,
} from '../../core/budget/budget-figures.js';
import { parseBudgetBytes, type BudgetTable } from '../../core/budget/budget-table.js';
import type { ImportCounts, ProgressListener } from '../../core/imports/import-report.js';
import { BUDGET_STAGES, type BudgetStage } from '../../core/imports/vocabulary.js';
import { err, invalid, ok, type Result } from '../../core/result.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import {
  insertBudgetFigures,
  readCurrentBudgetFigures,
  supersedeBudgetFigures,
  type BudgetFigureRow,
} from '../../store/budget-figure.repository.js';
import type { Executor } from '../../store/database.js';
import { readCountries } from '../../store/reference.repository.js';
import type { AppContext } from '../context.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';
import { applyBudgetAllocations } from './budget-allocations.js';
import { budgetCountryNames } from './budget-names.js';
import type { ImportFile } from './import-file.js';
import { recordImportRun } from './import-run.js';

/** A figure's stage: the file's, or `unstated` when the importer did not say. */
export type FigureStage = BudgetStage | 'unstated';

export interface BudgetImportRequest {
  readonly files: readonly ImportFile[];
  /** request, estimate or enacted (any case); absent or empty: unstated. */
  readonly stage?: string | null | undefined;
  readonly dryRun?: boolean | undefined;
  /** The job this import runs as: its write is recorded with it (WriteOptions.job). */
  readonly job?: string | undefined;
}

/** One file's table, parsed and given its stage. */
export interface ParsedBudgetFile {
  readonly file: ImportFile;
  readonly table: BudgetTable;
  readonly stage: BudgetStage | null;
}

/** What importing one file did (or, in a dry run, would do). */
export interface BudgetFileResult {
  readonly file: string;
  readonly sha256: string;
  readonly fiscalYear: number;
  readonly stage: FigureStage;
  /** The import run recorded; null when every figure was already recorded (nothing written). */
  readonly importRunId: string | null;
  readonly figures: ImportCounts;
  /** Allocations in force (enacted tables only; all zero otherwise). */
  readonly allocations: ImportCounts;
  /** Repairs, names mapped by alias, non-UTF-8 bytes, duplicates dropped, source discrepancies. */
  readonly notes: readonly string[];
  readonly reconciliation: readonly AccountReconciliation[];
  /** Every region and TOTAL check of every account holds. */
  readonly reconciled: boolean;
}

export interface BudgetImportResult {
  readonly dryRun: boolean;
  readonly files: readonly BudgetFileResult[];
  readonly reconciled: boolean;
}

/** Reads `--stage`: one of BUDGET_STAGES in any case; absent or empty is null (unstated). */
export function parseBudgetStage(text: string | null | undefined): Result<BudgetStage | null> {
  const value = (text ?? '').trim().toLowerCase();
  if (value === '') return ok(null);
  const stage = BUDGET_STAGES.find((s) => s === value);
  return stage === undefined
    ? err(invalid('stage', `'${text}' is not a budget stage: ${BUDGET_STAGES.join(', ')}`))
    : ok(stage);
}

/**
 * Parses every file (nothing is written when one fails): a row that is not a table row is refused
 * with its file, row and column; two files of the same FY and stage are refused.
 */
export function parseBudgetFiles(
  files: readonly ImportFile[],
  stage: BudgetStage | null,
): Result<ParsedBudgetFile[]> {
  if (files.length === 0) return err(invalid('files', 'give at least one budget table file'));
  const names = budgetCountryNames();
  const parsed: ParsedBudgetFile[] = [];
  for (const file of files) {
    const table = parseBudgetBytes(file.bytes, { names, file: file.name });
    if (!table.ok) {
      const e = table.error;
      return err(
        e.reason === 'IMPORT.ROWS_REFUSED'
          ? e
          : {
              ...e,
              field: `${file.name}: ${e.field ?? 'file'}`,
              message: `${file.name}: ${e.message}`,
            },
      );
    }
    const twin = parsed.find((p) => p.table.fy === table.value.fy);
    if (twin !== undefined) {
      return err(
        invalid(
          'files',
          `${twin.file.name} and ${file.name} are both FY${table.value.fy}: import one`,
        ),
      );
    }
    parsed.push({ file, table: table.value, stage });
  }
  return ok(parsed);
}

/** Imports budget tables (see the file's header); `onProgress` hears each file as it is written. */
export async function importBudget(
  ctx: AppContext,
  actor: Actor,
  request: BudgetImportRequest,
  onProgress?: ProgressListener,
): Promise<Result<BudgetImportResult>> {
  const stage = parseBudgetStage(request.stage);
  if (!stage.ok) return stage;
  const parsed = parseBudgetFiles(request.files, stage.value);
  if (!parsed.ok) return parsed;
  const dryRun = request.dryRun === true;
  return writeTransaction(
    ctx,
    actor,
    'allocations.write',
    async (tx, now) => {
      const applied = await applyImportBudget(tx, ctx, actor, now, parsed.value, onProgress);
      return ok({ value: { ...applied.value, dryRun }, audit: applied.audit });
    },
    { dryRun, ...(request.job === undefined ? {} : { job: request.job }) },
  );
}

/**
 * Records parsed tables inside a write transaction, file by file: figures compared with the
 * current ones of the same FY and stage (unchanged left alone, changed superseded), an import run
 * and its audit entry for a file that changed anything, allocations for an enacted table.
 */
export async function applyImportBudget(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  files: readonly ParsedBudgetFile[],
  onProgress?: ProgressListener,
): Promise<WorkOutcome<Omit<BudgetImportResult, 'dryRun'>>> {
  const known = new Set((await readCountries(tx)).map((c) => c.iso3));
  const audit: AuditRecord[] = [];
  const results: BudgetFileResult[] = [];
  onProgress?.(0, files.length, 'reading the recorded figures');
  for (const [index, { file, table, stage }] of files.entries()) {
    const figureStage: FigureStage = stage ?? 'unstated';
    const { figures, renamed } = figuresOfTable(table);
    const current = (await readCurrentBudgetFigures(tx, table.fy, figureStage)).map((r) => ({
      ...r,
      kind: r.kind as BudgetFigure['kind'],
    }));
    const changes = diffFigures(current, figures);
    const notes = [...table.notes, ...renamed];
    if (changes.withdrawn.length > 0)
      notes.push(
        `${changes.withdrawn.length} figures recorded before are no longer in the table: superseded`,
      );
    const figureCounts: ImportCounts = {
      created: changes.created.length,
      updated: changes.updated.length + changes.withdrawn.length,
      unchanged: changes.unchanged,
    };
    const allocations = await applyBudgetAllocations(tx, ctx, actor, now, {
      file,
      table,
      stage,
      known,
      dryPlan: true,
    });
    const changed =
      figureCounts.created +
        figureCounts.updated +
        allocations.counts.created +
        allocations.counts.updated >
      0;
    let importRunId: string | null = null;
    if (stage !== 'enacted')
      notes.push(`stage ${figureStage}: recorded as budget figures only, no allocation in force`);
    if (changed) {
      const run = await recordImportRun(tx, ctx, actor, now, {
        kind: 'budget',
        file,
        budgetStage: stage,
        counts: figureCounts,
        notes,
      });
      importRunId = run.run.id;
      audit.push(run.audit);
      await supersedeBudgetFigures(
        tx,
        [...changes.updated.map((u) => u.current.id), ...changes.withdrawn.map((w) => w.id)],
        now,
      );
      const rows: BudgetFigureRow[] = [
        ...changes.created,
        ...changes.updated.map((u) => u.next),
      ].map((f) => ({
        ...f,
        id: ctx.newId('bfg'),
        importRunId: run.run.id,
        fiscalYear: table.fy,
        budgetStage: figureStage,
        recordedAt: now,
      }));
      await insertBudgetFigures(tx, rows);
      const written = await applyBudgetAllocations(tx, ctx, actor, now, {
        file,
        table,
        stage,
        known,
        dryPlan: false,
        importRunId: run.run.id,
      });
      audit.push(...written.audit);
    } else {
      notes.push('every figure is recorded already: nothing written');
    }
    notes.push(...allocations.notes);
    const reconciliation = reconciliationByAccount(
      table.accounts,
      table.checks,
      table.discrepancies,
    );
    results.push({
      file: file.name,
      sha256: file.sha256,
      fiscalYear: table.fy,
      stage: figureStage,
      importRunId,
      figures: figureCounts,
      allocations: allocations.counts,
      notes,
      reconciliation,
      reconciled: reconciliation.every((r) => r.failed.length === 0),
    });
    onProgress?.(index + 1, files.length, `${file.name} written`);
  }
  return {
    value: { files: results, reconciled: results.every((r) => r.reconciled) },
    audit,
  };
}
