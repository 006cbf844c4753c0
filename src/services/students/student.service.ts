// Students (DESIGN §4.3): record an officer, show everything recorded about them, find them by name
// (tolerant of transliteration and order) or by unit.
import type { Actor } from '../../core/actor.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import type { IsoDate } from '../../core/dates.js';
import { classEnd } from '../../core/seat-rules.js';
import {
  indexNames,
  matchesName,
  searchIndexedNames,
  type NameIndex,
} from '../../core/students/names.js';
import type { NonCompletionCause, SchoolEvent } from '../../core/students/vocabulary.js';
import type { ProgramCode } from '../../core/programs.js';
import type { SeatStatus } from '../../core/training.js';
import type {
  CareerPosition,
  HumanRightsFinding,
  Nomination,
  Screening,
  Student,
  TrainingRecord,
  UnitVetting,
} from '../../core/students/types.js';
import { findCountryRow } from '../../store/reference.repository.js';
import {
  findEnglishExemption,
  findSeatCourse,
  findStudent,
  insertStudent,
  listCareers,
  listFindings,
  listNominationsOfStudent,
  listSchoolEvents,
  listScreenings,
  listStudentNames,
  type StudentNames,
  listStudentsOfUnit,
  listTrainingRecords,
  listUnitVettings,
  readStudents,
} from '../../store/student.repository.js';
import type { Executor, Store } from '../../store/database.js';
import { findSeatView } from '../../store/training.repository.js';
import { findLatestTravelOrder } from '../../store/travel-order.repository.js';
import { countryInScope, inScope, seatVisible, studentVisible } from '../access/scope.js';
import { auditRead } from '../audit/audit-read.service.js';
import { RECORD_WRITTEN } from '../change-feed.js';
import type { AppContext } from '../context.js';
import { watchChanges, type Marks, type Watch } from '../watch-changes.js';
import { countryFilter, optionalUsGrade } from './student-input.js';
import { all, checkText, optionalText, parseOptionalDateField } from '../field-input.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';

export interface StudentInput {
  readonly country: string;
  readonly familyName: string;
  readonly givenNames: string;
  readonly nameVariants?: readonly string[] | undefined;
  readonly birthDate?: string | null | undefined;
  readonly birthPlace?: string | null | undefined;
  readonly service?: string | null | undefined;
  readonly rank?: string | null | undefined;
  readonly usGrade?: string | null | undefined;
  readonly unit?: string | null | undefined;
  readonly contact?: string | null | undefined;
  readonly passportNumber?: string | null | undefined;
  readonly passportExpiresOn?: string | null | undefined;
  readonly serviceNumber?: string | null | undefined;
}

function checkStudent(input: StudentInput) {
  const variants = (input.nameVariants ?? []).map((v) => v.trim()).filter((v) => v !== '');
  const checked = all({
    familyName: checkText('familyName', input.familyName, 100),
    givenNames: checkText('givenNames', input.givenNames, 200),
    birthDate: parseOptionalDateField('birthDate', input.birthDate),
    birthPlace: optionalText('birthPlace', input.birthPlace),
    service: optionalText('service', input.service, 100),
    rank: optionalText('rank', input.rank, 100),
    usGrade: optionalUsGrade('usGrade', input.usGrade),
    unit: optionalText('unit', input.unit, 200),
    contact: optionalText('contact', input.contact),
    passportNumber: optionalText('passportNumber', input.passportNumber, 30),
    passportExpiresOn: parseOptionalDateField('passportExpiresOn', input.passportExpiresOn),
    serviceNumber: optionalText('serviceNumber', input.serviceNumber, 50),
  });
  if (!checked.ok) return checked;
  if (variants.some((v) => v.length > 200))
    return err(invalid('nameVariants', 'each variant at most 200 characters'));
  return ok({ ...checked.value, nameVariants: variants });
}

