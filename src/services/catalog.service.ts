// Use cases of the training catalog: schools, and courses added, corrected and retired under
// optimistic concurrency (a write naming a stale version changes nothing). Retiring keeps the course.
import type { Actor } from '../core/actor.js';
import type { IsoDate } from '../core/dates.js';
import { err, invalid, notFound, ok, type DomainError, type Result } from '../core/result.js';
import { COURSE_CATEGORIES, type CourseCategory } from '../core/training.js';
import {
  findCourseRecord,
  findSchoolRow,
  listCourseRecords,
  listEntityAudit,
  listSchoolRows,
  listTuitionRecords,
  updateCourseIfVersion,
  upsertTuition,
  type CourseRecord,
  type EntityAuditEntry,
  type TuitionRecord,
} from '../store/catalog-admin.repository.js';
import { insertCourse, insertSchool } from '../store/catalog.repository.js';
import type { Executor } from '../store/database.js';
import type { AppContext } from './context.js';
import { parseDateField } from './restriction.service.js';
import { writeTransaction } from './unit-of-work.js';

export const MILITARY_DEPARTMENTS = [
  'Army',
  'Navy',
  'Air Force',
  'Marine Corps',
  'Coast Guard',
  'DoD',
] as const;

export interface School {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly department: string;
}
export type SchoolInput = School;

export interface TuitionInput {
  readonly fiscalYear: number;
  readonly cents: number;
}
export interface Tuition extends TuitionInput {
  readonly currency: 'USD';
  /** An estimate, not a published IMET rate (demo data). */
  readonly illustrative: boolean;
}

export interface Course {
  readonly id: string;
  readonly title: string;
  readonly school: string;
  readonly schoolName: string;
  readonly location: string;
  readonly department: string;
  readonly category: CourseCategory;
  readonly eImet: boolean;
  readonly dedicated: boolean;
  readonly lengthWeeks: number;
  readonly eclMin: number | null;
  readonly opiMin: string | null;
  readonly tuition: readonly Tuition[];
  readonly retired: boolean;
  /** The first day the course is no longer offered. */
  readonly retiredOn: IsoDate | null;
  readonly source: string | null;
  readonly version: number;
}
export type CourseHistoryEntry = EntityAuditEntry;
export interface CourseDetail extends Course {
  /** Every audited write of the course, oldest first. */
  readonly history: readonly CourseHistoryEntry[];
}

/** A course as an edge submits it (checked here). */
export interface CourseInput {
  readonly id: string;
  readonly title: string;
  readonly school: string;
  readonly category: string;
  readonly eImet?: boolean | undefined;
  readonly dedicated?: boolean | undefined;
  readonly lengthWeeks: number;
  readonly eclMin?: number | null | undefined;
  readonly opiMin?: string | null | undefined;
  readonly tuition?: readonly TuitionInput[] | undefined;
  readonly source?: string | null | undefined;
}
/** The fields a correction may change (absent ones keep their value); tuition entries are per FY. */
export type CourseCorrection = {
  readonly [K in Exclude<keyof CourseInput, 'id'>]?: CourseInput[K] | undefined;
} & { readonly reason: string };

export interface CourseQuery {
  readonly school?: string | undefined;
  readonly category?: string | undefined;
  readonly includeRetired?: boolean | undefined;
}

const ID = /^[A-Z0-9][A-Z0-9-]{1,19}$/;
const OPI = /^[0-5]\+?\/[0-5]\+?$/;
const MAX_WEEKS = 260;

const normalizeId = (text: string) => text.trim().toUpperCase();

function checkId(field: string, text: string): Result<string> {
  const id = normalizeId(text);
  return ID.test(id)
    ? ok(id)
    : err(invalid(field, `an id is 2–20 letters, digits or dashes (got "${text}")`));
}

function checkText(field: string, text: string, max = 300): Result<string> {
  const value = text.trim();
  if (value === '') return err(invalid(field, 'is required'));
  if (value.length > max) return err(invalid(field, `at most ${max} characters`));
  return ok(value);
}

/** Case-insensitive match against a fixed list, answering its canonical spelling. */
function oneOf<T extends string>(
  field: string,
  text: string,
  values: readonly T[],
  what: string,
): Result<T> {
  const found = values.find((v) => v.toLowerCase() === text.trim().toLowerCase());
  return found === undefined
    ? err(invalid(field, `unknown ${what} ${text} (one of ${values.join(', ')})`))
    : ok(found);
}

