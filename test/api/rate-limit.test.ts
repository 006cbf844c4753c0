// Rate limits (decision 019): per caller and per address, spent by requests and, more, by batches,
// shared through the database by every server; health is never limited. And the signed-in callers
// each server remembers: forgotten the moment a token is revoked or a session ended, here or on
// another server.
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { DEFAULT_HTTP_POLICY } from '../../src/api/hardening.js';
import { systemActor } from '../../src/core/actor.js';
import { createToken, revokeToken } from '../../src/services/access/account.service.js';
import { RateLimiter, type RateLimits } from '../../src/services/access/rate-limit.service.js';
import { hearsChanges } from '../../src/services/change-feed.js';
import type { AppContext } from '../../src/services/context.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { signedIn, tokenFor } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import {
  localPostgresSkipReason,
  scratchServers,
  type ScratchServers,
} from '../support/local-postgres.js';

/** Waits until `check` holds, and returns how long it took. */
async function until(check: () => Promise<boolean>, limitMs = 3_000): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return performance.now() - started;
}

let db: TestDatabase;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  db = await openTestDatabase('demo');
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await db.close();
});

async function serverWith(limits: RateLimits, ctx: AppContext = db.ctx): Promise<FastifyInstance> {
  const app = await buildApp(ctx, {
    http: { ...DEFAULT_HTTP_POLICY, rateLimits: limits },
    checkResponses: true,
  });
  apps.push(app);
  return app;
}

/** A clock the test moves: milliseconds since the epoch, at the start of a minute. */
function testClock(start = Date.UTC(2030, 0, 1, 0, 0, 0)) {
  const clock = { ms: start, now: () => clock.ms };
  return clock;
}

describe('one rate limiter', () => {
  it('admits a key up to its limit in a minute, then refuses without spending, saying how long to wait', () => {
    const clock = testClock();
    const limiter = new RateLimiter(db.store, { now: clock.now });
    for (let i = 0; i < 10; i++) expect(limiter.take('caller:a', 10).allowed).toBe(true);
    clock.ms += 15_000;
    expect(limiter.take('caller:a', 10)).toEqual({ allowed: false, retryAfterSeconds: 45 });
    // Another key is untouched; a costly request is refused whole when it does not fit.
    expect(limiter.take('caller:b', 10, 10).allowed).toBe(true);
    expect(limiter.take('caller:b', 10, 1).allowed).toBe(false);
    expect(limiter.take('caller:c', 10, 11).allowed).toBe(false);
    expect(limiter.take('caller:c', 10, 10).allowed).toBe(true);
  });

  it('slides: the last minute counts the previous window by the share it still covers', () => {
    const clock = testClock();
    const limiter = new RateLimiter(db.store, { now: clock.now });
    for (let i = 0; i < 10; i++) expect(limiter.take('caller:s', 10).allowed).toBe(true);
    // A quarter into the next window, three quarters of the previous ten still count: 7.5.
    clock.ms += 75_000;
    expect(limiter.take('caller:s', 10).allowed).toBe(true);
    expect(limiter.take('caller:s', 10).allowed).toBe(true);
    const refused = limiter.take('caller:s', 10);
    expect(refused.allowed).toBe(false);
    // 9.5 + 1 is 0.5 over: the previous window drains that much in 3 s.
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 3 });
    // Two minutes on, the slate is clean.
    clock.ms += 120_000;
    for (let i = 0; i < 10; i++) expect(limiter.take('caller:s', 10).allowed).toBe(true);
  });

  it('shares its counts with every other limiter on the database', async () => {
    const clock = testClock(Date.UTC(2031, 0, 1));
    const a = new RateLimiter(db.store, { now: clock.now });
    const b = new RateLimiter(db.store, { now: clock.now });
    for (let i = 0; i < 6; i++) expect(a.take('caller:shared', 10).allowed).toBe(true);
    expect(b.take('caller:shared', 10).allowed).toBe(true);
    await a.flush();
    await b.flush();
    // B now knows A spent 6: 3 more fit, the fourth does not, on either.
    for (let i = 0; i < 3; i++) expect(b.take('caller:shared', 10).allowed).toBe(true);
    expect(b.take('caller:shared', 10).allowed).toBe(false);
    await b.flush();
    await a.flush();
    expect(a.take('caller:shared', 10).allowed).toBe(false);
    await a.close();
    await b.close();
  });
});

