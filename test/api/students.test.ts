// Students, screening, travel orders, school events and 2347g records over HTTP, in memory, on an
// empty database: a school, a course and PAK training lines set up through the API (DESIGN §4.3).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { participantRoutes } from '../../src/api/participant.routes.js';
import { buildApp } from '../../src/api/server.js';
import { actAs, injectAnonymously, signedIn } from '../support/accounts.js';
import { travelOrderRoutes } from '../../src/api/travel-order.routes.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let app: FastifyInstance;
/** The day the services take as today; a describe moves it when its story needs time to pass. */
let now = '2020-07-01T12:00:00.000Z';

/** The session the story is told by (an admin: it also builds the catalog and the lines). */
let actor: Record<string, string>;
const COURSE = 'B171099';
/** 4 weeks from 2020-08-03: students report 2020-07-27, the course ends (exclusive) 2020-08-31. */
const CLASS_START = '2020-08-03';
/** $28,000: $1,000 a day of the 28-day course. */
const TUITION_CENTS = 2_800_000;

beforeAll(async () => {
  db = await openTestDatabase('empty', { clock: () => now });
  actor = (await signedIn(db.ctx, 'sco')).headers;
  app = actAs(await buildApp(db.ctx), actor);
  // Registered here until server.ts registers them (the app is not ready yet, so it still may).
  if (!app.hasRoute({ method: 'GET', url: '/api/v1/seats/:id/gates' }))
    await app.register(travelOrderRoutes(db.ctx), { prefix: '/api/v1' });
  if (!app.hasRoute({ method: 'GET', url: '/api/v1/students/:id/record' }))
    await app.register(participantRoutes(db.ctx), { prefix: '/api/v1' });
  await expectCreated('/api/v1/schools', {
    id: 'CGSC',
    name: 'US Army Command and General Staff College',
    location: 'Fort Leavenworth, KS',
    department: 'Army',
  });
  await expectCreated('/api/v1/courses', {
    id: COURSE,
    title: 'International Officer Preparatory Course',
    school: 'CGSC',
    category: 'PME',
    lengthWeeks: 4,
    eclMin: 80,
    tuition: [{ fiscalYear: 2020, cents: TUITION_CENTS }],
  });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

interface Problem {
  status: number;
  code: string;
  field?: string;
  details?: { red: { gate: string; code: string; status: string }[] };
}
interface Seat {
  id: string;
  status: string;
  version: number;
  flagged: boolean;
  flagReason: string | null;
  studentId: string | null;
  penaltyCents: number;
}
interface Gate {
  gate: string;
  status: string;
  code: string;
  reason: string;
}
interface Order {
  number: string;
  revision: number;
  seatId: string;
  amendmentReason: string | null;
  issuedOn: string;
  lateReason: string | null;
  englishNote: string;
  student: { id: string; familyName: string; visaValidUntil: string | null };
  allowance: { from: string; until: string; days: number; totalCents: number };
  gates: { gate: string; status: string }[];
}
interface Instruction {
  courseId: string;
  type: string;
  startedOn: string | null;
  endedOn: string | null;
  completed: boolean | null;
}
interface ParticipantRecord {
  studentId: string;
  name: string;
  instruction: Instruction[];
  positions: { title: string; prominence: string | null }[];
  findings: { id: string; summary: string }[];
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function call<T = Problem>(
  method: Method,
  url: string,
  payload?: object,
  headers: Record<string, string> = actor,
) {
  const res = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const json = String(res.headers['content-type'] ?? '').includes('json');
  return { status: res.statusCode, body: (json ? res.json<T>() : {}) as T, res };
}

const get = <T = Problem>(url: string, headers: Record<string, string> = {}) =>
  call<T>('GET', url, undefined, headers);
const post = <T = Problem>(
  url: string,
  payload: object = {},
  headers: Record<string, string> = actor,
) => call<T>('POST', url, payload, headers);

async function expectCreated<T>(
  url: string,
  payload: object,
  headers: Record<string, string> = actor,
): Promise<T> {
  const res = await post<T>(url, payload, headers);
  if (res.status !== 201) throw new Error(`${url}: ${res.status} ${res.res.body}`);
  return res.body;
}

/** A new one-seat PAK (or other country's) IMET line for the course: its seat, programmed. */
async function programmedSeat(country = 'PAK'): Promise<Seat> {
  const line = await expectCreated<{ seats: Seat[] }>('/api/v1/lines', {
    country,
    fiscalYear: 2020,
    course: COURSE,
    seats: 1,
    classStart: CLASS_START,
    priority: 'A',
  });
  return line.seats[0]!;
}

interface Student {
  id: string;
  familyName: string;
  givenNames: string;
  unit: string | null;
}
const student = (familyName: string, givenNames: string, extra: object = {}) =>
  expectCreated<Student>('/api/v1/students', {
    country: 'PAK',
    familyName,
    givenNames,
    rank: 'Major',
    usGrade: 'O-4',
    unit: '11th Infantry Brigade',
    passportNumber: 'AB1234567',
    passportExpiresOn: '2026-03-01',
    ...extra,
  });

const GREEN = [
  { kind: 'leahy-person', outcome: 'approved' },
  { kind: 'medical', outcome: 'passed' },
  { kind: 'dental', outcome: 'passed' },
  { kind: 'insurance', outcome: 'covered' },
  { kind: 'security', outcome: 'cleared' },
  { kind: 'passport', outcome: 'valid' },
  { kind: 'visa', outcome: 'issued', validUntil: '2021-06-30' },
  { kind: 'ecl', score: 85 },
] as const;

/** Every screening of a student green, except the kinds left out. */
async function screenGreen(studentId: string, except: readonly string[] = []): Promise<void> {
  for (const screening of GREEN.filter((s) => !except.includes(s.kind)))
    await expectCreated(`/api/v1/students/${studentId}/screenings`, {
      on: '2020-06-01',
      ...screening,
    });
}

const approveUnit = (unit: string, country = 'PAK') =>
  expectCreated('/api/v1/unit-vettings', { country, unit, outcome: 'approved', on: '2020-06-01' });

const nomination = (studentId: string, extra: object = {}) => ({
  student: studentId,
  attacheConsultedOn: '2020-06-15',
  attacheName: 'COL J. Smith, USDAO Islamabad',
  ...extra,
});

/** A student nominated to a new seat with every gate green, and the travel order issued. */
async function issuedSeat(studentId: string): Promise<{ seat: Seat; order: Order }> {
  const seat = await programmedSeat();
  await screenGreen(studentId);
  await expectCreated(`/api/v1/seats/${seat.id}/nomination`, nomination(studentId));
  const order = await expectCreated<Order>(`/api/v1/seats/${seat.id}/travel-order`, {});
  return { seat, order };
}

describe('students', () => {
  beforeAll(() => {
    now = '2020-07-01T12:00:00.000Z';
  });

  it('records a student: 201, Location, and the profile it points to', async () => {
    const res = await post<Student>('/api/v1/students', {
      country: 'pak',
      familyName: 'RAZA',
      givenNames: 'Ahmed',
      nameVariants: ['Ahmad Raza'],
      birthDate: '1984-05-02',
      usGrade: 'o-3',
      unit: '12th Corps Signals',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ country: 'PAK', familyName: 'RAZA', usGrade: 'O-3' });
    expect(res.res.headers.location).toBe(`/api/v1/students/${res.body.id}`);
    const profile = await get<{ student: Student; screenings: unknown[]; careers: unknown[] }>(
      res.res.headers.location!,
    );
    expect(profile.status).toBe(200);
    expect(profile.body.student).toMatchObject({ id: res.body.id, nameVariants: ['Ahmad Raza'] });
    expect(profile.body).toMatchObject({ screenings: [], careers: [], findings: [] });
  });

  it('finds students by name in another spelling and order, or by part of their unit', async () => {
    const iqbal = await student('IQBAL', 'Javed', { unit: '5th Field Regiment Artillery' });
    const byName = await get<{ items: Student[]; total: number }>(
      '/api/v1/students?name=Javid%20Iqbal&country=PAK',
    );
    expect(byName.status).toBe(200);
    expect(byName.body.items.map((s) => s.id)).toEqual([iqbal.id]);
    const byUnit = await get<{ items: Student[] }>(
      '/api/v1/students?unit=field%20regiment&country=',
    );
    expect(byUnit.body.items.map((s) => s.id)).toEqual([iqbal.id]);
  });

  it('answers a search a page at a time: 100 unless limit says otherwise, the total of all, the rest by offset', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 103; i++)
      ids.add((await student('MANYPAGES', `Officer ${i}`, { unit: 'Paging Battalion' })).id);
    for (const by of ['name=Manypages', 'unit=paging%20battalion']) {
      const first = await get<{ items: Student[]; total: number }>(`/api/v1/students?${by}`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ total: 103 });
      expect(first.body.items).toHaveLength(100);
      const rest = await get<{ items: Student[]; total: number }>(
        `/api/v1/students?${by}&offset=100&limit=50`,
      );
      expect(rest.body).toMatchObject({ total: 103 });
      expect(new Set([...first.body.items, ...rest.body.items].map((s) => s.id))).toEqual(ids);
    }
  });

  it.each([
    ['neither a name nor a unit', '/api/v1/students', 400, 'name'],
    ['both a name and a unit', '/api/v1/students?name=Iqbal&unit=Artillery', 400, 'name'],
    ['an unknown country', '/api/v1/students?name=Iqbal&country=XYZ', 404, 'country'],
    ['an unknown student', '/api/v1/students/stu_nobody', 404, 'id'],
  ])('answers %s with a problem naming the field', async (_, url, status, field) => {
    const res = await get(url);
    expect(res.status).toBe(status);
    expect(res.res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, field });
  });

  it.each([
    [{ familyName: '' }, 'familyName'],
    [{ usGrade: 'Major' }, 'usGrade'],
    [{ birthDate: '1984-02-30' }, 'birthDate'],
    [{ givenNames: 42 }, 'givenNames'],
  ])('refuses a student with bad %o: 400 naming %s', async (bad, field) => {
    const res = await post('/api/v1/students', {
      country: 'PAK',
      familyName: 'BAD',
      givenNames: 'Input',
      ...bad,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INPUT.INVALID', field });
  });

  it('refuses a write from no one signed in', async () => {
    const res = await injectAnonymously(app, {
      method: 'POST',
      url: '/api/v1/students',
      payload: { country: 'PAK', familyName: 'X', givenNames: 'Y' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json<Problem>().code).toBe('ACCESS.UNAUTHENTICATED');
  });
});

describe('screening and nomination', () => {
  let pupil: Student;
  beforeAll(async () => {
    now = '2020-07-01T12:00:00.000Z';
    pupil = await student('HUSSAIN', 'Zahid', { unit: '3rd Commando Battalion' });
  });

  it('records a screening; the profile lists it', async () => {
    const res = await post(`/api/v1/students/${pupil.id}/screenings`, {
      kind: 'ecl',
      on: '2020-06-20',
      score: 72,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'ecl', outcome: 'scored', score: 72 });
    const profile = await get<{ screenings: { kind: string; score: number }[] }>(
      `/api/v1/students/${pupil.id}`,
    );
    expect(profile.body.screenings).toMatchObject([{ kind: 'ecl', score: 72 }]);
  });

  it.each([
    [{ kind: 'ecl', on: '2020-06-20', score: 101 }, 'score'],
    [{ kind: 'ecl', on: '2020-07-02', score: 80 }, 'on'],
    [{ kind: 'visa', on: '2020-06-20', outcome: 'scored' }, 'outcome'],
    [{ kind: 'opi', on: '2020-06-20', level: 'fluent' }, 'level'],
    [{ kind: 'x-ray', on: '2020-06-20' }, 'kind'],
    [{ kind: 'visa', outcome: 'issued', on: '2020-06-20', validUntil: '2020-06-01' }, 'validUntil'],
  ])('refuses the screening %o: 400 naming %s', async (bad, field) => {
    const res = await post(`/api/v1/students/${pupil.id}/screenings`, bad);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INPUT.INVALID', field });
  });

  it('sets an English exemption: an exempt country’s nominee passes English on arrival', async () => {
    const res = await call('PUT', '/api/v1/countries/ind/english-exemption', {
      scope: 'in-country-testing',
      basis: 'no test centre in the country',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ country: 'IND', scope: 'in-country-testing' });
    const seat = await programmedSeat('IND');
    const indian = await expectCreated<Student>('/api/v1/students', {
      country: 'IND',
      familyName: 'SINGH',
      givenNames: 'Harpreet',
      unit: '4th Rajput',
    });
    await expectCreated(`/api/v1/seats/${seat.id}/nomination`, nomination(indian.id));
    const gates = await get<{ gates: Gate[] }>(`/api/v1/seats/${seat.id}/gates`);
    expect(gates.body.gates.find((g) => g.gate === 'english')).toMatchObject({
      status: 'green',
      reason: expect.stringContaining('entry test on arrival') as string,
    });
    const profile = await get<{ englishExemption: unknown }>(`/api/v1/students/${indian.id}`);
    expect(profile.body.englishExemption).toMatchObject({ scope: 'in-country-testing' });
    const none = await call('PUT', '/api/v1/countries/IND/english-exemption', {
      scope: 'none',
      basis: 'test centre opened',
    });
    expect(none.body).toMatchObject({ scope: null });
    const after = await get<{ gates: Gate[] }>(`/api/v1/seats/${seat.id}/gates`);
    expect(after.body.gates.find((g) => g.gate === 'english')?.code).toBe('GATE.ENGLISH.MISSING');
  });

  it('nominates to a programmed seat (If-Match optional; stale → 409) and the seat is nominated', async () => {
    const seat = await programmedSeat();
    const stale = await post(`/api/v1/seats/${seat.id}/nomination`, nomination(pupil.id), {
      ...actor,
      'if-match': `"${seat.version + 1}"`,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('SEAT.STALE');
    const res = await post<{ nomination: { attacheName: string }; seat: Seat }>(
      `/api/v1/seats/${seat.id}/nomination`,
      nomination(pupil.id, { attacheView: 'supports' }),
      { ...actor, 'if-match': `"${seat.version}"` },
    );
    expect(res.status).toBe(201);
    expect(res.body.seat).toMatchObject({ status: 'nominated', studentId: pupil.id });
    expect(res.res.headers.etag).toBe(`"${res.body.seat.version}"`);
    expect((await get<Seat>(`/api/v1/seats/${seat.id}`)).body.status).toBe('nominated');
    const profile = await get<{ nominations: { seatId: string }[] }>(
      `/api/v1/students/${pupil.id}`,
    );
    expect(profile.body.nominations).toMatchObject([{ seatId: seat.id }]);

    const again = await post(`/api/v1/seats/${seat.id}/nomination`, nomination(pupil.id));
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ code: 'NOMINATION.SEAT_STATUS', field: 'seat' });
  });

  it.each([
    ['an unknown seat', 'seat_nothing', {}, 404, 'seat'],
    [
      'an attaché consulted in the future',
      undefined,
      { attacheConsultedOn: '2020-08-01' },
      400,
      'attacheConsultedOn',
    ],
    ['a bad If-Match', undefined, { ifMatch: 'latest' }, 400, 'If-Match'],
  ])('refuses a nomination to %s', async (_, seatId, extra, status, field) => {
    const { ifMatch, ...rest } = extra as { ifMatch?: string };
    const id = seatId ?? (await programmedSeat()).id;
    const other = await student('ABBASI', 'Kamran');
    const res = await post(
      `/api/v1/seats/${id}/nomination`,
      nomination(other.id, rest),
      ifMatch === undefined ? actor : { ...actor, 'if-match': ifMatch },
    );
    expect(res.status).toBe(status);
    expect(res.body.field).toBe(field);
  });
});

describe('gates and the travel order', () => {
  let seat: Seat;
  let pupil: Student;
  beforeAll(async () => {
    now = '2020-07-01T12:00:00.000Z';
    pupil = await student('QURESHI', 'Imran', { unit: '9th Frontier Force' });
    await approveUnit('9th Frontier Force');
    await screenGreen(pupil.id);
    seat = await programmedSeat();
    await expectCreated(`/api/v1/seats/${seat.id}/nomination`, nomination(pupil.id));
  });

  it('shows every gate green (OPI not applicable) on the checklist', async () => {
    const res = await get<{ clear: boolean; studentId: string; reportOn: string; gates: Gate[] }>(
      `/api/v1/seats/${seat.id}/gates`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clear: true, studentId: pupil.id, reportOn: '2020-07-27' });
    const status = Object.fromEntries(res.body.gates.map((g) => [g.gate, g.status]));
    expect(status).toEqual({
      'leahy-person': 'green',
      'leahy-unit': 'green',
      medical: 'green',
      dental: 'green',
      insurance: 'green',
      security: 'green',
      passport: 'green',
      visa: 'green',
      english: 'green',
      opi: 'not-applicable',
    });
  });

  it('issues the order: 201 with its number, and the seat is ito-issued', async () => {
    const res = await post<Order>(`/api/v1/seats/${seat.id}/travel-order`);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: 'ITO-PAK-2020-0001',
      revision: 0,
      seatId: seat.id,
      amendmentReason: null,
      student: { id: pupil.id, familyName: 'QURESHI', visaValidUntil: '2021-06-30' },
      allowance: { from: '2020-07-27', until: '2020-08-31', days: 35 },
    });
    expect(res.body.allowance.totalCents).toBeGreaterThan(0);
    expect(res.res.headers.location).toBe(`/api/v1/seats/${seat.id}/travel-order?revision=0`);
    expect((await get<Seat>(`/api/v1/seats/${seat.id}`)).body.status).toBe('ito-issued');
    const twice = await post(`/api/v1/seats/${seat.id}/travel-order`);
    expect(twice.status).toBe(422);
    expect(twice.body.code).toBe('ITO.ALREADY_ISSUED');
  });

  it('reads the order as JSON by default, as a PDF on Accept or format=pdf', async () => {
    const json = await get<Order>(`/api/v1/seats/${seat.id}/travel-order`);
    expect(json.status).toBe(200);
    expect(json.res.headers['content-type']).toContain('application/json');
    expect(json.body.number).toBe('ITO-PAK-2020-0001');
    for (const [url, headers] of [
      [`/api/v1/seats/${seat.id}/travel-order`, { accept: 'application/pdf' }],
      [`/api/v1/seats/${seat.id}/travel-order?format=pdf`, {}],
    ] as const) {
      const pdf = await app.inject({ url, headers });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toBe(
        'inline; filename="ITO-PAK-2020-0001-rev0.pdf"',
      );
      expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    const jsonFirst = await app.inject({
      url: `/api/v1/seats/${seat.id}/travel-order`,
      headers: { accept: 'application/json, application/pdf;q=0.5' },
    });
    expect(jsonFirst.headers['content-type']).toContain('application/json');
  });

  it('amends the order as revision 1 and keeps revision 0', async () => {
    const bad = await post(`/api/v1/seats/${seat.id}/travel-order/amendments`, { reason: '  ' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('reason');
    const res = await post<Order>(`/api/v1/seats/${seat.id}/travel-order/amendments`, {
      reason: 'report date confirmed by the school',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: 'ITO-PAK-2020-0001',
      revision: 1,
      amendmentReason: 'report date confirmed by the school',
    });
    expect((await get<Order>(`/api/v1/seats/${seat.id}/travel-order`)).body.revision).toBe(1);
    const first = await get<Order>(`/api/v1/seats/${seat.id}/travel-order?revision=0`);
    expect(first.body).toMatchObject({ revision: 0, amendmentReason: null });
    const pdf = await app.inject({ url: `/api/v1/seats/${seat.id}/travel-order?format=pdf` });
    expect(pdf.headers['content-disposition']).toContain('ITO-PAK-2020-0001-rev1.pdf');
    expect((await get(`/api/v1/seats/${seat.id}/travel-order?revision=7`)).status).toBe(404);
  });

  it('refuses an order while a gate is red: 422, the red gate’s code, and the red gates', async () => {
    const other = await student('MALIK', 'Saad', { unit: '9th Frontier Force' });
    await screenGreen(other.id, ['visa']);
    const red = await programmedSeat();
    await expectCreated(`/api/v1/seats/${red.id}/nomination`, nomination(other.id));
    const gates = await get<{ clear: boolean; gates: Gate[] }>(`/api/v1/seats/${red.id}/gates`);
    expect(gates.body.clear).toBe(false);
    expect(gates.body.gates.filter((g) => g.status === 'red').map((g) => g.code)).toEqual([
      'GATE.VISA.MISSING',
    ]);
    const res = await post(`/api/v1/seats/${red.id}/travel-order`);
    expect(res.status).toBe(422);
    expect(res.res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'GATE.VISA.MISSING', field: 'gates' });
    expect(res.body.details!.red).toMatchObject([{ gate: 'visa', status: 'red' }]);
    expect((await get<Seat>(`/api/v1/seats/${red.id}`)).body.status).toBe('nominated');
    expect((await get(`/api/v1/seats/${red.id}/travel-order`)).status).toBe(404);
  });

  it('refuses an order dated after its class started without a late reason (422 ITO.CLASS_STARTED), and issues it with one (issue #10)', async () => {
    const late = await student('RAZA', 'Ali', { unit: '9th Frontier Force' });
    await screenGreen(late.id);
    const seatLate = await programmedSeat(); // class starts 2020-08-03
    await expectCreated(`/api/v1/seats/${seatLate.id}/nomination`, nomination(late.id));
    const url = `/api/v1/seats/${seatLate.id}/travel-order`;
    const refused = await post(url, { on: '2020-08-10' });
    expect(refused.status).toBe(422);
    expect(refused.res.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'ITO.CLASS_STARTED', field: 'lateReason' });
    for (const [body, field] of [
      [{ on: '2020-08-32', lateReason: 'visa late' }, 'on'],
      // A class starting on the order's day has not started: no late reason to give.
      [{ on: '2020-08-03', lateReason: 'visa late' }, 'lateReason'],
    ] as const) {
      const bad = await post(url, body);
      expect(bad.status).toBe(400);
      expect(bad.body.field).toBe(field);
    }
    expect((await get<Seat>(`/api/v1/seats/${seatLate.id}`)).body.status).toBe('nominated');
    expect((await get(url)).status).toBe(404);
    const issued = await post<Order>(url, {
      on: '2020-08-10',
      lateReason: 'visa issued 2020-08-05; the school agreed to a late arrival',
    });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      issuedOn: '2020-08-10',
      lateReason: 'visa issued 2020-08-05; the school agreed to a late arrival',
    });
    expect((await get<Order>(url)).body.lateReason).toBe(
      'visa issued 2020-08-05; the school agreed to a late arrival',
    );
  });

  it('answers gates and orders of an unknown seat with 404 naming the seat', async () => {
    for (const res of [
      await get('/api/v1/seats/seat_nothing/gates'),
      await post('/api/v1/seats/seat_nothing/travel-order'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.field).toBe('seat');
    }
  });
});

