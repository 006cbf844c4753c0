// Training lines and their seats.
import { and, eq, sql } from 'drizzle-orm';
import type { SeatChange, SeatState } from '../core/cascade.js';
import type { IsoDate } from '../core/dates.js';
import type { ProgramCode } from '../core/programs.js';
import { err, ok, type Result } from '../core/result.js';
import type { SeatStatus } from '../core/training.js';
import type { Executor } from './database.js';
import { insertChunked, isoInstant, queryRows } from './raw-sql.js';
import { seats, trainingLines } from './schema.js';

export type TrainingLineRow = typeof trainingLines.$inferInsert;
export type SeatRow = typeof seats.$inferInsert;

export async function insertTrainingLine(
  tx: Executor,
  line: TrainingLineRow,
  lineSeats: readonly SeatRow[],
): Promise<void> {
  await tx.insert(trainingLines).values(line);
  await insertChunked(tx, seats, lineSeats);
}

/** The seats of a country as the cascade sees them: with their line, course and money. */
export async function loadCascadeSeats(db: Executor, country: string): Promise<SeatState[]> {
  // The line's facts once per line, the seats with their own columns only: a cascade reads ten
  // thousand seats, and every repeated column costs on the wire and in parsing. Only the lines
  // with a seat still open: a country's forty years hold some 1,200 lines, 40 of them open.
  type LineFacts = Pick<
    SeatState,
    | 'country'
    | 'program'
    | 'fiscalYear'
    | 'classStart'
    | 'lengthWeeks'
    | 'tuitionCents'
    | 'allowanceCents'
  > & { id: string; courseId: string; schoolId: string; eImet: boolean };
  const lineRows = await queryRows<LineFacts>(
    db,
    sql`select l.id, l.country_iso3 as "country", l.program_code as "program", l.fiscal_year as "fiscalYear",
               l.course_id as "courseId", c.school_id as "schoolId", c.e_imet as "eImet",
               l.class_start::text as "classStart", c.length_weeks as "lengthWeeks",
               l.unit_tuition_cents::float8 as "tuitionCents",
               l.allowance_cents::float8 as "allowanceCents"
        from training_lines l join courses c on c.id = l.course_id
        where l.country_iso3 = ${country}
          and exists (select 1 from seats s where s.line_id = l.id
                      and s.status not in ('cancelled', 'completed', 'not-completed'))
        order by l.class_start, l.id`,
  );
  const seatRows = await queryRows<{
    id: string;
    lineId: string;
    status: SeatStatus;
    previousStatus: SeatStatus | null;
    studentId: string | null;
  }>(
    db,
    sql`select s.id, s.line_id as "lineId", s.status, s.previous_status as "previousStatus", s.student_id as "studentId"
        from seats s join training_lines l on l.id = s.line_id
        where l.country_iso3 = ${country} and s.status not in ('cancelled', 'completed', 'not-completed')
        order by s.line_id, s.ordinal`,
  );
  const byLine = new Map<string, (typeof seatRows)[number][]>();
  for (const seat of seatRows) {
    const list = byLine.get(seat.lineId);
    if (list === undefined) byLine.set(seat.lineId, [seat]);
    else list.push(seat);
  }
  const result: SeatState[] = [];
  for (const line of lineRows) {
    const course = { id: line.courseId, schoolId: line.schoolId, eImet: line.eImet };
    // Spelled out rather than spread: ten thousand of these are built per cascade.
    for (const seat of byLine.get(line.id) ?? []) {
      result.push({
        id: seat.id,
        lineId: seat.lineId,
        country: line.country,
        program: line.program,
        fiscalYear: line.fiscalYear,
        course,
        classStart: line.classStart,
        lengthWeeks: line.lengthWeeks,
        status: seat.status,
        previousStatus: seat.previousStatus,
        studentId: seat.studentId,
        tuitionCents: line.tuitionCents,
        allowanceCents: line.allowanceCents,
      });
    }
  }
  return result;
}

/**
 * Applies a cascade plan in one statement per group of alike changes (a set-based update, not one
 * round trip per seat). Each seat is dated by its change (the day eligibility turned); `now` is
 * only the instant the row was written.
 */
