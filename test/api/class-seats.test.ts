// The international seats of a course's classes (issue 17: course capacity), over the demo: listed
// with what funded (priority A) and wish-list (priority B) lines hold; recorded by the catalog's
// keepers under optimistic concurrency; a funded line beyond them refused, on one server or two at
// once; a re-programming held to them and refused when they moved since its proposal; every bad
// input named; the audit log replaying into the records.
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { verifyAudit } from '../../src/services/audit/audit.service.js';
import { contextOver } from '../../src/services/context.js';
import { openStore, type Store } from '../../src/store/database.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { actAs, signedIn } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

interface ClassJson {
  courseId: string;
  classStart: string;
  internationalSeats: number | null;
  version: number | null;
  fundedSeats: number;
  wishedSeats: number;
  openSeats: number | null;
}

let db: TestDatabase;
let app: FastifyInstance;
/** A second server on the same database: its own store on PostgreSQL, the same one on PGlite. */
let other: FastifyInstance;
let otherStore: Store | undefined;
let scoApp: FastifyInstance;

beforeAll(async () => {
  db = await openTestDatabase('demo');
  const pm = await signedIn(db.ctx, 'pm', { role: 'program-manager' });
  app = actAs(await buildApp(db.ctx), pm.headers);
  otherStore =
    db.url === undefined ? undefined : await openStore({ kind: 'postgres', url: db.url });
  other = actAs(
    await buildApp(otherStore === undefined ? db.ctx : contextOver(otherStore)),
    pm.headers,
  );
  const sco = await signedIn(db.ctx, 'sco', { role: 'sco', countries: ['JOR'] });
  scoApp = actAs(await buildApp(db.ctx), sco.headers);
}, 120_000);
afterAll(async () => {
  await scoApp.close();
  await other.close();
  await otherStore?.close();
  await app.close();
  await db.close();
});

const classes = async (course: string, fy = 2018, server = app) => {
  const res = await server.inject(`/api/v1/courses/${course}/classes?fy=${fy}`);
  return {
    status: res.statusCode,
    body: res.json<{ items: ClassJson[]; code?: string; field?: string }>(),
  };
};
const classOf = async (course: string, start: string) =>
  (await classes(course)).body.items.find((k) => k.classStart === start);

const put = async (
  course: string,
  start: string,
  payload: object,
  headers: Record<string, string> = {},
  server = app,
) => {
  const res = await server.inject({
    method: 'PUT',
    url: `/api/v1/courses/${course}/classes/${start}`,
    payload,
    headers,
  });
  return {
    status: res.statusCode,
    body: res.json<
      ClassJson & { code?: string; reason?: string; field?: string; detail?: string }
    >(),
  };
};

const line = (start: string, seats: number, priority: 'A' | 'B', country = 'JOR') => ({
  country,
  fiscalYear: 2018,
  course: 'B171005',
  seats,
  classStart: start,
  priority,
  allowanceCents: 100,
});
const addLine = async (payload: object, server = app) => {
  const res = await server.inject({ method: 'POST', url: '/api/v1/lines', payload });
  return {
    status: res.statusCode,
    body: res.json<{ code?: string; reason?: string; field?: string; detail?: string }>(),
  };
};

async function counts() {
  const [row] = await queryRows<{ audit: number; lines: number; seats: number; classes: number }>(
    db.store.db,
    sql`select (select count(*) from audit_log)::int as audit,
               (select count(*) from training_lines)::int as lines,
               (select count(*) from seats)::int as seats,
               (select count(*) from course_classes)::int as classes`,
  );
  return row!;
}