describe('unit vetting', () => {
  beforeAll(() => {
    now = '2020-07-01T12:00:00.000Z';
  });

  it('a denial flags the seat of every nominee from the unit and turns their Leahy gate red', async () => {
    const unit = '111th Brigade';
    const nominee = await student('BUTT', 'Naveed', { unit });
    const bystander = await student('CHAUDHRY', 'Asif', { unit });
    const seat = await programmedSeat();
    await expectCreated(`/api/v1/seats/${seat.id}/nomination`, nomination(nominee.id));
    const res = await post<{ vetting: { outcome: string }; flaggedSeats: unknown[] }>(
      '/api/v1/unit-vettings',
      { country: 'PAK', unit: ' 111TH BRIGADE ', outcome: 'denied', on: '2020-06-30' },
    );
    expect(res.status).toBe(201);
    expect(res.body.vetting.outcome).toBe('denied');
    expect(res.body.flaggedSeats).toEqual([{ seatId: seat.id, studentId: nominee.id }]);
    expect(res.body.flaggedSeats).not.toContainEqual(
      expect.objectContaining({ studentId: bystander.id }),
    );
    expect((await get<Seat>(`/api/v1/seats/${seat.id}`)).body).toMatchObject({ flagged: true });
    const gates = await get<{ gates: Gate[] }>(`/api/v1/seats/${seat.id}/gates`);
    expect(gates.body.gates.find((g) => g.gate === 'leahy-unit')?.code).toBe(
      'GATE.LEAHY_UNIT.DENIED',
    );
  });

  it.each([
    [{ outcome: 'maybe' }, 400, 'outcome'],
    [{ on: '2021-01-01' }, 400, 'on'],
    [{ country: 'XYZ' }, 404, 'country'],
  ])('refuses the vetting %o', async (bad, status, field) => {
    const res = await post('/api/v1/unit-vettings', {
      country: 'PAK',
      unit: 'Any Unit',
      outcome: 'approved',
      on: '2020-06-01',
      ...bad,
    });
    expect(res.status).toBe(status);
    expect(res.body.field).toBe(field);
  });
});

