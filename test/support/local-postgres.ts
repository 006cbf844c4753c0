// A PostgreSQL server on this machine (127.0.0.1:5432, user postgres, trust), whatever DATABASE_URL
// says: tests of races between processes make and drop their own database on it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropDatabase, withDatabase } from './databases.js';

export const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Why the local PostgreSQL cannot be used, or undefined when it can. Under CI (`CI=true`) an
 * unreachable server is a broken environment, so this throws: those tests never pass by skipping.
 */
export async function localPostgresSkipReason(): Promise<string | undefined> {
  const client = new pg.Client({
    connectionString: LOCAL_POSTGRES,
    connectionTimeoutMillis: 3_000,
  });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    const reason = `no PostgreSQL at ${LOCAL_POSTGRES} (${error instanceof Error ? error.message : String(error)})`;
    if (process.env['CI'] === 'true')
      throw new Error(`${reason}; tests of concurrent writers may not be skipped under CI`);
    return reason;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** A new, empty database on the local server, dropped by `drop()`. */
export async function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: LOCAL_POSTGRES });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(LOCAL_POSTGRES, name),
    drop: () => dropDatabase(LOCAL_POSTGRES, name),
  };
}
