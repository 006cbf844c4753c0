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
