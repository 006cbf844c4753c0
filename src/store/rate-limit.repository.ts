// The rate limits' shared counts (decision 019): what each server counted, added up in the database.
import { sql } from 'drizzle-orm';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';

export interface RateCount {
  readonly key: string;
  /** The window's start, in seconds since the epoch. */
  readonly windowStart: number;
  readonly used: number;
}

/**
 * Adds each row's `used` to the shared count of its key and window (a row adding 0 only reads it)
 * and answers the totals. One statement; rows go in key order, so two servers adding the same keys
 * take their row locks in the same order and cannot deadlock. Keys and windows must be unique.
 */
export async function addRateCounts(
  db: Executor,
  rows: readonly RateCount[],
): Promise<RateCount[]> {
  if (rows.length === 0) return [];
  const json = JSON.stringify(
    rows.map((r) => ({ key: r.key, window_start: r.windowStart, used: r.used })),
  );
  const totals = await queryRows<{ key: string; window_start: string | number; used: number }>(
    db,
    sql`insert into rate_counts (key, window_start, used)
        select key, window_start, used
        from jsonb_to_recordset(${json}::jsonb) as r(key text, window_start bigint, used integer)
        order by key, window_start
        on conflict (key, window_start) do update set used = rate_counts.used + excluded.used
        returning key, window_start, used`,
  );
  return totals.map((r) => ({ key: r.key, windowStart: Number(r.window_start), used: r.used }));
}

/** Forgets the counts of windows that started before `before` (epoch seconds). */
export async function pruneRateCounts(db: Executor, before: number): Promise<void> {
  await db.execute(sql`delete from rate_counts where window_start < ${before}`);
}