type CourseContent = Omit<
  CourseRecord,
  'id' | 'version' | 'retiredOn' | 'schoolName' | 'location' | 'department'
>;

/** Checks the content of a course (not yet against other records). */
function checkContent(input: Omit<CourseInput, 'id' | 'tuition'>): Result<CourseContent> {
  const title = checkText('title', input.title);
  if (!title.ok) return title;
  const schoolId = checkId('school', input.school);
  if (!schoolId.ok) return schoolId;
  const category = oneOf('category', input.category, COURSE_CATEGORIES, 'category');
  if (!category.ok) return category;
  const weeks = input.lengthWeeks;
  if (!Number.isInteger(weeks) || weeks <= 0 || weeks > MAX_WEEKS) {
    return err(invalid('lengthWeeks', `a whole number of weeks, 1–${MAX_WEEKS} (got ${weeks})`));
  }
  const eclMin = input.eclMin ?? null;
  if (eclMin !== null && (!Number.isInteger(eclMin) || eclMin < 0 || eclMin > 100)) {
    return err(invalid('eclMin', `an ECL score is a whole number 0–100 (got ${eclMin})`));
  }
  const opiMin = input.opiMin === undefined || input.opiMin === '' ? null : input.opiMin;
  if (opiMin !== null && !OPI.test(opiMin)) {
    return err(
      invalid('opiMin', `an OPI minimum is listening/speaking levels, e.g. 2/2 (got ${opiMin})`),
    );
  }
  return ok({
    title: title.value,
    schoolId: schoolId.value,
    category: category.value,
    eImet: input.eImet ?? false,
    dedicated: input.dedicated ?? false,
    lengthWeeks: weeks,
    eclMin,
    opiMin,
    source: input.source === undefined || input.source === '' ? null : input.source,
  });
}

function checkTuition(entries: readonly TuitionInput[]): Result<readonly TuitionInput[]> {
  const seen = new Set<number>();
  for (const { fiscalYear, cents } of entries) {
    if (!Number.isInteger(fiscalYear) || fiscalYear < 1950 || fiscalYear > 2100)
      return err(invalid('tuition', `a fiscal year is 1950–2100 (got ${fiscalYear})`));
    if (seen.has(fiscalYear)) return err(invalid('tuition', `FY${fiscalYear} is given twice`));
    seen.add(fiscalYear);
    if (!Number.isSafeInteger(cents) || cents < 0)
      return err(
        invalid(
          'tuition',
          `tuition for FY${fiscalYear} is whole cents, not negative (got ${cents})`,
        ),
      );
  }
  return ok(entries);
}

