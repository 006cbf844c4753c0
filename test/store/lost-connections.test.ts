// PostgreSQL ends a server's connections (a restart, a failover, an administrator): the server
// goes on. An idle connection of the pool is dropped and replaced; the jobs' lease connection,
// held for the server's life, is reported lost. Runs whenever a server is reachable, on a database
// of its own (in CI one always is: not reaching it fails the test).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { openJobLeases } from '../../src/store/job.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { until } from '../support/until.js';
import { dropDatabase, withDatabase } from '../support/databases.js';

const adminUrl = inject('databaseAdminUrl') || 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const runs = (await reachable(adminUrl)) || (process.env.CI ?? '') !== '';
if (!runs) console.log(`lost connections: skipped, no PostgreSQL at ${new URL(adminUrl).host}`);
const database = `attache_lost_${randomBytes(4).toString('hex')}`;

/** Ends every connection to the test's database but the asking one, as an administrator would. */
async function endConnections(): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const ended = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
      [database],
    );
    return ended.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe.skipIf(!runs)('connections PostgreSQL ends', () => {
  let store: Store;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${database}`).finally(() => admin.end());
    store = await openStore({ kind: 'postgres', url: withDatabase(adminUrl, database) });
  });
  afterAll(async () => {
    await store?.close();
    await dropDatabase(adminUrl, database);
  });

  it('an idle one of the pool: dropped, and the next query runs on a new one', async () => {
    // Three idle connections in the pool.
    await Promise.all([1, 2, 3].map((n) => queryRows(store.db, sql`select ${n}::int as n`)));
    expect(store.pgPool!.idleCount).toBeGreaterThan(0);
    expect(await endConnections()).toBeGreaterThan(0);
    await until(() => store.pgPool!.idleCount === 0);
    const [row] = await queryRows<{ n: number }>(store.db, sql`select 42::int as n`);
    expect(row?.n).toBe(42);
  });

  it("the jobs' lease connection: reported lost, and a hold after it refused", async () => {
    const lost: Error[] = [];
    const leases = await openJobLeases(store.pgPool!, (error) => lost.push(error));
    await leases.hold('job_1');
    expect(await endConnections()).toBeGreaterThan(0);
    await until(() => lost.length > 0);
    expect(lost[0]!.message).toMatch(/terminat/);
    await expect(leases.hold('job_2')).rejects.toThrow();
    await leases.close();
  });
});
