// A country page's reads as each role sees them: the country in detail and its training years,
// both answered as not found outside an SCO's countries (and to an IMSO, who sees no country).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { signedIn } from '../support/accounts.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let app: FastifyInstance;
const headers: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: fixedClock('2026-11-27T12:00:00.000Z') });
  app = await buildApp(db.ctx);
  headers.pm = (await signedIn(db.ctx, 'pm', { role: 'program-manager' })).headers;
  headers.sco = (await signedIn(db.ctx, 'sco-pak', { role: 'sco', countries: ['PAK'] })).headers;
  headers.imso = (await signedIn(db.ctx, 'imso', { role: 'imso', schools: ['CGSC'] })).headers;
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const get = (url: string, who: string) => app.inject({ url, headers: headers[who] ?? {} });

describe('GET /api/v1/countries/{iso3}/training-years', () => {
  it("lists Pakistan's fiscal years with lines, newest first, each with its lines and seats", async () => {
    const res = await get('/api/v1/countries/pak/training-years', 'pm');
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      country: string;
      fiscalYears: { fiscalYear: number; lines: number; seats: number }[];
    }>();
    expect(body.country).toBe('PAK');
    expect(body.fiscalYears.length).toBeGreaterThan(0);
    const years = body.fiscalYears.map((y) => y.fiscalYear);
    expect(years).toEqual([...years].sort((a, b) => b - a));
    expect(years).toContain(2018);
    for (const year of body.fiscalYears) {
      expect(year.lines).toBeGreaterThan(0);
      expect(year.seats).toBeGreaterThanOrEqual(year.lines);
    }
    // The same seats GET /seats lists for the newest year.
    const newest = body.fiscalYears[0]!;
    const seats = await get(`/api/v1/seats?country=PAK&fy=${newest.fiscalYear}`, 'pm');
    expect(seats.json<{ total: number }>().total).toBe(newest.seats);
  });

  it('answers an empty list for a country without lines', async () => {
    const res = await get('/api/v1/countries/CAN/training-years', 'pm');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ country: 'CAN', fiscalYears: [] });
  });

  it("answers Pakistan's SCO, and 404 for another country, an IMSO and an unknown code", async () => {
    expect((await get('/api/v1/countries/PAK/training-years', 'sco')).statusCode).toBe(200);
    for (const [url, who] of [
      ['/api/v1/countries/JOR/training-years', 'sco'],
      ['/api/v1/countries/PAK/training-years', 'imso'],
      ['/api/v1/countries/XYZ/training-years', 'pm'],
      ['/api/v1/countries/PAKI/training-years', 'pm'],
    ] as const) {
      const res = await get(url, who);
      expect(res.statusCode, `${who} ${url}`).toBe(404);
      expect(res.json()).toMatchObject({ code: 'COUNTRY.NOT_FOUND' });
    }
  });

  it('answers 401 to no one signed in', async () => {
    const res = await app.inject({ url: '/api/v1/countries/PAK/training-years' });
    expect(res.statusCode).toBe(401);
  });
});

describe('GET /api/v1/countries/{iso3}: a public record, its training scoped', () => {
  it('shows any country to anyone signed in: restrictions and allocations are public facts', async () => {
    for (const who of ['sco', 'imso', 'pm'] as const)
      expect((await get('/api/v1/countries/JOR', who)).statusCode, who).toBe(200);
    const unknown = await get('/api/v1/countries/XYZ', 'sco');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'COUNTRY.NOT_FOUND', field: 'iso3' });
  });
});