export async function applySeatChanges(
  tx: Executor,
  changes: readonly SeatChange[],
  /** The line of each seat changed. */
  lineOf: ReadonlyMap<string, string>,
  now: string,
): Promise<void> {
  // Seats of a line change alike: one statement per group of identical changes, keyed by seat id.
  const groups = new Map<string, { change: SeatChange; ids: string[]; lines: Set<string> }>();
  for (const c of changes) {
    const key = `${c.kind}\u0000${c.to}\u0000${c.on}\u0000${c.restrictionId ?? ''}\u0000${c.reason}`;
    const line = lineOf.get(c.seatId);
    if (line === undefined) throw new Error(`no line for seat ${c.seatId}`);
    const group = groups.get(key);
    if (group === undefined)
      groups.set(key, { change: c, ids: [c.seatId], lines: new Set([line]) });
    else {
      group.ids.push(c.seatId);
      group.lines.add(line);
    }
  }
  // The largest group first: a statement is sent when this thread hears the one before it is done,
  // and the caller's thread goes on with the cascade's audit meanwhile. The largest then runs while
  // the thread is busy; the small ones (a flag on a few seats each) after it.
  const largestFirst = [...groups.values()].sort((a, b) => b.ids.length - a.ids.length);
  for (const { change: c, ids, lines } of largestFirst) {
    // Found by their lines (their rows lie together) and checked by id: looked up by id alone,
    // 10,000 seats among a million took twice as long as the same rows by line.
    const where = sql`where line_id = any(${sql.param([...lines])}::text[]) and id = any(${sql.param(ids)}::text[])`;
    switch (c.kind) {
      case 'cancel':
        await tx.execute(sql`update seats set status = 'cancelled', previous_status = status, reason = ${c.reason},
            restriction_id = ${c.restrictionId}, cancellation_reason = 'us-restriction', cancelled_on = ${c.on}::date,
            penalty_cents = 0, penalty_rule = 'US decision: a restriction reached the seat: no penalty',
            version = version + 1, updated_at = ${now} ${where}`);
        break;
      case 'hold':
        await tx.execute(sql`update seats set status = 'held', previous_status = status, reason = ${c.reason},
            restriction_id = ${c.restrictionId}, held_on = ${c.on}::date, version = version + 1, updated_at = ${now} ${where}`);
        break;
      case 'flag':
        await tx.execute(sql`update seats set flagged = true, flag_reason = ${c.reason}, flagged_on = ${c.on}::date,
            restriction_id = ${c.restrictionId}, version = version + 1, updated_at = ${now} ${where}`);
        break;
      case 'release':
        await tx.execute(sql`update seats set status = ${c.to}, previous_status = null, reason = ${c.reason},
            held_on = null, version = version + 1, updated_at = ${now} ${where}`);
        break;
    }
  }
}

/** A seat with its line and course, as lists and the API show it. */
export interface SeatView {
  readonly id: string;
  readonly lineId: string;
  readonly ordinal: number;
  readonly country: string;
  readonly fiscalYear: number;
  readonly program: ProgramCode;
  readonly courseId: string;
  readonly courseTitle: string;
  readonly schoolId: string;
  readonly category: string;
  readonly eImet: boolean;
  readonly dedicated: boolean;
  readonly classStart: IsoDate;
  readonly priority: string;
  readonly status: SeatStatus;
  readonly previousStatus: SeatStatus | null;
  readonly reason: string | null;
  readonly cancellationReason: string | null;
  readonly cancelledOn: IsoDate | null;
  /** The day a held seat was held: the day eligibility turned. */
  readonly heldOn: IsoDate | null;
  readonly refilled: boolean;
  readonly penaltyCents: number;
  readonly penaltyRule: string | null;
  readonly restrictionId: string | null;
  readonly flagged: boolean;
  readonly flagReason: string | null;
  /** The day the restriction reached a flagged seat. */
  readonly flaggedOn: IsoDate | null;
  readonly studentId: string | null;
  readonly tuitionCents: number;
  readonly allowanceCents: number;
  readonly version: number;
  readonly updatedAt: string;
}

const seatViewColumns = sql`
  s.id, s.line_id as "lineId", s.ordinal, l.country_iso3 as "country", l.fiscal_year as "fiscalYear",
  l.program_code as "program", l.course_id as "courseId", c.title as "courseTitle", c.school_id as "schoolId",
  c.category, c.e_imet as "eImet", c.dedicated, l.class_start::text as "classStart", l.priority, s.status,
  s.previous_status as "previousStatus", s.reason, s.cancellation_reason as "cancellationReason",
  s.cancelled_on::text as "cancelledOn", s.held_on::text as "heldOn", s.refilled, s.penalty_cents::float8 as "penaltyCents",
  s.penalty_rule as "penaltyRule", s.restriction_id as "restrictionId", s.flagged, s.flag_reason as "flagReason",
  s.flagged_on::text as "flaggedOn", s.student_id as "studentId", l.unit_tuition_cents::float8 as "tuitionCents",
  l.allowance_cents::float8 as "allowanceCents", s.version,
  ${isoInstant('s.updated_at')} as "updatedAt"`;