/** A student checked for content, ready to record. */
export type ParsedStudent = Extract<ReturnType<typeof checkStudent>, { ok: true }>['value'] & {
  readonly country: string;
};

/** Checks a student as an edge submits it. */
export function parseStudent(input: StudentInput): Result<ParsedStudent> {
  const checked = checkStudent(input);
  if (!checked.ok) return checked;
  return ok({ ...checked.value, country: input.country.trim().toUpperCase() });
}

/** Records a student of a partner country. */
export async function addStudent(
  ctx: AppContext,
  actor: Actor,
  input: StudentInput,
): Promise<Result<Student>> {
  const parsed = parseStudent(input);
  if (!parsed.ok) return parsed;
  return writeTransaction(ctx, actor, 'students.write', (tx, now) =>
    inScope([countryInScope(actor, parsed.value.country)], () =>
      applyAddStudent(tx, ctx, now, parsed.value),
    ),
  );
}

/** Records a student inside `tx` at `now`. */
export async function applyAddStudent(
  tx: Executor,
  ctx: AppContext,
  now: string,
  parsed: ParsedStudent,
): Promise<Result<WorkOutcome<Student>>> {
  const { country, ...fields } = parsed;
  if ((await findCountryRow(tx, country)) === undefined)
    return err(notFound('country', country, 'country'));
  const row = { id: ctx.newId('stu'), countryIso3: country, ...fields, createdAt: now };
  await insertStudent(tx, row);
  const student = (await findStudent(tx, row.id))!;
  return ok({
    value: student,
    audit: [{ action: 'student.add', entityType: 'student', entityId: row.id, after: student }],
  });
}

export interface StudentProfile {
  readonly student: Student;
  readonly screenings: readonly Screening[];
  readonly unitVettings: readonly UnitVetting[];
  readonly englishExemption: { readonly scope: string; readonly basis: string } | null;
  readonly nominations: readonly Nomination[];
  readonly trainingRecords: readonly TrainingRecord[];
  readonly careers: readonly CareerPosition[];
  readonly findings: readonly HumanRightsFinding[];
  /** The seats the student holds or held that the caller sees (an IMSO: their schools'). */
  readonly seats: readonly StudentSeat[];
}

/** A seat a student holds or held: the course, where and when, its status and what the school reported. */
export interface StudentSeat {
  readonly id: string;
  readonly country: string;
  readonly fiscalYear: number;
  readonly program: ProgramCode;
  readonly courseId: string;
  readonly courseTitle: string;
  readonly schoolId: string;
  readonly schoolName: string;
  readonly location: string;
  readonly classStart: IsoDate;
  /** The day after the course ends. */
  readonly classEnd: IsoDate;
  readonly lengthWeeks: number;
  readonly status: SeatStatus;
  readonly flagged: boolean;
  readonly flagReason: string | null;
  readonly version: number;
  readonly nominatedOn: IsoDate;
  /** The latest revision of the seat's travel order; null while none is issued. */
  readonly travelOrder: {
    readonly number: string;
    readonly revision: number;
    readonly issuedOn: IsoDate;
  } | null;
  /** What the school reported, in order. */
  readonly events: readonly {
    readonly event: SchoolEvent;
    readonly on: IsoDate;
    readonly cause: NonCompletionCause | null;
    readonly academicReport: string | null;
  }[];
}

/**
 * The seats a student holds or held (through a nomination not withdrawn, the seat still theirs)
 * that `actor` sees, by class start. One query after another: `db` may be one connection.
 */
