// Allocations (country × program × FY) and non-country budget lines; changes supersede, never overwrite.
// Bitemporal: the amount in force on a date D (as known now) is the current (non-superseded) row with
// the greatest effective_from ≤ D; a current row with a later effective_from is a pending change.
import { and, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { IsoDate } from '../core/dates.js';
import type { BudgetStage } from '../core/imports/vocabulary.js';
import type { CongressionalNotification } from '../core/restrictions.js';
import type { Executor } from './database.js';
import { insertChunked, isoInstant, queryRows } from './raw-sql.js';
import { allocations, budgetLines } from './schema.js';

export interface AllocationRow {
  readonly id: string;
  readonly countryIso3: string;
  readonly programCode: string;
  readonly fiscalYear: number;
  readonly amountCents: number;
  /** The day the amount takes effect; the budget tables' rows take the column default (1950-01-01). */
  readonly effectiveFrom?: IsoDate;
  readonly reason: string;
  readonly source: string | null;
  readonly notificationId?: string | null;
  /** The stage of the budget table the amount came from (only `enacted` becomes an allocation); null when set by hand. */
  readonly budgetStage?: BudgetStage | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

/** One recorded version of an allocation, with the notification that holds it when there is one. */
export interface AllocationVersion {
  readonly id: string;
  readonly country: string;
  readonly program: string;
  readonly fiscalYear: number;
  readonly amountCents: number;
  readonly effectiveFrom: IsoDate;
  readonly reason: string;
  readonly source: string | null;
  readonly notificationId: string | null;
  /** The budget table's stage when the version came from one (`enacted`); null when set by hand. */
  readonly budgetStage: BudgetStage | null;
  readonly recordedAt: string;
  readonly supersededAt: string | null;
  readonly recordedBy: string;
}

export type AllocationVersionWithNotice = AllocationVersion & {
  readonly notification: CongressionalNotification | null;
};

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

/** The date "in force" is judged on: `on`, else today (UTC) by the database's clock. */
export function asOfDate(on?: IsoDate): SQL {
  return on === undefined ? sql`(now() at time zone 'UTC')::date` : sql`${on}::date`;
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

/**
 * Allocations of one country for one program, oldest FY first: per FY, the amount in force on `on`
 * (today by default). A FY whose only current row is a pending change is left out.
 */
export async function listCurrentAllocations(
  db: Executor,
  countryIso3: string,
  programCode: string,
  on?: IsoDate,
): Promise<{ fiscalYear: number; amountCents: number }[]> {
  const rows = await queryRows<{ fiscalYear: number; amountCents: string | number }>(
    db,
    sql`select distinct on (fiscal_year) fiscal_year as "fiscalYear", amount_cents as "amountCents"
        from allocations
        where country_iso3 = ${countryIso3} and program_code = ${programCode}
          and superseded_at is null and effective_from <= ${asOfDate(on)}
        order by fiscal_year, effective_from desc`,
  );
  // bigint arrives as a string from node-postgres.
  return rows.map((r) => ({ fiscalYear: r.fiscalYear, amountCents: Number(r.amountCents) }));
}

/**
 * Every version (current and superseded) of one country's allocations for one program, optionally
 * one FY, oldest first by FY, then transaction time; each with its notification when it has one.
 */
export async function listAllocationHistory(
  db: Executor,
  countryIso3: string,
  programCode: string,
  fiscalYear?: number,
): Promise<AllocationVersionWithNotice[]> {
  const fyFilter = fiscalYear === undefined ? sql`` : sql`and a.fiscal_year = ${fiscalYear}`;
  const rows = await queryRows<AllocationVersionWithNotice & { amountCents: string | number }>(
    db,
    sql`select a.id, a.country_iso3 as "country", a.program_code as "program",
          a.fiscal_year as "fiscalYear", a.amount_cents as "amountCents",
          a.effective_from::text as "effectiveFrom", a.reason, a.source,
          a.notification_id as "notificationId", a.budget_stage as "budgetStage",
          ${isoInstant('a.recorded_at')} as "recordedAt",
          ${isoInstant('a.superseded_at')} as "supersededAt", a.recorded_by as "recordedBy",
          case when n.id is null then null else json_build_object(
            'id', n.id, 'country', n.country_iso3, 'subject', n.subject,
            'notifiedOn', n.notified_on::text, 'waitDays', n.wait_days,
            'windowEndsOn', n.window_ends_on::text, 'source', n.source) end as "notification"
        from allocations a
        left join congressional_notifications n on n.id = a.notification_id
        where a.country_iso3 = ${countryIso3} and a.program_code = ${programCode} ${fyFilter}
        order by a.fiscal_year, a.recorded_at, a.effective_from, a.id`,
  );
  // bigint arrives as a string from node-postgres.
  return rows.map((r) => ({ ...r, amountCents: Number(r.amountCents) }));
}

/** The current versions budget-table imports recorded for a FY (those an import compares and supersedes). */
export async function listBudgetTableAllocations(
  db: Executor,
  fiscalYear: number,
): Promise<AllocationVersion[]> {
  const rows = await queryRows<AllocationVersion & { amountCents: string | number }>(
    db,
    sql`select id, country_iso3 as "country", program_code as "program", fiscal_year as "fiscalYear",
          amount_cents as "amountCents", effective_from::text as "effectiveFrom", reason, source,
          notification_id as "notificationId", budget_stage as "budgetStage",
          ${isoInstant('recorded_at')} as "recordedAt", ${isoInstant('superseded_at')} as "supersededAt",
          recorded_by as "recordedBy"
        from allocations
        where fiscal_year = ${fiscalYear} and budget_stage = 'enacted'
          and effective_from = '1950-01-01' and superseded_at is null`,
  );
  return rows.map((r) => ({ ...r, amountCents: Number(r.amountCents) }));
}

/**
 * Serialises changes of one allocation (country × program × FY) until the transaction ends, so two
 * writers cannot both decide against the same versions (the first allocation has no row to lock).
 */
export async function lockAllocation(
  tx: Executor,
  countryIso3: string,
  programCode: string,
  fiscalYear: number,
): Promise<void> {
  const key = `attache.allocation:${countryIso3}:${programCode}:${fiscalYear}`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

/** Marks current versions superseded at `at` (transaction time); they stay in the history. */
export async function supersedeAllocations(
  tx: Executor,
  ids: readonly string[],
  at: string,
): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(allocations)
    .set({ supersededAt: at })
    .where(and(inArray(allocations.id, [...ids]), isNull(allocations.supersededAt)));
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
    effectiveFrom: string;
    recordedAt: string;
    supersededAt: string | null;
  }[]
> {
  return queryRows(
    db,
    sql`select program_code as "program", fiscal_year as "fiscalYear", amount_cents::float8 as "cents",
          effective_from::text as "effectiveFrom",
          ${isoInstant('recorded_at')} as "recordedAt", ${isoInstant('superseded_at')} as "supersededAt"
        from allocations where country_iso3 = ${countryIso3}
        order by fiscal_year, program_code, recorded_at, effective_from`,
  );
}

/** Every country's allocation of one program for one FY, as in force on `on`. */
export async function listAllocationsForYear(
  db: Executor,
  programCode: string,
  fiscalYear: number,
  on?: IsoDate,
): Promise<Map<string, number>> {
  const rows = await queryRows<{ country: string; amountCents: string | number }>(
    db,
    sql`select distinct on (country_iso3) country_iso3 as "country", amount_cents as "amountCents"
        from allocations
        where program_code = ${programCode} and fiscal_year = ${fiscalYear}
          and superseded_at is null and effective_from <= ${asOfDate(on)}
        order by country_iso3, effective_from desc`,
  );
  return new Map(rows.map((r) => [r.country, Number(r.amountCents)]));
}
