// The seats board over the demo data (PGlite, and PostgreSQL with DATABASE_URL): its filters
// (country, FY, status, course, restriction), counts and money, scope (SCO, IMSO), a seat's next
// statuses and history, and the cancellation's dry run (it writes nothing, and its penalty is the
// real cancellation's).
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { actAs, signedIn } from '../support/accounts.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let app: FastifyInstance;
const as: Record<'pm' | 'sco' | 'imso' | 'analyst', Record<string, string>> = {
  pm: {},
  sco: {},
  imso: {},
  analyst: {},
};

interface Seat {
  id: string;
  country: string;
  fiscalYear: number;
  courseId: string;
  schoolId: string;
  status: string;
  restrictionId: string | null;
  flagged: boolean;
  tuitionCents: number;
  allowanceCents: number;
  penaltyCents: number;
  penaltyRule: string | null;
  version: number;
  releasedCents?: number;
  nextStatuses?: string[];
  cancellationReasons?: { code: string; label: string }[];
  history?: {
    seq: number;
    actor: string;
    action: string;
    version: number | null;
    changes: { field: string; from: string | null; to: string | null }[];
  }[];
}
interface Board {
  items: Seat[];
  total: number;
  limit: number;
  offset: number;
  byStatus: { status: string; seats: number }[];
  flagged: number;
  totals: {
    tuitionCents: number;
    allowanceCents: number;
    penaltiesCents: number;
    releasedCents: number;
    committedCents: number;
  };
  courses: { id: string; title: string; seats: number }[];
  restrictions: { id: string; seats: number }[];
}
interface Problem {
  code: string;
  field?: string;
}

async function get<T>(url: string, who: keyof typeof as = 'pm') {
  const res = await app.inject({ url, headers: as[who] });
  return { status: res.statusCode, body: res.json<T & Problem>(), etag: res.headers.etag };
}

async function post<T>(
  url: string,
  payload: object,
  headers: Record<string, string> = {},
  who: keyof typeof as = 'pm',
) {
  const res = await app.inject({
    method: 'POST',
    url,
    payload,
    headers: { ...as[who], ...headers },
  });
  return { status: res.statusCode, body: res.json<T & Problem>() };
}

const board = (query: string, who: keyof typeof as = 'pm') =>
  get<Board>(`/api/v1/seats?${query}`, who);

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: fixedClock('2026-11-27T12:00:00.000Z') });
  as.pm = (await signedIn(db.ctx, 'pm', { role: 'program-manager' })).headers;
  as.sco = (await signedIn(db.ctx, 'sco', { role: 'sco', countries: ['PAK'] })).headers;
  as.analyst = (await signedIn(db.ctx, 'analyst', { role: 'analyst' })).headers;
  const [cgsc] = await queryRows<{ school: string }>(
    db.store.db,
    sql`select c.school_id as school from training_lines l join courses c on c.id = l.course_id
        where l.country_iso3 = 'PAK' and l.fiscal_year = 2020 limit 1`,
  );
  as.imso = (await signedIn(db.ctx, 'imso', { role: 'imso', schools: [cgsc!.school] })).headers;
  app = actAs(await buildApp(db.ctx), as.pm);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