describe('GET /api/v1/courses/{id}/classes', () => {
  it("lists a course's classes of a year: recorded seats, funded and wished seats, open seats", async () => {
    const { status, body } = await classes('B171801');
    expect(status).toBe(200);
    expect(body.items).toEqual([
      // Jordan's three funded seats; the catalog records no international seats for the class.
      {
        courseId: 'B171801',
        classStart: '2017-10-16',
        internationalSeats: null,
        version: null,
        fundedSeats: 3,
        wishedSeats: 0,
        openSeats: null,
      },
      // A student's seat of the demo's other stories.
      {
        courseId: 'B171801',
        classStart: '2018-07-16',
        internationalSeats: null,
        version: null,
        fundedSeats: 1,
        wishedSeats: 0,
        openSeats: null,
      },
      // The demo records six; seven are wished (Jordan's five, Mongolia's two), none funded yet.
      {
        courseId: 'B171801',
        classStart: '2018-08-13',
        internationalSeats: 6,
        version: 1,
        fundedSeats: 0,
        wishedSeats: 7,
        openSeats: 6,
      },
    ]);
    expect((await classes('B171801', 2019)).body.items).toEqual([]);
    // A class its lines name still, though the suspension cancelled every seat of Pakistan's there.
    expect(
      (await classes('B171005')).body.items.find((k) => k.classStart === '2018-08-06'),
    ).toEqual({
      courseId: 'B171005',
      classStart: '2018-08-06',
      internationalSeats: null,
      version: null,
      fundedSeats: 0,
      wishedSeats: 0,
      openSeats: null,
    });
    // Anyone signed in reads it: an SCO too.
    expect((await classes('B171801', 2018, scoApp)).status).toBe(200);
  });

  it('refuses an unknown course and a bad fiscal year', async () => {
    expect((await classes('NOPE')).status).toBe(404);
    const bad = await classes('B171801', 1800);
    expect([bad.status, bad.body.field]).toEqual([400, 'fy']);
  });
});

describe('PUT /api/v1/courses/{id}/classes/{start}', () => {
  it('records a class, writes nothing for the same number, and refuses a stale version', async () => {
    const before = await counts();
    const set = await put('b171005', '2018-06-04', { seats: 2 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      courseId: 'B171005',
      classStart: '2018-06-04',
      internationalSeats: 2,
      version: 1,
      fundedSeats: 0,
      openSeats: 2,
    });
    expect(await counts()).toEqual({
      ...before,
      audit: before.audit + 1,
      classes: before.classes + 1,
    });
    const [entry] = await queryRows<{ action: string; after: string }>(
      db.store.db,
      sql`select action, after from audit_log where entity_type = 'course-class'
            and entity_id = 'B171005@2018-06-04' order by seq`,
    );
    expect({ ...entry, after: JSON.parse(entry!.after) as unknown }).toEqual({
      action: 'class.set',
      after: { courseId: 'B171005', classStart: '2018-06-04', internationalSeats: 2, version: 1 },
    });
    // The same number again: nothing written.
    expect((await put('B171005', '2018-06-04', { seats: 2 })).body.version).toBe(1);
    expect((await counts()).audit).toBe(before.audit + 1);
    // Another server wrote meanwhile: a write naming the version read is refused whole.
    const stale = await put('B171005', '2018-06-04', { seats: 4 }, { 'if-match': '"7"' }, other);
    expect([stale.status, stale.body.code, stale.body.field]).toEqual([
      409,
      'CLASS.STALE',
      'version',
    ]);
    const at1 = await put('B171005', '2018-06-04', { seats: 3 }, { 'if-match': '"1"' }, other);
    expect([at1.status, at1.body.version, at1.body.internationalSeats]).toEqual([200, 2, 3]);
    expect((await put('B171005', '2018-06-04', { seats: 2 })).body.version).toBe(3);
  });

  it.each([
    ['a negative number', { seats: -1 }, 'seats'],
    ['a fraction', { seats: 1.5 }, 'seats'],
    ['too many', { seats: 10_001 }, 'seats'],
    ['text', { seats: 'twelve' }, 'seats'],
    ['no seats', {}, 'seats'],
  ])('refuses %s naming the field, writing nothing', async (_what, payload, field) => {
    const before = await counts();
    const res = await put('B171005', '2018-06-11', payload);
    expect([res.status, res.body.field]).toEqual([400, field]);
    expect(await counts()).toEqual(before);
  });

  it('refuses an impossible date, a bad If-Match, an unknown course and a role without the catalog', async () => {
    const before = await counts();
    const date = await put('B171005', '2018-02-30', { seats: 3 });
    expect([date.status, date.body.field]).toEqual([400, 'start']);
    const version = await put('B171005', '2018-06-11', { seats: 3 }, { 'if-match': 'soon' });
    expect([version.status, version.body.field]).toEqual([400, 'If-Match']);
    expect((await put('NOPE', '2018-06-11', { seats: 3 })).status).toBe(404);
    const sco = await put('B171005', '2018-06-11', { seats: 3 }, {}, scoApp);
    expect([sco.status, sco.body.code]).toEqual([403, 'ACCESS.FORBIDDEN']);
    // The number a class has already is no way around it.
    const same = await put('B171801', '2018-08-13', { seats: 6 }, {}, scoApp);
    expect([same.status, same.body.code]).toEqual([403, 'ACCESS.FORBIDDEN']);
    expect(await counts()).toEqual(before);
  });
});

