// Seats of a fiscal year counted across countries, for the dashboard: one row per country, school,
// status and restriction mark, so a service can keep only what the caller sees and add the rest up.
import { sql } from 'drizzle-orm';
import type { ProgramCode } from '../core/programs.js';
import type { SeatStatus } from '../core/training.js';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';

/** The seats that share a country, school, status, flag and restriction mark, and their money. */
export interface SeatTally {
  readonly country: string;
  readonly schoolId: string;
  readonly status: SeatStatus;
  readonly flagged: boolean;
  /** A restriction reached these seats (cancelled, held or flagged them). */
  readonly restricted: boolean;
  readonly seats: number;
  /** Tuition and allowance of these seats. */
  readonly costCents: number;
  readonly penaltyCents: number;
}

/** The seats of a fiscal year's lines (of one program when given), tallied. */
export async function tallySeats(
  db: Executor,
  fiscalYear: number,
  program?: ProgramCode,
): Promise<SeatTally[]> {
  return queryRows<SeatTally>(
    db,
    sql`select l.country_iso3 as "country", c.school_id as "schoolId", s.status, s.flagged,
          (s.restriction_id is not null) as "restricted", count(*)::int as "seats",
          sum(l.unit_tuition_cents + l.allowance_cents)::float8 as "costCents",
          sum(s.penalty_cents)::float8 as "penaltyCents"
        from seats s join training_lines l on l.id = s.line_id join courses c on c.id = l.course_id
        where l.fiscal_year = ${fiscalYear}
          ${program === undefined ? sql`` : sql`and l.program_code = ${program}`}
        group by 1, 2, 3, 4, 5
        order by 1, 2, 3`,
  );
}
