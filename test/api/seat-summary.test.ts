// GET /seats/summary over the demo data, on the suite's backend: the seats of a fiscal year across
// countries, counted by status, with what restrictions did to them and the money released; the
// counts are those of the seats GET /seats lists, and an SCO's or IMSO's cover only their scope.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { SEAT_STATUSES } from '../../src/core/training.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { actAs, injectAnonymously, signedIn } from '../support/accounts.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';

interface Seat {
  country: string;
  schoolId: string;
  program: string;
  status: string;
  flagged: boolean;
  restrictionId: string | null;
  tuitionCents: number;
  allowanceCents: number;
  penaltyCents: number;
}
interface Summary {
  fiscalYear: number;
  program: string | null;
  countries: number;
  seats: number;
  byStatus: Record<string, number>;
  flagged: number;
  restricted: {
    seats: number;
    cancelled: number;
    held: number;
    flagged: number;
    releasedCents: number;
    heldCents: number;
  };
}

let db: TestDatabase;
let app: FastifyInstance;
const callers = new Map<string, Record<string, string>>();
function headersOf(who: string): Record<string, string> {
  const headers = callers.get(who);
  if (headers === undefined) throw new Error(`no caller ${who}`);
  return headers;
}
/** The fiscal year of the demo with the most seats (the Pakistan story's FY2018 lines). */
let fy: number;

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: fixedClock('2026-11-27T12:00:00.000Z') });
  const pm = await signedIn(db.ctx, 'pm', { role: 'program-manager' });
  callers.set('pm', pm.headers);
  callers.set('analyst', (await signedIn(db.ctx, 'analyst', { role: 'analyst' })).headers);
  callers.set('sco', (await signedIn(db.ctx, 'sco', { role: 'sco', countries: ['PAK'] })).headers);
  callers.set(
    'sco-ind',
    (await signedIn(db.ctx, 'scoind', { role: 'sco', countries: ['IND'] })).headers,
  );
  app = actAs(await buildApp(db.ctx), pm.headers);
  const [busiest] = await queryRows<{ fy: number }>(
    db.store.db,
    sql`select l.fiscal_year as fy from seats s join training_lines l on l.id = s.line_id
        group by 1 order by count(*) desc limit 1`,
  );
  if (busiest === undefined) throw new Error('the demo has no seats');
  fy = busiest.fy;
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

