// `attache import history FILE`: a restriction-history CSV (decision 017) read and checked row by
// row, planned into restrictions, reliefs and lifts, then written through the same apply functions
// a user's write takes, in the order the events happened, in one transaction; every version names
// the import run (file and sha256). Importing the same file again writes nothing.
import type { Actor } from '../../core/actor.js';
import type { IsoDate } from '../../core/dates.js';
import {
  planHistory,
  waitDaysOf,
  type HistoryPlan,
  type PlannedRelief,
  type PlannedRestriction,
} from '../../core/history/history-plan.js';
import {
  checkHistoryHeader,
  checkHistoryRow,
  MAX_HISTORY_ROWS,
  type HistoryRow,
} from '../../core/history/history-rows.js';
import {
  rowsRefused,
  type ImportCounts,
  type ProgressListener,
  type RowError,
} from '../../core/imports/import-report.js';
import { expandScope } from '../../core/programs.js';
import type { DateQuality, ReliefVersion, RestrictionVersion } from '../../core/restrictions.js';
import { err, ok, type DomainError, type Result } from '../../core/result.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import { listReliefVersions, listRestrictionVersions } from '../../store/eligibility.repository.js';
import type { AppContext } from '../context.js';
import { applyEndRelief, applyRecordRelief, parseRelief } from '../eligibility/relief.service.js';
import {
  applyCorrectRestriction,
  applyEndRestriction,
  applyRecordRestriction,
  parseRestriction,
} from '../eligibility/restriction.service.js';
import { checkTextField } from '../text-input.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';
import type { ImportFile } from './import-file.js';
import { importReason, noteImport, recordImportRun } from './import-run.js';
import { csvRecords, fileError } from './tabular-file.js';

/** The largest history file read (the shipped one is under 100 KB). */
export const MAX_HISTORY_BYTES = 8 * 1024 * 1024;

/** A history file read and planned: what it would record. */
export interface ParsedHistory {
  readonly file: ImportFile;
  readonly rows: readonly HistoryRow[];
  readonly plan: HistoryPlan;
}

/**
 * Reads a history CSV: UTF-8, a header naming the columns (HISTORY_COLUMNS, optionally
 * until_quality and notified_on), then one event per row (`#` lines and blank rows skipped).
 * Refused with every bad cell by row and column, then with every row that cannot be placed.
 */
export function parseHistoryFile(file: ImportFile): Result<ParsedHistory> {
  const read = readRows(file);
  if (!read.ok) return err(rowsRefused(file.name, read.error));
  const planned = planHistory(read.value);
  if (!planned.ok) return err(rowsRefused(file.name, planned.errors));
  return ok({ file, rows: read.value, plan: planned.plan });
}

function readRows(file: ImportFile): Result<HistoryRow[], RowError[]> {
  if (file.bytes.length > MAX_HISTORY_BYTES)
    return err(fileError(`the file is ${file.bytes.length} bytes, over ${MAX_HISTORY_BYTES}`));
  const records = csvRecords(file, 'CSV UTF-8');
  if (!records.ok) return records;
  const numbered = records.value
    .map(([row, cells]) => ({ row, cells }))
    .filter(({ cells }) => !(cells[0] ?? '').startsWith('#'))
    .filter(({ cells }) => cells.some((c) => c.trim() !== ''));
  const [head, ...body] = numbered;
  if (head === undefined) return err(fileError('the file has no header row'));
  const header = head.cells.map((c) => c.trim());
  const headerErrors = checkHistoryHeader(header, head.row);
  if (headerErrors.length > 0) return err(headerErrors);
  if (body.length === 0) return err(fileError('the file has a header but no rows', head.row));
  if (body.length > MAX_HISTORY_ROWS)
    return err(fileError(`${body.length} rows, over the limit of ${MAX_HISTORY_ROWS}: split it`));
  const errors: RowError[] = [];
  const rows: HistoryRow[] = [];
  for (const { row, cells } of body) {
    if (cells.length > header.length) {
      errors.push({
        row,
        column: '*',
        message: `${cells.length} cells under ${header.length} columns`,
      });
      continue;
    }
    const named: Record<string, string> = {};
    let storable = true;
    for (const [i, name] of header.entries()) {
      const value = cells[i] ?? '';
      const checked = checkTextField(name, value, 20_000);
      if (!checked.ok) {
        errors.push({ row, column: name, message: checked.error.message });
        storable = false;
      }
      named[name] = value;
    }
    if (!storable) continue;
    const checked = checkHistoryRow(row, named);
    if (checked.ok) rows.push(checked.row);
    else errors.push(...checked.errors);
  }
  return errors.length > 0 ? err(errors) : ok(rows);
}

