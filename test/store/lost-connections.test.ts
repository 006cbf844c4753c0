// PostgreSQL ends a server's connections (a restart, a failover, an administrator): the server
// goes on. An idle connection of the pool is dropped and replaced; the jobs' lease connection is
// reported lost and opened again at once, taking again the locks no other session took meanwhile. Runs on a database of its own on the local server
// (under CI one is always there: not reaching it fails the test).
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { JOB_LEASES_APPLICATION, openJobLeases } from '../../src/store/job.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import {
  endBackends,
  localPostgresSkipReason,
  scratchDatabase,
  type ScratchDatabase,
} from '../support/local-postgres.js';
import { until } from '../support/until.js';

const skipReason = await localPostgresSkipReason();
if (skipReason !== undefined) console.warn(`lost connections skipped: ${skipReason}`);

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
    expect(await endBackends(scratch.url)).toBeGreaterThan(0);
    await until(() => store.pgPool!.idleCount === 0);
    const [row] = await queryRows<{ n: number }>(store.db, sql`select 42::int as n`);
    expect(row?.n).toBe(42);
  });

  /** Whether another session could take job `id`'s lease now (it takes and frees it at once). */
  async function leaseFree(id: string): Promise<boolean> {
    const [row] = await queryRows<{ free: boolean }>(
      store.db,
      sql`select pg_try_advisory_xact_lock(hashtextextended(${`attache.job:${id}`}, 0)) as free`,
    );
    return row?.free === true;
  }

  it("the jobs' lease connection: reported lost, opened again at once, its locks taken again", async () => {
    const lost: (readonly string[])[] = [];
    const renewed: [readonly string[], readonly string[]][] = [];
    const leases = openJobLeases(store.pgPool!, {
      lost: (error, held) => {
        expect(error.message).toMatch(/terminat/);
        lost.push(held);
      },
      renewed: (retaken, taken) => renewed.push([retaken, taken]),
    });
    const job1 = await leases.hold('job_1');
    await leases.release(await leases.hold('job_2'));
    expect(await leaseFree('job_1')).toBe(false);
    expect(await endBackends(scratch.url)).toBeGreaterThan(0);
    await until(() => renewed.length > 0);
    expect(lost).toEqual([['job_1']]);
    expect(renewed).toEqual([[['job_1'], []]]);
    expect(await leaseFree('job_1')).toBe(false);
    // The new connection holds and releases as the first did.
    const job3 = await leases.hold('job_3');
    expect(await leaseFree('job_3')).toBe(false);
    // A second hold of one job (a start cut off, and the one after it): each frees only its own.
    const job3Again = await leases.hold('job_3');
    await leases.release(job3Again);
    await leases.release(job3Again);
    expect(await leaseFree('job_3')).toBe(false);
    await leases.release(job1);
    await leases.release(job3);
    expect(await leaseFree('job_1')).toBe(true);
    expect(await leaseFree('job_3')).toBe(true);
    await leases.close();
    await expect(leases.hold('job_5')).rejects.toThrow('closed');
  });

  it("the jobs' lease connection: a lock another session took meanwhile is reported taken", async () => {
    const renewed: [readonly string[], readonly string[]][] = [];
    const leases = openJobLeases(store.pgPool!, {
      lost: () => undefined,
      renewed: (retaken, taken) => renewed.push([retaken, taken]),
    });
    const job4 = await leases.hold('job_4');
    // Another session waits for job_4's lease: it has it the moment the leases' backend ends.
    const other = new pg.Client({ connectionString: scratch.url });
    await other.connect();
    try {
      const waiting = other.query(
        `select pg_advisory_lock(hashtextextended('attache.job:job_4', 0))`,
      );
      await until(async () => {
        const [row] = await queryRows<{ n: number }>(
          store.db,
          sql`select count(*)::int as n from pg_locks
               where locktype = 'advisory' and not granted
                 and database = (select oid from pg_database where datname = current_database())`,
        );
        return row?.n === 1;
      });
      await endBackends(scratch.url, JOB_LEASES_APPLICATION);
      await waiting;
      await until(() => renewed.length > 0);
      expect(renewed).toEqual([[[], ['job_4']]]);
      await leases.release(job4);
      // Freed by the other session, it is free: the leases did not take it again.
      await other.query(`select pg_advisory_unlock(hashtextextended('attache.job:job_4', 0))`);
      expect(await leaseFree('job_4')).toBe(true);
    } finally {
      await other.end();
      await leases.close();
    }
  });
});
