// Use cases of the course catalog: courses listed, added, corrected and retired under optimistic
// concurrency (a write naming a stale version changes nothing). Retiring keeps the course.
import type { Actor } from '../../core/actor.js';
import { err, notFound, ok, type DomainError, type Result } from '../../core/result.js';
import { COURSE_CATEGORIES, type CourseCategory } from '../../core/training.js';
import {
  findCourseRecord,
  findSchoolRow,
  listCourseRecords,
  listEntityAudit,
  listTuitionRecords,
  updateCourseIfVersion,
  upsertTuition,
  type TuitionRecord,
} from '../../store/catalog-admin.repository.js';
import { insertCourse } from '../../store/catalog.repository.js';
import type { Executor } from '../../store/database.js';
import {
  checkContent,
  checkId,
  checkTuition,
  checkVersion,
  normalizeId,
  type CourseContent,
  type CourseCorrection,
  type CourseInput,
  type TuitionInput,
} from './catalog-input.js';
import type { AppContext } from '../context.js';
import { toCourse, type Course, type CourseDetail } from './course-view.js';
import { checkText, oneOf, parseDateField } from '../field-input.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';

export interface CourseQuery {
  readonly school?: string | undefined;
  readonly category?: string | undefined;
  readonly includeRetired?: boolean | undefined;
}

function stale(id: string, expected: number, current: number): DomainError {
  return {
    code: 'CONFLICT',
    reason: 'COURSE.STALE',
    field: 'version',
    message: `course ${id} is at version ${current}, not ${expected}: it changed since it was read; reload it and try again`,
    details: { expected, current },
  };
}

async function findCourse(db: Executor, id: string): Promise<Course | undefined> {
  const record = await findCourseRecord(db, id);
  return record === undefined ? undefined : toCourse(record, await listTuitionRecords(db, [id]));
}

/** The course a change starts from: unknown, or not the version the caller saw, is refused. */
async function courseAtVersion(
  tx: Executor,
  id: string,
  expectedVersion: number | undefined,
): Promise<Result<Course>> {
  const courseId = normalizeId(id);
  const course = await findCourse(tx, courseId);
  if (course === undefined) return err(notFound('course', id, 'id'));
  if (expectedVersion !== undefined && expectedVersion !== course.version)
    return err(stale(courseId, expectedVersion, course.version));
  return ok(course);
}

/**
 * Writes a change on the version it was read at (and its tuition entries): a change written in
 * between makes it stale. Answers the course as written.
 */
async function updateCourse(
  tx: Executor,
  before: Course,
  change: Parameters<typeof updateCourseIfVersion>[3],
  tuition: readonly TuitionInput[] = [],
  tuitionIllustrative = false,
): Promise<Result<Course>> {
  const rows = await updateCourseIfVersion(tx, before.id, before.version, change);
  if (rows === 0) return err(stale(before.id, before.version, before.version + 1));
  await upsertTuition(
    tx,
    tuitionRows(before.id, tuition).map((t) => ({ ...t, illustrative: tuitionIllustrative })),
  );
  return ok(await loadWritten(tx, before.id));
}

async function loadWritten(tx: Executor, id: string): Promise<Course> {
  const course = await findCourse(tx, id);
  if (course === undefined) throw new Error(`course ${id} vanished inside its own transaction`);
  return course;
}

const tuitionRows = (courseId: string, entries: readonly TuitionInput[]) =>
  entries.map((t) => ({
    courseId,
    fiscalYear: t.fiscalYear,
    tuitionCents: t.cents,
    illustrative: false,
  }));

/** Courses in id order, of one school or category when asked; retired ones only with `includeRetired`. */
export async function listCourses(
  ctx: AppContext,
  query: CourseQuery = {},
): Promise<Result<Course[]>> {
  const db = ctx.store.db;
  let category: CourseCategory | undefined;
  if (query.category !== undefined && query.category !== '') {
    const checked = oneOf('category', query.category, COURSE_CATEGORIES, 'category');
    if (!checked.ok) return checked;
    category = checked.value;
  }
  let schoolId: string | undefined;
  if (query.school !== undefined && query.school !== '') {
    schoolId = normalizeId(query.school);
    if ((await findSchoolRow(db, schoolId)) === undefined)
      return err(notFound('school', query.school, 'school'));
  }
  const records = await listCourseRecords(db, {
    schoolId,
    category,
    includeRetired: query.includeRetired,
  });
  const filtered = schoolId !== undefined || category !== undefined;
  const tuition = await listTuitionRecords(db, filtered ? records.map((r) => r.id) : undefined);
  const byCourse = new Map<string, TuitionRecord[]>();
  for (const t of tuition) {
    const list = byCourse.get(t.courseId) ?? [];
    list.push(t);
    byCourse.set(t.courseId, list);
  }
  return ok(records.map((r) => toCourse(r, byCourse.get(r.id) ?? [])));
}