/** One dated write of a plan: run at `now` inside the import's (or the demo's) transaction. */
export interface HistoryStep {
  /** The day it happened: the demo records it then; an import records every step at once. */
  readonly on: IsoDate;
  readonly row: number;
  readonly what: string;
  readonly run: (tx: Executor, now: string) => Promise<Result<WorkOutcome<unknown>>>;
}

interface FinalEnd {
  readonly until: IsoDate | null;
  readonly quality: DateQuality | null;
}

/** What a record ends as: the end a later event gives it (a lift, an end), else its own. */
function finalEnd(
  record: { readonly until: IsoDate | null; readonly untilQuality: DateQuality | null },
  later: { readonly on: IsoDate; readonly quality: DateQuality } | null,
): FinalEnd {
  if (later !== null) return { until: later.on, quality: later.quality };
  return { until: record.until, quality: record.until === null ? null : record.untilQuality };
}

/** A restriction's end after any lift: none when the lift was revoked before it took effect. */
function finalUntil(p: PlannedRestriction): FinalEnd {
  if (p.lift !== null && p.lift.revokedOn !== null) return { until: null, quality: null };
  return finalEnd(p, p.lift);
}

const finalReliefUntil = (r: PlannedRelief): FinalEnd => finalEnd(r, r.end);

/** The columns whose check failed: the fields of a record that differ from its row. */
function differing(checks: readonly (readonly [column: string, same: boolean])[]): string[] {
  return checks.filter(([, same]) => !same).map(([column]) => column);
}

function restrictionSteps(
  ctx: AppContext,
  actor: Actor,
  p: PlannedRestriction,
  runId: string,
): HistoryStep[] {
  const steps: HistoryStep[] = [
    {
      on: p.from,
      row: p.row,
      what: `${p.kind} restriction ${p.id}`,
      run: async (tx, now) => {
        const parsed = parseRestriction({
          country: p.country,
          kind: p.kind,
          scope: p.scope,
          from: p.from,
          until: p.lift === null ? p.until : null,
          basis: p.basis,
          authority: p.authority,
          source: p.source,
          seatPolicy: p.seatPolicy,
          courseFilter: p.courseFilter,
          determinedOn: p.from,
          description: p.description,
        });
        if (!parsed.ok) return parsed;
        return applyRecordRestriction(tx, ctx, actor, now, {
          ...parsed.value,
          id: p.id,
          dateQuality: p.dateQuality,
          untilQuality: p.lift === null ? p.untilQuality : null,
          importRunId: runId,
        });
      },
    },
  ];
  const lift = p.lift;
  if (lift !== null) {
    steps.push({
      on: lift.notifiedOn ?? lift.on,
      row: lift.row,
      what: `lift of ${p.id}`,
      run: (tx, now) =>
        applyEndRestriction(tx, ctx, actor, now, p.id, lift.on, lift.reason, {
          notified: lift.notifiedOn,
          fundamentalChange: lift.fundamentalChange,
          untilQuality: lift.quality,
          importRunId: runId,
          source: lift.source,
        }),
    });
    const revokedOn = lift.revokedOn;
    if (revokedOn !== null) {
      steps.push({
        on: revokedOn,
        row: lift.row,
        what: `revocation of the lift of ${p.id}`,
        run: (tx, now) =>
          applyCorrectRestriction(
            tx,
            ctx,
            actor,
            now,
            p.id,
            {
              until: null,
              reason: `the rescission was revoked on ${revokedOn}, before it took effect (${lift.on})`,
            },
            { checkReliefs: false, liftNotificationId: null, importRunId: runId },
          ),
      });
    }
  }
  for (const r of p.reliefs) steps.push(...reliefSteps(ctx, actor, p, r, runId));
  return steps;
}

