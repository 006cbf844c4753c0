// Imports and exports of courses, students, allocations and training lines as CSV or XLSX: one
// transaction per file on the one write road, every row checked before anything is kept.
import { can, forbidden, type Capability } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import {
  duplicateKeys,
  ENTITY_COLUMNS,
  KEY_COLUMNS,
  rowKey,
  rowRefusal,
  type EntityKind,
  type SheetRow,
} from '../../core/imports/entity-columns.js';
import {
  rowsRefused,
  type ImportCounts,
  type ProgressListener,
  type RowError,
} from '../../core/imports/import-report.js';
import { err, ok, type DomainError, type Result } from '../../core/result.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import type { AppContext } from '../context.js';
import { writeTransaction } from '../unit-of-work.js';
import { allocationExport, allocationImporter } from './allocation-import.service.js';
import { courseExport, courseImporter } from './course-import.service.js';
import type { ImportFile } from './import-file.js';
import { noteImport, recordImportRun } from './import-run.js';
import { lineExport, lineImporter } from './line-import.service.js';
import { studentExport, studentImporter } from './student-import.service.js';
import { readTable, writeTable, type TableFormat, type TableRow } from './tabular-file.js';

/** What a row did to the records: nothing, a new record, or a new version of one. */
export type RowOutcome = keyof ImportCounts;

/** Where the records a row writes name the import (their audit entries' reason). */
export interface ImportNote {
  readonly runId: string;
  readonly file: ImportFile;
  readonly row: number;
}

/** One kind's part of an import: a row to a checked input, then that input applied in the file's transaction. */
export interface EntityImporter<P> {
  readonly capability: Capability;
  /** A row's cells to the input the kind's use case checks (its parse function), or its bad cells. */
  parseRow(row: SheetRow): Result<P, RowError[]>;
  /**
   * Matches the row with the records in `tx` and writes what differs through the kind's apply
   * function, or nothing when it is the same; a refusal names a field of the row.
   */
  applyRow(
    tx: Executor,
    ctx: AppContext,
    actor: Actor,
    now: string,
    parsed: P,
    note: ImportNote,
  ): Promise<Result<{ outcome: RowOutcome; audit: readonly AuditRecord[] }>>;
}

const IMPORTERS: { readonly [K in EntityKind]: EntityImporter<unknown> } = {
  courses: courseImporter,
  students: studentImporter,
  allocations: allocationImporter,
  lines: lineImporter,
};

export interface ImportOptions {
  /** Check and apply every row, then roll back: what the import would do, nothing kept. */
  readonly dryRun?: boolean | undefined;
  /** The job this import runs as: its write is recorded with it (WriteOptions.job). */
  readonly job?: string | undefined;
}

/** What an import of one file did (or, in a dry run, would do). */
export interface EntityImportSummary extends ImportCounts {
  readonly kind: EntityKind;
  readonly file: string;
  readonly sha256: string;
  readonly rows: number;
  readonly dryRun: boolean;
  /**
   * The import run recorded, or null when the import changed nothing: a file that is all
   * unchanged writes nothing at all, no run and no audit entry, so re-importing stays a no-op.
   */
  readonly runId: string | null;
}

/**
 * Imports one file of `kind`, all or nothing: the file is read and every row checked first (bad
 * cells, unknown or missing columns, a key given twice), then every row is matched and applied in
 * one write transaction through the kind's own apply function, with the import run and its audit
 * entry naming the file and its sha256. Any refused row refuses the file, listing every refusal by
 * row and column; nothing is written. `onProgress` hears the rows applied.
 */