/** One course with its tuition by FY, its version and its history; retired courses included. */
export async function getCourse(ctx: AppContext, id: string): Promise<Result<CourseDetail>> {
  const courseId = normalizeId(id);
  const course = await findCourse(ctx.store.db, courseId);
  if (course === undefined) return err(notFound('course', id, 'id'));
  return ok({ ...course, history: await listEntityAudit(ctx.store.db, 'course', courseId) });
}

export async function addCourse(
  ctx: AppContext,
  actor: Actor,
  input: CourseInput,
): Promise<Result<Course>> {
  const parsed = parseCourse(input);
  if (!parsed.ok) return parsed;
  return writeTransaction(ctx, actor, 'catalog.write', (tx) => applyAddCourse(tx, parsed.value));
}

/** A course checked for content, ready to add. */
export type ParsedCourse = CourseContent & {
  readonly id: string;
  readonly tuition: readonly TuitionInput[];
  /** An import may say its tuition figures are illustrative; a user's are not. */
  readonly tuitionIllustrative?: boolean | undefined;
};

/** Checks a course as an edge submits it. */
export function parseCourse(input: CourseInput): Result<ParsedCourse> {
  const id = checkId('id', input.id);
  if (!id.ok) return id;
  const content = checkContent(input);
  if (!content.ok) return content;
  const tuition = checkTuition(input.tuition ?? []);
  if (!tuition.ok) return tuition;
  return ok({ ...content.value, id: id.value, tuition: tuition.value });
}

/** Adds a course inside `tx`; refused with COURSE.DUPLICATE when its id is taken. */
export async function applyAddCourse(
  tx: Executor,
  parsed: ParsedCourse,
): Promise<Result<WorkOutcome<Course>>> {
  const { id, tuition, tuitionIllustrative, ...content } = parsed;
  if ((await findCourseRecord(tx, id)) !== undefined) {
    return err({
      code: 'CONFLICT',
      reason: 'COURSE.DUPLICATE',
      field: 'id',
      message: `course ${id} already exists: correct it instead`,
    });
  }
  if ((await findSchoolRow(tx, content.schoolId)) === undefined)
    return err(notFound('school', content.schoolId, 'school'));
  await insertCourse(
    tx,
    { id, ...content },
    tuitionRows(id, tuition).map((t) => ({ ...t, illustrative: tuitionIllustrative === true })),
  );
  const course = await loadWritten(tx, id);
  return ok({
    value: course,
    audit: [{ action: 'course.add', entityType: 'course', entityId: course.id, after: course }],
  });
}

/**
 * Whether `after` and `tuition` say what `before` says already (tuition entries not given aside;
 * each given one the same amount with the same `illustrative` flag).
 */
export function courseUnchanged(
  before: Course,
  after: CourseContent,
  tuition: readonly TuitionInput[],
  illustrative = false,
): boolean {
  const same =
    after.title === before.title &&
    after.schoolId === before.school &&
    after.category === before.category &&
    after.eImet === before.eImet &&
    after.dedicated === before.dedicated &&
    after.lengthWeeks === before.lengthWeeks &&
    after.eclMin === before.eclMin &&
    after.opiMin === before.opiMin &&
    after.source === before.source;
  return (
    same &&
    tuition.every((t) =>
      before.tuition.some(
        (b) =>
          b.fiscalYear === t.fiscalYear && b.cents === t.cents && b.illustrative === illustrative,
      ),
    )
  );
}

/**
 * Corrects a course in place: a new version, the previous content kept in the audit entry.
 * Refused with COURSE.STALE when `expectedVersion` is not the current version.
 */