function reliefSteps(
  ctx: AppContext,
  actor: Actor,
  p: PlannedRestriction,
  r: PlannedRelief,
  runId: string,
  create = true,
): HistoryStep[] {
  const steps: HistoryStep[] = [];
  if (create) {
    const recordedOn = [r.notifiedOn ?? r.from, p.from].sort()[1] as IsoDate;
    steps.push({
      on: recordedOn,
      row: r.row,
      what: `${r.type} ${r.id}`,
      run: async (tx, now) => {
        const wait = waitDaysOf(r);
        const parsed = parseRelief({
          type: r.type,
          grounds: r.grounds,
          programs: r.programs,
          ...(r.notifiedOn === null || wait === null
            ? { from: r.from }
            : { notified: r.notifiedOn, waitDays: wait }),
          until: r.end === null ? r.until : null,
          authority: r.authority,
          justification: r.justification,
          source: r.source,
        });
        if (!parsed.ok) return parsed;
        return applyRecordRelief(tx, ctx, actor, now, p.id, {
          ...parsed.value,
          id: r.id,
          dateQuality: r.dateQuality,
          untilQuality: r.end === null ? r.untilQuality : null,
          scopeStated: r.scopeStated,
          importRunId: runId,
        });
      },
    });
  }
  const end = r.end;
  if (end !== null) {
    steps.push({
      on: end.on,
      row: end.row,
      what: `end of ${r.id}`,
      run: (tx, now) =>
        applyEndRelief(tx, actor, now, r.id, end.on, end.reason, {
          untilQuality: end.quality,
          importRunId: runId,
        }),
    });
  }
  return steps;
}

/** Every write of a plan, for an empty record: what the demo replays on the days they happened. */
export function historySteps(
  ctx: AppContext,
  actor: Actor,
  plan: HistoryPlan,
  runId: string,
): HistoryStep[] {
  return plan.restrictions.flatMap((p) => restrictionSteps(ctx, actor, p, runId));
}

