// Allocations over the demo data, in memory (app.inject), on the suite's backend: set, adjust with
// history, the congressional notification rules and their $25,000 IMET exemption, pending changes.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocationRoutes } from '../../src/api/allocation.routes.js';
import { buildApp } from '../../src/api/server.js';
import { actAs, injectAnonymously, signedIn } from '../support/accounts.js';
import type { IsoDate } from '../../src/core/dates.js';
import { listCurrentAllocations } from '../../src/store/allocation.repository.js';
import { countAuditEntries, readAuditPage } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let app: FastifyInstance;
let now = '2026-11-27T12:00:00.000Z';

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: () => now });
  for (const name of ['alice', 'bob'])
    callers.set(name, (await signedIn(db.ctx, name, { role: 'program-manager' })).headers);
  app = actAs(
    await buildApp(db.ctx),
    (await signedIn(db.ctx, 'analyst', { role: 'analyst' })).headers,
  );
  // Registered here until server.ts registers it (the app is not ready yet, so it still may).
  if (!app.hasRoute({ method: 'GET', url: '/api/v1/allocations' }))
    await app.register(allocationRoutes(db.ctx), { prefix: '/api/v1' });
});
afterAll(async () => {
  await app.close();
  await db.close();
});

function tick(instant: string): void {
  now = instant;
}

interface Notification {
  id: string;
  notifiedOn: string;
  waitDays: number;
  windowEndsOn: string;
}
interface Allocation {
  id: string;
  country: string;
  program: string;
  fiscalYear: number;
  amountCents: number;
  effectiveFrom: string;
  reason: string;
  notificationId: string | null;
  notification: Notification | null;
  recordedAt: string;
  supersededAt: string | null;
  recordedBy: string;
}
interface Change {
  allocation: Allocation;
  pending: boolean;
  previousAmountCents: number | null;
  notification: Notification | null;
  exemption: string | null;
  superseded: string[];
}
interface Year {
  fiscalYear: number;
  inForce: Allocation | null;
  pending: Allocation[];
  history: Allocation[];
}
interface View {
  country: string;
  program: string;
  asOf: string;
  fiscalYears: Year[];
}

interface Body {
  country: string;
  program: string;
  fiscalYear: number;
  amountCents: number;
  reason: string;
  notified?: string;
  waitDays?: number;
}

/** Program managers by name, signed in on first use. */
const callers = new Map<string, Record<string, string>>();

async function post(
  body: Partial<Record<keyof Body, unknown>>,
  actor: string | null = 'user:alice',
) {
  const request = { method: 'POST' as const, url: '/api/v1/allocations', payload: body };
  if (actor === null) return injectAnonymously(app, request);
  const name = actor.replace(/^user:/, '').replace(/@attache\.test$/, '');
  let headers = callers.get(name);
  if (headers === undefined) {
    headers = (await signedIn(db.ctx, name, { role: 'program-manager' })).headers;
    callers.set(name, headers);
  }
  return app.inject({ ...request, headers });
}

async function set(body: Body, actor = 'user:alice@attache.test'): Promise<Change> {
  const res = await post(body, actor);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Change>();
}

