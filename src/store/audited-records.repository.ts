// Records as they stand, read in the words their audit entries use, for deep audit verification.
import { sql } from 'drizzle-orm';
import type { Executor } from './database.js';
import { isoInstant, queryRows } from './raw-sql.js';
import { LINE_ROW_COLUMNS, SEAT_ROW_COLUMNS } from './training.repository.js';

export type RecordState = Readonly<Record<string, unknown>> & { readonly id: string };

/** Every allocation version, as `allocation.set` and `allocation.supersede` state it. */
export async function readAllocationStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(
    db,
    sql`select id, country_iso3 as "country", program_code as "program", fiscal_year as "fiscalYear",
          amount_cents::float8 as "amountCents", effective_from::text as "effectiveFrom", reason, source,
          notification_id as "notificationId", ${isoInstant('recorded_at')} as "recordedAt",
          ${isoInstant('superseded_at')} as "supersededAt", recorded_by as "recordedBy"
        from allocations`,
  );
}

/** Every budget line, as `budget-line.import` states it. */
export async function readBudgetLineStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(
    db,
    sql`select id, fiscal_year as "fiscalYear", program_code as "programCode", name, kind, region,
          amount_cents::float8 as "amountCents", source, ${isoInstant('recorded_at')} as "recordedAt"
        from budget_lines`,
  );
}

/** Every import run, as `import.<kind>` states it. */
export async function readImportRunStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(
    db,
    sql`select id, kind, file_name as "fileName", sha256, budget_stage as "budgetStage", summary,
          ${isoInstant('recorded_at')} as "recordedAt", recorded_by as "recordedBy"
        from import_runs`,
  );
}

/** Every class's recorded international seats, as `class.set` states them. */
export async function readCourseClassStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(
    db,
    sql`select course_id || '@' || class_start::text as id, course_id as "courseId",
          class_start::text as "classStart", international_seats as "internationalSeats", version
        from course_classes`,
  );
}

/** Every training line, as `line.add` states it. */
export async function readTrainingLineStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(db, sql`select ${LINE_ROW_COLUMNS} from training_lines`);
}

/** Every seat's own columns, named as in the seat view its audit entries hold. */
export async function readSeatStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(db, sql`select ${SEAT_ROW_COLUMNS} from seats`);
}

/** Every nomination, as `nomination.add` states it. */
export async function readNominationStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(
    db,
    sql`select id, seat_id as "seatId", student_id as "studentId", nominated_on::text as "nominatedOn",
          attache_consulted_on::text as "attacheConsultedOn", attache_name as "attacheName",
          attache_view as "attacheView", dependents_authorised as "dependentsAuthorised", quarters, mess,
          withdrawn_on::text as "withdrawnOn"
        from nominations`,
  );
}

/** Every screening, as `screening.<kind>` states it. */
export async function readScreeningStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(
    db,
    sql`select id, student_id as "studentId", seat_id as "seatId", kind, outcome, on_date::text as "onDate",
          valid_until::text as "validUntil", score, level, notes, ${isoInstant('recorded_at')} as "recordedAt",
          recorded_by as "recordedBy"
        from screenings`,
  );
}

/** Every unit vetting, as `unit-vetting.<outcome>` states it. */
export async function readUnitVettingStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(
    db,
    sql`select id, country_iso3 as "country", unit, outcome, on_date::text as "onDate",
          valid_until::text as "validUntil", notes, ${isoInstant('recorded_at')} as "recordedAt",
          recorded_by as "recordedBy"
        from unit_vettings`,
  );
}

/** Every later position, as `career.add` states it. */
export async function readCareerStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(
    db,
    sql`select id, student_id as "studentId", title, rank, us_grade as "usGrade", location,
          from_date::text as "fromDate", prominence, ${isoInstant('recorded_at')} as "recordedAt"
        from career_positions`,
  );
}

/** Every human-rights finding, as `finding.add` states it. */
export async function readFindingStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(
    db,
    sql`select id, student_id as "studentId", found_on::text as "foundOn", summary, source,
          ${isoInstant('recorded_at')} as "recordedAt", recorded_by as "recordedBy"
        from human_rights_findings`,
  );
}

/**
 * Every training record of instruction before Attaché kept the seat, as `training-record.add`
 * states it. A seat's own record is written with its school events, which do not state it.
 */
export async function readPastTrainingStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(
    db,
    sql`select id, student_id as "student", course_id as "course", program_code as "program",
          started_on::text as "startedOn", ended_on::text as "endedOn", outcome, cause,
          academic_report as "academicReport"
        from training_records where seat_id is null`,
  );
}

/** Every country's English exemption, as `english-exemption.set` states it. */
export async function readEnglishExemptionStates(db: Executor): Promise<RecordState[]> {
  return queryRows<RecordState>(
    db,
    sql`select country_iso3 as "id", country_iso3 as "country", scope, basis from english_exemptions`,
  );
}

/** Every revision of every travel order: the order as issued (its stored canonical JSON). */
export async function readTravelOrderStates(db: Executor): Promise<RecordState[]> {
  const rows = await queryRows<{
    number: string;
    revision: number;
    seatId: string;
    issuedOn: string;
    content: string;
  }>(
    db,
    sql`select number, revision, seat_id as "seatId", issued_on::text as "issuedOn", content
        from travel_orders`,
  );
  // The columns the order is found by override the document: either changed alone shows.
  return rows.map((r) => ({
    ...(JSON.parse(r.content) as Record<string, unknown>),
    id: r.number,
    number: r.number,
    revision: r.revision,
    seatId: r.seatId,
    issuedOn: r.issuedOn,
  }));
}