/** Steps in the order the events happened (a lift after its restriction, an end after its relief). */
export function inDateOrder(steps: readonly HistoryStep[]): HistoryStep[] {
  return steps
    .map((step, i) => ({ step, i }))
    .sort((a, b) => (a.step.on < b.step.on ? -1 : a.step.on > b.step.on ? 1 : a.i - b.i))
    .map(({ step }) => step);
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** The fields of a restriction on record that differ from the plan's (empty: the same). */
function restrictionChanges(p: PlannedRestriction, v: RestrictionVersion): string[] {
  const until = finalUntil(p);
  const scope = expandScope(p.scope);
  const programs = scope.ok ? scope.programs : [];
  return differing([
    ['kind', v.kind === p.kind],
    ['scope', sameSet(v.scope, p.scope) || sameSet(v.programs, programs)],
    ['effective_from', v.from === p.from],
    ['effective_until', v.until === until.until],
    ['date_quality', v.dateQuality === p.dateQuality],
    ['until_quality', v.untilQuality === until.quality],
    ['legal_basis', v.basis === p.basis],
    ['source', v.source === p.source],
    ['description', v.description === p.description],
  ]);
}

function reliefChanges(r: PlannedRelief, v: ReliefVersion): string[] {
  const until = finalReliefUntil(r);
  return differing([
    ['relief_type', v.type === r.type],
    ['effective_from', v.from === r.from],
    ['effective_until', v.until === until.until],
    ['date_quality', v.dateQuality === r.dateQuality],
    ['until_quality', v.untilQuality === until.quality],
    ['relief_scope', v.scopeStated === r.scopeStated],
    ['source', v.source === r.source],
    ['description', v.justification === r.justification],
  ]);
}

/** What an import of a history file did (or, in a dry run, would do). */
export interface HistoryImportSummary extends ImportCounts {
  readonly file: string;
  readonly sha256: string;
  readonly rows: number;
  readonly dryRun: boolean;
  readonly restrictions: number;
  readonly reliefs: number;
  readonly lifts: number;
  /** Child-soldiers listings inferred from a waiver (no row states them). */
  readonly inferred: number;
  /** Rows recording a fact with no restriction. */
  readonly notes: number;
  /** Rows of the file by kind of restriction. */
  readonly byKind: Readonly<Record<string, number>>;
  /** The run recorded; null when the file changed nothing (then nothing at all is written). */
  readonly runId: string | null;
}

function columnOf(field: string | undefined): string {
  switch (field) {
    case 'from':
    case 'on':
      return 'effective_from';
    case 'until':
      return 'effective_until';
    case 'notified':
    case 'waitDays':
      return 'notified_on';
    case 'programs':
    case 'schools':
      return 'relief_scope';
    case 'type':
    case 'grounds':
      return 'relief_type';
    case 'scope':
    case 'kind':
    case 'courseFilter':
      return field === 'courseFilter' ? 'scope' : field;
    case 'country':
      return 'country_iso3';
    case 'basis':
      return 'legal_basis';
    default:
      return '*';
  }
}

function refusedRow(step: HistoryStep, error: DomainError): RowError {
  return {
    row: step.row,
    column: columnOf(error.field),
    message: `${step.what}: ${error.message}`,
  };
}

/**
 * Writes what the plan adds or changes inside `tx` at `now`: new restrictions and reliefs with
 * their lifts and ends, corrections where the record differs; a relief on record that differs in
 * more than its end is refused (correct it by hand). Refused, naming the row, when any write is.
 */
export async function applyImportHistory(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  parsed: ParsedHistory,
  options: { readonly dryRun?: boolean } = {},
  onProgress?: ProgressListener,
): Promise<Result<WorkOutcome<HistoryImportSummary>>> {
  const runId = ctx.newId('imp');
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const steps: HistoryStep[] = [];
  const refusals: RowError[] = [];
  for (const p of parsed.plan.restrictions) {
    const current = (await listRestrictionVersions(tx, p.id)).find((v) => v.supersededAt === null);
    if (current === undefined) {
      steps.push(...restrictionSteps(ctx, actor, p, runId));
      counts.created += 1 + p.reliefs.length;
      continue;
    }
    const changed = restrictionChanges(p, current);
    if (changed.length === 0) counts.unchanged += 1;
    else {
      counts.updated += 1;
      steps.push(correctionStep(ctx, actor, p, changed, runId));
    }
    for (const r of p.reliefs) {
      const onRecord = (await listReliefVersions(tx, r.id)).find((v) => v.supersededAt === null);
      if (onRecord === undefined) {
        counts.created += 1;
        steps.push(...reliefSteps(ctx, actor, p, r, runId));
        continue;
      }
      const differs = reliefChanges(r, onRecord);
      if (differs.length === 0) counts.unchanged += 1;
      else if (
        differs.every((f) => f === 'effective_until' || f === 'until_quality') &&
        r.end !== null &&
        onRecord.until === null
      ) {
        counts.updated += 1;
        steps.push(...reliefSteps(ctx, actor, p, r, runId, false));
      } else {
        refusals.push({
          row: r.row,
          column: differs[0] === undefined ? '*' : differs[0],
          message: `relief ${r.id} on record differs (${differs.join(', ')}): correct or end it by hand, then import again`,
        });
      }
    }
  }
  if (refusals.length > 0) return err(rowsRefused(parsed.file.name, refusals));
  const summaryOf = (runIdKept: string | null): HistoryImportSummary => ({
    file: parsed.file.name,
    sha256: parsed.file.sha256,
    rows: parsed.rows.length,
    dryRun: options.dryRun === true,
    ...counts,
    restrictions: parsed.plan.restrictions.length,
    reliefs: parsed.plan.restrictions.reduce((n, p) => n + p.reliefs.length, 0),
    lifts: parsed.plan.restrictions.filter((p) => p.lift !== null).length,
    inferred: parsed.plan.restrictions.filter((p) => p.inferred).length,
    notes: parsed.plan.notes.length,
    byKind: byKind(parsed.rows),
    runId: runIdKept,
  });
  if (steps.length === 0) return ok({ value: summaryOf(null), audit: [] });
  const run = await recordImportRun(tx, ctx, actor, now, {
    id: runId,
    kind: 'history',
    file: parsed.file,
    counts,
    notes: parsed.plan.notes.map((n) => `row ${n.row} (${n.country}): ${n.text}`),
  });
  const audit: AuditRecord[] = [run.audit];
  const ordered = inDateOrder(steps);
  for (const [i, step] of ordered.entries()) {
    const done = await step.run(tx, now);
    if (!done.ok) return err(rowsRefused(parsed.file.name, [refusedRow(step, done.error)]));
    audit.push(...done.value.audit.map((a) => withRow(a, runId, parsed.file, step.row)));
    onProgress?.(i + 1, ordered.length, options.dryRun === true ? 'checking' : 'importing');
  }
  return ok({ value: summaryOf(run.run.id), audit });
}

function correctionStep(
  ctx: AppContext,
  actor: Actor,
  p: PlannedRestriction,
  changed: readonly string[],
  runId: string,
): HistoryStep {
  const until = finalUntil(p);
  return {
    on: p.from,
    row: p.row,
    what: `correction of ${p.id}`,
    run: (tx, now) =>
      applyCorrectRestriction(
        tx,
        ctx,
        actor,
        now,
        p.id,
        {
          kind: p.kind,
          scope: p.scope,
          from: p.from,
          until: until.until,
          basis: p.basis,
          source: p.source,
          description: p.description,
          reason: `the history file differs in ${changed.join(', ')}`,
        },
        { dateQuality: p.dateQuality, untilQuality: until.quality, importRunId: runId },
      ),
  };
}

function byKind(rows: readonly HistoryRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return counts;
}

/** A record written by an import says so in its audit entry: the run, the file (sha256) and the row. */
export function withRow(
  record: AuditRecord,
  runId: string,
  file: ImportFile,
  row: number,
): AuditRecord {
  return noteImport(record, `imported by ${runId} from ${importReason(file)} row ${row}`);
}

/**
 * Imports a history file, all or nothing, on the one write road (capability restrictions.write):
 * read and planned first (refused with every bad cell), then written in one transaction.
 */
export async function importHistory(
  ctx: AppContext,
  actor: Actor,
  file: ImportFile,
  options: { readonly dryRun?: boolean; readonly job?: string } = {},
  onProgress?: ProgressListener,
): Promise<Result<HistoryImportSummary>> {
  const parsed = parseHistoryFile(file);
  if (!parsed.ok) return parsed;
  return writeTransaction(
    ctx,
    actor,
    'restrictions.write',
    (tx, now) => applyImportHistory(tx, ctx, actor, now, parsed.value, options, onProgress),
    {
      dryRun: options.dryRun === true,
      ...(options.job === undefined ? {} : { job: options.job }),
    },
  );
}
