// Students and what is recorded about them: screenings, unit vettings, English exemptions,
// nominations, school events, the 2347g training records, careers and human-rights findings.
import { and, asc, desc, eq, ilike, inArray, isNull, sql } from 'drizzle-orm';
import type { IsoDate } from '../core/dates.js';
import type { ProgramCode } from '../core/programs.js';
import type {
  CareerPosition,
  HumanRightsFinding,
  Nomination,
  Screening,
  Student,
  TrainingRecord,
  UnitVetting,
} from '../core/students/types.js';
import type {
  EnglishExemption,
  NonCompletionCause,
  Prominence,
  Quarters,
  ScreeningKind,
  ScreeningOutcome,
  UnitVettingOutcome,
} from '../core/students/vocabulary.js';
import type { Executor } from './database.js';
import { isoInstant, queryRows } from './raw-sql.js';
import {
  careerPositions,
  courses,
  englishExemptions,
  humanRightsFindings,
  nominations,
  schoolEvents,
  screenings,
  seats,
  students,
  trainingRecords,
  unitVettings,
} from './schema.js';

export type StudentRow = typeof students.$inferInsert;

function toStudent(row: typeof students.$inferSelect): Student {
  return {
    id: row.id,
    country: row.countryIso3,
    familyName: row.familyName,
    givenNames: row.givenNames,
    nameVariants: row.nameVariants,
    birthDate: row.birthDate as IsoDate | null,
    birthPlace: row.birthPlace,
    service: row.service,
    rank: row.rank,
    usGrade: row.usGrade,
    unit: row.unit,
    contact: row.contact,
    passportNumber: row.passportNumber,
    passportExpiresOn: row.passportExpiresOn as IsoDate | null,
    serviceNumber: row.serviceNumber,
    version: row.version,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export async function insertStudent(tx: Executor, row: StudentRow): Promise<void> {
  await tx.insert(students).values(row);
}

export async function findStudent(db: Executor, id: string): Promise<Student | undefined> {
  const [row] = await db.select().from(students).where(eq(students.id, id));
  return row === undefined ? undefined : toStudent(row);
}

/** A student's names and country: what a search by name compares, without the rest of the row. */
export interface StudentNames {
  readonly id: string;
  readonly country: string;
  readonly familyName: string;
  readonly givenNames: string;
  readonly nameVariants: readonly string[];
}

/**
 * Every student's names, in the order of listStudents: what a search by name indexes in memory
 * (raw SQL: at 200,000 students, full rows through the query builder took seconds).
 */
export async function listStudentNames(db: Executor): Promise<StudentNames[]> {
  return queryRows<StudentNames>(
    db,
    sql`select id, country_iso3 as country, family_name as "familyName", given_names as "givenNames",
          name_variants as "nameVariants"
        from students order by family_name, given_names, id`,
  );
}

/** The students of `ids`, in that order (an id not found is left out). */
export async function readStudents(db: Executor, ids: readonly string[]): Promise<Student[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(students)
    .where(inArray(students.id, [...ids]));
  const byId = new Map(rows.map((row) => [row.id, toStudent(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Students of one country (or all), for searching by name in memory. */
export async function listStudents(db: Executor, country?: string): Promise<Student[]> {
  const rows = await db
    .select()
    .from(students)
    .where(country === undefined ? undefined : eq(students.countryIso3, country))
    .orderBy(asc(students.familyName), asc(students.givenNames), asc(students.id));
  return rows.map(toStudent);
}

/** Students whose unit contains `unit` (case-insensitive), of one country or all. */
export async function listStudentsOfUnit(
  db: Executor,
  unit: string,
  country?: string,
): Promise<Student[]> {
  const pattern = `%${unit.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await db
    .select()
    .from(students)
    .where(
      and(
        ilike(students.unit, pattern),
        country === undefined ? undefined : eq(students.countryIso3, country),
      ),
    )
    .orderBy(asc(students.familyName), asc(students.givenNames), asc(students.id));
  return rows.map(toStudent);
}

/** Students of a country whose unit is `unit`, compared without case or surrounding spaces. */
export async function listStudentsInUnit(
  db: Executor,
  country: string,
  unit: string,
): Promise<Student[]> {
  const rows = await db
    .select()
    .from(students)
    .where(
      and(
        eq(students.countryIso3, country),
        sql`lower(trim(${students.unit})) = lower(trim(${unit}))`,
      ),
    );
  return rows.map(toStudent);
}

export type ScreeningRow = typeof screenings.$inferInsert;

function toScreening(row: typeof screenings.$inferSelect): Screening {
  return {
    id: row.id,
    studentId: row.studentId,
    seatId: row.seatId,
    kind: row.kind as ScreeningKind,
    outcome: row.outcome as ScreeningOutcome,
    onDate: row.onDate as IsoDate,
    validUntil: row.validUntil as IsoDate | null,
    score: row.score,
    level: row.level,
    notes: row.notes,
    recordedAt: new Date(row.recordedAt).toISOString(),
    recordedBy: row.recordedBy,
  };
}

export async function insertScreening(tx: Executor, row: ScreeningRow): Promise<Screening> {
  const [inserted] = await tx.insert(screenings).values(row).returning();
  return toScreening(inserted!);
}

export async function listScreenings(db: Executor, studentId: string): Promise<Screening[]> {
  const rows = await db
    .select()
    .from(screenings)
    .where(eq(screenings.studentId, studentId))
    .orderBy(asc(screenings.onDate), asc(screenings.recordedAt), asc(screenings.id));
  return rows.map(toScreening);
}

export type UnitVettingRow = typeof unitVettings.$inferInsert;

function toUnitVetting(row: typeof unitVettings.$inferSelect): UnitVetting {
  return {
    id: row.id,
    country: row.countryIso3,
    unit: row.unit,
    outcome: row.outcome as UnitVettingOutcome,
    onDate: row.onDate as IsoDate,
    validUntil: row.validUntil as IsoDate | null,
    notes: row.notes,
    recordedAt: new Date(row.recordedAt).toISOString(),
    recordedBy: row.recordedBy,
  };
}

export async function insertUnitVetting(tx: Executor, row: UnitVettingRow): Promise<UnitVetting> {
  const [inserted] = await tx.insert(unitVettings).values(row).returning();
  return toUnitVetting(inserted!);
}

/** Vettings of a unit, the unit compared without case or surrounding spaces. */
export async function listUnitVettings(
  db: Executor,
  country: string,
  unit: string,
): Promise<UnitVetting[]> {
  const rows = await db
    .select()
    .from(unitVettings)
    .where(
      and(
        eq(unitVettings.countryIso3, country),
        sql`lower(trim(${unitVettings.unit})) = lower(trim(${unit}))`,
      ),
    )
    .orderBy(asc(unitVettings.onDate), asc(unitVettings.recordedAt));
  return rows.map(toUnitVetting);
}

export async function findEnglishExemption(
  db: Executor,
  country: string,
): Promise<{ scope: EnglishExemption; basis: string } | undefined> {
  const [row] = await db
    .select()
    .from(englishExemptions)
    .where(eq(englishExemptions.countryIso3, country));
  return row === undefined ? undefined : { scope: row.scope as EnglishExemption, basis: row.basis };
}

export async function setEnglishExemption(
  tx: Executor,
  country: string,
  scope: EnglishExemption | null,
  basis: string,
  now: string,
): Promise<void> {
  await tx.delete(englishExemptions).where(eq(englishExemptions.countryIso3, country));
  if (scope !== null)
    await tx
      .insert(englishExemptions)
      .values({ countryIso3: country, scope, basis, recordedAt: now });
}

export type NominationRow = typeof nominations.$inferInsert;

function toNomination(row: typeof nominations.$inferSelect): Nomination {
  return {
    id: row.id,
    seatId: row.seatId,
    studentId: row.studentId,
    nominatedOn: row.nominatedOn as IsoDate,
    attacheConsultedOn: row.attacheConsultedOn as IsoDate,
    attacheName: row.attacheName,
    attacheView: row.attacheView,
    dependentsAuthorised: row.dependentsAuthorised,
    quarters: row.quarters as Quarters,
    mess: row.mess,
    withdrawnOn: row.withdrawnOn as IsoDate | null,
  };
}

export async function insertNomination(tx: Executor, row: NominationRow): Promise<Nomination> {
  const [inserted] = await tx.insert(nominations).values(row).returning();
  return toNomination(inserted!);
}

export async function findActiveNomination(
  db: Executor,
  seatId: string,
): Promise<Nomination | undefined> {
  const [row] = await db
    .select()
    .from(nominations)
    .where(and(eq(nominations.seatId, seatId), isNull(nominations.withdrawnOn)));
  return row === undefined ? undefined : toNomination(row);
}

export async function listNominationsOfStudent(
  db: Executor,
  studentId: string,
): Promise<Nomination[]> {
  const rows = await db
    .select()
    .from(nominations)
    .where(eq(nominations.studentId, studentId))
    .orderBy(asc(nominations.nominatedOn), asc(nominations.id));
  return rows.map(toNomination);
}

/** The seats a student holds (not cancelled, not finished), with their class dates. */
export async function listHeldSeats(
  db: Executor,
  studentId: string,
): Promise<{ seatId: string; classStart: IsoDate; lengthWeeks: number; courseId: string }[]> {
  return queryRows(
    db,
    sql`select s.id as "seatId", l.class_start::text as "classStart", c.length_weeks as "lengthWeeks", c.id as "courseId"
        from seats s join training_lines l on l.id = s.line_id join courses c on c.id = l.course_id
        where s.student_id = ${studentId} and s.status not in ('cancelled', 'completed', 'not-completed')`,
  );
}

/** Seats held by students of a unit (any program, any year), before they finished. */
export async function listSeatsOfUnit(
  db: Executor,
  country: string,
  unit: string,
): Promise<{ seatId: string; studentId: string; status: string; version: number }[]> {
  return queryRows(
    db,
    sql`select s.id as "seatId", s.student_id as "studentId", s.status, s.version
        from seats s join students st on st.id = s.student_id
        where st.country_iso3 = ${country} and lower(trim(st.unit)) = lower(trim(${unit}))
          and s.status not in ('cancelled', 'completed', 'not-completed')
        order by s.id`,
  );
}

export async function flagSeats(
  tx: Executor,
  seatIds: readonly string[],
  reason: string,
  on: IsoDate,
  now: string,
): Promise<void> {
  if (seatIds.length === 0) return;
  await tx
    .update(seats)
    .set({
      flagged: true,
      flagReason: reason,
      flaggedOn: on,
      version: sql`${seats.version} + 1`,
      updatedAt: now,
    })
    .where(inArray(seats.id, [...seatIds]));
}

export async function insertSchoolEvent(
  tx: Executor,
  row: typeof schoolEvents.$inferInsert,
): Promise<void> {
  await tx.insert(schoolEvents).values(row);
}

export async function listSchoolEvents(
  db: Executor,
  seatId: string,
): Promise<
  {
    id: string;
    event: string;
    cause: NonCompletionCause | null;
    onDate: IsoDate;
    academicReport: string | null;
    recordedAt: string;
  }[]
> {
  return queryRows(
    db,
    sql`select id, event, cause, on_date::text as "onDate", academic_report as "academicReport",
               ${isoInstant('recorded_at')} as "recordedAt"
        from school_events where seat_id = ${seatId} order by on_date, recorded_at, id`,
  );
}

/** Writes the training record of a seat (one per seat): created or brought up to date. */
export async function upsertTrainingRecord(
  tx: Executor,
  row: typeof trainingRecords.$inferInsert & { seatId: string },
): Promise<void> {
  await tx
    .insert(trainingRecords)
    .values(row)
    .onConflictDoUpdate({
      target: trainingRecords.seatId,
      set: {
        startedOn: row.startedOn,
        endedOn: row.endedOn,
        outcome: row.outcome,
        cause: row.cause,
        academicReport: row.academicReport,
        chargeCents: row.chargeCents,
        allowanceStoppedOn: row.allowanceStoppedOn,
      },
    });
}

export async function insertTrainingRecord(
  tx: Executor,
  row: typeof trainingRecords.$inferInsert,
): Promise<void> {
  await tx.insert(trainingRecords).values(row);
}

export async function listTrainingRecords(
  db: Executor,
  studentIds: readonly string[],
): Promise<TrainingRecord[]> {
  if (studentIds.length === 0) return [];
  const rows = await db
    .select({
      r: trainingRecords,
      title: courses.title,
      category: courses.category,
      schoolId: courses.schoolId,
    })
    .from(trainingRecords)
    .innerJoin(courses, eq(courses.id, trainingRecords.courseId))
    .where(inArray(trainingRecords.studentId, [...studentIds]))
    .orderBy(asc(trainingRecords.startedOn), asc(trainingRecords.id));
  return rows.map(({ r, title, category, schoolId }) => ({
    id: r.id,
    studentId: r.studentId,
    seatId: r.seatId,
    courseId: r.courseId,
    courseTitle: title,
    category,
    schoolId,
    program: r.programCode as ProgramCode | null,
    startedOn: r.startedOn as IsoDate | null,
    endedOn: r.endedOn as IsoDate | null,
    outcome: r.outcome as TrainingRecord['outcome'],
    cause: r.cause as NonCompletionCause | null,
    academicReport: r.academicReport,
    chargeCents: r.chargeCents,
    allowanceStoppedOn: r.allowanceStoppedOn as IsoDate | null,
  }));
}

function toCareer(row: typeof careerPositions.$inferSelect): CareerPosition {
  return {
    id: row.id,
    studentId: row.studentId,
    title: row.title,
    rank: row.rank,
    usGrade: row.usGrade,
    location: row.location,
    fromDate: row.fromDate as IsoDate,
    prominence: row.prominence as Prominence | null,
    recordedAt: new Date(row.recordedAt).toISOString(),
  };
}

export async function insertCareer(
  tx: Executor,
  row: typeof careerPositions.$inferInsert,
): Promise<CareerPosition> {
  const [inserted] = await tx.insert(careerPositions).values(row).returning();
  return toCareer(inserted!);
}

export async function listCareers(
  db: Executor,
  studentIds: readonly string[],
): Promise<CareerPosition[]> {
  if (studentIds.length === 0) return [];
  const rows = await db
    .select()
    .from(careerPositions)
    .where(inArray(careerPositions.studentId, [...studentIds]))
    .orderBy(asc(careerPositions.fromDate), asc(careerPositions.recordedAt));
  return rows.map(toCareer);
}

/** Students of a country who have held a position of prominence, by id. */
export async function listProminentStudentIds(db: Executor, country: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select distinct p.student_id as id from career_positions p join students s on s.id = p.student_id
        where s.country_iso3 = ${country} and p.prominence is not null order by p.student_id`,
  );
  return rows.map((r) => r.id);
}

function toFinding(row: typeof humanRightsFindings.$inferSelect): HumanRightsFinding {
  return {
    id: row.id,
    studentId: row.studentId,
    foundOn: row.foundOn as IsoDate,
    summary: row.summary,
    source: row.source,
    recordedAt: new Date(row.recordedAt).toISOString(),
    recordedBy: row.recordedBy,
  };
}

export async function insertFinding(
  tx: Executor,
  row: typeof humanRightsFindings.$inferInsert,
): Promise<HumanRightsFinding> {
  const [inserted] = await tx.insert(humanRightsFindings).values(row).returning();
  return toFinding(inserted!);
}

export async function listFindings(
  db: Executor,
  studentIds: readonly string[],
): Promise<HumanRightsFinding[]> {
  if (studentIds.length === 0) return [];
  const rows = await db
    .select()
    .from(humanRightsFindings)
    .where(inArray(humanRightsFindings.studentId, [...studentIds]))
    .orderBy(asc(humanRightsFindings.foundOn), desc(humanRightsFindings.recordedAt));
  return rows.map(toFinding);
}

/** The seat's line facts a checklist and a travel order need: course minimums, length, school. */
export interface SeatCourse {
  readonly seatId: string;
  readonly lineId: string;
  readonly country: string;
  readonly fiscalYear: number;
  readonly program: ProgramCode;
  readonly classStart: IsoDate;
  readonly courseId: string;
  readonly title: string;
  readonly schoolId: string;
  readonly schoolName: string;
  readonly location: string;
  readonly lengthWeeks: number;
  readonly eclMin: number | null;
  readonly opiMin: string | null;
  readonly tuitionCents: number;
}

export async function findSeatCourse(
  db: Executor,
  seatId: string,
): Promise<SeatCourse | undefined> {
  const [row] = await queryRows<SeatCourse>(
    db,
    sql`select s.id as "seatId", l.id as "lineId", l.country_iso3 as country, l.fiscal_year as "fiscalYear",
               l.program_code as program, l.class_start::text as "classStart", c.id as "courseId", c.title,
               c.school_id as "schoolId", sc.name as "schoolName", sc.location, c.length_weeks as "lengthWeeks",
               c.ecl_min as "eclMin", c.opi_min as "opiMin", l.unit_tuition_cents::float8 as "tuitionCents"
        from seats s join training_lines l on l.id = s.line_id join courses c on c.id = l.course_id
        join schools sc on sc.id = c.school_id
        where s.id = ${seatId}`,
  );
  return row;
}

/** The English-training course for a shortfall (Specialized English Training), with a year's tuition. */
export async function findEnglishCourse(
  db: Executor,
  fiscalYear: number,
): Promise<
  { courseId: string; title: string; lengthWeeks: number; tuitionCents: number } | undefined
> {
  const [row] = await queryRows<{
    courseId: string;
    title: string;
    lengthWeeks: number;
    tuitionCents: number;
  }>(
    db,
    sql`select c.id as "courseId", c.title, c.length_weeks as "lengthWeeks", t.tuition_cents::float8 as "tuitionCents"
        from courses c join course_tuition t on t.course_id = c.id
        where c.category = 'english' and c.title ilike '%specialized english%' and c.retired_on is null
        order by abs(t.fiscal_year - ${fiscalYear}), t.fiscal_year desc, c.id limit 1`,
  );
  return row;
}

/** The schools where a student holds or held a seat (an IMSO sees the students of their schools). */
export async function schoolsOfStudent(db: Executor, studentId: string): Promise<string[]> {
  const rows = await queryRows<{ school_id: string }>(
    db,
    sql`select distinct c.school_id from seats s
        join training_lines l on l.id = s.line_id
        join courses c on c.id = l.course_id
        where s.student_id = ${studentId}
        order by c.school_id`,
  );
  return rows.map((r) => r.school_id);
}
