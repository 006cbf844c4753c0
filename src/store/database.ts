// Opens the store: embedded PGlite on disk (default), in memory (tests), or PostgreSQL via DATABASE_URL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import type { WrittenChanges } from './eligibility.repository.js';
import { listenOn, type ChannelEvents, type Listener } from './listener.js';
import { findPgError } from './pg-error.js';
import { queryRows } from './raw-sql.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** The Drizzle database over either backend. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction or the database itself: what repositories take. */
export type Executor = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'execute' | 'query'>;

export type StoreConfig =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'pglite-memory'; readonly snapshot?: Blob }
  | { readonly kind: 'postgres'; readonly url: string };

export interface Store {
  readonly db: Db;
  readonly backend: 'pglite' | 'postgres';
  /** Where the data lives, for logs and health: the data dir, or the URL without its password. */
  readonly location: string;
  /** Only for tests and snapshots: the embedded database, when there is one. */
  readonly pglite?: PGlite;
  /**
   * Writes this process committed. With the embedded database no other process can write (the
   * data-dir lock), so this alone tells whether an in-memory index is current.
   */
  readonly writes: { count: number };
  /**
   * Audited reads this process appended (`read` entries on the audit chain): they change no record,
   * so they are not writes, but an answer that audited a read must never be kept and replayed.
   */
  readonly auditedReads: { count: number };
  /**
   * Commits of audited reads this process made (moved once each is over): a page of the audit log
   * read before one may lack its entries.
   */
  readonly readsAppended: { count: number };
  /** Writes of jobs' rows this process made (moved once each is over): they are not on the road. */
  readonly jobWrites: { count: number };
  /**
   * This process's writes of eligibility records: where each stands in the change log, by the
   * country (or the courses, the country list) it changed, and what the latest ones changed. The
   * eligibility index applies those to itself without reading them back, and waits for this
   * process's write of a country only to answer about it.
   */
  readonly eligibilityWrites: EligibilityWrites;
  /** The PostgreSQL pool, when on PostgreSQL (LISTEN and migrations need one connection). */
  readonly pgPool?: pg.Pool;
  /**
   * On PostgreSQL: listens on a channel over a connection of its own, closed with the store.
   * Absent on the embedded database, where no other process writes.
   */
  readonly listen?: (channel: string, events: ChannelEvents) => Listener;
  /**
   * On an embedded data dir: names a server's port in the data dir's lock with a new local secret
   * (returned), so a command line beside the server can reach it.
   */
  readonly advertise?: (port: number) => string;
  close(): Promise<void>;
}

/** Where this process's writes of eligibility records stand in the change log (counter values). */
export interface EligibilityWrites {
  /** The change log's head after this process's latest write of any eligibility record. */
  latest: number;
  /** When that write's commit returned (performance.now()): the index's freshness counts from it. */
  latestAt: number;
  /** After its latest write of the courses or the country list (everything is read again). */
  everything: number;
  /** After its latest write of each country's records. */
  readonly byCountry: Map<string, number>;
  /** What the latest writes changed, read in their own transactions: oldest first, a few kept. */
  readonly recent: OwnEligibilityWrite[];
  /** Writes whose changes are read and whose commit is under way: their notifications may come first. */
  readonly committing: Set<OwnEligibilityWrite>;
  /** Called after each write is noted, or its commit failed: the index takes it in at once. */
  settled?: () => void;
  /**
   * Called as a write's changes are read, before it commits: the index works out what it will be
   * with them, so taking them in once the commit returns is only putting that in place.
   */
  prepare?: (write: OwnEligibilityWrite) => void;
}

/** One write of this process, as it committed (read in its transaction). */
export type OwnEligibilityWrite = WrittenChanges;

/** The writes of this process the index may take in without reading: the latest few. */
export const OWN_WRITES_KEPT = 16;

function noEligibilityWrites(): EligibilityWrites {
  return {
    latest: 0,
    latestAt: 0,
    everything: 0,
    byCountry: new Map(),
    recent: [],
    committing: new Set(),
  };
}

/** Notes that a write of this process read its changes and is committing them. */
export function beginEligibilityCommit(store: Store, write: OwnEligibilityWrite): void {
  store.eligibilityWrites.committing.add(write);
  store.eligibilityWrites.prepare?.(write);
}

/** Notes that a write's commit failed (it may have committed all the same: the log will say). */
export function abandonEligibilityCommit(store: Store, write: OwnEligibilityWrite): void {
  const writes = store.eligibilityWrites;
  if (writes.committing.delete(write)) writes.settled?.();
}

/** Notes a committed write of this process that changed eligibility records (or courses, countries). */
export function noteEligibilityWrite(store: Store, write: OwnEligibilityWrite): void {
  const writes = store.eligibilityWrites;
  writes.committing.delete(write);
  for (const topic of write.topics) {
    if (topic === 'courses' || topic === 'countries')
      writes.everything = Math.max(writes.everything, write.head);
    else writes.byCountry.set(topic, Math.max(writes.byCountry.get(topic) ?? 0, write.head));
  }
  writes.latest = Math.max(writes.latest, write.head);
  writes.latestAt = performance.now();
  writes.recent.push(write);
  if (writes.recent.length > OWN_WRITES_KEPT) writes.recent.shift();
  writes.settled?.();
}