describe('school events and the 2347g record', () => {
  const unit = '7th Armoured Division';
  let khan: Student;
  let mehmood: Student;
  let khanSeat: Seat;
  let mehmoodSeat: Seat;
  beforeAll(async () => {
    now = '2020-07-01T12:00:00.000Z';
    khan = await student('KHAN', 'Mohammad Ali', { unit });
    mehmood = await student('MEHMOOD', 'Tariq', { unit });
    await approveUnit(unit);
    khanSeat = (await issuedSeat(khan.id)).seat;
    mehmoodSeat = (await issuedSeat(mehmood.id)).seat;
    now = '2020-09-15T12:00:00.000Z';
    for (const seat of [khanSeat, mehmoodSeat]) {
      await expectCreated(`/api/v1/seats/${seat.id}/events`, {
        event: 'arrival',
        on: '2020-07-26',
      });
      await expectCreated(`/api/v1/seats/${seat.id}/events`, {
        event: 'in-training',
        on: '2020-07-27',
      });
    }
  });

  it('not completed (AWOL): tuition charged pro rata, the allowance stops on the day', async () => {
    const res = await post<{
      seat: Seat;
      chargeCents: number;
      allowance: { until: string; days: number };
    }>(`/api/v1/seats/${khanSeat.id}/events`, {
      event: 'not-completed',
      on: '2020-08-17',
      cause: 'awol',
    });
    expect(res.status).toBe(201);
    // 14 of the course's 28 days, at $1,000 a day.
    expect(res.body.chargeCents).toBe(1_400_000);
    expect(res.body.allowance).toMatchObject({ until: '2020-08-17', days: 21 });
    expect(res.body.seat).toMatchObject({ status: 'not-completed', penaltyCents: 1_400_000 });
    const profile = await get<{ trainingRecords: unknown[] }>(`/api/v1/students/${khan.id}`);
    expect(profile.body.trainingRecords).toMatchObject([
      { outcome: 'not-completed', cause: 'awol', allowanceStoppedOn: '2020-08-17' },
    ]);
  });

  it.each([
    [{ event: 'completed', on: '2020-08-28' }, 'academicReport'],
    [{ event: 'not-completed', on: '2020-08-28' }, 'cause'],
    [{ event: 'not-completed', on: '2020-09-16', cause: 'failed' }, 'on'],
    [{ event: 'graduated', on: '2020-08-28' }, 'event'],
  ])('refuses the event %o: 400 naming %s', async (bad, field) => {
    const res = await post(`/api/v1/seats/${mehmoodSeat.id}/events`, bad);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
  });

  it('completed with the academic report: no charge', async () => {
    const res = await post<{ seat: Seat; chargeCents: number | null }>(
      `/api/v1/seats/${mehmoodSeat.id}/events`,
      { event: 'completed', on: '2020-08-28', academicReport: 'Graduated; distinguished' },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ chargeCents: null, seat: { status: 'completed' } });
  });

  it('shows a participant record with the instruction, its type, dates and completion', async () => {
    const res = await get<ParticipantRecord>(`/api/v1/students/${khan.id}/record`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ studentId: khan.id, name: 'KHAN, Mohammad Ali' });
    expect(res.body.instruction).toEqual([
      expect.objectContaining({
        courseId: COURSE,
        type: 'PME',
        startedOn: '2020-07-27',
        endedOn: '2020-08-17',
        completed: false,
      }),
    ]);
    const noTraining = await student('NOORANI', 'Faisal');
    expect((await get(`/api/v1/students/${noTraining.id}/record`)).status).toBe(404);
  });

  it('answers a unit with the records of its participants', async () => {
    const res = await post<{ results: { query: string; records: ParticipantRecord[] }[] }>(
      '/api/v1/records/search',
      { unit: 'armoured division', country: 'PAK' },
    );
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(1);
    const records = res.body.results[0]!.records;
    expect(records.map((r) => r.studentId)).toEqual([khan.id, mehmood.id]);
    expect(records[1]!.instruction).toMatchObject([
      { type: 'PME', startedOn: '2020-07-27', endedOn: '2020-08-28', completed: true },
    ]);
  });

  it('answers a list of names in other spellings and orders, one result per name', async () => {
    const res = await post<{ results: { query: string; records: ParticipantRecord[] }[] }>(
      '/api/v1/records/search',
      { names: ['Muhammad Ali Khan', 'Tariq Mahmood', 'Nobody Atall'] },
    );
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => [r.query, r.records.map((x) => x.name)])).toEqual([
      ['Muhammad Ali Khan', ['KHAN, Mohammad Ali']],
      ['Tariq Mahmood', ['MEHMOOD, Tariq']],
      ['Nobody Atall', []],
    ]);
    expect(res.body.results[0]!.records[0]!.instruction).toMatchObject([
      { courseId: COURSE, type: 'PME', startedOn: '2020-07-27', completed: false },
    ]);
  });

  it.each([
    [{}, 400, 'names'],
    [{ names: ['Khan'], unit: 'Armoured' }, 400, 'names'],
    [{ names: 'Khan' }, 400, 'names'],
    [{ unit: 'Armoured', country: 'XYZ' }, 404, 'country'],
  ])('refuses the search %o', async (body, status, field) => {
    const res = await post('/api/v1/records/search', body);
    expect(res.status).toBe(status);
    expect(res.body.field).toBe(field);
  });

  it('lists a chief of service on the country’s prominence list, after their career is recorded', async () => {
    const before = await get<{ items: unknown[] }>('/api/v1/countries/PAK/prominence');
    expect(before.body.items).toEqual([]);
    const career = await post(`/api/v1/students/${mehmood.id}/careers`, {
      title: 'Chief of the Army Staff',
      rank: 'General',
      usGrade: 'O-10',
      from: '2020-09-01',
      prominence: 'chief-of-service',
    });
    expect(career.status).toBe(201);
    await expectCreated(`/api/v1/students/${khan.id}/careers`, {
      title: 'Brigade staff officer',
      from: '2020-09-01',
    });
    const res = await get<{
      country: string;
      total: number;
      items: { record: ParticipantRecord; position: { title: string }; category: string }[];
    }>('/api/v1/countries/pak/prominence');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ country: 'PAK', total: 1 });
    expect(res.body.items[0]).toMatchObject({
      record: { studentId: mehmood.id },
      position: { title: 'Chief of the Army Staff' },
      category: 'chief of a military service',
    });
    expect((await get('/api/v1/countries/XYZ/prominence')).status).toBe(404);
    const bad = await post(`/api/v1/students/${khan.id}/careers`, {
      title: 'Minister',
      from: '2020-09-01',
      prominence: 'king',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('prominence');
  });

  it('appends a human-rights finding, which no route edits or deletes', async () => {
    const res = await post<{ id: string; summary: string }>(
      `/api/v1/students/${khan.id}/findings`,
      {
        on: '2020-09-10',
        summary: 'credible information of a gross violation of human rights',
        source: 'Department of State',
      },
    );
    expect(res.status).toBe(201);
    const finding = res.body;
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      for (const url of [
        `/api/v1/students/${khan.id}/findings/${finding.id}`,
        `/api/v1/students/${khan.id}/findings`,
      ]) {
        const attempt = await call(method, url, { summary: 'nothing happened' });
        expect([404, 405]).toContain(attempt.status);
      }
    }
    const record = await get<ParticipantRecord>(`/api/v1/students/${khan.id}/record`);
    expect(record.body.findings).toEqual([
      expect.objectContaining({ id: finding.id, summary: finding.summary }),
    ]);
    const future = await post(`/api/v1/students/${khan.id}/findings`, {
      on: '2020-09-16',
      summary: 'x',
      source: 'y',
    });
    expect(future.status).toBe(400);
    expect(future.body.field).toBe('on');
  });
});

