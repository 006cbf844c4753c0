// What the Foreign Military Training report reads: the seats of two fiscal years with their lines, courses, schools and students.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../core/dates.js';
import type { ProgramCode } from '../core/programs.js';
import type { FmtSeat } from '../core/reports/fmt-report.js';
import type { CourseCategory, SeatStatus } from '../core/training.js';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';

type LineFacts = Omit<
  FmtSeat,
  'seatId' | 'status' | 'penaltyCents' | 'studentId' | 'unit' | 'stoppedOn'
>;

interface SeatFacts {
  readonly seatId: string;
  readonly lineId: string;
  readonly status: SeatStatus;
  readonly penaltyCents: number;
  readonly studentId: string | null;
  readonly unit: string | null;
  readonly stoppedOn: IsoDate | null;
}

/**
 * Every seat of the lines of `fiscalYears`, of `countries` only when given (a caller's scope). Two
 * queries: the lines with their course and school once each, then the seats with their own columns,
 * their student's unit and, for one not completed, the day the allowance stopped; joined here, so
 * the line's facts do not travel once per seat (a synthetic year has tens of thousands of seats).
 */
export async function loadFmtSeats(
  db: Executor,
  fiscalYears: readonly number[],
  countries: readonly string[] | null,
): Promise<FmtSeat[]> {
  const inCountries =
    countries === null ? sql`` : sql`and l.country_iso3 = any(${sql.param(countries)}::text[])`;
  const years = sql`l.fiscal_year = any(${sql.param(fiscalYears)}::int[])`;
  const lines = await queryRows<
    Omit<LineFacts, 'program' | 'category' | 'classStart'> & {
      program: ProgramCode;
      category: CourseCategory;
      classStart: IsoDate;
    }
  >(
    db,
    sql`select l.id as "lineId", l.country_iso3 as "country", l.program_code as "program",
          l.fiscal_year as "fiscalYear", l.class_start::text as "classStart", l.course_id as "courseId",
          c.title as "courseTitle", c.category, c.e_imet as "eImet", c.length_weeks as "lengthWeeks",
          sc.name as "schoolName", sc.location, l.purpose,
          l.unit_tuition_cents::float8 as "tuitionCents", l.allowance_cents::float8 as "allowanceCents"
        from training_lines l
        join courses c on c.id = l.course_id
        join schools sc on sc.id = c.school_id
        where ${years} ${inCountries}`,
  );
  if (lines.length === 0) return [];
  const seats = await queryRows<SeatFacts>(
    db,
    sql`select s.id as "seatId", s.line_id as "lineId", s.status,
          s.penalty_cents::float8 as "penaltyCents", s.student_id as "studentId", st.unit,
          r.allowance_stopped_on::text as "stoppedOn"
        from seats s
        join training_lines l on l.id = s.line_id
        left join students st on st.id = s.student_id
        left join training_records r on r.seat_id = s.id
        where ${years} ${inCountries}
        order by s.line_id, s.ordinal`,
  );
  const byId = new Map(lines.map((l) => [l.lineId, l]));
  return seats.map((s) => ({ ...byId.get(s.lineId)!, ...s }));
}