describe('rate limits over HTTP', () => {
  let token: Record<string, string>;
  let other: Record<string, string>;
  beforeAll(async () => {
    token = await tokenFor(db.ctx, 'limited', { role: 'analyst' });
    other = await tokenFor(db.ctx, 'unlimited', { role: 'analyst' });
  });

  it('answers 429 RATE.LIMITED with Retry-After past a token’s limit, and serves another token', async () => {
    const app = await serverWith({ perCaller: 5, perAddress: 1000 });
    for (let i = 0; i < 5; i++) {
      const ok = await app.inject({ url: '/api/v1/countries/PAK', headers: token });
      expect(ok.statusCode).toBe(200);
    }
    const refused = await app.inject({ url: '/api/v1/countries/PAK', headers: token });
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.json()).toMatchObject({
      code: 'RATE.LIMITED',
      status: 429,
      detail: expect.stringMatching(/^this API token may spend 5 units a minute/),
      details: { limit: 5 },
    });
    const fine = await app.inject({ url: '/api/v1/countries/PAK', headers: other });
    expect(fine.statusCode).toBe(200);
    // Health answers whatever was spent.
    const health = await app.inject({ url: '/api/v1/health', headers: token });
    expect(health.statusCode).toBe(200);
  });

  it('limits an address before anyone is signed in, and an account’s sessions together', async () => {
    const app = await serverWith({ perCaller: 3, perAddress: 4 });
    for (let i = 0; i < 4; i++)
      expect((await app.inject({ url: '/api/v1/countries' })).statusCode).toBe(401);
    const refused = await app.inject({ url: '/api/v1/countries' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().detail).toMatch(/^the address 127\.0\.0\.1 may spend 4 units a minute/);
    // Another address (behind no trusted proxy, X-Forwarded-For is ignored: still refused).
    const forwarded = await app.inject({
      url: '/api/v1/countries',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(forwarded.statusCode).toBe(429);
    const fromElsewhere = await app.inject({ url: '/api/v1/countries', remoteAddress: '10.1.2.3' });
    expect(fromElsewhere.statusCode).toBe(401);

    const first = await signedIn(db.ctx, 'browser-user', { role: 'analyst' });
    const second = await signedIn(db.ctx, 'browser-user', { role: 'analyst' });
    const from = '10.9.9.9';
    for (const session of [first, second, first])
      expect(
        (
          await app.inject({
            url: '/api/v1/countries',
            headers: session.headers,
            remoteAddress: from,
          })
        ).statusCode,
      ).toBe(200);
    const past = await app.inject({
      url: '/api/v1/countries',
      headers: second.headers,
      remoteAddress: from,
    });
    expect(past.statusCode).toBe(429);
    expect(past.json().detail).toMatch(/^this account may spend 3 units a minute/);
  });

  it('charges a batch one unit more per 100 questions, before it is validated', async () => {
    const app = await serverWith({ perCaller: 30, perAddress: 1000 });
    // Its own token: other servers of this file share their counts through the database.
    const batcher = await tokenFor(db.ctx, 'batcher', { role: 'analyst' });
    const batch = (n: number) => ({
      method: 'POST' as const,
      url: '/api/v1/eligibility/batch',
      headers: batcher,
      payload: {
        queries: Array.from({ length: n }, () => ({
          country: 'PAK',
          program: 'IMET',
          on: '2019-06-01',
        })),
      },
    });
    // 1 + 20 units, then 1 + 5: 27 of 30.
    expect((await app.inject(batch(2000))).statusCode).toBe(200);
    expect((await app.inject(batch(450))).statusCode).toBe(200);
    // 1 + 3 would make 31.
    const refused = await app.inject(batch(300));
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'RATE.LIMITED' });
  });

  it('decides batches one at a time, every one answered, an abandoned one giving its turn back', async () => {
    const app = await serverWith({ perCaller: 1e9, perAddress: 1e9 });
    const caller = await tokenFor(db.ctx, 'many-batches', { role: 'analyst' });
    const batch = (n: number) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/eligibility/batch',
        headers: caller,
        payload: {
          queries: Array.from({ length: n }, (_, i) => ({
            country: i % 2 === 0 ? 'PAK' : 'THA',
            program: 'IMET',
            on: '2019-06-01',
          })),
        },
      });
    // A refused batch (a bad question) gives its turn back too.
    const bad = app.inject({
      method: 'POST',
      url: '/api/v1/eligibility/batch',
      headers: caller,
      payload: { queries: [{ country: 'ZZZ', program: 'IMET', on: '2019-06-01' }] },
    });
    const answers = await Promise.all([batch(1200), bad, batch(700), batch(3)]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 404, 200, 200]);
    expect(answers[0].json<{ decisions: unknown[] }>().decisions).toHaveLength(1200);
    expect((await batch(2)).statusCode).toBe(200);
  });

  it('shares a caller’s spending between two servers on one database', async () => {
    const a = await serverWith({ perCaller: 4, perAddress: 1000 });
    const b = await serverWith({ perCaller: 4, perAddress: 1000 });
    const caller = await tokenFor(db.ctx, 'two-servers', { role: 'analyst' });
    for (let i = 0; i < 3; i++)
      expect((await a.inject({ url: '/api/v1/countries', headers: caller })).statusCode).toBe(200);
    // B has not seen this caller: it admits (the overshoot is bounded by one flush interval) and
    // reads the shared count at its next flush, with A's three and its own.
    expect((await b.inject({ url: '/api/v1/countries', headers: caller })).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const refused = await b.inject({ url: '/api/v1/countries', headers: caller });
    expect(refused.statusCode).toBe(429);
  });

  it('documents 429 on every operation but health', async () => {
    const app = await serverWith({ perCaller: 100, perAddress: 100 });
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    for (const [path, operations] of Object.entries(doc.paths))
      for (const [method, operation] of Object.entries(operations))
        expect('429' in operation.responses, `${method.toUpperCase()} ${path} documents 429`).toBe(
          path !== '/api/v1/health',
        );
  });
});

