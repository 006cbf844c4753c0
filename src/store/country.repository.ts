// Country views: reference rows joined with their latest IMET allocation in force.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../core/dates.js';
import { asOfDate } from './allocation.repository.js';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';
import type { CountryRow } from './reference.repository.js';

export interface CountrySummaryRow extends CountryRow {
  readonly latestImetFy: number | null;
  readonly latestImetCents: number | null;
}

/**
 * Every country (or one) with its latest IMET allocation: the latest FY with an amount in force on
 * `on` (today by default), that amount; a pending change is not yet in force.
 */
export async function listCountrySummaries(
  db: Executor,
  iso3?: string,
  on?: IsoDate,
): Promise<CountrySummaryRow[]> {
  const filter = iso3 === undefined ? sql`` : sql`where c.iso3 = ${iso3}`;
  const rows = await queryRows<CountrySummaryRow>(
    db,
    sql`
      select c.iso3, c.iso2, c.name, c.nato_member as "natoMember",
             c.fmt_report_excluded as "fmtReportExcluded", c.grant_imet_excluded as "grantImetExcluded",
             la.fiscal_year as "latestImetFy", la.amount_cents as "latestImetCents"
      from countries c
      left join lateral (
        select a.fiscal_year, a.amount_cents from allocations a
        where a.country_iso3 = c.iso3 and a.program_code = 'IMET' and a.superseded_at is null
          and a.effective_from <= ${asOfDate(on)}
        order by a.fiscal_year desc, a.effective_from desc limit 1
      ) la on true
      ${filter}
      order by c.name`,
  );
  // bigint arrives as a string from node-postgres.
  return rows.map((r) => ({
    ...r,
    latestImetCents: r.latestImetCents === null ? null : Number(r.latestImetCents),
  }));
}
