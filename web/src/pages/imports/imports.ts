// The import page's logic, pure: which kinds a role may import, how a file travels (base64), and
// the shapes of what an import job reports (its summary is JSON the server wrote; the document
// types it as any JSON, so its shape is written here, as the server's services state it).
import type { Capability } from '../../session.js';

export const IMPORT_CHOICES = [
  {
    kind: 'budget',
    label: 'State budget tables',
    capability: 'allocations.write',
    hint: 'Country-by-account CSV tables of the Congressional Budget Justification, one per fiscal year; every account is kept and reconciled',
  },
  {
    kind: 'history',
    label: 'Restriction history',
    capability: 'restrictions.write',
    hint: 'A CSV of restrictions, reliefs and lifts, one event per row, each naming the public source it was read in, in the columns of the history Attaché ships',
  },
  {
    kind: 'courses',
    label: 'Course catalog',
    capability: 'catalog.write',
    hint: 'CSV or XLSX in the template’s columns, matched by course id',
  },
  {
    kind: 'students',
    label: 'Students',
    capability: 'students.write',
    hint: 'CSV or XLSX in the template’s columns, matched by id, or by country, names and birth date',
  },
  {
    kind: 'allocations',
    label: 'Allocations',
    capability: 'allocations.write',
    hint: 'CSV or XLSX: country, program, fiscal year and amount; a changed amount is a new version',
  },
  {
    kind: 'lines',
    label: 'Training lines',
    capability: 'training.write',
    hint: 'CSV or XLSX in the template’s columns, matched by id, or by country, FY, course and class start',
  },
] as const satisfies readonly {
  kind: string;
  label: string;
  capability: Capability;
  hint: string;
}[];

export type ImportKind = (typeof IMPORT_CHOICES)[number]['kind'];
export type EntityKind = Exclude<ImportKind, 'budget' | 'history'>;

/** The kinds read as one CSV file only (no XLSX): the budget tables and a restriction history. */
export function csvOnly(kind: ImportKind): boolean {
  return kind === 'budget' || kind === 'history';
}

export const BUDGET_STAGES = ['enacted', 'estimate', 'request'] as const;
export type BudgetStage = (typeof BUDGET_STAGES)[number];

/** The kinds `can` allows, in the page's order. */
export function importableKinds(can: (c: Capability) => boolean) {
  return IMPORT_CHOICES.filter((c) => can(c.capability));
}

/** A file's bytes in base64, as the API takes them (chunked: a large file overflows one call). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk)
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

export interface Counts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** What an import of courses, students, allocations or lines did (or would do). */
export interface EntitySummary extends Counts {
  readonly kind: EntityKind;
  readonly file: string;
  readonly sha256: string;
  readonly rows: number;
  readonly dryRun: boolean;
  readonly runId: string | null;
}

export interface AccountReconciliation {
  readonly account: string;
  readonly regionsOk: number;
  readonly regions: number;
  readonly totalOk: boolean | null;
  readonly failed: readonly {
    readonly check: string;
    readonly expected: number;
    readonly actual: number;
  }[];
  readonly discrepancies: readonly {
    readonly line: string;
    readonly stated: number;
    readonly parts: number;
    readonly partLines: number;
  }[];
}

export interface BudgetFileSummary {
  readonly file: string;
  readonly sha256: string;
  readonly fiscalYear: number;
  readonly stage: BudgetStage | 'unstated';
  readonly importRunId: string | null;
  readonly figures: Counts;
  readonly allocations: Counts;
  readonly notes: readonly string[];
  readonly reconciliation: readonly AccountReconciliation[];
  readonly reconciled: boolean;
}

export interface BudgetSummary {
  readonly dryRun: boolean;
  readonly reconciled: boolean;
  readonly files: readonly BudgetFileSummary[];
}

/** What an import of a restriction history did (or would do), as the server's service states it. */
export interface HistorySummary extends Counts {
  readonly file: string;
  readonly sha256: string;
  readonly rows: number;
  readonly dryRun: boolean;
  readonly restrictions: number;
  readonly reliefs: number;
  readonly lifts: number;
  readonly inferred: number;
  readonly notes: number;
  readonly byKind: Readonly<Record<string, number>>;
  readonly runId: string | null;
}

export function isHistorySummary(summary: unknown): summary is HistorySummary {
  return (
    typeof summary === 'object' && summary !== null && 'lifts' in summary && 'byKind' in summary
  );
}

export function isBudgetSummary(summary: unknown): summary is BudgetSummary {
  return typeof summary === 'object' && summary !== null && 'files' in summary;
}

export function isEntitySummary(summary: unknown): summary is EntitySummary {
  return (
    typeof summary === 'object' && summary !== null && 'rows' in summary && !('lifts' in summary)
  );
}

/** A refused cell, as a refused import lists them in its problem's details. */
export interface RowError {
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

/** The refused cells of a problem, or none when the refusal is not about rows. */
export function rowErrorsOf(details: unknown): {
  readonly count: number;
  readonly errors: readonly RowError[];
} {
  if (typeof details !== 'object' || details === null) return { count: 0, errors: [] };
  const { errors, count } = details as { errors?: unknown; count?: unknown };
  if (!Array.isArray(errors)) return { count: 0, errors: [] };
  const rows = errors.filter(
    (e): e is RowError =>
      typeof e === 'object' &&
      e !== null &&
      typeof (e as RowError).row === 'number' &&
      typeof (e as RowError).column === 'string' &&
      typeof (e as RowError).message === 'string',
  );
  return { count: typeof count === 'number' ? count : rows.length, errors: rows };
}

/** "3 created, 1 updated, 12 unchanged". */
export function countsText(c: Counts): string {
  return `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;
}
