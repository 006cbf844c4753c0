// The training catalog: schools, courses and their tuition per fiscal year.
import { eq } from 'drizzle-orm';
import type { Executor } from './database.js';
import { courseTuition, courses, schools } from './schema.js';

export type SchoolRow = typeof schools.$inferInsert;
export type CourseRow = typeof courses.$inferInsert;
export type TuitionRow = typeof courseTuition.$inferInsert;

export async function insertSchool(tx: Executor, row: SchoolRow): Promise<void> {
  await tx.insert(schools).values(row);
}

export async function insertCourse(
  tx: Executor,
  row: CourseRow,
  tuition: readonly TuitionRow[],
): Promise<void> {
  await tx.insert(courses).values(row);
  if (tuition.length > 0) await tx.insert(courseTuition).values([...tuition]);
}

export async function listTuitionForYear(
  db: Executor,
  fiscalYear: number,
): Promise<(typeof courseTuition.$inferSelect)[]> {
  return db.select().from(courseTuition).where(eq(courseTuition.fiscalYear, fiscalYear));
}
