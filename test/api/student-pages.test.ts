// What the students pages read, over HTTP on the demo data: a search by any spelling answers each
// student with the names that matched and the seats the caller sees; a profile lists the student's
// seats (scoped: an IMSO sees only their schools'), with the travel order and the school's reports.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { signedIn } from '../support/accounts.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let app: FastifyInstance;
const callers: Record<string, Record<string, string>> = {};

interface Hit {
  id: string;
  familyName: string;
  country: string;
  matchedNames: string[];
  seats: { id: string; courseTitle: string; schoolId: string; status: string }[];
}
interface Profile {
  student: { id: string; familyName: string };
  seats: {
    id: string;
    schoolId: string;
    schoolName: string;
    status: string;
    classEnd: string;
    travelOrder: { number: string; revision: number } | null;
    events: { event: string; on: string }[];
  }[];
}

async function get<T>(who: string, url: string): Promise<{ status: number; body: T }> {
  const res = await app.inject({ method: 'GET', url, headers: callers[who] ?? {} });
  return { status: res.statusCode, body: res.json<T>() };
}

async function search(who: string, query: string): Promise<Hit[]> {
  const res = await get<{ items: Hit[]; total: number }>(who, `/api/v1/students?${query}`);
  expect(res.status).toBe(200);
  return res.body.items;
}

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: fixedClock('2026-11-27T12:00:00.000Z') });
  app = await buildApp(db.ctx);
  callers.pm = (await signedIn(db.ctx, 'pm', { role: 'program-manager' })).headers;
  callers.sco = (await signedIn(db.ctx, 'sco-pak', { role: 'sco', countries: ['PAK'] })).headers;
  callers.imso = (await signedIn(db.ctx, 'imso-cgsc', { role: 'imso', schools: ['CGSC'] })).headers;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('GET /students: the hits of a search', () => {
  it('names the spellings that matched and the seats of each student', async () => {
    const hits = await search('sco', 'name=Mohammed%20Khan');
    const khan = hits.find((h) => h.familyName === 'KHAN')!;
    expect(khan.matchedNames).toEqual(['Mohammad Ali KHAN', 'Muhammad Ali Khan']);
    expect(khan.seats).toHaveLength(1);
    expect(khan.seats[0]).toMatchObject({ schoolId: 'CGSC', status: 'nominated' });
    expect(hits.every((h) => h.country === 'PAK')).toBe(true);
  });

  it('matches no names on a search by unit', async () => {
    const hits = await search('sco', 'unit=punjab');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.matchedNames.length === 0)).toBe(true);
  });

  it("keeps an SCO to their countries and an IMSO to their schools' students and seats", async () => {
    expect(await search('sco', 'name=Omar%20Majali')).toEqual([]);
    expect((await search('pm', 'name=Omar%20Majali')).map((h) => h.country)).toEqual(['JOR']);
    const imso = await search('imso', 'unit=battalion');
    expect(imso.length).toBeGreaterThan(0);
    for (const hit of imso) for (const seat of hit.seats) expect(seat.schoolId).toBe('CGSC');
  });
});

describe('GET /students/{id}: the seats of a profile', () => {
  it('lists the seat with its school, status, travel order and school reports', async () => {
    const [khan] = await search('sco', 'name=Muhammad%20Ali%20Khan');
    const profile = await get<Profile>('sco', `/api/v1/students/${khan!.id}`);
    expect(profile.status).toBe(200);
    expect(profile.body.seats).toHaveLength(1);
    expect(profile.body.seats[0]).toMatchObject({
      id: khan!.seats[0]!.id,
      schoolId: 'CGSC',
      status: 'nominated',
      travelOrder: null,
      events: [],
    });
    const [alumnus] = await search('pm', 'name=Tariq%20Mahmood%20Hussain');
    const trained = await get<Profile>('pm', `/api/v1/students/${alumnus!.id}`);
    const seat = trained.body.seats[0]!;
    expect(seat.status).toBe('completed');
    expect(seat.events.map((e) => e.event)).toEqual(['in-training', 'completed']);
  });

  it("shows an IMSO only their schools' seats, and refuses others' students as not found", async () => {
    const [khan] = await search('imso', 'name=Khan');
    const profile = await get<Profile>('imso', `/api/v1/students/${khan!.id}`);
    expect(profile.body.seats.map((s) => s.schoolId)).toEqual(['CGSC']);
    const [majali] = await search('pm', 'name=Omar%20Majali');
    const hidden = await get<{ code: string }>('sco', `/api/v1/students/${majali!.id}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('STUDENT.NOT_FOUND');
  });
});
