// Signing in and staying signed in (DESIGN §2, SCENARIOS 23–24): sessions with their CSRF token,
// API tokens revoked and expired, lockout and its end, one answer for every wrong credential,
// sessions shared by two servers, and what the demo's SCO for Pakistan and its analyst see.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { systemActor } from '../../src/core/actor.js';
import { createToken, revokeToken } from '../../src/services/access/account.service.js';
import { contextOver } from '../../src/services/context.js';
import { createDemoAccounts, type DemoAccount } from '../../src/services/demo/demo-accounts.js';
import { openStore, type Store } from '../../src/store/database.js';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/store/raw-sql.js';
import { signedIn } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let app: FastifyInstance;
let now = '2020-07-01T12:00:00.000Z';
let accounts: DemoAccount[];

beforeAll(async () => {
  db = await openTestDatabase('demo', {
    clock: () => now,
    access: {
      sessionIdleMinutes: 30,
      sessionMaxHours: 12,
      loginMaxFailures: 3,
      addressMaxFailures: 1000,
      loginLockMinutes: 15,
    },
  });
  app = await buildApp(db.ctx);
  const made = await createDemoAccounts(db.ctx, systemActor('demo'));
  if (!made.ok || made.value === null) throw new Error('demo accounts not made');
  accounts = made.value;
});
beforeEach(() => {
  now = '2020-07-01T12:00:00.000Z';
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const account = (role: string) => accounts.find((a) => a.role === role)!;

function cookieOf(res: LightMyRequestResponse): string {
  const set = res.cookies.find((c) => c.name === 'attache_session');
  if (set === undefined) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`);
  return `attache_session=${set.value}`;
}

async function signIn(email: string, password: string, instance = app) {
  const res = await instance.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password },
  });
  return res;
}

async function session(role: string) {
  const res = await signIn(account(role).email, account(role).password);
  expect(res.statusCode, res.body).toBe(200);
  return { cookie: cookieOf(res), csrf: res.json<{ csrfToken: string }>().csrfToken };
}

describe('demo accounts', () => {
  it('are one per role, made once, never again while any account exists', async () => {
    expect(accounts.map((a) => a.role).sort()).toEqual([
      'admin',
      'analyst',
      'imso',
      'program-manager',
      'sco',
    ]);
    expect(account('sco').scope).toBe('PAK');
    expect(new Set(accounts.map((a) => a.password)).size).toBe(5);
    expect(await createDemoAccounts(db.ctx, systemActor('demo'))).toEqual({
      ok: true,
      value: null,
    });
  });
});

describe('a session', () => {
  it('signs in with the cookie httpOnly and SameSite=Strict, says who, and ends at sign-out', async () => {
    const res = await signIn(account('sco').email, account('sco').password);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'attache_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // The CSRF token also in a cookie the page reads after a reload; the header still carries it.
    const csrf = res.cookies.find((c) => c.name === 'attache_csrf')!;
    expect(csrf).toMatchObject({ sameSite: 'Strict', path: '/' });
    expect(csrf.httpOnly).toBeFalsy();
    expect(csrf.value).toBe(res.json<{ csrfToken: string }>().csrfToken);
    const headers = { cookie: cookieOf(res) };
    const who = await app.inject({ url: '/api/v1/session', headers });
    expect(who.json()).toEqual({
      actor: 'user:sco.pak@demo.attache',
      role: 'sco',
      capabilities: ['training.write', 'students.write'],
      countries: ['PAK'],
      schools: [],
    });
    expect(
      (await app.inject({ method: 'DELETE', url: '/api/v1/session', headers })).statusCode,
    ).toBe(204);
    expect((await app.inject({ url: '/api/v1/session', headers })).statusCode).toBe(401);
  });

  it('refuses a cookie-signed write without its CSRF token, and takes it with', async () => {
    const { cookie, csrf } = await session('sco');
    const payload = { country: 'PAK', familyName: 'CSRF', givenNames: 'Test' };
    const without = await app.inject({
      method: 'POST',
      url: '/api/v1/students',
      headers: { cookie },
      payload,
    });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ code: 'ACCESS.CSRF' });
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/students',
      headers: { cookie, 'x-csrf-token': 'csrf_wrong' },
      payload,
    });
    expect(wrong.statusCode).toBe(403);
    const right = await app.inject({
      method: 'POST',
      url: '/api/v1/students',
      headers: { cookie, 'x-csrf-token': csrf },
      payload,
    });
    expect(right.statusCode, right.body).toBe(201);
  });

  it('is a new one at every sign-in: the cookie sent with it stops working', async () => {
    const first = await session('analyst');
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { cookie: first.cookie },
      payload: { email: account('analyst').email, password: account('analyst').password },
    });
    expect(again.statusCode).toBe(200);
    expect(cookieOf(again)).not.toBe(first.cookie);
    expect(
      (await app.inject({ url: '/api/v1/session', headers: { cookie: first.cookie } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ url: '/api/v1/session', headers: { cookie: cookieOf(again) } }))
        .statusCode,
    ).toBe(200);
  });

  it('ends when idle, and at its absolute expiry even when used', async () => {
    const idle = await session('analyst');
    now = '2020-07-01T12:31:00.000Z';
    expect(
      (await app.inject({ url: '/api/v1/session', headers: { cookie: idle.cookie } })).statusCode,
    ).toBe(401);
    const busy = await session('analyst');
    // Used every 25 minutes (never idle) for 11 h 55 min: still signed in.
    const start = Date.parse(now);
    for (let minutes = 0; minutes <= 11 * 60 + 55; minutes += 25) {
      now = new Date(start + minutes * 60_000).toISOString();
      const res = await app.inject({ url: '/api/v1/session', headers: { cookie: busy.cookie } });
      expect(res.statusCode, now).toBe(200);
    }
    // 12 h 5 min after sign-in, 10 minutes after its last use: ended by the absolute expiry.
    now = new Date(start + (12 * 60 + 5) * 60_000).toISOString();
    expect(
      (await app.inject({ url: '/api/v1/session', headers: { cookie: busy.cookie } })).statusCode,
    ).toBe(401);
    now = '2020-07-01T12:00:00.000Z';
  });

  it('is shared by a second server on the same database', async () => {
    const { cookie } = await session('program-manager');
    let otherStore: Store | undefined;
    const other = await buildApp(
      db.url === undefined
        ? contextOver(db.store, { clock: () => now, access: db.ctx.access })
        : contextOver((otherStore = await openStore({ kind: 'postgres', url: db.url })), {
            clock: () => now,
            access: db.ctx.access,
          }),
    );
    try {
      const res = await other.inject({ url: '/api/v1/session', headers: { cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ actor: 'user:pm@demo.attache' });
    } finally {
      await other.close();
      await otherStore?.close();
    }
  });
});

describe('bad credentials', () => {
  it('answer the same for an unknown login and a wrong password, and lock after 3 failures until the window ends', async () => {
    const unknown = await signIn('nobody@demo.attache', 'whatever');
    const wrong = await signIn(account('imso').email, 'not-the-password');
    expect([unknown.statusCode, wrong.statusCode]).toEqual([401, 401]);
    const strip = (r: LightMyRequestResponse) => ({ ...r.json<object>(), instance: undefined });
    expect(strip(unknown)).toEqual(strip(wrong));
    expect(wrong.cookies).toEqual([]);
    await signIn(account('imso').email, 'not-the-password');
    await signIn(account('imso').email, 'not-the-password');
    const locked = await signIn(account('imso').email, account('imso').password);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const lockedUnknown = await signIn('nobody@demo.attache', 'x');
    await signIn('nobody@demo.attache', 'x');
    expect((await signIn('nobody@demo.attache', 'x')).statusCode).toBe(429);
    expect(lockedUnknown.statusCode).toBe(401);
    now = '2020-07-01T12:16:00.000Z';
    expect((await signIn(account('imso').email, account('imso').password)).statusCode).toBe(200);
    now = '2020-07-01T12:00:00.000Z';
  });

  it.each([
    ['no header', {}],
    ['a malformed bearer', { authorization: 'Bearer' }],
    ['an unknown token', { authorization: `Bearer att_${'A'.repeat(43)}` }],
    ['another scheme', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
    ['a malformed cookie', { cookie: 'attache_session=%%%' }],
    ['an unknown session', { cookie: `attache_session=ses_${'A'.repeat(43)}` }],
    ['a NUL in the token', { authorization: 'Bearer att_\u0000' }],
  ])('refuse %s with 401 and no word of which part failed', async (_name, headers) => {
    const res = await app.inject({ url: '/api/v1/countries/PAK', headers });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      code: 'ACCESS.UNAUTHENTICATED',
      detail:
        'sign in (POST /api/v1/session) or send a valid API token: Authorization: Bearer <token>',
    });
  });
});

describe('API tokens', () => {
  it('work until revoked, and not after their expiry', async () => {
    const pm = await signedIn(db.ctx, 'token-owner', { role: 'program-manager' });
    const made = await createToken(db.ctx, systemActor('test'), {
      email: pm.email,
      expires: '2020-07-03',
    });
    if (!made.ok) throw new Error(made.error.message);
    const headers = { authorization: `Bearer ${made.value.token}` };
    expect((await app.inject({ url: '/api/v1/session', headers })).json()).toMatchObject({
      actor: `user:${pm.email}/token:${made.value.id}`,
    });
    // Used ten seconds before it expires, then at its expiry: remembered, and refused all the same.
    now = '2020-07-02T23:59:50.000Z';
    expect((await app.inject({ url: '/api/v1/session', headers })).statusCode).toBe(200);
    now = '2020-07-03T00:00:00.000Z';
    expect((await app.inject({ url: '/api/v1/session', headers })).statusCode).toBe(401);
    now = '2020-07-01T12:00:00.000Z';
    expect((await app.inject({ url: '/api/v1/session', headers })).statusCode).toBe(200);
    expect((await revokeToken(db.ctx, systemActor('test'), made.value.id)).ok).toBe(true);
    expect((await app.inject({ url: '/api/v1/session', headers })).statusCode).toBe(401);
    expect(await revokeToken(db.ctx, systemActor('test'), made.value.id)).toMatchObject({
      ok: false,
      error: { reason: 'TOKEN.REVOKED' },
    });
  });

  it('may not be made by anyone but an admin, nor for an unknown user', async () => {
    expect(
      await createToken(db.ctx, { id: 'user:pm', role: 'program-manager' }, { email: 'x@y.org' }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await createToken(db.ctx, systemActor('test'), { email: 'ghost@demo.attache' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'email' },
    });
  });
});

describe('the demo SCO for Pakistan and the analyst (SCENARIOS 23, 24)', () => {
  it('SCO: Pakistan’s students and seats, none of any other country, and "not found" for a Jordanian', async () => {
    const { cookie } = await session('sco');
    const headers = { cookie };
    const pakSeats = (
      await app.inject({ url: '/api/v1/seats?country=PAK&fy=2020', headers })
    ).json<{ items: unknown[] }>().items;
    expect(pakSeats.length).toBeGreaterThan(0);
    expect(
      (await app.inject({ url: '/api/v1/seats?country=JOR&fy=2020', headers })).json(),
    ).toMatchObject({ items: [], total: 0, byStatus: [] });
    const analyst = await session('analyst');
    const jorSeats = (
      await app.inject({
        url: '/api/v1/seats?country=JOR&fy=2020',
        headers: { cookie: analyst.cookie },
      })
    ).json<{ items: { id: string; studentId: string | null }[] }>().items;
    const jordanian = jorSeats.find((s) => s.studentId !== null)!;
    for (const url of [
      `/api/v1/students/${jordanian.studentId}`,
      `/api/v1/seats/${jordanian.id}`,
      `/api/v1/seats/${jordanian.id}/gates`,
    ]) {
      const res = await app.inject({ url, headers });
      expect(res.statusCode, url).toBe(404);
      expect((await app.inject({ url, headers: { cookie: analyst.cookie } })).statusCode, url).toBe(
        200,
      );
    }
    const pakistani = await app.inject({ url: '/api/v1/students?name=KHAN', headers });
    const khan = pakistani.json<{ items: { id: string }[] }>().items[0]!;
    // Reading a student's record is itself on the audit chain, by who read it; a refusal is not.
    const reads = () =>
      queryRows<{ entity_id: string; actor: string }>(
        db.store.db,
        sql`select entity_id, actor from audit_log where action = 'read' order by seq`,
      );
    const before = (await reads()).length;
    expect((await app.inject({ url: `/api/v1/students/${khan.id}`, headers })).statusCode).toBe(
      200,
    );
    expect((await reads()).slice(before)).toEqual([
      { entity_id: khan.id, actor: 'user:sco.pak@demo.attache' },
    ]);
    const byName = `/api/v1/students?name=AL-MAJALI`;
    expect((await app.inject({ url: byName, headers })).json()).toEqual({ items: [], total: 0 });
    const everyone = await app.inject({ url: byName, headers: { cookie: analyst.cookie } });
    expect(everyone.json<{ items: { country: string }[] }>().items).toEqual([
      expect.objectContaining({ country: 'JOR' }),
    ]);
  });

  it('analyst: reads every country and writes nothing, on any write route', async () => {
    const { cookie, csrf } = await session('analyst');
    const headers = { cookie, 'x-csrf-token': csrf };
    const writes = [
      ['POST', '/api/v1/students', { country: 'PAK', familyName: 'X', givenNames: 'Y' }],
      [
        'POST',
        '/api/v1/allocations',
        { country: 'PAK', program: 'IMET', fiscalYear: 2031, amountCents: 1, reason: 'r' },
      ],
      [
        'POST',
        '/api/v1/restrictions',
        {
          country: 'PAK',
          kind: 'policy',
          scope: ['IMET'],
          from: '2031-01-01',
          basis: 'b',
          authority: 'a',
        },
      ],
    ] as const;
    for (const [method, url, payload] of writes) {
      const res = await app.inject({ method, url, headers, payload });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toMatchObject({ code: 'ACCESS.FORBIDDEN' });
    }
  });
});