/**
 * Plans the rest of a serializable transaction without parallel workers (PostgreSQL). Such a
 * transaction runs a parallel plan in its leader alone, so the planner's parallel choice is the
 * slower one: a country's open seats took 30 ms that way, and 6 ms with the serial plan.
 */
export async function planSerially(tx: Executor): Promise<void> {
  await tx.execute(sql`set local max_parallel_workers_per_gather = 0`);
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Locks and opens the configured database. Does not migrate: call migrateStore. */
export async function openStore(config: StoreConfig): Promise<Store> {
  switch (config.kind) {
    case 'pglite': {
      const lock = await acquireDataDirLock(config.dataDir);
      try {
        const client = await PGlite.create(join(config.dataDir, 'pgdata'), {
          extensions: { btree_gist },
        });
        return pgliteStore(client, config.dataDir, lock);
      } catch (error) {
        lock.release();
        throw error;
      }
    }
    case 'pglite-memory': {
      const client = await PGlite.create({
        extensions: { btree_gist },
        ...(config.snapshot === undefined ? {} : { loadDataDir: config.snapshot }),
      });
      return pgliteStore(client, 'memory', undefined);
    }
    case 'postgres': {
      const pool = new pg.Pool({ connectionString: config.url, max: 10 });
      // An idle connection the server closed (a restart, a failover, an administrator): the pool
      // has dropped it and opens another when next asked, and a query meets whatever is still
      // wrong. Unheard, the pool's error would end the process.
      pool.on('error', () => undefined);
      // Fail now, with the server's reason, rather than on the first request.
      const probe = await pool.connect();
      probe.release();
      const listeners = new Set<Listener>();
      return {
        db: drizzlePg({ client: pool, schema }) as unknown as Db,
        backend: 'postgres',
        location: redactUrl(config.url),
        writes: { count: 0 },
        auditedReads: { count: 0 },
        readsAppended: { count: 0 },
        jobWrites: { count: 0 },
        eligibilityWrites: noEligibilityWrites(),
        pgPool: pool,
        listen(channel, events) {
          const listener = listenOn({ connectionString: config.url }, channel, events);
          listeners.add(listener);
          return {
            async close() {
              listeners.delete(listener);
              await listener.close();
            },
          };
        },
        async close() {
          await Promise.all([...listeners].map((l) => l.close()));
          listeners.clear();
          await pool.end();
        },
      };
    }
  }
}

function pgliteStore(client: PGlite, location: string, lock: DataDirLock | undefined): Store {
  return {
    db: drizzlePglite({ client, schema }),
    backend: 'pglite',
    location,
    writes: { count: 0 },
    auditedReads: { count: 0 },
    readsAppended: { count: 0 },
    jobWrites: { count: 0 },
    eligibilityWrites: noEligibilityWrites(),
    pglite: client,
    ...(lock === undefined ? {} : { advertise: (port: number) => lock.advertise(port) }),
    async close() {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres';
  }
}

/** Applies pending migrations, if any: a database already current is only read. */
export async function migrateIfBehind(store: Store): Promise<void> {
  if (!(await migrationStatus(store)).current) await migrateStore(store);
}

/** Applies pending migrations; concurrent starters on one PostgreSQL wait for each other. */
export async function migrateStore(store: Store): Promise<void> {
  const options = { migrationsFolder: MIGRATIONS_DIR };
  if (store.pgPool === undefined) {
    await migratePglite(store.db as never, options);
    return;
  }
  const client = await store.pgPool.connect();
  try {
    await client.query(`select pg_advisory_lock(hashtext('attache.migrations'))`);
    await migratePg(drizzlePg({ client, schema }), options);
  } finally {
    await client
      .query(`select pg_advisory_unlock(hashtext('attache.migrations'))`)
      .catch(() => undefined);
    client.release();
  }
}

export interface MigrationStatus {
  readonly applied: number;
  readonly expected: number;
  readonly current: boolean;
}

/** Migrations this version expects: read once (the files do not change under a running process). */
let expectedMigrations: number | undefined;

function migrationsExpected(): number {
  expectedMigrations ??= (
    JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
      entries: unknown[];
    }
  ).entries.length;
  return expectedMigrations;
}

/** A database that answers but holds no migrations table: undefined table or schema. */
const NOT_MIGRATED = new Set(['42P01', '3F000']);

/**
 * Whether the database answers and how many of this version's migrations it holds, in one round
 * trip (health asks it under load).
 */
export async function databaseStatus(
  store: Store,
): Promise<MigrationStatus & { readonly reachable: boolean }> {
  const expected = migrationsExpected();
  try {
    const [row] = await queryRows<{ n: number }>(
      store.db,
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    const applied = Number(row?.n ?? 0);
    return { reachable: true, applied, expected, current: applied === expected };
  } catch (error) {
    const reachable = NOT_MIGRATED.has(findPgError(error)?.code ?? '');
    return { reachable, applied: 0, expected, current: false };
  }
}

/** How many migrations the database has applied against how many this code ships. */
export async function migrationStatus(store: Store): Promise<MigrationStatus> {
  const { applied, expected, current } = await databaseStatus(store);
  return { applied, expected, current };
}