export async function correctCourse(
  ctx: AppContext,
  actor: Actor,
  id: string,
  correction: CourseCorrection,
  expectedVersion?: number,
): Promise<Result<Course>> {
  const reason = checkText('reason', correction.reason);
  if (!reason.ok) return reason;
  const version = checkVersion(expectedVersion);
  if (!version.ok) return version;
  const tuition = checkTuition(correction.tuition ?? []);
  if (!tuition.ok) return tuition;
  const courseId = normalizeId(id);
  return writeTransaction(ctx, actor, 'catalog.write', async (tx) => {
    const current = await courseAtVersion(tx, id, version.value);
    if (!current.ok) return current;
    const before = current.value;
    const content = checkContent({
      title: correction.title ?? before.title,
      school: correction.school ?? before.school,
      category: correction.category ?? before.category,
      eImet: correction.eImet ?? before.eImet,
      dedicated: correction.dedicated ?? before.dedicated,
      lengthWeeks: correction.lengthWeeks ?? before.lengthWeeks,
      eclMin: correction.eclMin === undefined ? before.eclMin : correction.eclMin,
      opiMin: correction.opiMin === undefined ? before.opiMin : correction.opiMin,
      source: correction.source === undefined ? before.source : correction.source,
    });
    if (!content.ok) return content;
    if (courseUnchanged(before, content.value, tuition.value)) {
      return err({
        code: 'INPUT.INVALID',
        reason: 'COURSE.UNCHANGED',
        message: `the correction changes nothing in course ${courseId}`,
      });
    }
    return applyCorrectCourse(tx, before, content.value, tuition.value, reason.value);
  });
}

/**
 * Writes a checked correction of `before` inside `tx`: its content, its tuition entries (with
 * their `illustrative` flag; entries not given are kept) and, when given, its retirement date.
 */
export async function applyCorrectCourse(
  tx: Executor,
  before: Course,
  content: CourseContent,
  tuition: readonly TuitionInput[],
  reason: string,
  options: { readonly tuitionIllustrative?: boolean; readonly retiredOn?: string | null } = {},
): Promise<Result<WorkOutcome<Course>>> {
  if (
    content.schoolId !== before.school &&
    (await findSchoolRow(tx, content.schoolId)) === undefined
  )
    return err(notFound('school', content.schoolId, 'school'));
  const change =
    options.retiredOn === undefined ? content : { ...content, retiredOn: options.retiredOn };
  const written = await updateCourse(tx, before, change, tuition, options.tuitionIllustrative);
  if (!written.ok) return written;
  const after = written.value;
  return ok({
    value: after,
    audit: [
      {
        action: 'course.correct',
        entityType: 'course',
        entityId: before.id,
        before,
        after,
        reason,
      },
    ],
  });
}

/**
 * Retires a course from a date: it stays in the catalog, marked retired, with its history.
 * Refused with COURSE.STALE for a stale `expectedVersion`, COURSE.ALREADY_RETIRED the second time.
 */
export async function retireCourse(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: { readonly on: string; readonly reason: string },
  expectedVersion?: number,
): Promise<Result<Course>> {
  const on = parseDateField('on', input.on);
  if (!on.ok) return on;
  const reason = checkText('reason', input.reason);
  if (!reason.ok) return reason;
  const version = checkVersion(expectedVersion);
  if (!version.ok) return version;
  const courseId = normalizeId(id);
  return writeTransaction(ctx, actor, 'catalog.write', async (tx) => {
    const current = await courseAtVersion(tx, id, version.value);
    if (!current.ok) return current;
    const before = current.value;
    if (before.retiredOn !== null) {
      return err({
        code: 'CONFLICT',
        reason: 'COURSE.ALREADY_RETIRED',
        field: 'on',
        message: `course ${courseId} was already retired on ${before.retiredOn}`,
        details: { retiredOn: before.retiredOn },
      });
    }
    const written = await updateCourse(tx, before, { retiredOn: on.value });
    if (!written.ok) return written;
    const after = written.value;
    return ok({
      value: after,
      audit: [
        {
          action: 'course.retire',
          entityType: 'course',
          entityId: courseId,
          before,
          after,
          reason: reason.value,
        },
      ],
    });
  });
}
