// Record counts, for "is the database empty" and the demo summary.
import { sql } from 'drizzle-orm';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';

export interface RecordCounts {
  readonly allocations: number;
  readonly restrictions: number;
  readonly courses: number;
  readonly trainingLines: number;
  readonly seats: number;
  readonly auditEntries: number;
}

export async function countRecords(db: Executor): Promise<RecordCounts> {
  const [row] = await queryRows<Record<keyof RecordCounts, number>>(
    db,
    sql`select
      (select count(*) from allocations)::int as "allocations",
      (select count(*) from restrictions)::int as "restrictions",
      (select count(*) from courses)::int as "courses",
      (select count(*) from training_lines)::int as "trainingLines",
      (select count(*) from seats)::int as "seats",
      (select count(*) from audit_log)::int as "auditEntries"`,
  );
  if (row === undefined) throw new Error('count query returned no row');
  return row;
}

/** Seats of a country's lines of a fiscal year in a status (the demo checks its story with it). */
export async function countSeats(
  db: Executor,
  country: string,
  fiscalYear: number,
  status: string,
): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from seats s join training_lines l on l.id = s.line_id
        where l.country_iso3 = ${country} and l.fiscal_year = ${fiscalYear} and s.status = ${status}`,
  );
  return row?.n ?? 0;
}