async function seatsOfStudent(
  db: Executor,
  actor: Actor,
  studentId: string,
  nominations: readonly Nomination[],
): Promise<StudentSeat[]> {
  const seats: StudentSeat[] = [];
  const seen = new Set<string>();
  for (const nomination of nominations) {
    if (nomination.withdrawnOn !== null || seen.has(nomination.seatId)) continue;
    seen.add(nomination.seatId);
    const seat = await findSeatView(db, nomination.seatId);
    if (seat === undefined || seat.studentId !== studentId || !seatVisible(actor, seat)) continue;
    const course = (await findSeatCourse(db, seat.id))!;
    const order = await findLatestTravelOrder(db, seat.id);
    const events = await listSchoolEvents(db, seat.id);
    seats.push({
      id: seat.id,
      country: seat.country,
      fiscalYear: seat.fiscalYear,
      program: seat.program,
      courseId: seat.courseId,
      courseTitle: seat.courseTitle,
      schoolId: seat.schoolId,
      schoolName: course.schoolName,
      location: course.location,
      classStart: seat.classStart,
      classEnd: classEnd(seat.classStart, course.lengthWeeks),
      lengthWeeks: course.lengthWeeks,
      status: seat.status,
      flagged: seat.flagged,
      flagReason: seat.flagReason,
      version: seat.version,
      nominatedOn: nomination.nominatedOn,
      travelOrder:
        order === undefined
          ? null
          : { number: order.number, revision: order.revision, issuedOn: order.issuedOn },
      events: events.map((e) => ({
        event: e.event as SchoolEvent,
        on: e.onDate,
        cause: e.cause,
        academicReport: e.academicReport,
      })),
    });
  }
  return seats.sort((a, b) =>
    a.classStart < b.classStart ? -1 : a.classStart > b.classStart ? 1 : 0,
  );
}