function checkVersion(version: number | undefined): Result<number | undefined> {
  return version === undefined || (Number.isInteger(version) && version > 0)
    ? ok(version)
    : err(invalid('version', `a version is a whole number from 1 (got ${version})`));
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

function toCourse(record: CourseRecord, tuition: readonly TuitionRecord[]): Course {
  return {
    id: record.id,
    title: record.title,
    school: record.schoolId,
    schoolName: record.schoolName,
    location: record.location,
    department: record.department,
    category: record.category as CourseCategory,
    eImet: record.eImet,
    dedicated: record.dedicated,
    lengthWeeks: record.lengthWeeks,
    eclMin: record.eclMin,
    opiMin: record.opiMin,
    tuition: tuition
      .filter((t) => t.courseId === record.id)
      .map((t) => ({
        fiscalYear: t.fiscalYear,
        cents: t.tuitionCents,
        currency: 'USD' as const,
        illustrative: t.illustrative,
      })),
    retired: record.retiredOn !== null,
    retiredOn: record.retiredOn as IsoDate | null,
    source: record.source,
    version: record.version,
  };
}

async function findCourse(db: Executor, id: string): Promise<Course | undefined> {
  const record = await findCourseRecord(db, id);
  return record === undefined ? undefined : toCourse(record, await listTuitionRecords(db, [id]));
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

export async function listSchools(ctx: AppContext): Promise<School[]> {
  return listSchoolRows(ctx.store.db);
}

export async function addSchool(
  ctx: AppContext,
  actor: Actor,
  input: SchoolInput,
): Promise<Result<School>> {
  const id = checkId('id', input.id);
  if (!id.ok) return id;
  const name = checkText('name', input.name);
  if (!name.ok) return name;
  const location = checkText('location', input.location);
  if (!location.ok) return location;
  const department = oneOf(
    'department',
    input.department,
    MILITARY_DEPARTMENTS,
    'military department',
  );
  if (!department.ok) return department;
  const school: School = {
    id: id.value,
    name: name.value,
    location: location.value,
    department: department.value,
  };
  return writeTransaction(ctx, actor, async (tx) => {
    if ((await findSchoolRow(tx, school.id)) !== undefined) {
      return err({
        code: 'CONFLICT',
        reason: 'SCHOOL.DUPLICATE',
        field: 'id',
        message: `school ${school.id} already exists`,
      });
    }
    await insertSchool(tx, school);
    return ok({
      value: school,
      audit: [{ action: 'school.add', entityType: 'school', entityId: school.id, after: school }],
    });
  });
}

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
  const id = checkId('id', input.id);
  if (!id.ok) return id;
  const content = checkContent(input);
  if (!content.ok) return content;
  const tuition = checkTuition(input.tuition ?? []);
  if (!tuition.ok) return tuition;
  return writeTransaction(ctx, actor, async (tx) => {
    if ((await findCourseRecord(tx, id.value)) !== undefined) {
      return err({
        code: 'CONFLICT',
        reason: 'COURSE.DUPLICATE',
        field: 'id',
        message: `course ${id.value} already exists: correct it instead`,
      });
    }
    if ((await findSchoolRow(tx, content.value.schoolId)) === undefined)
      return err(notFound('school', content.value.schoolId, 'school'));
    await insertCourse(
      tx,
      { id: id.value, ...content.value },
      tuitionRows(id.value, tuition.value),
    );
    const course = await loadWritten(tx, id.value);
    return ok({
      value: course,
      audit: [{ action: 'course.add', entityType: 'course', entityId: course.id, after: course }],
    });
  });
}

function unchanged(
  before: Course,
  after: CourseContent,
  tuition: readonly TuitionInput[],
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
        (b) => b.fiscalYear === t.fiscalYear && b.cents === t.cents && !b.illustrative,
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
  return writeTransaction(ctx, actor, async (tx) => {
    const before = await findCourse(tx, courseId);
    if (before === undefined) return err(notFound('course', id, 'id'));
    if (version.value !== undefined && version.value !== before.version)
      return err(stale(courseId, version.value, before.version));
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
    if (
      content.value.schoolId !== before.school &&
      (await findSchoolRow(tx, content.value.schoolId)) === undefined
    )
      return err(notFound('school', content.value.schoolId, 'school'));
    if (unchanged(before, content.value, tuition.value)) {
      return err({
        code: 'INPUT.INVALID',
        reason: 'COURSE.UNCHANGED',
        message: `the correction changes nothing in course ${courseId}`,
      });
    }
    const rows = await updateCourseIfVersion(tx, courseId, before.version, content.value);
    if (rows === 0) return err(stale(courseId, before.version, before.version + 1));
    await upsertTuition(tx, tuitionRows(courseId, tuition.value));
    const after = await loadWritten(tx, courseId);
    return ok({
      value: after,
      audit: [
        {
          action: 'course.correct',
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
  return writeTransaction(ctx, actor, async (tx) => {
    const before = await findCourse(tx, courseId);
    if (before === undefined) return err(notFound('course', id, 'id'));
    if (version.value !== undefined && version.value !== before.version)
      return err(stale(courseId, version.value, before.version));
    if (before.retiredOn !== null) {
      return err({
        code: 'CONFLICT',
        reason: 'COURSE.ALREADY_RETIRED',
        field: 'on',
        message: `course ${courseId} was already retired on ${before.retiredOn}`,
        details: { retiredOn: before.retiredOn },
      });
    }
    const rows = await updateCourseIfVersion(tx, courseId, before.version, { retiredOn: on.value });
    if (rows === 0) return err(stale(courseId, before.version, before.version + 1));
    const after = await loadWritten(tx, courseId);
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