describe('remembered callers on this server', () => {
  it('refuses a token the moment it is revoked, and a session the moment it is ended', async () => {
    const app = await serverWith({ perCaller: 1e9, perAddress: 1e9 });
    await signedIn(db.ctx, 'revoker', { role: 'analyst' });
    const created = await createToken(db.ctx, systemActor('test'), {
      email: 'revoker@attache.test',
    });
    if (!created.ok) throw new Error(created.error.message);
    const bearer = { authorization: `Bearer ${created.value.token}` };
    for (let i = 0; i < 3; i++)
      expect((await app.inject({ url: '/api/v1/countries', headers: bearer })).statusCode).toBe(
        200,
      );
    const revoked = await revokeToken(db.ctx, systemActor('test'), created.value.id);
    expect(revoked.ok).toBe(true);
    expect((await app.inject({ url: '/api/v1/countries', headers: bearer })).statusCode).toBe(401);

    const session = await signedIn(db.ctx, 'leaver', { role: 'analyst' });
    expect(
      (await app.inject({ url: '/api/v1/countries', headers: session.headers })).statusCode,
    ).toBe(200);
    const out = await app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: session.headers,
    });
    expect(out.statusCode).toBe(204);
    expect(
      (await app.inject({ url: '/api/v1/countries', headers: session.headers })).statusCode,
    ).toBe(401);
  });
});

