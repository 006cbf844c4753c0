// Raw SQL for the paths where Drizzle's query builder is too slow or cannot say it; same on both backends.
import type { SQL } from 'drizzle-orm';
import type { Executor } from './database.js';

/** Runs a raw query and returns its rows (both drivers answer `{ rows }`). */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: { rows: T[] } = (await db.execute<Record<string, unknown>>(query)) as never;
  return result.rows;
}