async function year(country: string, program: string, fy: number, on?: string): Promise<Year> {
  const res = await app.inject(
    `/api/v1/allocations?country=${country}&program=${program}&fy=${fy}${on === undefined ? '' : `&on=${on}`}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  const view = res.json<View>();
  expect(view.fiscalYears).toHaveLength(1);
  return view.fiscalYears[0]!;
}

/** What a refusal must leave untouched: audit entries, allocation versions, notifications. */
async function counts() {
  const [row] = await queryRows<{ allocations: number; notifications: number }>(
    db.store.db,
    sql`select (select count(*) from allocations)::int as "allocations",
               (select count(*) from congressional_notifications)::int as "notifications"`,
  );
  return { audit: await countAuditEntries(db.store.db), ...row };
}

async function auditAfter(seq: number) {
  return readAuditPage(db.store.db, seq, 100);
}

describe('GET /api/v1/allocations', () => {
  it('shows the demo FY2008 IMET for Pakistan in force since the enacted budget table, with its one version; the later tables, not enacted, give none', async () => {
    const res = await app.inject('/api/v1/allocations?country=pak&program=IMET');
    expect(res.statusCode).toBe(200);
    const view = res.json<View>();
    expect(view).toMatchObject({ country: 'PAK', program: 'IMET', asOf: '2026-11-27' });
    expect(view.fiscalYears.map((y) => y.fiscalYear)).toEqual([2008]);
    const fy2008 = view.fiscalYears[0]!;
    expect(fy2008.inForce).toMatchObject({
      amountCents: 212_900_000,
      effectiveFrom: '1950-01-01',
      recordedBy: 'system:demo',
      supersededAt: null,
      notification: null,
      budgetStage: 'enacted',
    });
    expect(fy2008.pending).toEqual([]);
    expect(fy2008.history).toEqual([fy2008.inForce]);
  });

  it('is documented in the OpenAPI', async () => {
    const spec = (await app.inject('/api/v1/openapi.json')).json<{ paths: object }>();
    expect(Object.keys(spec.paths)).toContain('/api/v1/allocations');
  });
});

describe('setting and adjusting an allocation', () => {
  const fy2018 = { country: 'PAK', program: 'IMET', fiscalYear: 2018 };
  let first: Change;
  let second: Change;

  it('records the first allocation of a FY at once, without a notification, and audits it', async () => {
    tick('2026-11-27T12:00:00.000Z');
    const mark = await countAuditEntries(db.store.db);
    first = await set({ ...fy2018, amountCents: 400_000_000, reason: 'FY2018 IMET as justified' });
    expect(first).toMatchObject({
      pending: false,
      exemption: 'first-allocation',
      notification: null,
      previousAmountCents: null,
      superseded: [],
      allocation: {
        country: 'PAK',
        program: 'IMET',
        fiscalYear: 2018,
        amountCents: 400_000_000,
        effectiveFrom: '2026-11-27',
        recordedAt: '2026-11-27T12:00:00.000Z',
        recordedBy: 'user:alice@attache.test',
        supersededAt: null,
      },
    });
    const [entry, ...more] = await auditAfter(mark);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      action: 'allocation.set',
      entityType: 'allocation',
      entityId: first.allocation.id,
      actor: 'user:alice@attache.test',
      before: null,
      reason: 'FY2018 IMET as justified',
    });
    expect(JSON.parse(entry!.after!)).toMatchObject({ amountCents: 400_000_000 });
  });

  it('adjusts it the next day: a new version in force from then, both versions kept with who and when', async () => {
    tick('2026-11-28T09:00:00.000Z');
    const mark = await countAuditEntries(db.store.db);
    second = await set(
      { ...fy2018, amountCents: 402_499_999, reason: 'reprogrammed $24,999.99 from FMF' },
      'user:bob@attache.test',
    );
    expect(second).toMatchObject({
      pending: false,
      exemption: 'imet-under-25000',
      previousAmountCents: 400_000_000,
      superseded: [],
      allocation: {
        amountCents: 402_499_999,
        effectiveFrom: '2026-11-28',
        recordedBy: 'user:bob@attache.test',
      },
    });
    const entries = await auditAfter(mark);
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.before!)).toMatchObject({ id: first.allocation.id });
    expect(entries[0]).toMatchObject({ action: 'allocation.set', actor: 'user:bob@attache.test' });

    const y = await year('PAK', 'IMET', 2018);
    expect(y.inForce?.id).toBe(second.allocation.id);
    expect(
      y.history.map((v) => [v.amountCents, v.effectiveFrom, v.recordedBy, v.recordedAt]),
    ).toEqual([
      [400_000_000, '2026-11-27', 'user:alice@attache.test', '2026-11-27T12:00:00.000Z'],
      [402_499_999, '2026-11-28', 'user:bob@attache.test', '2026-11-28T09:00:00.000Z'],
    ]);
    // Valid time: on the 27th the first amount was in force, as we know now.
    expect((await year('PAK', 'IMET', 2018, '2026-11-27')).inForce?.amountCents).toBe(400_000_000);
  });

  it('corrects a change the same day: the version of that date is superseded, not overwritten', async () => {
    tick('2026-11-28T15:00:00.000Z');
    const mark = await countAuditEntries(db.store.db);
    const fix = await set({ ...fy2018, amountCents: 402_000_000, reason: 'typo in the amount' });
    expect(fix.superseded).toEqual([second.allocation.id]);
    expect(fix.previousAmountCents).toBe(402_499_999);
    const y = await year('PAK', 'IMET', 2018);
    expect(y.inForce).toMatchObject({ id: fix.allocation.id, amountCents: 402_000_000 });
    expect(y.history).toHaveLength(3);
    expect(y.history.find((v) => v.id === second.allocation.id)).toMatchObject({
      amountCents: 402_499_999,
      supersededAt: '2026-11-28T15:00:00.000Z',
    });
    expect(y.history.find((v) => v.id === first.allocation.id)?.supersededAt).toBeNull();
    const entries = await auditAfter(mark);
    expect(entries.map((e) => [e.action, e.entityId])).toEqual([
      ['allocation.supersede', second.allocation.id],
      ['allocation.set', fix.allocation.id],
    ]);
    expect(JSON.parse(entries[0]!.after!)).toMatchObject({
      supersededAt: '2026-11-28T15:00:00.000Z',
    });
  });
});

describe('the congressional notification rule', () => {
  const india = { country: 'IND', program: 'IMET', fiscalYear: 2008 };

  it.each([
    ['+$25,000.00', 134_500_000 + 2_500_000],
    ['-$25,000.00', 134_500_000 - 2_500_000],
  ])(
    'refuses an IMET change of %s without a notification (422 naming notified); nothing written',
    async (_, amountCents) => {
      tick('2026-11-27T12:00:00.000Z');
      const before = await counts();
      const res = await post({ ...india, amountCents, reason: 'reprogramming' });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({
        code: 'ALLOCATION.NOTIFICATION_REQUIRED',
        field: 'notified',
        details: { fromCents: 134_500_000, toCents: amountCents, exemptBelowCents: 2_500_000 },
      });
      expect(await counts()).toEqual(before);
    },
  );

  it('exempts an IMET change of $24,999.99 for a country already justified that FY', async () => {
    const change = await set({ ...india, amountCents: 136_999_999, reason: 'small reprogramming' });
    expect(change).toMatchObject({ exemption: 'imet-under-25000', pending: false });
    expect((await year('IND', 'IMET', 2008)).inForce?.amountCents).toBe(136_999_999);
  });

  it('requires a notification for any change of another program, even one cent', async () => {
    const before = await counts();
    const res = await post({
      country: 'PAK',
      program: 'FMF',
      fiscalYear: 2008,
      amountCents: 29_757_000_001,
      reason: 'rounding',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'ALLOCATION.NOTIFICATION_REQUIRED',
      field: 'notified',
    });
    expect(await counts()).toEqual(before);
  });

  it('does not exempt a small IMET change while the country is not yet justified for that FY', async () => {
    const jordan = { country: 'JOR', program: 'IMET', fiscalYear: 2019 };
    const notified = await set({
      ...jordan,
      amountCents: 400_000_000,
      reason: 'FY2019 IMET, notified',
      notified: '2026-11-20',
    });
    expect(notified).toMatchObject({ pending: true, exemption: 'first-allocation' });
    const res = await post({ ...jordan, amountCents: 400_000_100, reason: 'small change' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'ALLOCATION.NOTIFICATION_REQUIRED',
      details: { fromCents: null },
    });
  });
});

describe('a notified change', () => {
  const egypt = { country: 'EGY', program: 'IMET', fiscalYear: 2008 };
  let change: Change;

  it('is pending until its waiting period ends, with its notification recorded and audited', async () => {
    tick('2026-11-27T12:00:00.000Z');
    const mark = await countAuditEntries(db.store.db);
    change = await set({
      ...egypt,
      amountCents: 200_000_000,
      reason: 'additional FY2008 IMET for Egypt',
      notified: '2026-11-27',
    });
    expect(change).toMatchObject({
      pending: true,
      exemption: null,
      previousAmountCents: 123_700_000,
      notification: { notifiedOn: '2026-11-27', waitDays: 15, windowEndsOn: '2026-12-12' },
      allocation: { amountCents: 200_000_000, effectiveFrom: '2026-12-12' },
    });
    expect(change.allocation.notificationId).toBe(change.notification!.id);
    const entries = await auditAfter(mark);
    expect(entries.map((e) => [e.action, e.entityId])).toEqual([
      ['notification.record', change.notification!.id],
      ['allocation.set', change.allocation.id],
    ]);

    const today = await year('EGY', 'IMET', 2008);
    expect(today.inForce?.amountCents).toBe(123_700_000);
    expect(today.pending).toHaveLength(1);
    expect(today.pending[0]).toMatchObject({
      id: change.allocation.id,
      effectiveFrom: '2026-12-12',
      notification: { id: change.notification!.id, windowEndsOn: '2026-12-12' },
    });
  });

  it.each([
    ['2026-12-11', 123_700_000, 1],
    ['2026-12-12', 200_000_000, 0],
  ])('as of %s: %d in force, %d pending', async (on, cents, pending) => {
    const y = await year('EGY', 'IMET', 2008, on);
    expect(y.inForce?.amountCents).toBe(cents);
    expect(y.pending).toHaveLength(pending);
  });

  it('is in force once the clock passes the window end', async () => {
    tick('2026-12-12T00:00:01.000Z');
    const y = await year('EGY', 'IMET', 2008);
    expect(y.inForce?.id).toBe(change.allocation.id);
    expect(y.pending).toEqual([]);
  });
});

describe('the country view with a change pending', () => {
  it('still shows FY2008 IMET of $2,129,000 for Pakistan, once', async () => {
    // Far ahead of both this test's clock and the real date, so the change is pending whichever
    // clock the country read judges "today" by.
    tick('2090-01-10T12:00:00.000Z');
    const change = await set({
      country: 'PAK',
      program: 'IMET',
      fiscalYear: 2008,
      amountCents: 500_000_000,
      reason: 'increase',
      notified: '2090-01-10',
    });
    expect(change.pending).toBe(true);
    const res = await app.inject('/api/v1/countries/PAK');
    expect(res.statusCode).toBe(200);
    const fy2008 = res
      .json<{ imetAllocations: { fy: number; cents: number }[] }>()
      .imetAllocations.filter((a) => a.fy === 2008);
    expect(fy2008).toEqual([{ fy: 2008, cents: 212_900_000, currency: 'USD' }]);

    const inForce = async (on: string) =>
      (await listCurrentAllocations(db.store.db, 'PAK', 'IMET', on as IsoDate)).filter(
        (a) => a.fiscalYear === 2008,
      );
    expect(await inForce('2090-01-24')).toEqual([{ fiscalYear: 2008, amountCents: 212_900_000 }]);
    expect(await inForce('2090-01-25')).toEqual([{ fiscalYear: 2008, amountCents: 500_000_000 }]);
  });
});

describe('bad input', () => {
  const valid = {
    country: 'PAK',
    program: 'IMET',
    fiscalYear: 2019,
    amountCents: 100,
    reason: 'FY2019',
  };

  it.each<[string, Record<string, unknown>, number, string]>([
    ['an unknown country', { country: 'XYZ' }, 404, 'country'],
    ['a malformed country', { country: 'PAKI' }, 404, 'country'],
    ['an unknown program', { program: 'ABC' }, 400, 'program'],
    ['a FY before 1950', { fiscalYear: 1949 }, 400, 'fiscalYear'],
    ['a FY after 2100', { fiscalYear: 2101 }, 400, 'fiscalYear'],
    ['a fractional FY', { fiscalYear: 2018.5 }, 400, 'fiscalYear'],
    ['a negative amount', { amountCents: -1 }, 400, 'amountCents'],
    ['a fractional amount', { amountCents: 1.5 }, 400, 'amountCents'],
    ['a non-numeric amount', { amountCents: '100' }, 400, 'amountCents'],
    ['an empty reason', { reason: '  ' }, 400, 'reason'],
    ['an impossible notification date', { notified: '2026-02-30' }, 400, 'notified'],
    ['a waiting period without a notification', { waitDays: 10 }, 400, 'waitDays'],
    ['a negative waiting period', { notified: '2026-11-27', waitDays: -1 }, 400, 'waitDays'],
  ])('refuses %s naming the field; nothing written', async (_, change, status, field) => {
    const before = await counts();
    const res = await post({ ...valid, ...change });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status, field });
    expect(await counts()).toEqual(before);
  });

  it('refuses a write from no one signed in', async () => {
    const before = await counts();
    const res = await post(valid, null);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'ACCESS.UNAUTHENTICATED' });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['country=XYZ&program=IMET', 404, 'country'],
    ['country=PAK&program=ABC', 400, 'program'],
    ['country=PAK&program=IMET&fy=1900', 400, 'fy'],
    ['country=PAK&program=IMET&fy=abc', 400, 'fy'],
    ['country=PAK&program=IMET&on=2026-13-01', 400, 'on'],
  ])('answers GET ?%s with %d naming %s', async (query, status, field) => {
    const res = await app.inject(`/api/v1/allocations?${query}`);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ status, field });
  });
});
