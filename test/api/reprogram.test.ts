// GET /api/v1/reprogramming over the demo (issue 17): Pakistan's $2,411,130 released in August 2018
// proposed to the invented FY2018 lists of five countries, every funded list passing its checks,
// the pool and Egypt's PME floor binding; nothing written; conflicts named; bad input refused.
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { contextOver } from '../../src/services/context.js';
import { openStore, type Store } from '../../src/store/database.js';
import { verifyAudit } from '../../src/services/audit/audit.service.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { actAs, signedIn } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

interface Answer {
  on: string;
  onReason: string;
  sources: { country: string; cents: number }[];
  basis: string;
  proposal: {
    poolCents: number;
    usedCents: number;
    leftCents: number;
    value: number;
    status: string;
    chosen: {
      lineId: string;
      country: string;
      courseId: string;
      classStart: string;
      seats: number;
      seatsLeft: number;
      costCents: number;
    }[];
    grants: { country: string; cents: number; ownCents: number }[];
    binding: { rule: string; subject: string; shadowPrice: number }[];
    notChosen: { lineId: string; country: string; seats: number; rule: string }[];
    greedy: { value: number; usedCents: number };
  } | null;
  conflicts: { rule: string; subject: string; message: string }[];
  listsAfter: {
    country: string;
    allocationCents: number;
    priorityACents: number;
    pmeCents: number;
    priorityAWithinAllocation: boolean;
    pmeAtLeastHalf: boolean;
  }[];
}

let db: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  db = await openTestDatabase('demo');
  const pm = await signedIn(db.ctx, 'pm', { role: 'program-manager' });
  app = actAs(await buildApp(db.ctx), pm.headers);
}, 120_000);
afterAll(async () => {
  await app.close();
  await db.close();
});

const get = async (url: string, headers?: Record<string, string>) => {
  const res = await app.inject(headers === undefined ? { url } : { url, headers });
  return { status: res.statusCode, body: res.json<Answer & { code?: string; field?: string }>() };
};

async function counts() {
  const [row] = await queryRows<{
    audit: number;
    seats: number;
    lines: number;
    allocations: number;
  }>(
    db.store.db,
    sql`select (select count(*) from audit_log)::int as audit, (select count(*) from seats)::int as seats,
               (select count(*) from training_lines)::int as lines, (select count(*) from allocations)::int as allocations`,
  );
  return row!;
}