const seatViewFrom = sql`from seats s join training_lines l on l.id = s.line_id join courses c on c.id = l.course_id`;

export async function listSeatViews(
  db: Executor,
  filter: { lineId: string } | { country: string; fiscalYear: number; status?: string | undefined },
): Promise<SeatView[]> {
  const where =
    'lineId' in filter
      ? sql`where s.line_id = ${filter.lineId}`
      : sql`where l.country_iso3 = ${filter.country} and l.fiscal_year = ${filter.fiscalYear}
            ${filter.status === undefined ? sql`` : sql`and s.status = ${filter.status}`}`;
  return queryRows<SeatView>(
    db,
    sql`select ${seatViewColumns} ${seatViewFrom} ${where} order by l.class_start, l.id, s.ordinal`,
  );
}

export async function listSeatViewsOfRestriction(
  db: Executor,
  restrictionId: string,
): Promise<SeatView[]> {
  return queryRows<SeatView>(
    db,
    sql`select ${seatViewColumns} ${seatViewFrom} where s.restriction_id = ${restrictionId}
        order by l.class_start, l.id, s.ordinal`,
  );
}

export async function findSeatView(db: Executor, id: string): Promise<SeatView | undefined> {
  const [row] = await queryRows<SeatView>(
    db,
    sql`select ${seatViewColumns} ${seatViewFrom} where s.id = ${id}`,
  );
  return row;
}

/**
 * Updates a seat if it is still at `version`: its new version, or a conflict when someone changed
 * it first (then the caller refuses its whole write: a Result cannot be ignored, see lint/).
 */
export async function updateSeat(
  tx: Executor,
  id: string,
  version: number,
  changes: Partial<Omit<typeof seats.$inferInsert, 'id' | 'version' | 'lineId' | 'ordinal'>>,
  now: string,
): Promise<Result<number>> {
  const updated = await tx
    .update(seats)
    .set({ ...changes, version: version + 1, updatedAt: now })
    .where(and(eq(seats.id, id), eq(seats.version, version)))
    .returning({ id: seats.id });
  if (updated.length === 1) return ok(version + 1);
  return err({
    code: 'CONFLICT',
    reason: 'SEAT.STALE',
    field: 'version',
    message: `seat ${id} changed since version ${version} was read: reload and try again`,
    details: { expected: version },
  });
}

export interface CourseForLine {
  readonly id: string;
  readonly schoolId: string;
  readonly eImet: boolean;
  readonly dedicated: boolean;
  readonly retiredOn: IsoDate | null;
  readonly tuitionCents: number | null;
}

/** A course with its tuition for a fiscal year (null when the catalog has none). */
export async function findCourseForLine(
  db: Executor,
  id: string,
  fiscalYear: number,
): Promise<CourseForLine | undefined> {
  const [row] = await queryRows<CourseForLine>(
    db,
    sql`select c.id, c.school_id as "schoolId", c.e_imet as "eImet", c.dedicated, c.retired_on::text as "retiredOn",
               t.tuition_cents::float8 as "tuitionCents"
        from courses c left join course_tuition t on t.course_id = c.id and t.fiscal_year = ${fiscalYear}
        where c.id = ${id}`,
  );
  return row;
}

/** A training line with its money and seat counts, for list checks and the end-of-year view. */
export interface LineSummary {
  readonly id: string;
  readonly country: string;
  readonly fiscalYear: number;
  readonly program: ProgramCode;
  readonly courseId: string;
  readonly schoolId: string;
  readonly category: string;
  readonly eImet: boolean;
  readonly classStart: IsoDate;
  readonly priority: string;
  readonly seatCount: number;
  readonly unitTuitionCents: number;
  readonly allowanceCents: number;
  readonly cancelledSeats: number;
  readonly penaltiesCents: number;
}

