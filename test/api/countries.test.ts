// The countries API over the demo data, in memory (app.inject), on the suite's backend.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { actAs, signedIn } from '../support/accounts.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: fixedClock('2026-11-27T12:00:00.000Z') });
  app = actAs(
    await buildApp(db.ctx),
    (await signedIn(db.ctx, 'analyst', { role: 'analyst' })).headers,
  );
});
afterAll(async () => {
  await app.close();
  await db.close();
});

interface Summary {
  iso3: string;
  name: string;
  latestImet: { fy: number; cents: number } | null;
  restrictionsInForce: {
    id: string;
    kind: string;
    programs: string[];
    reliefs: { id: string; programs: string[] }[];
  }[];
}

describe('GET /api/v1/countries', () => {
  it('lists every country with its latest IMET allocation and restrictions in force today', async () => {
    const res = await app.inject('/api/v1/countries');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: Summary[]; total: number }>();
    expect(body.total).toBe(body.items.length);
    expect(body.total).toBeGreaterThanOrEqual(249);
    const pak = body.items.find((c) => c.iso3 === 'PAK')!;
    expect(pak.latestImet).toEqual({ fy: 2008, cents: 212_900_000, currency: 'USD' });
    expect(pak.restrictionsInForce.map((r) => r.kind)).toEqual(['policy']);
    expect(pak.restrictionsInForce[0]!.programs).toEqual(['FMF', 'IMET', 'INCLE', 'NADR', 'PKO']);
    expect(pak.restrictionsInForce[0]!.reliefs.map((r) => r.programs)).toEqual([['IMET']]);
    const korea = body.items.find((c) => c.iso3 === 'KOR')!;
    expect(korea.restrictionsInForce.map((r) => r.kind)).toContain('exclusion');
    const canada = body.items.find((c) => c.iso3 === 'CAN')!;
    expect(canada.restrictionsInForce).toEqual([]);
  });
});

describe('GET /api/v1/countries/{iso3}', () => {
  it('shows Pakistan: FY2008 IMET of $2,129,000 in force, FY2017 $4,800,000 as a request, and the security-assistance suspension in force today', async () => {
    const res = await app.inject('/api/v1/countries/pak');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ iso3: 'PAK', name: 'Pakistan', asOf: '2026-11-27' });
    // Only the enacted FY2008 table is an allocation in force (decision 015); FY2017 is the request.
    expect(body.imetAllocations).toEqual([{ fy: 2008, cents: 212_900_000, currency: 'USD' }]);
    expect(body.imetBudgetFigures).toHaveLength(10);
    expect(body.imetBudgetFigures).toContainEqual({
      fy: 2017,
      cents: 480_000_000,
      currency: 'USD',
      stage: 'request',
    });
    expect(body.imetBudgetFigures).toContainEqual({
      fy: 2008,
      cents: 212_900_000,
      currency: 'USD',
      stage: 'enacted',
    });
    expect(body.restrictionsInForce).toHaveLength(1);
    expect(body.restrictionsInForce[0]).toMatchObject({
      id: 'rst_pak-policy-2018',
      kind: 'policy',
      scope: ['security-assistance'],
      from: '2018-01-04',
      until: null,
    });
    expect(body.flagSources.grantImetExcluded).toMatch(/2347e/);
  });

  it.each(['XYZ', 'PAKI', '12'])(
    'answers 404 problem JSON naming the unknown code %s',
    async (code) => {
      const res = await app.inject(`/api/v1/countries/${code}`);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const problem = res.json();
      expect(problem).toMatchObject({
        status: 404,
        title: 'Not found',
        code: 'COUNTRY.NOT_FOUND',
        field: 'iso3',
      });
      expect(problem.detail).toContain(code.toUpperCase());
    },
  );
});

describe('service endpoints', () => {
  it('reports health: database reachable, migrations current, version', async () => {
    const res = await app.inject('/api/v1/health');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'ok',
      database: { reachable: true },
      migrations: { current: true },
    });
    expect(body.migrations.applied).toBe(body.migrations.expected);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    // Anyone may ask: where the data lives (a path, a database host) is not said to them.
    expect(Object.keys(body.database as object).sort()).toEqual(['backend', 'reachable']);
  });

  it('publishes OpenAPI documenting the routes', async () => {
    const res = await app.inject('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const spec = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/health', '/api/v1/countries', '/api/v1/countries/{iso3}']),
    );
  });

  it('serves interactive docs at /docs', async () => {
    const res = await app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/swagger/i);
  });

  it('answers an unknown API route with problem JSON', async () => {
    const res = await app.inject('/api/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'ROUTE.NOT_FOUND' });
  });
});