export async function getStudent(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<Result<StudentProfile>> {
  const db = ctx.store.db;
  const student = await findStudent(db, id);
  if (student === undefined || !(await studentVisible(db, actor, student)))
    return err(notFound('student', id, 'id'));
  // Who read a foreign officer's record is on the audit chain (DESIGN §6).
  await auditRead(ctx, actor, { entityType: 'student', entityId: id });
  const [screenings, unitVettings, exemption, nominations, trainingRecords, careers, findings] =
    await Promise.all([
      listScreenings(db, id),
      student.unit === null ? [] : listUnitVettings(db, student.country, student.unit),
      findEnglishExemption(db, student.country),
      listNominationsOfStudent(db, id),
      listTrainingRecords(db, [id]),
      listCareers(db, [id]),
      listFindings(db, [id]),
    ]);
  const seats = await seatsOfStudent(db, actor, id, nominations);
  return ok({
    student,
    screenings,
    unitVettings,
    englishExemption: exemption ?? null,
    nominations,
    trainingRecords,
    careers,
    findings,
    seats,
  });
}

export interface StudentQuery {
  readonly name?: string | undefined;
  readonly unit?: string | undefined;
  readonly country?: string | undefined;
}

/** Students by name (any spelling or order of their names) or by unit, of one country or all. */
export async function searchStudents(
  ctx: AppContext,
  actor: Actor,
  query: StudentQuery,
): Promise<Result<Student[]>> {
  const found = await searchStudentPage(ctx, actor, query, { offset: 0 });
  return found.ok ? ok(found.value.items) : found;
}

/**
 * One page of a search (best matches first for a name): the students `actor` sees from `offset`,
 * at most `limit` of them, and how many the search found in all. Names are compared on the names
 * alone; whole rows are read for the page only.
 */
export async function searchStudentPage(
  ctx: AppContext,
  actor: Actor,
  query: StudentQuery,
  page: { readonly offset: number; readonly limit?: number | undefined },
): Promise<Result<{ items: Student[]; total: number }>> {
  const found = await searchAllStudents(ctx, query);
  if (!found.ok) return found;
  const seen = await visibleStudents(ctx, actor, found.value);
  const end = page.limit === undefined ? undefined : page.offset + page.limit;
  const ids = seen.slice(page.offset, end).map((s) => s.id);
  return ok({ items: await readStudents(ctx.store.db, ids), total: seen.length });
}

/** A student found by a search: which of their names matched, and the seats the caller sees. */
export type StudentHit = Student & {
  /** Their names that match the query ("Given FAMILY" and the variants); none for a unit search. */
  readonly matchedNames: readonly string[];
  readonly seats: readonly Pick<
    StudentSeat,
    'id' | 'courseTitle' | 'schoolId' | 'classStart' | 'status' | 'fiscalYear'
  >[];
};

/**
 * Students a search found (one page of them), each with the names that matched `name` (none for a
 * search by unit) and the seats `actor` sees.
 */
export async function describeHits(
  ctx: AppContext,
  actor: Actor,
  name: string | undefined,
  students: readonly Student[],
): Promise<StudentHit[]> {
  const query = name?.trim() ?? '';
  const hits: StudentHit[] = [];
  for (const student of students) {
    const names = [`${student.givenNames} ${student.familyName}`, ...student.nameVariants];
    const matchedNames =
      query === ''
        ? []
        : names.filter((n) =>
            matchesName(query, { familyName: '', givenNames: n, nameVariants: [] }),
          );
    const nominations = await listNominationsOfStudent(ctx.store.db, student.id);
    const seats = (await seatsOfStudent(ctx.store.db, actor, student.id, nominations)).map(
      ({ id, courseTitle, schoolId, classStart, status, fiscalYear }) => ({
        id,
        courseTitle,
        schoolId,
        classStart,
        status,
        fiscalYear,
      }),
    );
    hits.push({ ...student, matchedNames, seats });
  }
  return hits;
}

/** Only the students the actor may see. */
export async function visibleStudents<T extends { id: string; country: string }>(
  ctx: AppContext,
  actor: Actor,
  students: readonly T[],
): Promise<T[]> {
  const seen: T[] = [];
  for (const student of students)
    if (await studentVisible(ctx.store.db, actor, student)) seen.push(student);
  return seen;
}

async function searchAllStudents(
  ctx: AppContext,
  query: StudentQuery,
): Promise<Result<readonly { id: string; country: string }[]>> {
  const name = query.name?.trim() ?? '';
  const unit = query.unit?.trim() ?? '';
  if ((name === '') === (unit === ''))
    return err(invalid('name', 'search by a name or by a unit (one of the two)'));
  const country = countryFilter(query.country);
  if (country !== undefined && (await findCountryRow(ctx.store.db, country)) === undefined)
    return err(notFound('country', query.country ?? '', 'country'));
  if (unit !== '') return ok(await listStudentsOfUnit(ctx.store.db, unit, country));
  const found = searchIndexedNames(name, await studentNameIndex(ctx.store));
  return ok(country === undefined ? found : found.filter((s) => s.country === country));
}

/** Every student's names, indexed: kept per store until anything is written (on any server). */
interface KeptNames {
  readonly watch: Watch;
  kept?: { readonly marks: Marks; readonly index: Promise<NameIndex<StudentNames>> };
}
const keptNames = new WeakMap<Store, KeptNames>();

/**
 * The names of all students, indexed for searching: read and indexed once (0.6 s at 200,000
 * students), then kept until a write here or one heard from another server; callers asking while
 * it is read wait for the same reading. Nothing is kept while the change feed is not listening.
 */
function studentNameIndex(store: Store): Promise<NameIndex<StudentNames>> {
  let entry = keptNames.get(store);
  if (entry === undefined) {
    const created: KeptNames = {
      watch: watchChanges(
        store,
        (payload) => payload === RECORD_WRITTEN,
        () => delete created.kept,
      ),
    };
    entry = created;
    keptNames.set(store, entry);
  }
  const marks = entry.watch.marks();
  if (entry.kept !== undefined && entry.watch.holds(entry.kept.marks)) return entry.kept.index;
  const index = listStudentNames(store.db).then((people) => indexNames(people));
  if (marks !== undefined) {
    const kept = { marks, index };
    entry.kept = kept;
    // A failed reading is not kept: the next search reads again.
    index.catch(() => {
      if (entry.kept === kept) delete entry.kept;
    });
  }
  return index;
}