export async function listLineSummaries(
  db: Executor,
  filter: { country?: string; fiscalYear: number; program?: string },
): Promise<LineSummary[]> {
  return queryRows<LineSummary>(
    db,
    sql`select l.id, l.country_iso3 as "country", l.fiscal_year as "fiscalYear", l.program_code as "program",
               l.course_id as "courseId", c.school_id as "schoolId", c.category, c.e_imet as "eImet",
               l.class_start::text as "classStart", l.priority, l.seat_count as "seatCount",
               l.unit_tuition_cents::float8 as "unitTuitionCents", l.allowance_cents::float8 as "allowanceCents",
               count(s.id) filter (where s.status = 'cancelled')::int as "cancelledSeats",
               coalesce(sum(s.penalty_cents) filter (where s.status = 'cancelled'), 0)::float8 as "penaltiesCents"
        from training_lines l join courses c on c.id = l.course_id left join seats s on s.line_id = l.id
        where l.fiscal_year = ${filter.fiscalYear}
          ${filter.country === undefined ? sql`` : sql`and l.country_iso3 = ${filter.country}`}
          ${filter.program === undefined ? sql`` : sql`and l.program_code = ${filter.program}`}
        -- The country with the id: distributed by country, lines are keyed by both (decision 020).
        group by l.country_iso3, l.id, c.school_id, c.category, c.e_imet
        order by l.country_iso3, l.class_start, l.id`,
  );
}

/** What the seats board filters on; at least a country or a restriction. */
export interface SeatBoardFilter {
  readonly country?: string | undefined;
  readonly fiscalYear?: number | undefined;
  readonly status?: SeatStatus | undefined;
  readonly courseId?: string | undefined;
  /** The seats this restriction reached: cancelled, held or flagged by it. */
  readonly restrictionId?: string | undefined;
}

/** The seats matching every filter given, in class-start order. */
export async function listBoardSeatViews(
  db: Executor,
  filter: SeatBoardFilter,
): Promise<SeatView[]> {
  const conditions = [
    filter.country === undefined ? undefined : sql`l.country_iso3 = ${filter.country}`,
    filter.fiscalYear === undefined ? undefined : sql`l.fiscal_year = ${filter.fiscalYear}`,
    filter.status === undefined ? undefined : sql`s.status = ${filter.status}`,
    filter.courseId === undefined ? undefined : sql`l.course_id = ${filter.courseId}`,
    filter.restrictionId === undefined
      ? undefined
      : sql`s.restriction_id = ${filter.restrictionId}`,
  ].filter((c) => c !== undefined);
  const where = conditions.length === 0 ? sql`` : sql`where ${sql.join(conditions, sql` and `)}`;
  return queryRows<SeatView>(
    db,
    sql`select ${seatViewColumns} ${seatViewFrom} ${where} order by l.class_start, l.id, s.ordinal`,
  );
}

/** One audit entry of a seat, with the state before and after it (JSON text as written). */
export interface SeatAuditRow {
  readonly seq: number;
  readonly recordedAt: string;
  readonly actor: string;
  readonly action: string;
  readonly reason: string | null;
  readonly before: string | null;
  readonly after: string | null;
}

/** The audit entries of a seat, oldest first, reads left out: every write that made a version. */
export async function listSeatAudit(db: Executor, seatId: string): Promise<SeatAuditRow[]> {
  return queryRows<SeatAuditRow>(
    db,
    sql`select seq::float8 as seq, recorded_at as "recordedAt", actor, action, reason, before, after
        from audit_log where entity_type = 'seat' and entity_id = ${seatId} and action <> 'read'
        order by seq`,
  );
}

/** The last day a seat of these countries' lines of a fiscal year was cancelled: the day its money came back. */
export async function lastCancellationOn(
  db: Executor,
  filter: { fiscalYear: number; program: string; countries: readonly string[] },
): Promise<IsoDate | undefined> {
  if (filter.countries.length === 0) return undefined;
  const rows = await queryRows<{ on: IsoDate | null }>(
    db,
    sql`select max(s.cancelled_on)::text as "on"
        from seats s join training_lines l on l.id = s.line_id
        where l.fiscal_year = ${filter.fiscalYear} and l.program_code = ${filter.program}
          and s.status = 'cancelled'
          and l.country_iso3 in (${sql.join(
            filter.countries.map((c) => sql`${c}`),
            sql`, `,
          )})`,
  );
  return rows[0]?.on ?? undefined;
}

/** A line's row as its audit entries state it (the fields of `line.add`). */
export interface LineRow {
  readonly id: string;
  readonly countryIso3: string;
  readonly fiscalYear: number;
  readonly courseId: string;
  readonly programCode: string;
  readonly seatCount: number;
  readonly classStart: string;
  readonly priority: string;
  readonly unitTuitionCents: number;
  readonly allowanceCents: number;
  readonly createdAt: string;
  readonly version: number;
}

