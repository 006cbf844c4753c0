// GET /metrics for Prometheus: who may read it, what it counts (requests by route and status, the
// eligibility index, jobs, the pool on PostgreSQL), and request ids in every answer.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { tokenFor } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let app: FastifyInstance;
const callers = {} as Record<'analyst' | 'sco', Record<string, string>>;

beforeAll(async () => {
  db = await openTestDatabase('demo');
  callers.analyst = await tokenFor(db.ctx, 'scraper', { role: 'analyst' });
  callers.sco = await tokenFor(db.ctx, 'sco', { role: 'sco', countries: ['PAK'] });
  app = await buildApp(db.ctx);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

async function scrape(): Promise<string> {
  const res = await app.inject({ url: '/metrics', headers: callers.analyst });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
}

/** The value of one sample, e.g. sample(text, 'attache_jobs', { status: 'queued' }). */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const [head, value] = [
      line.slice(0, line.lastIndexOf(' ')),
      line.slice(line.lastIndexOf(' ') + 1),
    ];
    if (Object.entries(labels).every(([k, v]) => head.includes(`${k}="${v}"`)))
      return Number(value);
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('answers only an account that may read the audit log', async () => {
    const anonymous = await app.inject({ url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    const sco = await app.inject({ url: '/metrics', headers: callers.sco });
    expect(sco.statusCode).toBe(403);
    expect(sco.json()).toMatchObject({ code: 'ACCESS.FORBIDDEN' });
    await scrape();
  });

  it('counts requests by method, route pattern and status, and times them', async () => {
    const health = { method: 'GET', route: '/api/v1/health', status_code: '200' };
    const before = sample(await scrape(), 'attache_http_requests_total', health) ?? 0;
    for (let i = 0; i < 3; i++)
      expect((await app.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
    await app.inject({ url: '/api/v1/no/such/route/123' });
    await app.inject({ url: '/api/v1/countries/PAK', headers: callers.analyst });
    const text = await scrape();
    expect(sample(text, 'attache_http_requests_total', health)).toBe(before + 3);
    // No route: one label value, whatever the path, so a scan cannot grow the series.
    expect(
      sample(text, 'attache_http_requests_total', { route: 'unmatched', status_code: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('/no/such/route');
    expect(sample(text, 'attache_http_requests_total', { route: '/api/v1/countries/:iso3' })).toBe(
      1,
    );
    expect(
      sample(text, 'attache_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/health',
      }),
    ).toBeGreaterThanOrEqual(3);
  });

  it('says how the eligibility index was built and kept current', async () => {
    const res = await app.inject({
      url: '/api/v1/eligibility?country=PAK&program=IMET&on=2019-06-01',
      headers: callers.analyst,
    });
    expect(res.statusCode).toBe(200);
    const text = await scrape();
    expect(sample(text, 'attache_eligibility_index_builds_total')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'attache_eligibility_index_versions')).toBeGreaterThan(100);
    expect(sample(text, 'attache_eligibility_index_rebuilds_total')).toBeGreaterThanOrEqual(0);
    if (db.store.backend === 'postgres') {
      expect(
        sample(text, 'attache_db_pool_connections', { state: 'total' }),
      ).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'attache_eligibility_index_listening')).toBeDefined();
    } else {
      expect(sample(text, 'attache_db_pool_connections', { state: 'total' })).toBeUndefined();
      expect(sample(text, 'attache_eligibility_index_listening')).toBeUndefined();
    }
    // The process: memory and the event loop.
    expect(sample(text, 'attache_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('attache_nodejs_eventloop_lag_seconds');
  });

  it('counts jobs by status, as the jobs table holds them', async () => {
    const worker = await buildApp(db.ctx, { jobs: {} });
    try {
      const submitted = await worker.inject({
        method: 'POST',
        url: '/api/v1/audit/verifications',
        headers: callers.analyst,
        payload: {},
      });
      expect(submitted.statusCode).toBe(202);
      const location = submitted.headers.location!;
      for (let i = 0; i < 200; i++) {
        const job = await worker.inject({ url: location, headers: callers.analyst });
        if (job.json<{ status: string }>().status === 'succeeded') break;
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      await worker.close();
    }
    const rows = await queryRows<{ status: string; n: number }>(
      db.store.db,
      sql`select status, count(*)::int as n from jobs group by status`,
    );
    expect(rows.find((r) => r.status === 'succeeded')?.n).toBeGreaterThanOrEqual(1);
    const text = await scrape();
    for (const row of rows)
      expect(sample(text, 'attache_jobs', { status: row.status })).toBe(row.n);
  });
});

describe('request ids', () => {
  it("echoes the caller's X-Request-Id, and makes one when there is none or it is not plain", async () => {
    const given = await app.inject({
      url: '/api/v1/health',
      headers: { 'x-request-id': 'lb-7f3a:01' },
    });
    expect(given.headers['x-request-id']).toBe('lb-7f3a:01');
    const none = await app.inject({ url: '/api/v1/health' });
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    for (const bad of ['has space', 'x'.repeat(129), 'new\u2028line', 'a"b']) {
      const res = await app.inject({ url: '/api/v1/health', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const problem = await app.inject({ url: '/api/v1/nothing-here' });
    expect(problem.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
