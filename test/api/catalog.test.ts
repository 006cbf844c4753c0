// Catalog routes over the demo data, in memory: schools, courses added, corrected and retired, the
// stale-version conflict (SCENARIOS #13), every bad input naming its field, and the audit entries.
import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogRoutes } from '../../src/api/catalog.routes.js';
import { buildApp } from '../../src/api/server.js';
import { actAs, injectAnonymously, LASTING_SESSIONS, signedIn } from '../support/accounts.js';
import { verifyAudit } from '../../src/services/audit/audit.service.js';
import { contextOver } from '../../src/services/context.js';
import { openStore, type Store } from '../../src/store/database.js';
import { updateCourseIfVersion } from '../../src/store/catalog-admin.repository.js';
import { auditLog } from '../../src/store/schema.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let app: FastifyInstance;
/** A second instance on the same database: another store on PostgreSQL, another app on PGlite. */
let secondStore: Store | undefined;
let second: FastifyInstance;

/** Until server.ts registers the catalog routes, the test does (and stops once it does). */
async function catalogApp(ctx: TestDatabase['ctx']): Promise<FastifyInstance> {
  const built = await buildApp(ctx);
  if (!built.hasRoute({ method: 'GET', url: '/api/v1/courses' })) {
    await built.register(catalogRoutes(ctx), { prefix: '/api/v1' });
  }
  return built;
}

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: fixedClock('2026-11-27T12:00:00.000Z') });
  const caller = await signedIn(db.ctx, 'pm', { role: 'program-manager' });
  actor = caller.headers;
  pm = caller.actor;
  app = actAs(await catalogApp(db.ctx), actor);
  if (db.url !== undefined) {
    secondStore = await openStore({ kind: 'postgres', url: db.url });
    second = actAs(await catalogApp(contextOver(secondStore, { access: LASTING_SESSIONS })), actor);
  } else {
    second = actAs(await catalogApp(contextOver(db.store, { access: LASTING_SESSIONS })), actor);
  }
});
afterAll(async () => {
  await second.close();
  await secondStore?.close();
  await app.close();
  await db.close();
});

/** A program manager's session (the catalog is theirs to change). */
let actor: Record<string, string>;
let pm: string;

interface CourseJson {
  id: string;
  title: string;
  school: string;
  category: string;
  lengthWeeks: number;
  eclMin: number | null;
  version: number;
  retiredOn: string | null;
  tuition: { fiscalYear: number; cents: number }[];
  history: { action: string }[];
}
/** What the tests read of an answer: a course, a list or a problem. */
type Answer = CourseJson & { items: CourseJson[]; total: number; code: string; field: string };

const get = async (url: string, instance = app) => {
  const res = await instance.inject(url);
  return { status: res.statusCode, body: res.json<Answer>(), etag: res.headers.etag };
};

const send = async (
  method: 'POST' | 'PATCH',
  url: string,
  payload: object,
  headers: Record<string, string> | undefined = undefined,
  instance = app,
) => {
  headers ??= actor;
  const res = await instance.inject({ method, url, payload, headers });
  return { status: res.statusCode, body: res.json<Answer>(), etag: res.headers.etag };
};

const patch = (id: string, version: number | undefined, payload: object, instance = app) =>
  send(
    'PATCH',
    `/api/v1/courses/${id}`,
    payload,
    version === undefined ? actor : { ...actor, 'if-match': `"${version}"` },
    instance,
  );

const retire = (id: string, version: number, payload: object) =>
  send('POST', `/api/v1/courses/${id}/retire`, payload, { ...actor, 'if-match': `"${version}"` });

async function auditOf(entityType: string, entityId: string) {
  return db.store.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.seq));
}

const newCourse = (id: string, extra: object = {}) => ({
  id,
  title: 'International Maritime Staff Officer Course',
  school: 'USNWC',
  category: 'PME',
  eImet: false,
  dedicated: true,
  lengthWeeks: 10,
  eclMin: 80,
  opiMin: '2/2',
  tuition: [
    { fiscalYear: 2018, cents: 5_043_050 },
    { fiscalYear: 2019, cents: 5_100_000 },
  ],
  ...extra,
});