describe('GET /api/v1/reprogramming on the demo', () => {
  it("proposes a use of Pakistan's released $2,411,130 that keeps every list rule, and says what binds", async () => {
    const before = await counts();
    const { status, body } = await get('/api/v1/reprogramming?fy=2018&pool=released');
    expect(status).toBe(200);
    expect(body.on).toBe('2018-08-01');
    expect(body.sources).toEqual([{ country: 'PAK', cents: 241_113_000 }]);
    const p = body.proposal!;
    expect(p.poolCents).toBe(241_113_000);
    expect(p.status).toBe('optimal');
    expect(p.usedCents + p.leftCents).toBe(241_113_000);
    // The pool is spent but for less than any unfunded seat costs.
    expect(p.leftCents).toBeLessThan(2_549_000);
    expect(p.grants.reduce((n, g) => n + g.cents, 0)).toBe(p.usedCents);
    expect(p.value).toBeGreaterThanOrEqual(p.greedy.value);
    expect(new Set(p.chosen.map((c) => c.country))).toEqual(
      new Set(['COL', 'EGY', 'JOR', 'MNG', 'PHL']),
    );
    // Every funded list as the proposal leaves it passes both money rules of the list check.
    expect(body.listsAfter).toHaveLength(5);
    for (const list of body.listsAfter) {
      expect(list.priorityAWithinAllocation).toBe(true);
      expect(list.pmeAtLeastHalf).toBe(true);
      expect(list.priorityACents).toBeLessThanOrEqual(list.allocationCents);
      expect(list.pmeCents * 2).toBeGreaterThanOrEqual(list.allocationCents);
    }
    // What binds: the pool and Egypt's PME floor (its PME lines are barely half its allocation),
    // each at a price; and the War College's August class, whose six international seats the
    // proposal fills (the demo records them), so a seat Jordan or Mongolia asks there stays
    // unfunded (either is optimal).
    const binding = p.binding.map((b) => `${b.rule} ${b.subject}`);
    expect(binding).toEqual(
      expect.arrayContaining([
        'POOL pool',
        'PME_AT_LEAST_HALF EGY',
        'CLASS_CAPACITY B171801@2018-08-13',
      ]),
    );
    for (const b of p.binding)
      if (b.rule !== 'CLASS_CAPACITY') expect(b.shadowPrice).toBeGreaterThan(0);
    const awc = p.chosen.filter((c) => c.courseId === 'B171801' && c.classStart === '2018-08-13');
    expect(awc.reduce((n, c) => n + c.seats, 0)).toBe(6);
    expect(p.notChosen.filter((n) => n.rule === 'CLASS_CAPACITY')).toEqual([
      expect.objectContaining({ country: expect.stringMatching(/^(JOR|MNG)$/), seats: 1 }),
    ]);
    expect(
      p.notChosen
        .filter((n) => n.country === 'EGY' && n.rule !== 'PRIORITY_B_ONLY')
        .map((n) => n.rule),
    ).toEqual(['PME_AT_LEAST_HALF', 'PME_AT_LEAST_HALF']);
    // Pakistan's own lines are priority A and ineligible: none takes money.
    expect(p.chosen.some((c) => c.country === 'PAK')).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('gives end-of-year money only to PME and E-IMET lines', async () => {
    const { status, body } = await get('/api/v1/reprogramming?fy=2018&pool=end-of-year');
    expect(status).toBe(200);
    const p = body.proposal!;
    const technical = p.notChosen.filter((n) => n.rule === 'END_OF_YEAR_LINES');
    expect(technical.length).toBeGreaterThan(0);
    for (const t of technical) expect(p.chosen.some((c) => c.lineId === t.lineId)).toBe(false);
  });

  it('holds kept lines, and names the rules that conflict when they cannot all be funded', async () => {
    const all = (await get('/api/v1/reprogramming?fy=2018')).body.proposal!;
    const egypt = all.notChosen
      .filter((n) => n.country === 'EGY' && n.rule === 'PME_AT_LEAST_HALF')
      .map((n) => n.lineId);
    expect(egypt).toHaveLength(2);
    const kept = await get(`/api/v1/reprogramming?fy=2018&keep=${egypt[0]}:1`);
    expect(kept.status).toBe(200);
    expect(kept.body.proposal!.chosen.find((c) => c.lineId === egypt[0])?.seats).toBe(1);
    const conflict = await get(`/api/v1/reprogramming?fy=2018&keep=${egypt.join(',')}`);
    expect(conflict.status).toBe(200);
    expect(conflict.body.proposal).toBeNull();
    const rules = conflict.body.conflicts.map((c) => `${c.rule} ${c.subject}`);
    expect(rules).toContain('PME_AT_LEAST_HALF EGY');
    expect(rules).toEqual(expect.arrayContaining(egypt.map((id) => `REQUIRED_SEATS ${id}`)));
  });

  it('refuses bad input naming the field, and roles that do not see every country', async () => {
    for (const [url, field] of [
      ['/api/v1/reprogramming', 'fy'],
      ['/api/v1/reprogramming?fy=2018&pool=spare', 'pool'],
      ['/api/v1/reprogramming?fy=2018&on=2018-02-30', 'on'],
      ['/api/v1/reprogramming?fy=2018&keep=a%20b', 'keep'],
      ['/api/v1/reprogramming?fy=2018&keep=tl_none', 'keep'],
      ['/api/v1/reprogramming?fy=2018&timeLimit=0', 'timeLimit'],
      ['/api/v1/reprogramming?fy=2018&timeLimit=1e9', 'timeLimit'],
    ] as const) {
      const { status, body } = await get(url);
      expect([url, status, body.field]).toEqual([url, 400, field]);
    }
    expect((await get('/api/v1/reprogramming?fy=2018&country=ZZZ')).status).toBe(404);
    const sco = await signedIn(db.ctx, 'sco-jor', { role: 'sco', countries: ['JOR'] });
    const refused = await get('/api/v1/reprogramming?fy=2018', sco.headers);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('REPROGRAM.ALL_COUNTRIES');
  });
});

describe('POST /api/v1/reprogramming: applying a proposal', () => {
  let fresh: TestDatabase;
  let server: FastifyInstance;
  let other: FastifyInstance | undefined;
  let otherStore: Store | undefined;

  beforeAll(async () => {
    fresh = await openTestDatabase('demo');
    const pm = await signedIn(fresh.ctx, 'pm', { role: 'program-manager' });
    server = actAs(await buildApp(fresh.ctx), pm.headers);
    // A second server on the same database: its own store on PostgreSQL.
    if (fresh.url !== undefined) {
      otherStore = await openStore({ kind: 'postgres', url: fresh.url });
      other = actAs(await buildApp(contextOver(otherStore)), pm.headers);
    }
  }, 120_000);
  afterAll(async () => {
    await other?.close();
    await otherStore?.close();
    await server.close();
    await fresh.close();
  });

  const propose = async () => {
    const res = await server.inject('/api/v1/reprogramming?fy=2018');
    expect(res.statusCode).toBe(200);
    return res.json<Answer & { basis: string }>();
  };
  const applyBody = (answer: Answer & { basis: string }, more: object = {}) => ({
    fy: 2018,
    basis: answer.basis,
    lines: answer.proposal!.chosen.map((c) => ({ lineId: c.lineId, seats: c.seats })),
    ...more,
  });
  const freshCounts = async () => {
    const [row] = await queryRows<{ audit: number; lines: number; allocations: number }>(
      fresh.store.db,
      sql`select (select count(*) from audit_log)::int as audit,
                 (select count(*) from training_lines)::int as lines,
                 (select count(*) from allocations)::int as allocations`,
    );
    return row!;
  };

  it('refuses without the notification a change of $25,000 or more needs, writing nothing', async () => {
    const before = await freshCounts();
    const answer = await propose();
    const res = await server.inject({
      method: 'POST',
      url: '/api/v1/reprogramming',
      payload: applyBody(answer),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ field: string }>().field).toBe('notified');
    expect(await freshCounts()).toEqual(before);
  });

  it('refuses a proposal whose record has moved since', async () => {
    // A new priority B line makes every earlier proposal stale.
    const answer = await propose();
    const added = await server.inject({
      method: 'POST',
      url: '/api/v1/lines',
      payload: {
        country: 'JOR',
        fiscalYear: 2018,
        course: 'P176019',
        seats: 1,
        classStart: '2018-09-17',
        priority: 'B',
        program: 'IMET',
      },
    });
    expect(added.statusCode).toBe(201);
    const stale = await server.inject({
      method: 'POST',
      url: '/api/v1/reprogramming',
      payload: applyBody(answer, { notified: '2018-08-02' }),
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<{ code: string }>().code).toBe('REPROGRAM.STALE');
  });

  it('programs the lines and raises the allocations once when two servers apply it at once; every funded list then passes', async () => {
    const answer = await propose();
    const body = applyBody(answer, { notified: '2018-08-02' });
    const answers = await Promise.all(
      [server, other ?? server].map((s) =>
        s.inject({ method: 'POST', url: '/api/v1/reprogramming', payload: body }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    const res = answers.find((a) => a.statusCode === 201)!;
    const [count] = await queryRows<{ n: number }>(
      fresh.store.db,
      sql`select count(*)::int as n from reprogrammings`,
    );
    expect(count!.n).toBe(1);
    const applied = res.json<{
      usedCents: number;
      lines: { lineId: string; fundedLineId: string; seats: number }[];
      allocations: { country: string; fromCents: number; toCents: number; effectiveFrom: string }[];
      sources: { country: string; cents: number }[];
    }>();
    expect(applied.usedCents).toBe(answer.proposal!.usedCents);
    expect(applied.sources).toEqual([{ country: 'PAK', cents: answer.proposal!.usedCents }]);
    expect(applied.lines).toHaveLength(answer.proposal!.chosen.length);
    // Changes of $25,000 or more wait out the notification's 15 days.
    expect(applied.allocations.find((a) => a.country === 'JOR')?.effectiveFrom).toBe('2018-08-17');
    for (const country of ['COL', 'EGY', 'JOR', 'MNG', 'PHL']) {
      const check = await server.inject(`/api/v1/programs/${country}/2018/check`);
      expect([country, check.json<{ ok: boolean }>().ok]).toEqual([country, true]);
    }
    // The money moved is not proposed again.
    const again = await propose();
    expect(again.sources).toEqual([
      { country: 'PAK', cents: 241_113_000 - answer.proposal!.usedCents },
    ]);
    // Every funded seat is in a priority A line now.
    for (const line of applied.lines) {
      const [row] = await queryRows<{ priority: string; seats: number }>(
        fresh.store.db,
        sql`select priority, seat_count as seats from training_lines where id = ${line.fundedLineId}`,
      );
      expect(row).toEqual({ priority: 'A', seats: line.seats });
      if (line.fundedLineId === line.lineId) continue;
      // A line funded in part was split: the rest stays priority B, its seats kept, none lost.
      const chosen = answer.proposal!.chosen.find((c) => c.lineId === line.lineId)!;
      const [rest] = await queryRows<{ priority: string; seats: number; rows: number }>(
        fresh.store.db,
        sql`select l.priority, l.seat_count as seats,
                   (select count(*)::int from seats s where s.line_id = l.id) as rows
            from training_lines l where l.id = ${line.lineId}`,
      );
      expect(rest).toEqual({ priority: 'B', seats: chosen.seatsLeft, rows: chosen.seatsLeft });
    }
    // Every change is in the audit log: the log replayed gives the records as they stand.
    const verified = await verifyAudit(fresh.ctx, { deep: true });
    expect(verified.message).toBeUndefined();
    expect(verified.ok).toBe(true);
  });
});