export async function importEntities(
  ctx: AppContext,
  actor: Actor,
  kind: EntityKind,
  file: ImportFile,
  options: ImportOptions = {},
  onProgress?: ProgressListener,
): Promise<Result<EntityImportSummary>> {
  const importer = IMPORTERS[kind];
  if (!can(actor, importer.capability)) return err(forbidden(actor, importer.capability));
  const table = await readTable(file, kind);
  if (!table.ok) return err(rowsRefused(file.name, table.error));
  const rows = table.value.rows;
  const errors: RowError[] = [];
  const parsed: { row: SheetRow; input: unknown }[] = [];
  for (const row of rows) {
    const missing = ENTITY_COLUMNS[kind].filter(
      (c) => c.required && (row.cells[c.name] ?? '') === '',
    );
    if (missing.length > 0) {
      errors.push(
        ...missing.map((c) => ({ row: row.row, column: c.name, message: `${c.name} is required` })),
      );
      continue;
    }
    const input = importer.parseRow(row);
    if (input.ok) parsed.push({ row, input: input.value });
    else errors.push(...input.error);
  }
  errors.push(
    ...duplicateKeys(
      rows,
      (row) => rowKey(kind, row),
      kind === 'students' || kind === 'lines' ? 'id' : KEY_COLUMNS[kind],
      keyWords[kind],
    ).map((e) =>
      (kind === 'students' || kind === 'lines') &&
      (rows.find((r) => r.row === e.row)?.cells.id ?? '') === ''
        ? { ...e, column: KEY_COLUMNS[kind] }
        : e,
    ),
  );
  if (errors.length > 0) return err(rowsRefused(file.name, sortErrors(errors)));

  const dryRun = options.dryRun === true;
  const summaryOf = (counts: ImportCounts, runId: string | null): EntityImportSummary => ({
    kind,
    file: file.name,
    sha256: file.sha256,
    rows: rows.length,
    dryRun,
    ...counts,
    runId,
  });
  return writeTransaction(
    ctx,
    actor,
    importer.capability,
    async (tx, now) => {
      const runId = ctx.newId('imp');
      const counts = { created: 0, updated: 0, unchanged: 0 };
      const audit: AuditRecord[] = [];
      const refusals: RowError[] = [];
      for (const [i, { row, input }] of parsed.entries()) {
        const note: ImportNote = { runId, file, row: row.row };
        const applied = await importer.applyRow(tx, ctx, actor, now, input, note);
        if (applied.ok) {
          counts[applied.value.outcome] += 1;
          audit.push(...applied.value.audit.map((a) => withImportReason(a, note)));
        } else refusals.push(rowError(kind, row.row, applied.error));
        onProgress?.(i + 1, parsed.length, dryRun ? 'checking' : 'importing');
      }
      if (refusals.length > 0) return err(rowsRefused(file.name, refusals));
      if (counts.created + counts.updated === 0)
        return ok({ value: summaryOf(counts, null), audit: [] });
      const run = await recordImportRun(tx, ctx, actor, now, { id: runId, kind, file, counts });
      return ok({ value: summaryOf(counts, run.run.id), audit: [run.audit, ...audit] });
    },
    { dryRun, ...(options.job === undefined ? {} : { job: options.job }) },
  );
}

const keyWords: Readonly<Record<EntityKind, string>> = {
  courses: 'course',
  students: 'student',
  allocations: 'allocation',
  lines: 'line',
};

function sortErrors(errors: readonly RowError[]): RowError[] {
  return [...errors].sort((a, b) => a.row - b.row);
}

function rowError(kind: EntityKind, row: number, error: DomainError): RowError {
  return rowRefusal(kind, row, error)[0]!;
}

/** A record written by an import says so in its audit entry: the run, the file and the row. */
function withImportReason(record: AuditRecord, note: ImportNote): AuditRecord {
  return noteImport(record, `imported by ${note.runId} from ${note.file.name} row ${note.row}`);
}

/** What an export covers: one country, one fiscal year (lines and allocations). */
export interface ExportFilter {
  readonly country?: string | undefined;
  readonly fiscalYear?: number | undefined;
}

/** An exported file: its bytes, the name and content type to serve it under, its rows. */
export interface ExportedFile {
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
  readonly rows: number;
}

export const CONTENT_TYPES: Readonly<Record<TableFormat, string>> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

type Exporter = (
  ctx: AppContext,
  actor: Actor,
  filter: ExportFilter,
) => Promise<Result<TableRow[]>>;

const EXPORTERS: Readonly<Record<EntityKind, Exporter>> = {
  courses: courseExport,
  students: studentExport,
  allocations: allocationExport,
  lines: lineExport,
};

/**
 * The records of `kind` the actor sees, as a file with the import's columns: imported back, every
 * row is unchanged.
 */
export async function exportEntities(
  ctx: AppContext,
  actor: Actor,
  kind: EntityKind,
  format: TableFormat,
  filter: ExportFilter = {},
): Promise<Result<ExportedFile>> {
  const rows = await EXPORTERS[kind](ctx, actor, filter);
  if (!rows.ok) return rows;
  const stem = [
    kind,
    filter.country,
    filter.fiscalYear === undefined ? undefined : `FY${filter.fiscalYear}`,
  ]
    .filter((p) => p !== undefined)
    .join('-');
  return ok({
    fileName: `${stem}.${format}`,
    contentType: CONTENT_TYPES[format],
    bytes: await writeTable(format, kind, rows.value),
    rows: rows.value.length,
  });
}

/**
 * An empty file of `kind` to fill in: the header, and each column's meaning, whether it is
 * required and its allowed values (`#` lines before a CSV header, a README sheet in XLSX).
 * Imported as it is, it creates nothing.
 */
export async function entityTemplate(kind: EntityKind, format: TableFormat): Promise<ExportedFile> {
  return {
    fileName: `${kind}-template.${format}`,
    contentType: CONTENT_TYPES[format],
    bytes: await writeTable(format, kind, [], { guide: true }),
    rows: 0,
  };
}