describe('the board', () => {
  it('lists Pakistan FY2018 cancelled: the 66 seats the 2018 suspension cancelled, counted and summed', async () => {
    const { status, body } = await board('country=PAK&fy=2018&status=cancelled');
    expect(status).toBe(200);
    expect(body.total).toBe(66);
    expect(body.items).toHaveLength(66);
    expect(new Set(body.items.map((s) => s.status))).toEqual(new Set(['cancelled']));
    expect(body.byStatus).toEqual([{ status: 'cancelled', seats: 66 }]);
    const tuition = body.items.reduce((sum, s) => sum + s.tuitionCents, 0);
    const allowance = body.items.reduce((sum, s) => sum + s.allowanceCents, 0);
    const penalties = body.items.reduce((sum, s) => sum + s.penaltyCents, 0);
    expect(body.totals).toEqual({
      tuitionCents: tuition,
      allowanceCents: allowance,
      penaltiesCents: penalties,
      releasedCents: tuition + allowance - penalties,
      committedCents: penalties,
    });
    expect(tuition).toBeGreaterThan(0);
    // What the course and restriction filters may narrow to.
    expect(body.restrictions).toEqual([{ id: 'rst_pak-policy-2018', seats: 66 }]);
    expect(body.courses.reduce((sum, c) => sum + c.seats, 0)).toBe(66);
    expect(body.courses.map((c) => c.id)).toEqual(
      [...new Set(body.items.map((s) => s.courseId))].sort(),
    );
  });

  it('counts every status of a country and year, and sums what is committed', async () => {
    const { body } = await board('country=pak&fy=2018');
    expect(body.total).toBe(71);
    expect(body.byStatus).toEqual([
      { status: 'completed', seats: 5 },
      { status: 'cancelled', seats: 66 },
    ]);
    const live = body.items.filter((s) => s.status !== 'cancelled');
    expect(body.totals.committedCents).toBe(
      live.reduce((sum, s) => sum + s.tuitionCents + s.allowanceCents, 0) +
        body.totals.penaltiesCents,
    );
    expect(body.flagged).toBe(body.items.filter((s) => s.flagged).length);
  });

  it('filters by restriction: the seats it reached, with or without a country', async () => {
    const reached = await board('restriction=rst_pak-policy-2018');
    expect(reached.status).toBe(200);
    expect(reached.body.total).toBe(67);
    expect(reached.body.items.every((s) => s.restrictionId === 'rst_pak-policy-2018')).toBe(true);
    expect(reached.body.byStatus).toContainEqual({ status: 'cancelled', seats: 66 });
    expect(reached.body.flagged).toBe(1);
    const withCountry = await board(
      'country=PAK&fy=2018&status=cancelled&restriction=rst_pak-policy-2018',
    );
    expect(withCountry.body.total).toBe(66);
    // Another country's seats were not reached by Pakistan's restriction.
    expect((await board('country=JOR&restriction=rst_pak-policy-2018')).body.total).toBe(0);
    // The impact service counts the same seats.
    const impact = await get<{ seats: number }>('/api/v1/restrictions/rst_pak-policy-2018/impact');
    expect(impact.body.seats).toBe(reached.body.total);
  });

  it('filters by course', async () => {
    const all = await board('country=PAK&fy=2018');
    const course = all.body.items[0]!.courseId;
    const { status, body } = await board(`country=PAK&fy=2018&course=${course.toLowerCase()}`);
    expect(status).toBe(200);
    expect(body.total).toBe(all.body.items.filter((s) => s.courseId === course).length);
    expect(body.total).toBeGreaterThan(0);
    expect(body.total).toBeLessThan(all.body.total);
    expect(body.items.every((s) => s.courseId === course)).toBe(true);
  });

  it('lists a country across its fiscal years when no year is given, and pages it', async () => {
    const all = await board('country=PAK');
    expect(all.body.total).toBe(76);
    expect(new Set(all.body.items.map((s) => s.fiscalYear))).toEqual(new Set([2018, 2020]));
    const page = await board('country=PAK&limit=10&offset=70');
    expect(page.body).toMatchObject({ total: 76, limit: 10, offset: 70 });
    expect(page.body.items.map((s) => s.id)).toEqual(all.body.items.slice(70).map((s) => s.id));
    // Counts and money are of every seat that matched, not of the page.
    expect(page.body.totals).toEqual(all.body.totals);
    expect(page.body.byStatus).toEqual(all.body.byStatus);
  });

  it('refuses a list without a country or a restriction, and bad filters, naming them', async () => {
    expect((await board('fy=2018')).body).toMatchObject({
      code: 'INPUT.INVALID',
      field: 'country',
    });
    expect((await board('fy=2018')).status).toBe(400);
    expect((await board('country=PAK&status=lost')).body).toMatchObject({ field: 'status' });
    expect((await board('country=PAK&fy=1800')).status).toBe(400);
    expect((await board('country=PAK&limit=5000')).status).toBe(400);
    const country = await board('country=XYZ');
    expect([country.status, country.body.code, country.body.field]).toEqual([
      404,
      'COUNTRY.NOT_FOUND',
      'country',
    ]);
    const course = await board('country=PAK&course=NOPE1');
    expect([course.status, course.body.code, course.body.field]).toEqual([
      404,
      'COURSE.NOT_FOUND',
      'course',
    ]);
    const restriction = await board('restriction=rst_nothing');
    expect([restriction.status, restriction.body.code, restriction.body.field]).toEqual([
      404,
      'RESTRICTION.NOT_FOUND',
      'restriction',
    ]);
  });

  it('is scoped: an SCO sees their countries only, an IMSO their schools only', async () => {
    expect((await board('country=PAK&fy=2018', 'sco')).body.total).toBe(71);
    expect((await board('country=JOR', 'sco')).body).toMatchObject({ total: 0, items: [] });
    expect((await board('country=JOR', 'pm')).body.total).toBeGreaterThan(0);
    const imso = await board('country=PAK', 'imso');
    const pm = await board('country=PAK', 'pm');
    expect(imso.body.total).toBeGreaterThan(0);
    expect(imso.body.total).toBeLessThan(pm.body.total);
    const schools = new Set(imso.body.items.map((s) => s.schoolId));
    expect(schools.size).toBe(1);
    expect(imso.body.total).toBe(pm.body.items.filter((s) => schools.has(s.schoolId)).length);
    // The analyst reads everything.
    expect((await board('country=PAK', 'analyst')).body.total).toBe(pm.body.total);
  });
});