describe('a re-programming and the seats of a class', () => {
  it('funds no more wished seats than a class has open, and refuses an apply after the seats moved', async () => {
    const res = await app.inject('/api/v1/reprogramming?fy=2018');
    expect(res.statusCode).toBe(200);
    const answer = res.json<{
      basis: string;
      proposal: {
        chosen: { lineId: string; courseId: string; classStart: string; seats: number }[];
      };
    }>();
    const awc = answer.proposal.chosen.filter(
      (c) => c.courseId === 'B171801' && c.classStart === '2018-08-13',
    );
    expect(awc.reduce((n, c) => n + c.seats, 0)).toBe(6);
    expect((await put('B171801', '2018-08-13', { seats: 7 })).status).toBe(200);
    const before = await counts();
    const apply = await app.inject({
      method: 'POST',
      url: '/api/v1/reprogramming',
      payload: {
        fy: 2018,
        basis: answer.basis,
        notified: '2018-08-02',
        lines: answer.proposal.chosen.map((c) => ({ lineId: c.lineId, seats: c.seats })),
      },
    });
    expect([apply.statusCode, apply.json<{ code: string }>().code]).toEqual([
      409,
      'REPROGRAM.STALE',
    ]);
    expect(await counts()).toEqual(before);
  });
});

describe('a class full of funded seats', () => {
  it('refuses a funded line beyond its open seats (a wish-list line may ask), and a record below its funded seats', async () => {
    expect((await put('B171005', '2018-06-18', { seats: 2 })).status).toBe(200);
    const before = await counts();
    const over = await addLine(line('2018-06-18', 3, 'A'));
    expect([over.status, over.body.code, over.body.field]).toEqual([
      422,
      'LINE.CLASS_FULL',
      'seats',
    ]);
    expect(over.body.detail).toContain(
      'B171005@2018-06-18 has 2 international seats, 0 of them funded: 2 open',
    );
    expect(await counts()).toEqual(before);
    expect((await addLine(line('2018-06-18', 3, 'B'))).status).toBe(201);
    expect((await addLine(line('2018-06-18', 2, 'A', 'PHL'))).status).toBe(201);
    expect(await classOf('B171005', '2018-06-18')).toMatchObject({
      fundedSeats: 2,
      wishedSeats: 3,
      openSeats: 0,
    });
    const below = await put('B171005', '2018-06-18', { seats: 1 });
    expect([below.status, below.body.code, below.body.field]).toEqual([
      422,
      'CLASS.BELOW_FUNDED',
      'seats',
    ]);
    expect((await classOf('B171005', '2018-06-18'))?.internationalSeats).toBe(2);
  });

  it('gives the last open seat to one of many funded lines sent at once to two servers', async () => {
    expect((await put('B171005', '2018-06-25', { seats: 1 })).status).toBe(200);
    const answers = await Promise.all(
      ['JOR', 'PHL', 'COL', 'MNG', 'JOR', 'PHL'].map((country, i) =>
        addLine(line('2018-06-25', 1, 'A', country), i % 2 === 0 ? app : other),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422, 422, 422, 422, 422]);
    for (const a of answers.filter((x) => x.status === 422))
      expect(a.body.code).toBe('LINE.CLASS_FULL');
    expect(await classOf('B171005', '2018-06-25')).toMatchObject({ fundedSeats: 1, openSeats: 0 });
  });
});

describe('the audit log', () => {
  it('keeps the audit log whole: replayed, it gives the classes as they stand', async () => {
    const verified = await verifyAudit(db.ctx, { deep: true });
    expect(verified.message).toBeUndefined();
    expect(verified.ok).toBe(true);
  });
});
