// Re-programmings applied (issue 17): what each source country's pool gave, so the same money is
// never proposed twice.
import { sql } from 'drizzle-orm';
import type { Executor } from './database.js';
import { insertChunked, queryRows } from './raw-sql.js';
import { reprogrammingSources, reprogrammings } from './schema.js';

export interface ReprogrammingRow {
  readonly id: string;
  readonly fiscalYear: number;
  readonly pool: string;
  readonly proposedOn: string;
  readonly basis: string;
  readonly usedCents: number;
  readonly recordedAt: string;
}

/** Money each country's pool has given to re-programmings of the fiscal year. */
export async function movedOutOfPools(
  db: Executor,
  fiscalYear: number,
): Promise<Map<string, number>> {
  const rows = await queryRows<{ country: string; cents: number }>(
    db,
    sql`select country_iso3 as "country", sum(cents)::float8 as "cents"
        from reprogramming_sources where fiscal_year = ${fiscalYear} group by country_iso3`,
  );
  return new Map(rows.map((r) => [r.country, r.cents]));
}

export async function insertReprogramming(
  tx: Executor,
  row: ReprogrammingRow,
  sources: readonly { readonly country: string; readonly cents: number }[],
): Promise<void> {
  await tx.insert(reprogrammings).values(row);
  await insertChunked(
    tx,
    reprogrammingSources,
    sources.map((s) => ({
      reprogrammingId: row.id,
      countryIso3: s.country,
      fiscalYear: row.fiscalYear,
      cents: s.cents,
    })),
  );
}