describe('one seat', () => {
  async function seatOf(query: string): Promise<Seat> {
    const { body } = await board(query);
    const seat = body.items[0];
    if (seat === undefined) throw new Error(`no seat for ${query}`);
    return seat;
  }

  it('says which statuses are next, why it may be cancelled, and its history', async () => {
    const seat = await seatOf('country=PAK&fy=2020&status=programmed');
    const { status, body, etag } = await get<Seat>(`/api/v1/seats/${seat.id}`);
    expect(status).toBe(200);
    expect(etag).toBe(`"${body.version}"`);
    expect(body.nextStatuses).toEqual(['nominated', 'cancelled', 'held']);
    expect(body.cancellationReasons?.map((r) => r.code)).toEqual([
      'partner-request',
      'class-deleted',
      'in-country-event',
      'visa-delay',
      'student-unavailable',
    ]);
    expect(body.history?.[0]).toMatchObject({
      action: 'seat.add',
      changes: [{ field: 'status', from: null, to: 'programmed' }],
    });
  });

  it('keeps every write in its history: who, what changed, the version made', async () => {
    const seat = await seatOf('country=PAK&fy=2020&status=programmed');
    const moved = await post<Seat>(
      `/api/v1/seats/${seat.id}/status`,
      { to: 'held' },
      { 'if-match': `"${seat.version}"` },
    );
    expect(moved.status).toBe(200);
    const { body } = await get<Seat>(`/api/v1/seats/${seat.id}`);
    expect(body.nextStatuses).toEqual(['programmed', 'cancelled']);
    const last = body.history!.at(-1)!;
    expect(last).toMatchObject({ action: 'seat.held', actor: 'user:pm@attache.test' });
    expect(last.version).toBe(seat.version + 1);
    expect(last.changes).toContainEqual({ field: 'status', from: 'programmed', to: 'held' });
    expect(last.changes).toContainEqual({
      field: 'previousStatus',
      from: null,
      to: 'programmed',
    });
    // Back where it was, for the tests after.
    expect((await post(`/api/v1/seats/${seat.id}/status`, { to: 'programmed' }, {})).status).toBe(
      200,
    );
  });

  it('shows what a restriction did to a seat in its history, and offers no move for a cancelled one', async () => {
    const seat = await seatOf('country=PAK&fy=2018&status=cancelled');
    const { body } = await get<Seat>(`/api/v1/seats/${seat.id}`);
    expect(body.nextStatuses).toEqual([]);
    expect(body.cancellationReasons).toEqual([]);
    const cancel = body.history!.find((h) => h.action === 'seat.cancel')!;
    expect(cancel.changes).toContainEqual({ field: 'status', from: 'programmed', to: 'cancelled' });
    expect(cancel.changes).toContainEqual({
      field: 'restrictionId',
      from: null,
      to: 'rst_pak-policy-2018',
    });
  });

  it('is not found outside the scope (404), for an SCO or an IMSO', async () => {
    const jordan = await seatOf('country=JOR');
    expect((await get(`/api/v1/seats/${jordan.id}`, 'sco')).status).toBe(404);
    expect((await get(`/api/v1/seats/${jordan.id}`, 'analyst')).status).toBe(200);
    const imsoSeats = (await board('country=PAK', 'imso')).body.items;
    const other = (await board('country=PAK')).body.items.find(
      (s) => !imsoSeats.some((i) => i.schoolId === s.schoolId),
    )!;
    expect((await get(`/api/v1/seats/${other.id}`, 'imso')).body.code).toBe('SEAT.NOT_FOUND');
  });
});

