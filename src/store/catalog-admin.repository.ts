// Catalog maintenance: schools and courses with their school, tuition upserts, version-checked updates.
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from './database.js';
import { auditLog, courseTuition, courses, schools } from './schema.js';

export type SchoolRecord = typeof schools.$inferSelect;
export type TuitionRecord = typeof courseTuition.$inferSelect;

/** A course row with the facts of its school (location and department belong to the school). */
export type CourseRecord = typeof courses.$inferSelect & {
  readonly schoolName: string;
  readonly location: string;
  readonly department: string;
};

/** The columns a correction or a retirement may change; the version is bumped by the update. */
export type CourseChanges = Partial<Omit<typeof courses.$inferInsert, 'id' | 'version'>>;

export interface CourseFilter {
  readonly schoolId?: string | undefined;
  readonly category?: string | undefined;
  readonly includeRetired?: boolean | undefined;
}

export async function listSchoolRows(db: Executor): Promise<SchoolRecord[]> {
  return db.select().from(schools).orderBy(asc(schools.id));
}

export async function findSchoolRow(db: Executor, id: string): Promise<SchoolRecord | undefined> {
  const [row] = await db.select().from(schools).where(eq(schools.id, id));
  return row;
}

const courseWithSchool = {
  id: courses.id,
  title: courses.title,
  schoolId: courses.schoolId,
  category: courses.category,
  eImet: courses.eImet,
  dedicated: courses.dedicated,
  lengthWeeks: courses.lengthWeeks,
  eclMin: courses.eclMin,
  opiMin: courses.opiMin,
  retiredOn: courses.retiredOn,
  source: courses.source,
  version: courses.version,
  schoolName: schools.name,
  location: schools.location,
  department: schools.department,
};

/** Courses in id order, optionally of one school or category; retired ones only when asked. */
export async function listCourseRecords(
  db: Executor,
  filter: CourseFilter = {},
): Promise<CourseRecord[]> {
  const where: SQL[] = [];
  if (filter.schoolId !== undefined) where.push(eq(courses.schoolId, filter.schoolId));
  if (filter.category !== undefined) where.push(eq(courses.category, filter.category));
  if (filter.includeRetired !== true) where.push(isNull(courses.retiredOn));
  return db
    .select(courseWithSchool)
    .from(courses)
    .innerJoin(schools, eq(schools.id, courses.schoolId))
    .where(and(...where))
    .orderBy(asc(courses.id));
}

export async function findCourseRecord(
  db: Executor,
  id: string,
): Promise<CourseRecord | undefined> {
  const [row] = await db
    .select(courseWithSchool)
    .from(courses)
    .innerJoin(schools, eq(schools.id, courses.schoolId))
    .where(eq(courses.id, id));
  return row;
}

/** Tuition rows of the given courses (every course when `courseIds` is undefined), by course and FY. */
export async function listTuitionRecords(
  db: Executor,
  courseIds?: readonly string[],
): Promise<TuitionRecord[]> {
  if (courseIds !== undefined && courseIds.length === 0) return [];
  const query = db.select().from(courseTuition);
  const filtered =
    courseIds === undefined ? query : query.where(inArray(courseTuition.courseId, [...courseIds]));
  return filtered.orderBy(asc(courseTuition.courseId), asc(courseTuition.fiscalYear));
}

/**
 * Applies `changes` and bumps the version only if the course is still at `expectedVersion`;
 * returns the rows changed (0 when another writer got there first).
 */
export async function updateCourseIfVersion(
  tx: Executor,
  id: string,
  expectedVersion: number,
  changes: CourseChanges,
): Promise<number> {
  const rows = await tx
    .update(courses)
    .set({ ...changes, version: sql`${courses.version} + 1` })
    .where(and(eq(courses.id, id), eq(courses.version, expectedVersion)))
    .returning({ id: courses.id });
  return rows.length;
}

/** Sets the tuition of each (course, FY) given, replacing any amount recorded for that FY. */
export async function upsertTuition(
  tx: Executor,
  rows: readonly (typeof courseTuition.$inferInsert)[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insert(courseTuition)
    .values([...rows])
    .onConflictDoUpdate({
      target: [courseTuition.courseId, courseTuition.fiscalYear],
      set: {
        tuitionCents: sql`excluded.tuition_cents`,
        illustrative: sql`excluded.illustrative`,
      },
    });
}

export interface EntityAuditEntry {
  readonly seq: number;
  readonly recordedAt: string;
  readonly actor: string;
  readonly action: string;
  readonly reason: string | null;
}

/** The audit entries of one entity, oldest first: its history. */
export async function listEntityAudit(
  db: Executor,
  entityType: string,
  entityId: string,
): Promise<EntityAuditEntry[]> {
  return db
    .select({
      seq: auditLog.seq,
      recordedAt: auditLog.recordedAt,
      actor: auditLog.actor,
      action: auditLog.action,
      reason: auditLog.reason,
    })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.seq));
}