describe('remembered callers and SQL run beside the application', () => {
  it('hears a revocation written in SQL by this process, on either database', async () => {
    const app = await serverWith({ perCaller: 1e9, perAddress: 1e9 });
    const bearer = await tokenFor(db.ctx, 'sql-revoked', { role: 'analyst' });
    await until(async () => {
      await app.inject({ url: '/api/v1/countries', headers: bearer });
      return hearsChanges(db.store);
    });
    expect((await app.inject({ url: '/api/v1/countries', headers: bearer })).statusCode).toBe(200);
    await queryRows(
      db.store.db,
      sql`update api_tokens set revoked_at = now()
          where user_id = (select id from users where email = 'sql-revoked@attache.test')
          returning 1`,
    );
    // Embedded: heard before the statement returns; PostgreSQL: when the notification arrives.
    await until(
      async () =>
        (await app.inject({ url: '/api/v1/countries', headers: bearer })).statusCode === 401,
    );
  });
});

const skipReason = await localPostgresSkipReason();
if (skipReason !== undefined) console.warn(`two-server credential tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)(
  'remembered callers on two servers on one PostgreSQL',
  () => {
    let servers: ScratchServers;
    let a: AppContext;
    let b: AppContext;
    let serverB: FastifyInstance;

    beforeAll(async () => {
      servers = await scratchServers('attache_cred', 2);
      [a, b] = servers.contexts as [AppContext, AppContext];
      serverB = await buildApp(b);
    });
    afterAll(async () => {
      await serverB?.close();
      await servers?.close();
    });

    const statusOnB = async (headers: Record<string, string>) =>
      (await serverB.inject({ url: '/api/v1/countries', headers })).statusCode;

    it('reads a token once, not on every request: it answers from memory until told', async () => {
      const bearer = await tokenFor(a, 'cached', { role: 'analyst' });
      // Remembered once B listens (its first request opens the listening connection).
      expect(await statusOnB(bearer)).toBe(200);
      await until(() => Promise.resolve(hearsChanges(b.store)));
      expect(await statusOnB(bearer)).toBe(200);
      const admin = new pg.Client({ connectionString: servers.url });
      await admin.connect();
      try {
        // A revocation no notification announces (the trigger off): B goes on answering from
        // memory, which shows it does not read the token per request.
        await admin.query('alter table api_tokens disable trigger api_tokens_changed');
        await admin.query(
          `update api_tokens set revoked_at = now()
           where user_id = (select id from users where email = 'cached@attache.test')`,
        );
        for (let i = 0; i < 5; i++) expect(await statusOnB(bearer)).toBe(200);
        // Any announced change of access makes it read again.
        await admin.query('alter table api_tokens enable trigger api_tokens_changed');
        await admin.query(`select pg_notify('attache_changes', 'access')`);
        await until(async () => (await statusOnB(bearer)) === 401);
      } finally {
        await admin.query('alter table api_tokens enable trigger api_tokens_changed');
        await admin.end();
      }
    });

    it('forgets a token revoked, a session ended and an account disabled on the other server', async () => {
      const bearer = await tokenFor(a, 'revoked-elsewhere', { role: 'analyst' });
      expect(await statusOnB(bearer)).toBe(200);
      const admin = new pg.Client({ connectionString: servers.url });
      await admin.connect();
      try {
        // Outside the application's road too: the trigger notifies whoever wrote.
        await admin.query(
          `update api_tokens set revoked_at = now()
         where user_id = (select id from users where email = 'revoked-elsewhere@attache.test')`,
        );
        const ms = await until(async () => (await statusOnB(bearer)) === 401);
        console.info(`revoked token refused by the other server ${ms.toFixed(1)} ms after commit`);

        const session = await signedIn(a, 'session-elsewhere', { role: 'analyst' });
        expect(await statusOnB(session.headers)).toBe(200);
        await admin.query(`delete from sessions where user_id =
        (select id from users where email = 'session-elsewhere@attache.test')`);
        await until(async () => (await statusOnB(session.headers)) === 401);

        const disabled = await tokenFor(a, 'disabled-elsewhere', { role: 'analyst' });
        expect(await statusOnB(disabled)).toBe(200);
        await admin.query(
          `update users set disabled_at = now() where email = 'disabled-elsewhere@attache.test'`,
        );
        await until(async () => (await statusOnB(disabled)) === 401);
      } finally {
        await admin.end();
      }
    });
  },
);