describe('schools', () => {
  it('lists the 21 demo schools with location and military department', async () => {
    const res = await get('/api/v1/schools');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(21);
    expect(res.body.items).toContainEqual({
      id: 'CGSC',
      name: 'US Army Command and General Staff College',
      location: 'Fort Leavenworth, KS',
      department: 'Army',
    });
  });

  it('adds a school (audited), refuses a duplicate id (409) and an unknown department (400)', async () => {
    const school = {
      id: 'NPS',
      name: 'Naval Postgraduate School',
      location: 'Monterey, CA',
      department: 'Navy',
    };
    const created = await send('POST', '/api/v1/schools', school);
    expect(created).toMatchObject({ status: 201, body: school });
    expect((await get('/api/v1/schools')).body.total).toBe(22);
    const [entry] = await auditOf('school', 'NPS');
    expect(entry).toMatchObject({ action: 'school.add', actor: pm });
    expect(JSON.parse(entry!.after!)).toEqual(school);

    const twice = await send('POST', '/api/v1/schools', school);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'SCHOOL.DUPLICATE', field: 'id' });
    const navy = await send('POST', '/api/v1/schools', {
      ...school,
      id: 'NPS2',
      department: 'Space Corps',
    });
    expect(navy.status).toBe(400);
    expect(navy.body).toMatchObject({ code: 'INPUT.INVALID', field: 'department' });
    expect((await get('/api/v1/schools')).body.total).toBe(22);
  });
});

