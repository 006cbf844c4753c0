// A PostgreSQL server on this machine (127.0.0.1:5432, user postgres, trust), whatever DATABASE_URL
// says: tests of races between processes make and drop their own database on it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { systemActor } from '../../src/core/actor.js';
import { contextOver, type AppContext } from '../../src/services/context.js';
import { loadDemo } from '../../src/services/demo/demo.service.js';
import { syncReferenceData } from '../../src/services/countries/reference.service.js';
import { migrateStore, openStore, type Store } from '../../src/store/database.js';
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

/**
 * Ends every connection to `url`'s database but the asking one, as an administrator would, or
 * only those of one application name.
 */
export async function endBackends(url: string, application?: string): Promise<number> {
  const admin = new pg.Client({ connectionString: LOCAL_POSTGRES });
  await admin.connect();
  try {
    const ended = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = $1 and pid <> pg_backend_pid() and ($2::text is null or application_name = $2)`,
      [new URL(url).pathname.slice(1), application ?? null],
    );
    return ended.rowCount ?? 0;
  } finally {
    await admin.end();
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

export interface ScratchServers {
  /** The scratch database's URL. */
  readonly url: string;
  /** One context per server, each over its own store (pool and listening connection). */
  readonly contexts: readonly AppContext[];
  /** Closes every store and drops the database. */
  close(): Promise<void>;
}

/**
 * Several servers' contexts on one new database of the local server, migrated and holding the
 * reference data, as separate processes would have them.
 */
export async function scratchServers(
  prefix: string,
  count: number,
  overrides: Partial<Pick<AppContext, 'clock'>> = {},
): Promise<ScratchServers> {
  const scratch = await scratchDatabase(prefix);
  const stores: Store[] = [];
  const contexts: AppContext[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const store = await openStore({ kind: 'postgres', url: scratch.url });
      stores.push(store);
      contexts.push(contextOver(store, overrides));
      if (i === 0) {
        await migrateStore(store);
        const synced = await syncReferenceData(contexts[0]!);
        if (!synced.ok) throw new Error(synced.error.message);
      }
    }
  } catch (error) {
    for (const store of stores) await store.close();
    await scratch.drop();
    throw error;
  }
  return {
    url: scratch.url,
    contexts,
    async close() {
      for (const store of stores) await store.close();
      await scratch.drop();
    },
  };
}

/** A new database of the local server holding the demo, as `attache demo load` leaves it. */
export async function scratchDemoDatabase(prefix: string): Promise<ScratchDatabase> {
  const scratch = await scratchDatabase(prefix);
  const store = await openStore({ kind: 'postgres', url: scratch.url });
  try {
    await migrateStore(store);
    const ctx = contextOver(store);
    const synced = await syncReferenceData(ctx);
    if (!synced.ok) throw new Error(synced.error.message);
    const loaded = await loadDemo(ctx, systemActor('demo'));
    if (!loaded.ok) throw new Error(loaded.error.message);
  } catch (error) {
    await store.close();
    await scratch.drop();
    throw error;
  }
  await store.close();
  return scratch;
}