async function summary(who: string, query: string): Promise<Summary> {
  const res = await app.inject({ url: `/api/v1/seats/summary?${query}`, headers: headersOf(who) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Summary>();
}

/** Every seat GET /seats lists to `who` for the fiscal year, over the countries that have seats. */
async function listedSeats(who: string, year: number): Promise<Seat[]> {
  const countries = await queryRows<{ iso3: string }>(
    db.store.db,
    sql`select distinct l.country_iso3 as iso3 from training_lines l where l.fiscal_year = ${year}`,
  );
  const seats: Seat[] = [];
  for (const { iso3 } of countries) {
    const res = await app.inject({
      url: `/api/v1/seats?country=${iso3}&fy=${year}`,
      headers: headersOf(who),
    });
    expect(res.statusCode, res.body).toBe(200);
    seats.push(...res.json<{ items: Seat[] }>().items);
  }
  return seats;
}

/** What the summary should say of these seats, counted here from the seat list. */
function expected(seats: readonly Seat[]) {
  const byStatus = Object.fromEntries(SEAT_STATUSES.map((s) => [s, 0]));
  for (const seat of seats) byStatus[seat.status]! += 1;
  const restricted = seats.filter((s) => s.restrictionId !== null);
  const cost = (s: Seat) => s.tuitionCents + s.allowanceCents;
  const cancelled = restricted.filter((s) => s.status === 'cancelled');
  const held = restricted.filter((s) => s.status === 'held');
  return {
    countries: new Set(seats.map((s) => s.country)).size,
    seats: seats.length,
    byStatus,
    flagged: seats.filter((s) => s.flagged).length,
    restricted: {
      seats: restricted.length,
      cancelled: cancelled.length,
      held: held.length,
      flagged: restricted.filter((s) => s.flagged).length,
      releasedCents: cancelled.reduce((sum, s) => sum + cost(s) - s.penaltyCents, 0),
      heldCents: held.reduce((sum, s) => sum + cost(s), 0),
    },
  };
}

describe('GET /seats/summary', () => {
  it('counts every seat of the fiscal year a program manager sees, as GET /seats lists them', async () => {
    const seats = await listedSeats('pm', fy);
    expect(seats.length).toBeGreaterThan(0);
    const answer = await summary('pm', `fy=${fy}`);
    expect(answer).toEqual({ fiscalYear: fy, program: null, ...expected(seats) });
    // The demo's restriction on Pakistan cancelled seats: their money is released.
    expect(answer.restricted.cancelled).toBeGreaterThan(0);
    expect(answer.restricted.releasedCents).toBeGreaterThan(0);
    // An analyst sees what a program manager sees.
    expect(await summary('analyst', `fy=${fy}`)).toEqual(answer);
  });

  it('counts one program when asked', async () => {
    const seats = await listedSeats('pm', fy);
    const imet = await summary('pm', `fy=${fy}&program=imet`);
    expect(imet).toEqual({
      fiscalYear: fy,
      program: 'IMET',
      ...expected(seats.filter((s) => s.program === 'IMET')),
    });
    const none = await summary('pm', `fy=${fy}&program=FMS`);
    expect(none.seats).toBe(seats.filter((s) => s.program === 'FMS').length);
  });

  it("counts only an SCO's countries: Pakistan's seats for Pakistan's SCO, none of them for India's", async () => {
    const pakistan = (await listedSeats('pm', fy)).filter((s) => s.country === 'PAK');
    expect(pakistan.length).toBeGreaterThan(0);
    const sco = await summary('sco', `fy=${fy}`);
    expect(sco).toEqual({ fiscalYear: fy, program: null, ...expected(pakistan) });
    expect(sco.countries).toBe(1);
    const other = await summary('sco-ind', `fy=${fy}`);
    expect(other).toEqual({
      fiscalYear: fy,
      program: null,
      ...expected((await listedSeats('pm', fy)).filter((s) => s.country === 'IND')),
    });
  });

  it("counts only an IMSO's schools", async () => {
    const seats = await listedSeats('pm', fy);
    const school = seats[0]!.schoolId;
    const imso = (await signedIn(db.ctx, 'imso', { role: 'imso', schools: [school] })).headers;
    callers.set('imso', imso);
    const answer = await summary('imso', `fy=${fy}`);
    expect(answer).toEqual({
      fiscalYear: fy,
      program: null,
      ...expected(seats.filter((s) => s.schoolId === school)),
    });
    expect(answer.seats).toBeLessThanOrEqual(seats.length);
  });

  it('answers zeros for a fiscal year without seats', async () => {
    const answer = await summary('pm', 'fy=1990');
    expect(answer.seats).toBe(0);
    expect(answer.countries).toBe(0);
    expect(Object.values(answer.byStatus).every((n) => n === 0)).toBe(true);
    expect(answer.restricted.releasedCents).toBe(0);
  });

  it('refuses a bad fiscal year or program, naming the field', async () => {
    for (const [query, field] of [
      ['fy=20x8', 'fy'],
      ['fy=1800', 'fy'],
      ['', 'fy'],
      [`fy=2018&program=NOPE`, 'program'],
    ] as const) {
      const res = await app.inject({ url: `/api/v1/seats/summary?${query}` });
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.json()).toMatchObject({ code: 'INPUT.INVALID', field });
    }
  });

  it('answers 401 to no one', async () => {
    const res = await injectAnonymously(app, `/api/v1/seats/summary?fy=${fy}`);
    expect(res.statusCode).toBe(401);
  });
});