describe('GET /api/v1/courses', () => {
  it('lists the 57 demo courses with version and tuition, by school and by category, in pages', async () => {
    const all = await get('/api/v1/courses');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(57);
    const cgsc = await get('/api/v1/courses?school=cgsc');
    expect(cgsc.body.items.map((c) => c.id)).toContain('B171005');
    expect(cgsc.body.items.every((c) => c.school === 'CGSC')).toBe(true);
    const pme = await get('/api/v1/courses?category=PME');
    expect(pme.body.total).toBeGreaterThan(0);
    expect(pme.body.total).toBeLessThan(57);
    expect(pme.body.items.every((c) => c.category === 'PME')).toBe(true);
    const page = await get('/api/v1/courses?limit=5&offset=5');
    expect(page.body.total).toBe(57);
    expect(page.body.items.map((c) => c.id)).toEqual(all.body.items.slice(5, 10).map((c) => c.id));
  });

  it('names the field of a bad filter: unknown school 404, unknown category 400', async () => {
    const school = await get('/api/v1/courses?school=NOWHERE');
    expect(school.status).toBe(404);
    expect(school.body).toMatchObject({ code: 'SCHOOL.NOT_FOUND', field: 'school' });
    const category = await get('/api/v1/courses?category=basket-weaving');
    expect(category.status).toBe(400);
    expect(category.body).toMatchObject({ code: 'INPUT.INVALID', field: 'category' });
  });

  it.each([
    ['limit=-5', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['limit=2.5', 'limit'],
    ['limit=5x', 'limit'],
    ['limit=0x10', 'limit'],
    ['limit=10001', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=abc', 'offset'],
  ])('refuses the page %s with 400 naming %s', async (query, field) => {
    const res = await get(`/api/v1/courses?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INPUT.INVALID', field });
  });
});

describe('GET /api/v1/courses/{id}', () => {
  it('shows a course with its school, tuition by FY, version as ETag and its history', async () => {
    const res = await get('/api/v1/courses/P176019');
    expect(res.status).toBe(200);
    expect(res.etag).toBe(`"${res.body.version}"`);
    expect(res.body).toMatchObject({
      id: 'P176019',
      school: 'DIILS',
      category: 'other',
      eImet: true,
      dedicated: true,
      lengthWeeks: 3,
      eclMin: 80,
      retired: false,
      retiredOn: null,
    });
    expect(res.body.tuition).toContainEqual({
      fiscalYear: 2018,
      cents: 1_996_000,
      currency: 'USD',
      illustrative: true,
    });
    expect(res.body.history).toMatchObject([{ action: 'course.add', actor: 'system:demo' }]);
  });

  it('answers 404 naming the id of an unknown course', async () => {
    const res = await get('/api/v1/courses/Z999999');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'COURSE.NOT_FOUND', field: 'id' });
  });
});

describe('POST /api/v1/courses', () => {
  it('adds a course with tuition in integer cents, version 1, and audits it', async () => {
    const created = await send('POST', '/api/v1/courses', newCourse('P179999'));
    expect(created.status).toBe(201);
    expect(created.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      id: 'P179999',
      school: 'USNWC',
      schoolName: 'US Naval War College',
      location: 'Newport, RI',
      department: 'Navy',
      dedicated: true,
      opiMin: '2/2',
      version: 1,
      retired: false,
    });
    expect(created.body.tuition).toEqual([
      { fiscalYear: 2018, cents: 5_043_050, currency: 'USD', illustrative: false },
      { fiscalYear: 2019, cents: 5_100_000, currency: 'USD', illustrative: false },
    ]);
    const shown = await get('/api/v1/courses/p179999');
    expect(shown.body).toMatchObject({ ...created.body, history: [{ action: 'course.add' }] });
    const entries = await auditOf('course', 'P179999');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'course.add', actor: pm, before: null });
    expect(JSON.parse(entries[0]!.after!)).toMatchObject({ id: 'P179999', version: 1 });
  });

  it.each([
    ['negative tuition', { tuition: [{ fiscalYear: 2018, cents: -1 }] }, 400, 'tuition'],
    ['an ECL above 100', { eclMin: 101 }, 400, 'eclMin'],
    ['a negative ECL', { eclMin: -1 }, 400, 'eclMin'],
    ['a length of 0 weeks', { lengthWeeks: 0 }, 400, 'lengthWeeks'],
    ['a negative length', { lengthWeeks: -3 }, 400, 'lengthWeeks'],
    ['a fractional length', { lengthWeeks: 2.5 }, 400, 'lengthWeeks'],
    ['an unknown category', { category: 'basket-weaving' }, 400, 'category'],
    ['a malformed OPI', { opiMin: 'fluent' }, 400, 'opiMin'],
    ['an empty title', { title: '  ' }, 400, 'title'],
    [
      'a tuition year given twice',
      {
        tuition: [
          { fiscalYear: 2018, cents: 1 },
          { fiscalYear: 2018, cents: 2 },
        ],
      },
      400,
      'tuition',
    ],
    ['an unknown school', { school: 'NOWHERE' }, 404, 'school'],
  ])('refuses %s naming the field, and writes nothing', async (_what, extra, status, field) => {
    const res = await send('POST', '/api/v1/courses', newCourse('P170001', extra));
    expect(res.status).toBe(status);
    expect(res.body.field).toBe(field);
    expect((await get('/api/v1/courses/P170001')).status).toBe(404);
    expect(await auditOf('course', 'P170001')).toEqual([]);
  });

  it('refuses a duplicate course id with 409, leaving the existing course as it was', async () => {
    const before = await get('/api/v1/courses/B171005');
    const res = await send('POST', '/api/v1/courses', newCourse('B171005'));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'COURSE.DUPLICATE', field: 'id' });
    expect((await get('/api/v1/courses/B171005')).body).toEqual(before.body);
  });

  it('refuses a write from no one signed in', async () => {
    const anonymous = await injectAnonymously(app, {
      method: 'POST',
      url: '/api/v1/courses',
      payload: newCourse('P170002'),
    });
    const res = { status: anonymous.statusCode, body: anonymous.json<Answer>() };
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('ACCESS.UNAUTHENTICATED');
    expect((await get('/api/v1/courses/P170002')).status).toBe(404);
  });
});

describe('PATCH /api/v1/courses/{id}', () => {
  it('corrects fields and tuition by FY: a new version, the old content in the audit entry', async () => {
    const before = await get('/api/v1/courses/B171005');
    const v = before.body.version;
    const res = await patch('B171005', v, {
      lengthWeeks: 43,
      tuition: [
        { fiscalYear: 2018, cents: 5_050_000 },
        { fiscalYear: 2021, cents: 5_400_000 },
      ],
      reason: 'FY2018 rate published; FY2021 rate added',
    });
    expect(res.status).toBe(200);
    expect(res.etag).toBe(`"${v + 1}"`);
    expect(res.body).toMatchObject({ id: 'B171005', lengthWeeks: 43, version: v + 1 });
    const byFy = Object.fromEntries(res.body.tuition.map((t) => [t.fiscalYear, t.cents]));
    expect(byFy).toEqual({
      2016: 4_800_000,
      2017: 4_920_000,
      2018: 5_050_000,
      2019: 5_169_000,
      2020: 5_298_000,
      2021: 5_400_000,
    });
    const [, entry] = await auditOf('course', 'B171005');
    expect(entry).toMatchObject({
      action: 'course.correct',
      actor: pm,
      reason: 'FY2018 rate published; FY2021 rate added',
    });
    expect(JSON.parse(entry!.before!)).toMatchObject({ lengthWeeks: 44, version: v });
    expect(JSON.parse(entry!.after!)).toMatchObject({ lengthWeeks: 43, version: v + 1 });
  });

  it('SCENARIOS #13: the second writer with the old version loses; nothing changes; reload shows the first', async () => {
    const read = await get('/api/v1/courses/P176019');
    const v = read.body.version;
    const first = await patch('P176019', v, { lengthWeeks: 4, reason: 'first editor' });
    expect(first.status).toBe(200);
    const secondWriter = await patch('P176019', v, { title: 'LOAC', eclMin: 70, reason: 'second' });
    expect(secondWriter.status).toBe(409);
    expect(secondWriter.body).toMatchObject({
      status: 409,
      code: 'COURSE.STALE',
      field: 'version',
      details: { expected: v, current: v + 1 },
    });
    const reloaded = await get('/api/v1/courses/P176019');
    expect(reloaded.etag).toBe(`"${v + 1}"`);
    expect(reloaded.body).toMatchObject({
      version: v + 1,
      lengthWeeks: 4,
      title: read.body.title,
      eclMin: 80,
    });
    expect(reloaded.body.history.map((h) => h.action)).toEqual(['course.add', 'course.correct']);
  });

  it('lets exactly one of two simultaneous writers with the same version win, across instances', async () => {
    const v = (await get('/api/v1/courses/D171001')).body.version;
    const results = await Promise.all([
      patch('D171001', v, { eclMin: 70, reason: 'writer A' }, app),
      patch('D171001', v, { eclMin: 75, reason: 'writer B' }, second),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!;
    const shown = await get('/api/v1/courses/D171001');
    expect(shown.body).toMatchObject({ version: v + 1, eclMin: winner.body.eclMin });
    expect((await auditOf('course', 'D171001')).map((e) => e.action)).toEqual([
      'course.add',
      'course.correct',
    ]);
  });

  it('guards the update itself: a writer that read an older version updates no row', async () => {
    const read = await get('/api/v1/courses/D171002');
    const v = read.body.version;
    expect((await patch('D171002', v, { lengthWeeks: 30, reason: 'first' })).status).toBe(200);
    const after = await get('/api/v1/courses/D171002');
    expect(await updateCourseIfVersion(db.store.db, 'D171002', v, { lengthWeeks: 1 })).toBe(0);
    expect((await get('/api/v1/courses/D171002')).body).toEqual(after.body);
  });

  it('requires If-Match naming a version', async () => {
    const before = await get('/api/v1/courses/B171801');
    for (const headers of [
      actor,
      { ...actor, 'if-match': '*' },
      { ...actor, 'if-match': 'W/"1"' },
    ]) {
      const res = await send(
        'PATCH',
        '/api/v1/courses/B171801',
        { lengthWeeks: 9, reason: 'r' },
        headers,
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'COURSE.VERSION_REQUIRED', field: 'If-Match' });
    }
    expect((await get('/api/v1/courses/B171801')).body).toEqual(before.body);
  });

  it.each([
    ['negative tuition', { tuition: [{ fiscalYear: 2020, cents: -500 }] }, 400, 'tuition'],
    ['an ECL outside 0–100', { eclMin: 150 }, 400, 'eclMin'],
    ['a length of 0 weeks', { lengthWeeks: 0 }, 400, 'lengthWeeks'],
    ['an unknown category', { category: 'cooking' }, 400, 'category'],
    ['an unknown school', { school: 'NOWHERE' }, 404, 'school'],
    ['no reason', { lengthWeeks: 5, reason: '' }, 400, 'reason'],
  ])(
    'refuses a correction with %s naming the field; the course is unchanged',
    async (_w, fields, status, field) => {
      const before = await get('/api/v1/courses/P179201');
      const res = await patch('P179201', before.body.version, { reason: 'r', ...fields });
      expect(res.status).toBe(status);
      expect(res.body.field).toBe(field);
      expect((await get('/api/v1/courses/P179201')).body).toEqual(before.body);
    },
  );

  it('refuses a correction that changes nothing, and one of an unknown course', async () => {
    const before = await get('/api/v1/courses/P179202');
    const same = await patch('P179202', before.body.version, {
      lengthWeeks: before.body.lengthWeeks,
      reason: 'no-op',
    });
    expect(same.status).toBe(400);
    expect(same.body.code).toBe('COURSE.UNCHANGED');
    const unknown = await patch('Z999999', 1, { lengthWeeks: 3, reason: 'r' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'COURSE.NOT_FOUND', field: 'id' });
  });
});

describe('POST /api/v1/courses/{id}/retire', () => {
  it('retires a course: still shown and listed with includeRetired, its history kept; twice is 409', async () => {
    const before = await get('/api/v1/courses/P179203');
    const v = before.body.version;
    const activeBefore = (await get('/api/v1/courses')).body.total;
    const stale = await retire('P179203', v + 5, { on: '2020-10-01', reason: 'replaced' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('COURSE.STALE');

    const res = await retire('P179203', v, { on: '2020-10-01', reason: 'replaced' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ retired: true, retiredOn: '2020-10-01', version: v + 1 });

    const listed = await get('/api/v1/courses');
    expect(listed.body.total).toBe(activeBefore - 1);
    expect(listed.body.items.map((c) => c.id)).not.toContain('P179203');
    const withRetired = await get('/api/v1/courses?includeRetired=true&school=USNWC');
    expect(withRetired.body.items).toContainEqual(
      expect.objectContaining({ id: 'P179203', retired: true, retiredOn: '2020-10-01' }),
    );
    const shown = await get('/api/v1/courses/P179203');
    expect(shown.body).toMatchObject({
      ...before.body,
      retired: true,
      retiredOn: '2020-10-01',
      version: v + 1,
      history: [
        { action: 'course.add' },
        { action: 'course.retire', reason: 'replaced', actor: pm },
      ],
    });
    const [, entry] = await auditOf('course', 'P179203');
    expect(JSON.parse(entry!.before!)).toMatchObject({ retired: false, retiredOn: null });
    expect(JSON.parse(entry!.after!)).toMatchObject({ retired: true, retiredOn: '2020-10-01' });

    const twice = await retire('P179203', v + 1, { on: '2021-01-01', reason: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('COURSE.ALREADY_RETIRED');
    expect((await get('/api/v1/courses/P179203')).body.retiredOn).toBe('2020-10-01');
  });

  it.each([
    ['an impossible date', { on: '2019-02-29', reason: 'r' }, 'on'],
    ['no reason', { on: '2020-10-01', reason: ' ' }, 'reason'],
  ])('refuses %s naming the field', async (_w, body, field) => {
    const before = await get('/api/v1/courses/B171901');
    const res = await retire('B171901', before.body.version, body);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect((await get('/api/v1/courses/B171901')).body).toEqual(before.body);
  });
});

describe('the catalog in the API', () => {
  it('documents the routes in OpenAPI and leaves the audit chain intact', async () => {
    const spec = (await app.inject('/api/v1/openapi.json')).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/schools',
        '/api/v1/courses',
        '/api/v1/courses/{id}',
        '/api/v1/courses/{id}/retire',
      ]),
    );
    expect(spec.paths['/api/v1/courses/{id}']?.patch).toBeDefined();
    expect(await verifyAudit(db.ctx)).toMatchObject({ ok: true });
  });
});
