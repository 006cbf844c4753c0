// PostgreSQL ends a server's connections (a restart, a failover, an administrator): the server
// goes on. An idle connection of the pool is dropped and replaced; the jobs' lease connection,
// held for the server's life, is reported lost. Runs on a database of its own on the local server
// (under CI one is always there: not reaching it fails the test).
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { openJobLeases } from '../../src/store/job.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import {
  LOCAL_POSTGRES,
  localPostgresSkipReason,
  scratchDatabase,
  type ScratchDatabase,
} from '../support/local-postgres.js';
import { until } from '../support/until.js';

const skipReason = await localPostgresSkipReason();
if (skipReason !== undefined) console.warn(`lost connections skipped: ${skipReason}`);

/** Ends every connection to `url`'s database but the asking one, as an administrator would. */
async function endConnections(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: LOCAL_POSTGRES });
  await admin.connect();
  try {
    const ended = await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
      [new URL(url).pathname.slice(1)],
    );
    return ended.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

describe.skipIf(skipReason !== undefined)('connections PostgreSQL ends', () => {
  let scratch: ScratchDatabase;
  let store: Store;
  beforeAll(async () => {
    scratch = await scratchDatabase('attache_lost');
    store = await openStore({ kind: 'postgres', url: scratch.url });
  });
  afterAll(async () => {
    await store?.close();
    await scratch?.drop();
  });

  it('an idle one of the pool: dropped, and the next query runs on a new one', async () => {
    // Three idle connections in the pool.
    await Promise.all([1, 2, 3].map((n) => queryRows(store.db, sql`select ${n}::int as n`)));
    expect(store.pgPool!.idleCount).toBeGreaterThan(0);
    expect(await endConnections(scratch.url)).toBeGreaterThan(0);
    await until(() => store.pgPool!.idleCount === 0);
    const [row] = await queryRows<{ n: number }>(store.db, sql`select 42::int as n`);
    expect(row?.n).toBe(42);
  });

  it("the jobs' lease connection: reported lost, and a hold after it refused", async () => {
    const lost: Error[] = [];
    const leases = await openJobLeases(store.pgPool!, (error) => lost.push(error));
    await leases.hold('job_1');
    expect(await endConnections(scratch.url)).toBeGreaterThan(0);
    await until(() => lost.length > 0);
    expect(lost[0]!.message).toMatch(/terminat/);
    await expect(leases.hold('job_2')).rejects.toThrow();
    await leases.close();
  });
});
