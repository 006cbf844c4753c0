// The classes of a course: the international seats each may fill (recorded by the catalog's
// keepers), and the seats its lines hold.
import { sql } from 'drizzle-orm';
import { addDays, type IsoDate } from '../core/dates.js';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';
import type { courseClasses } from './schema.js';

export type CourseClassRow = typeof courseClasses.$inferSelect;

/** A class as the catalog and the lines know it. */
export interface ClassSeats {
  readonly courseId: string;
  readonly classStart: IsoDate;
  /** The seats recorded for international students; null when none are recorded (no limit). */
  readonly internationalSeats: number | null;
  readonly version: number | null;
  /** Seats of priority A lines, not cancelled, of every country and program. */
  readonly fundedSeats: number;
  /** Seats of priority B lines, not cancelled: the wish list. */
  readonly wishedSeats: number;
}

// Every class its lines name, even one whose seats are all cancelled (it counts none).
const takenSeats = sql`
  select l.course_id, l.class_start,
         count(*) filter (where l.priority = 'A' and s.status <> 'cancelled')::int as funded,
         count(*) filter (where l.priority = 'B' and s.status <> 'cancelled')::int as wished
  from training_lines l join seats s on s.line_id = l.id
  where true`;

/**
 * The classes of `courseId` that start in [from, until): those with recorded seats and those
 * lines name, by class start.
 */
export async function listClassSeats(
  db: Executor,
  courseId: string,
  from: IsoDate,
  until: IsoDate,
): Promise<ClassSeats[]> {
  return queryRows<ClassSeats>(
    db,
    sql`with taken as (${takenSeats} and l.course_id = ${courseId}
          and l.class_start >= ${from} and l.class_start < ${until}
          group by l.course_id, l.class_start),
        recorded as (select * from course_classes where course_id = ${courseId}
          and class_start >= ${from} and class_start < ${until})
        select coalesce(r.course_id, t.course_id) as "courseId",
               coalesce(r.class_start, t.class_start)::text as "classStart",
               r.international_seats as "internationalSeats", r.version,
               coalesce(t.funded, 0) as "fundedSeats", coalesce(t.wished, 0) as "wishedSeats"
        from recorded r full join taken t
          on t.course_id = r.course_id and t.class_start = r.class_start
        order by 2`,
  );
}

/** One class's recorded seats and what its lines hold. */
export async function findClassSeats(
  db: Executor,
  courseId: string,
  classStart: IsoDate,
): Promise<ClassSeats> {
  const [row] = await listClassSeats(db, courseId, classStart, addDays(classStart, 1));
  return (
    row ?? {
      courseId,
      classStart,
      internationalSeats: null,
      version: null,
      fundedSeats: 0,
      wishedSeats: 0,
    }
  );
}

/**
 * The recorded classes among `classes` (course and class start) with the seats their priority A
 * lines hold: what a re-programming may still fund in each.
 */
export async function classSeatsOf(
  db: Executor,
  classes: readonly { readonly courseId: string; readonly classStart: IsoDate }[],
): Promise<ClassSeats[]> {
  if (classes.length === 0) return [];
  // Two array parameters, however many classes: no statement outgrows PostgreSQL's parameters.
  const wanted = sql`select * from unnest(${sql.param(classes.map((k) => k.courseId))}::text[],
    ${sql.param(classes.map((k) => k.classStart))}::date[]) as w(course_id, class_start)`;
  return queryRows<ClassSeats>(
    db,
    sql`with wanted as (${wanted}),
        taken as (${takenSeats} and (l.course_id, l.class_start) in (select * from wanted)
          group by l.course_id, l.class_start)
        select r.course_id as "courseId", r.class_start::text as "classStart",
               r.international_seats as "internationalSeats", r.version,
               coalesce(t.funded, 0) as "fundedSeats", coalesce(t.wished, 0) as "wishedSeats"
        from course_classes r left join taken t
          on t.course_id = r.course_id and t.class_start = r.class_start
        where (r.course_id, r.class_start) in (select * from wanted)
        order by 1, 2`,
  );
}

/**
 * Records a class's international seats: a new class at version 1, a known one only at `version`
 * (false when it moved on).
 */
export async function setClassSeats(
  tx: Executor,
  row: { courseId: string; classStart: IsoDate; internationalSeats: number },
  version: number | null,
  now: string,
): Promise<boolean> {
  if (version === null) {
    const inserted = await queryRows<{ n: number }>(
      tx,
      sql`insert into course_classes (course_id, class_start, international_seats, version, updated_at)
          values (${row.courseId}, ${row.classStart}, ${row.internationalSeats}, 1, ${now})
          on conflict do nothing returning 1 as n`,
    );
    return inserted.length === 1;
  }
  const updated = await queryRows<{ n: number }>(
    tx,
    sql`update course_classes set international_seats = ${row.internationalSeats},
          version = version + 1, updated_at = ${now}
        where course_id = ${row.courseId} and class_start = ${row.classStart} and version = ${version}
        returning 1 as n`,
  );
  return updated.length === 1;
}