/** A line's own columns, named as its audit entries state them (the fields of `line.add`). */
export const LINE_ROW_COLUMNS = sql`id, country_iso3 as "countryIso3", fiscal_year as "fiscalYear",
  course_id as "courseId", program_code as "programCode", seat_count as "seatCount",
  class_start::text as "classStart", priority, unit_tuition_cents::float8 as "unitTuitionCents",
  allowance_cents::float8 as "allowanceCents", ${isoInstant('created_at')} as "createdAt", version`;

/** A seat's own columns, named as in the seat view its audit entries hold. */
export const SEAT_ROW_COLUMNS = sql`id, line_id as "lineId", ordinal, status,
  previous_status as "previousStatus", reason, cancellation_reason as "cancellationReason",
  cancelled_on::text as "cancelledOn", held_on::text as "heldOn", refilled,
  penalty_cents::float8 as "penaltyCents", penalty_rule as "penaltyRule",
  restriction_id as "restrictionId", flagged, flag_reason as "flagReason",
  flagged_on::text as "flaggedOn", student_id as "studentId", version,
  ${isoInstant('updated_at')} as "updatedAt"`;

/** A seat's own columns as `SEAT_ROW_COLUMNS` reads them. */
export type SeatRecord = Readonly<Record<string, unknown>> & { readonly id: string };

async function lineRow(tx: Executor, lineId: string, lock = false): Promise<LineRow> {
  const [row] = await queryRows<LineRow>(
    tx,
    sql`select ${LINE_ROW_COLUMNS} from training_lines where id = ${lineId} ${lock ? sql`for update` : sql``}`,
  );
  if (row === undefined) throw new Error(`training line ${lineId} is gone`);
  return row;
}

/** Makes a line priority `priority` (funded, when A); its version moves. */
export async function setLinePriority(
  tx: Executor,
  lineId: string,
  priority: string,
): Promise<{ before: LineRow; after: LineRow }> {
  const before = await lineRow(tx, lineId, true);
  await tx.execute(
    sql`update training_lines set priority = ${priority}, version = version + 1 where id = ${lineId}`,
  );
  return { before, after: await lineRow(tx, lineId) };
}

/**
 * Splits `seats` open seats (the last by ordinal) off line `lineId` into a new line `newLineId` of
 * priority `priority`, the same in every other fact; the seats keep their ids and statuses and are
 * numbered 1… on the new line. Nothing is deleted: the old line holds the rest. Answers the old
 * line before and after, the new line, and the seats moved as they now stand (their own columns).
 */
export async function splitLine(
  tx: Executor,
  split: {
    readonly lineId: string;
    readonly newLineId: string;
    readonly seats: number;
    readonly priority: string;
    readonly now: string;
  },
): Promise<{ before: LineRow; after: LineRow; added: LineRow; moved: SeatRecord[] }> {
  const before = await lineRow(tx, split.lineId, true);
  const open = await queryRows<{ id: string }>(
    tx,
    sql`select id from seats where line_id = ${split.lineId}
          and status not in ('cancelled', 'completed', 'not-completed')
        order by ordinal desc limit ${split.seats}`,
  );
  if (open.length < split.seats)
    throw new Error(`line ${split.lineId} has ${open.length} open seats, not ${split.seats}`);
  await tx.execute(
    sql`insert into training_lines (id, country_iso3, fiscal_year, course_id, program_code, seat_count,
          class_start, priority, unit_tuition_cents, allowance_cents, purpose, version, created_at)
        select ${split.newLineId}, country_iso3, fiscal_year, course_id, program_code, ${split.seats},
          class_start, ${split.priority}, unit_tuition_cents, allowance_cents, purpose, 1, ${split.now}
        from training_lines where id = ${split.lineId}`,
  );
  for (const [i, { id }] of [...open].reverse().entries())
    await tx.execute(
      sql`update seats set line_id = ${split.newLineId}, ordinal = ${i + 1}, version = version + 1,
            updated_at = ${split.now}
          where id = ${id}`,
    );
  await tx.execute(
    sql`update training_lines set seat_count = seat_count - ${split.seats}, version = version + 1
        where id = ${split.lineId}`,
  );
  return {
    before,
    after: await lineRow(tx, split.lineId),
    added: await lineRow(tx, split.newLineId),
    moved: await queryRows<SeatRecord>(
      tx,
      sql`select ${SEAT_ROW_COLUMNS} from seats where line_id = ${split.newLineId} order by ordinal`,
    ),
  };
}