describe('cancelling with a dry run first', () => {
  const cancelUrl = (id: string, dry: boolean) =>
    `/api/v1/seats/${id}/cancel${dry ? '?dryRun=true' : ''}`;

  it('answers the penalty and the money released without writing; the real cancel charges the same', async () => {
    const seat = (await board('country=PAK&fy=2020&status=nominated')).body.items[0]!;
    const before = await get<Seat>(`/api/v1/seats/${seat.id}`);
    const entries = await countAuditEntries(db.store.db);
    const body = { reason: 'partner-request', on: '2020-03-01' };
    const headers = { 'if-match': `"${before.body.version}"` };
    const dry = await post<Seat>(cancelUrl(seat.id, true), body, headers);
    expect(dry.status).toBe(200);
    expect(dry.body.status).toBe('cancelled');
    expect(dry.body.penaltyRule).toMatch(/tuition|no penalty/);
    expect(dry.body.releasedCents).toBe(
      seat.tuitionCents + seat.allowanceCents - dry.body.penaltyCents,
    );
    // Nothing written: the seat, its version and the audit log as they were.
    const after = await get<Seat>(`/api/v1/seats/${seat.id}`);
    expect(after.body).toEqual(before.body);
    expect(await countAuditEntries(db.store.db)).toBe(entries);

    const real = await post<Seat>(cancelUrl(seat.id, false), body, headers);
    expect(real.status).toBe(200);
    expect({ ...real.body, updatedAt: undefined }).toEqual({ ...dry.body, updatedAt: undefined });
    expect(real.body.penaltyCents).toBe(dry.body.penaltyCents);
    expect(real.body.releasedCents).toBe(dry.body.releasedCents);
    expect(await countAuditEntries(db.store.db)).toBe(entries + 1);
  });

  it('charges 50% of tuition for a partner request under 60 days before start, shown first', async () => {
    const seat = (await board('country=PAK&fy=2020&status=nominated')).body.items[0]!;
    const detail = await get<Seat & { classStart: string }>(`/api/v1/seats/${seat.id}`);
    const on = new Date(Date.parse(detail.body.classStart) - 10 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const dry = await post<Seat>(cancelUrl(seat.id, true), { reason: 'partner-request', on });
    expect(dry.body.penaltyCents).toBe(Math.round(seat.tuitionCents / 2));
    expect(dry.body.penaltyRule).toMatch(/50% of tuition/);
  });

  it('refuses a dry run as it would refuse the write: stale version, bad reason, role, scope', async () => {
    const seat = (await board('country=PAK&fy=2020&status=nominated')).body.items[0]!;
    const stale = await post(
      cancelUrl(seat.id, true),
      { reason: 'visa-delay' },
      { 'if-match': `"${seat.version + 5}"` },
    );
    expect([stale.status, stale.body.code]).toEqual([409, 'SEAT.STALE']);
    const reason = await post(cancelUrl(seat.id, true), { reason: 'bored' });
    expect([reason.status, reason.body.field]).toEqual([400, 'reason']);
    const analyst = await post(cancelUrl(seat.id, true), { reason: 'visa-delay' }, {}, 'analyst');
    expect(analyst.status).toBe(403);
    const jordan = (await board('country=JOR')).body.items[0]!;
    const sco = await post(cancelUrl(jordan.id, true), { reason: 'visa-delay' }, {}, 'sco');
    expect(sco.status).toBe(404);
    const done = (await board('country=PAK&fy=2018&status=completed')).body.items[0]!;
    const late = await post(cancelUrl(done.id, true), { reason: 'visa-delay' });
    expect([late.status, late.body.code]).toEqual([422, 'SEAT.TRANSITION']);
  });
});
