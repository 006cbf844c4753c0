// Raw SQL for the paths where Drizzle's query builder is too slow or cannot say it; same on both backends.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type SQL } from 'drizzle-orm';
import type { PgInsertValue, PgTable } from 'drizzle-orm/pg-core';
import type { Transaction as PgliteTransaction } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
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

/** A field of COPY's text format: `\\N` for null; backslash, tab, newline and carriage return escaped. */
function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, escapeCopy) : text;
}

const COPY_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};
const escapeCopy = (char: string) => COPY_ESCAPES[char]!;

/** Values as (part of) a line of COPY's text format: fields apart by tabs. */
export function copyLine(values: readonly (string | number | null)[]): string {
  return values.map(copyField).join('\t');
}

/** The connection a transaction of either driver runs on: Drizzle keeps it as its session's client. */
function transactionClient(tx: Executor): unknown {
  return (tx as { session?: { client?: unknown } }).session?.client;
}

/**
 * Appends rows to `table` with COPY, inside the transaction `tx`: no statement to plan and no JSON
 * to parse, half the time of an INSERT of the same rows sent as JSON. `pieces` give the rows in
 * COPY's text format (`copyLine`, `columns` in order), each piece whole lines ending in a newline.
 * On PostgreSQL they stream over the transaction's connection (pg-copy-streams), after any
 * statement sent before it, and each piece is asked for as the connection takes the one before:
 * working out the next overlaps the database reading this one. PGlite reads them from a blob.
 * Throws what the database refused, or what a piece's making threw (the COPY is then abandoned).
 */
export async function copyText(
  tx: Executor,
  table: string,
  columns: readonly string[],
  pieces: Iterable<string>,
): Promise<void> {
  const statement = `copy ${table} (${columns.join(', ')}) from`;
  const client = transactionClient(tx);
  if (client instanceof pg.Client) {
    // One piece buffered at a time: the next is made when the connection has taken this one.
    const source = Readable.from(pieces, { highWaterMark: 1 });
    await pipeline(source, client.query(copyFrom(`${statement} stdin`)));
    return;
  }
  if (isPgliteTransaction(client)) {
    await client.query(`${statement} '/dev/blob'`, [], { blob: new Blob([...pieces]) });
    return;
  }
  throw new Error(`copyText: not inside a transaction (table ${table})`);
}

function isPgliteTransaction(client: unknown): client is PgliteTransaction {
  return (
    typeof client === 'object' &&
    client !== null &&
    typeof (client as Partial<PgliteTransaction>).query === 'function' &&
    typeof (client as Partial<PgliteTransaction>).rollback === 'function'
  );
}

/** A timestamptz column as the domain writes instants: ISO 8601 in UTC with milliseconds. */
export function isoInstant(column: string): SQL {
  return sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
}