describe('OpenAPI', () => {
  it('documents every route with a summary, a description and a typed answer', async () => {
    const spec = (
      await get<{ paths: Record<string, Record<string, OpenApiOperation>> }>('/api/v1/openapi.json')
    ).body;
    const routes = [
      ['post', '/api/v1/students', '201'],
      ['get', '/api/v1/students', '200'],
      ['get', '/api/v1/students/{id}', '200'],
      ['post', '/api/v1/students/{id}/screenings', '201'],
      ['post', '/api/v1/unit-vettings', '201'],
      ['put', '/api/v1/countries/{iso3}/english-exemption', '200'],
      ['post', '/api/v1/seats/{id}/nomination', '201'],
      ['get', '/api/v1/seats/{id}/gates', '200'],
      ['post', '/api/v1/seats/{id}/travel-order', '201'],
      ['post', '/api/v1/seats/{id}/travel-order/amendments', '201'],
      ['get', '/api/v1/seats/{id}/travel-order', '200'],
      ['post', '/api/v1/seats/{id}/events', '201'],
      ['post', '/api/v1/students/{id}/careers', '201'],
      ['post', '/api/v1/students/{id}/findings', '201'],
      ['get', '/api/v1/students/{id}/record', '200'],
      ['post', '/api/v1/records/search', '200'],
      ['get', '/api/v1/countries/{iso3}/prominence', '200'],
    ] as const;
    for (const [method, path, status] of routes) {
      const operation = spec.paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation!.summary).toBeTruthy();
      expect(operation!.description).toBeTruthy();
      expect(operation!.responses[status], `${method} ${path} ${status}`).toBeDefined();
    }
    const order = spec.paths['/api/v1/seats/{id}/travel-order']!.get!.responses['200']!;
    expect(Object.keys(order.content ?? {})).toEqual(['application/json', 'application/pdf']);
    expect(spec.paths['/api/v1/students/{id}/findings/{findingId}']).toBeUndefined();
  });
});

interface OpenApiOperation {
  summary?: string;
  description?: string;
  responses: Record<string, { content?: Record<string, unknown> }>;
}
