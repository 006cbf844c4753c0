// Raw SQL for the paths where Drizzle's query builder is too slow or cannot say it; same on both backends.
import { sql, type SQL } from 'drizzle-orm';
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './database.js';

/** Runs a raw query and returns its rows (both drivers answer `{ rows }`). */
export async function queryRows<T>(db: Executor, query: SQL): Promise<T[]> {
  const result: { rows: T[] } = (await db.execute<Record<string, unknown>>(query)) as never;
  return result.rows;
}

/** Inserts rows in statements of at most `chunk` rows (PostgreSQL caps a statement's parameters at 65,535). */
export async function insertChunked<T extends PgTable>(
  tx: Executor,
  table: T,
  rows: readonly T['$inferInsert'][],
  chunk = 1_000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await tx.insert(table).values(rows.slice(i, i + chunk) as PgInsertValue<T>[]);
  }
}

/** A timestamptz column as the domain writes instants: ISO 8601 in UTC with milliseconds. */
export function isoInstant(column: string): SQL {
  return sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}
