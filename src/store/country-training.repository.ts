// The fiscal years in which a country has training lines: how many lines and seats each holds.
import { sql } from 'drizzle-orm';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';

export interface TrainingYearRow {
  readonly fiscalYear: number;
  readonly lines: number;
  readonly seats: number;
}

/** Newest first; a year with no line is absent. */
export async function listTrainingYears(db: Executor, country: string): Promise<TrainingYearRow[]> {
  return queryRows<TrainingYearRow>(
    db,
    sql`select l.fiscal_year as "fiscalYear", count(distinct l.id)::int as "lines",
               count(s.id)::int as "seats"
        from training_lines l left join seats s on s.line_id = l.id
        where l.country_iso3 = ${country}
        group by l.fiscal_year
        order by l.fiscal_year desc`,
  );
}
