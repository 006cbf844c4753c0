// The path beyond one database (decision 020), tested by simulation: scripts/citus/distribute.sql
// runs on the demo record on a plain PostgreSQL, with scripts/citus/simulate.sql standing in for
// Citus and checking what Citus checks. Every table is placed, no key or reference is one Citus
// refuses, every row keeps its place and its country, and the application reads the distributed
// schema as it read the one it had.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { contextOver } from '../../src/services/context.js';
import { openStore, type Store } from '../../src/store/database.js';
import { tokenFor } from '../support/accounts.js';
import {
  localPostgresSkipReason,
  scratchDemoDatabase,
  type ScratchDatabase,
} from '../support/local-postgres.js';

const SIMULATE = readFileSync(new URL('../../scripts/citus/simulate.sql', import.meta.url), 'utf8');
const DISTRIBUTE = readFileSync(
  new URL('../../scripts/citus/distribute.sql', import.meta.url),
  'utf8',
);
/** Reads whose answers must not change when the schema is distributed. */
const READS = [
  '/api/v1/eligibility?country=PAK&program=IMET&on=2018-09-01',
  '/api/v1/countries/PAK/timeline',
  '/api/v1/seats?country=PAK',
  '/api/v1/allocations?country=PAK&program=IMET',
  '/api/v1/programs/PAK/2018/check',
  '/api/v1/reports/fmt?year=2018',
  '/api/v1/students?name=Khan',
  '/api/v1/seats/summary?fy=2018',
  '/api/v1/end-of-year/2018',
  '/api/v1/countries/PAK/training-years',
  '/api/v1/reports/timeline/PAK',
];

const skipReason = await localPostgresSkipReason();
if (skipReason !== undefined) console.warn(`Citus simulation skipped: ${skipReason}`);

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const rowCounts = (url: string) =>
  withClient(url, async (client) => {
    const tables = await client.query<{ name: string }>(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' order by 1`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows)
      counts[name] = Number(
        (await client.query<{ n: string }>(`select count(*) as n from "${name}"`)).rows[0]!.n,
      );
    return counts;
  });

/** What the application answers on `url` to READS, by a program manager. */
async function answers(url: string): Promise<string[]> {
  const store: Store = await openStore({ kind: 'postgres', url });
  const ctx = contextOver(store, { clock: () => '2026-12-01T12:00:00.000Z' });
  let app: FastifyInstance | undefined;
  try {
    app = await buildApp(ctx, { logger: { level: 'error' } });
    const headers = await tokenFor(ctx, `citus-${Math.random()}`, { role: 'program-manager' });
    const bodies: string[] = [];
    for (const path of READS) {
      const res = await app.inject({ url: path, headers });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
      // The answer, less what a read stamps on it each time (`asOf` moves with every token written).
      bodies.push(res.body.replace(/"asOf":"[^"]*"/g, '"asOf":…'));
    }
    return bodies;
  } finally {
    await app?.close();
    await store.close();
  }
}

describe.skipIf(skipReason !== undefined)(
  'the record distributed by country (simulated Citus)',
  () => {
    let scratch: ScratchDatabase;
    let before: Record<string, number>;
    let answersBefore: string[];

    beforeAll(async () => {
      scratch = await scratchDemoDatabase('attache_citus');
      answersBefore = await answers(scratch.url);
      before = await rowCounts(scratch.url);
      await withClient(scratch.url, async (client) => {
        await client.query(SIMULATE);
        await client.query('begin');
        await client.query(DISTRIBUTE);
        await client.query('commit');
      });
    }, 120_000);
    afterAll(async () => scratch?.drop());

    it('places every table, with no key or reference Citus would refuse', async () => {
      const violations = await withClient(scratch.url, (client) =>
        client.query<{ v: string }>('select citus_sim.violations() as v'),
      );
      expect(violations.rows.map((r) => r.v)).toEqual([]);
      const placed = await withClient(scratch.url, (client) =>
        client.query<{ kind: string; n: string }>(
          'select kind, count(*) as n from citus_sim.placement group by kind order by kind',
        ),
      );
      expect(Object.fromEntries(placed.rows.map((r) => [r.kind, Number(r.n)]))).toEqual({
        distributed: 20,
        local: 12,
        reference: 14,
      });
    });

    it('names the triggers that must change on Citus: the change log and the append-only guard', async () => {
      const triggers = await withClient(scratch.url, (client) =>
        client.query<{ t: string }>('select citus_sim.triggers() as t'),
      );
      expect(triggers.rows.map((r) => r.t.split(':')[0])).toEqual([
        ...Array<string>(4).fill('congressional_notifications'),
        'human_rights_findings',
        'human_rights_findings',
        ...Array<string>(4).fill('relief_versions'),
        ...Array<string>(4).fill('restriction_versions'),
      ]);
    });

    it('keeps every row, each of its country: a seat, its line and its student of one country', async () => {
      const after = await rowCounts(scratch.url);
      expect(after).toEqual(before);
      const stray = await withClient(scratch.url, (client) =>
        client.query<{ n: string }>(
          `select count(*) as n from seats s join training_lines l on l.id = s.line_id
         left join students st on st.id = s.student_id
         where s.country_iso3 <> l.country_iso3 or st.country_iso3 <> s.country_iso3`,
        ),
      );
      expect(Number(stray.rows[0]!.n)).toBe(0);
      expect(before['seats']).toBeGreaterThan(0);
      expect(before['nominations']).toBeGreaterThan(0);
    });

    it('is read by the application as the schema it had: the same answers', async () => {
      expect(await answers(scratch.url)).toEqual(answersBefore);
    });

    it('would be refused by the simulation where Citus refuses: a key without the country, a reference to a distributed table', async () => {
      const refused = await withClient(scratch.url, async (client) => {
        await client.query('begin');
        try {
          await client.query(`create table probe_by_id (id text primary key, country_iso3 text not null);
          select create_distributed_table('probe_by_id', 'country_iso3');
          create table probe_reference (seat text primary key, country_iso3 text not null,
            foreign key (country_iso3, seat) references seats (country_iso3, id));
          select create_reference_table('probe_reference')`);
          return (await client.query<{ v: string }>('select citus_sim.violations() as v')).rows.map(
            (r) => r.v,
          );
        } finally {
          await client.query('rollback');
        }
      });
      expect(refused).toEqual(
        expect.arrayContaining([
          expect.stringContaining('probe_by_id: unique index probe_by_id_pkey lacks country_iso3'),
          expect.stringContaining('a reference table may not refer to a distributed one'),
        ]),
      );
      await expect(
        withClient(scratch.url, async (client) => {
          await client.query('begin');
          try {
            await client.query(`create table probe_nullable (id text, country_iso3 text);
            select create_distributed_table('probe_nullable', 'country_iso3')`);
          } finally {
            await client.query('rollback');
          }
        }),
      ).rejects.toThrow(/may be null/);
    });
  },
);
