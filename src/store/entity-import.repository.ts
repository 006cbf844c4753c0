// Reads and writes the entity imports and exports need beyond the use cases' own: lines, students and allocation heads.
import { and, eq, sql } from 'drizzle-orm';
import type { IsoDate } from '../core/dates.js';
import type { ProgramCode } from '../core/programs.js';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';
import { students, trainingLines } from './schema.js';
import type { StudentRow } from './student.repository.js';

/** A training line as a file holds it. */
export interface LineRecord {
  readonly id: string;
  readonly country: string;
  readonly fiscalYear: number;
  readonly courseId: string;
  readonly program: ProgramCode;
  readonly classStart: IsoDate;
  readonly seatCount: number;
  readonly priority: string;
  readonly allowanceCents: number;
  readonly purpose: string | null;
  readonly version: number;
}

export interface LineFilter {
  readonly id?: string | undefined;
  readonly country?: string | undefined;
  readonly fiscalYear?: number | undefined;
  readonly courseId?: string | undefined;
  readonly program?: string | undefined;
  readonly classStart?: string | undefined;
}

/** Training lines by country, FY and class start (then id), as narrowed by `filter`. */
export async function listLineRecords(
  db: Executor,
  filter: LineFilter = {},
): Promise<LineRecord[]> {
  const where = [
    filter.id === undefined ? sql`` : sql` and id = ${filter.id}`,
    filter.country === undefined ? sql`` : sql` and country_iso3 = ${filter.country}`,
    filter.fiscalYear === undefined ? sql`` : sql` and fiscal_year = ${filter.fiscalYear}`,
    filter.courseId === undefined ? sql`` : sql` and course_id = ${filter.courseId}`,
    filter.program === undefined ? sql`` : sql` and program_code = ${filter.program}`,
    filter.classStart === undefined ? sql`` : sql` and class_start = ${filter.classStart}`,
  ];
  return queryRows<LineRecord>(
    db,
    sql`select id, country_iso3 as "country", fiscal_year as "fiscalYear", course_id as "courseId",
               program_code as "program", class_start::text as "classStart", seat_count as "seatCount",
               priority, allowance_cents::float8 as "allowanceCents", purpose, version
        from training_lines where true${sql.join(where)}
        order by country_iso3, fiscal_year, class_start, id`,
  );
}

/** Sets a line's purpose on the version it was read at; answers the rows changed (0: stale). */
export async function updateLinePurpose(
  tx: Executor,
  id: string,
  expectedVersion: number,
  purpose: string | null,
): Promise<number> {
  const rows = await tx
    .update(trainingLines)
    .set({ purpose, version: sql`${trainingLines.version} + 1` })
    .where(and(eq(trainingLines.id, id), eq(trainingLines.version, expectedVersion)))
    .returning({ id: trainingLines.id });
  return rows.length;
}

export type StudentChanges = Partial<
  Omit<StudentRow, 'id' | 'countryIso3' | 'version' | 'createdAt'>
>;

/** Corrects a student on the version it was read at; answers the rows changed (0: stale). */
export async function updateStudentIfVersion(
  tx: Executor,
  id: string,
  expectedVersion: number,
  changes: StudentChanges,
): Promise<number> {
  const rows = await tx
    .update(students)
    .set({ ...changes, version: sql`${students.version} + 1` })
    .where(and(eq(students.id, id), eq(students.version, expectedVersion)))
    .returning({ id: students.id });
  return rows.length;
}

/** The latest current version of an allocation (the amount it will have once nothing is pending). */
export interface AllocationHead {
  readonly country: string;
  readonly program: ProgramCode;
  readonly fiscalYear: number;
  readonly amountCents: number;
  readonly effectiveFrom: IsoDate;
  readonly reason: string;
  readonly source: string | null;
  readonly notifiedOn: IsoDate | null;
  readonly waitDays: number | null;
}

/** Each allocation's latest current version, by country, program and FY. */
export async function listAllocationHeads(
  db: Executor,
  filter: { country?: string | undefined; fiscalYear?: number | undefined } = {},
): Promise<AllocationHead[]> {
  const rows = await queryRows<AllocationHead & { amountCents: string | number }>(
    db,
    sql`select distinct on (a.country_iso3, a.program_code, a.fiscal_year)
               a.country_iso3 as "country", a.program_code as "program", a.fiscal_year as "fiscalYear",
               a.amount_cents as "amountCents", a.effective_from::text as "effectiveFrom", a.reason,
               a.source, n.notified_on::text as "notifiedOn", n.wait_days as "waitDays"
        from allocations a left join congressional_notifications n on n.id = a.notification_id
        where a.superseded_at is null
          ${filter.country === undefined ? sql`` : sql`and a.country_iso3 = ${filter.country}`}
          ${filter.fiscalYear === undefined ? sql`` : sql`and a.fiscal_year = ${filter.fiscalYear}`}
        order by a.country_iso3, a.program_code, a.fiscal_year, a.effective_from desc, a.recorded_at desc`,
  );
  // bigint arrives as a string from node-postgres.
  return rows.map((r) => ({ ...r, amountCents: Number(r.amountCents) }));
}
