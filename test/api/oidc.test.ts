// Single sign-on (decision 011) against a real OpenID Connect provider run by the test: the whole
// flow over HTTP (redirect, the provider's login and consent forms, callback), claims mapped to a
// role and scopes, accounts made, updated and linked on the one audited road, and every flawed
// callback answered 401 with nothing written.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import type { CustomFetch } from 'openid-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { systemActor } from '../../src/core/actor.js';
import { addUser } from '../../src/services/access/account.service.js';
import { singleSignOn } from '../../src/services/access/sso.service.js';
import { contextOver } from '../../src/services/context.js';
import { openStore, type Store } from '../../src/store/database.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import {
  signOnAtProvider,
  startTestProvider,
  type TestProvider,
} from '../support/oidc-provider.js';

let db: TestDatabase;
let idp: TestProvider;
let app: FastifyInstance;
/** Added to the real time: ID tokens are checked against the real clock, flows against this one. */
let skewMs = 0;
const clock = () => new Date(Date.now() + skewMs).toISOString();
/** A Pakistani and a Jordanian student of the demo. */
let pakStudent: string;
let jorStudent: string;

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock });
  idp = await startTestProvider();
  app = await buildApp(db.ctx, { sso: singleSignOn(idp.settings()) });
  const first = async (iso3: string) => {
    const [row] = await queryRows<{ id: string }>(
      db.store.db,
      sql`select id from students where country_iso3 = ${iso3} order by id limit 1`,
    );
    if (row === undefined) throw new Error(`no ${iso3} student in the demo`);
    return row.id;
  };
  pakStudent = await first('PAK');
  jorStudent = await first('JOR');
}, 120_000);
beforeEach(() => {
  skewMs = 0;
});
afterAll(async () => {
  await app?.close();
  await idp?.close();
  await db?.close();
});

function account(login: string, claims: Record<string, unknown>): string {
  idp.accounts.set(login, { email: `${login}@agency.gov`, email_verified: true, ...claims });
  return `${login}@agency.gov`;
}

function cookie(res: LightMyRequestResponse, name: string): string | undefined {
  return res.cookies.find((c) => c.name === name)?.value;
}

/** GET /session/oidc: the provider's URL and the flow cookie bound to this "browser". */
async function start(instance = app) {
  const res = await instance.inject({ url: '/api/v1/session/oidc' });
  expect(res.statusCode, res.body).toBe(302);
  const flow = cookie(res, 'attache_sso');
  if (flow === undefined) throw new Error('no flow cookie');
  return { res, location: String(res.headers.location), flowCookie: `attache_sso=${flow}` };
}

function callback(path: string, flowCookie: string | undefined, instance = app, headers = {}) {
  return instance.inject({
    url: path,
    headers: { ...(flowCookie === undefined ? {} : { cookie: flowCookie }), ...headers },
  });
}

/** The whole sign-on as `login`: start here, sign in at the provider, come back. */
async function signOn(login: string, instance = app) {
  const started = await start(instance);
  return callback(await signOnAtProvider(started.location, login), started.flowCookie, instance);
}

/** The headers of the session a successful callback opened. */
function sessionOf(res: LightMyRequestResponse): Record<string, string> {
  const secret = cookie(res, 'attache_session');
  const csrf = cookie(res, 'attache_csrf');
  if (secret === undefined || csrf === undefined)
    throw new Error(`no session: ${res.statusCode} ${res.body}`);
  return { cookie: `attache_session=${secret}`, 'x-csrf-token': csrf };
}

async function counts() {
  const [row] = await queryRows<{ users: number; audit: number; sessions: number }>(
    db.store.db,
    sql`select (select count(*)::int from users) as users,
          (select count(*)::int from audit_log) as audit,
          (select count(*)::int from sessions) as sessions`,
  );
  return row!;
}

async function auditOf(email: string) {
  return queryRows<{ actor: string; action: string; after: string }>(
    db.store.db,
    sql`select a.actor, a.action, a.after from audit_log a join users u on u.id = a.entity_id
        where u.email = ${email} and a.entity_type = 'user' order by a.seq`,
  );
}

describe('the sign-in page', () => {
  it('is offered single sign-on with the provider’s name when configured, and not otherwise', async () => {
    expect((await app.inject({ url: '/api/v1/session/providers' })).json()).toEqual({
      providers: [{ id: 'oidc', name: 'Test IdP', url: '/api/v1/session/oidc' }],
    });
    const plain = await buildApp(db.ctx);
    try {
      expect((await plain.inject({ url: '/api/v1/session/providers' })).json()).toEqual({
        providers: [],
      });
      const off = await plain.inject({ url: '/api/v1/session/oidc' });
      expect(off.statusCode).toBe(404);
      expect(off.json()).toMatchObject({ code: 'SSO.NOT_CONFIGURED' });
    } finally {
      await plain.close();
    }
  });
});

describe('a sign-on', () => {
  it('redirects with PKCE, state and nonce, and a flow cookie only the callback gets', async () => {
    const { res, location } = await start();
    const url = new URL(location);
    expect(url.origin).toBe(idp.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'attache-test',
      response_type: 'code',
      redirect_uri: 'http://127.0.0.1:8080/api/v1/session/oidc/callback',
      scope: 'openid email profile attache',
      code_challenge_method: 'S256',
    });
    for (const p of ['state', 'nonce', 'code_challenge'])
      expect(url.searchParams.get(p)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.cookies.find((c) => c.name === 'attache_sso')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
      path: '/api/v1/session/oidc/callback',
    });
  });

  it('signs an SCO for Pakistan in: a session like a password’s, reads Pakistan only, made on the audited road', async () => {
    const email = account('sco-pak', {
      name: 'Ayesha Khan',
      attache_role: 'sco',
      attache_countries: ['PAK'],
    });
    const res = await signOn('sco-pak');
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/');
    expect(res.cookies.find((c) => c.name === 'attache_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
    });
    expect(res.cookies.find((c) => c.name === 'attache_csrf')).toMatchObject({ path: '/' });
    expect(res.cookies.find((c) => c.name === 'attache_csrf')?.httpOnly).not.toBe(true);
    const headers = sessionOf(res);
    expect((await app.inject({ url: '/api/v1/session', headers })).json()).toEqual({
      actor: `user:${email}`,
      role: 'sco',
      capabilities: ['training.write', 'students.write'],
      countries: ['PAK'],
      schools: [],
    });
    const own = await app.inject({ url: `/api/v1/students/${pakStudent}`, headers });
    expect(own.statusCode).toBe(200);
    const foreign = await app.inject({ url: `/api/v1/students/${jorStudent}`, headers });
    expect(foreign.statusCode).toBe(404);
    // The CSRF token the page reads from its cookie lets it write.
    const wrote = await app.inject({
      method: 'POST',
      url: '/api/v1/students',
      headers,
      payload: { country: 'PAK', familyName: 'SSO', givenNames: 'Written' },
    });
    expect(wrote.statusCode, wrote.body).toBe(201);
    const audit = await auditOf(email);
    expect(audit.map((a) => [a.actor, a.action])).toEqual([[`user:${email}`, 'user.create']]);
    expect(JSON.parse(audit[0]!.after)).toMatchObject({
      email,
      displayName: 'Ayesha Khan',
      role: 'sco',
      countries: ['PAK'],
      sso: true,
    });
  });

  it('takes the provider’s word again at the next sign-on: scopes replaced, the change audited', async () => {
    const email = account('sco-two', { attache_role: 'sco', attache_countries: ['PAK'] });
    expect((await signOn('sco-two')).statusCode).toBe(302);
    account('sco-two', { attache_role: 'sco', attache_countries: ['AFG', 'JOR'] });
    const again = await signOn('sco-two');
    const headers = sessionOf(again);
    expect((await app.inject({ url: '/api/v1/session', headers })).json()).toMatchObject({
      role: 'sco',
      countries: ['AFG', 'JOR'],
    });
    expect((await app.inject({ url: `/api/v1/students/${pakStudent}`, headers })).statusCode).toBe(
      404,
    );
    expect((await app.inject({ url: `/api/v1/students/${jorStudent}`, headers })).statusCode).toBe(
      200,
    );
    const audit = await auditOf(email);
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'user.sso-update']);
    expect(JSON.parse(audit[1]!.after)).toMatchObject({ countries: ['AFG', 'JOR'] });
    // Unchanged claims: a sign-in like any other, no entry.
    expect((await signOn('sco-two')).statusCode).toBe(302);
    expect(await auditOf(email)).toHaveLength(2);
  });

  it('makes an admin of an admin claim', async () => {
    account('chief', { attache_role: 'admin', attache_countries: ['PAK'] });
    const res = await signOn('chief');
    expect(
      (await app.inject({ url: '/api/v1/session', headers: sessionOf(res) })).json(),
    ).toMatchObject({ role: 'admin', countries: [] });
  });

  it.each([
    ['a role Attaché does not have', { attache_role: 'wizard' }, 'SSO.NO_ROLE'],
    ['an SCO without a country', { attache_role: 'sco' }, 'SSO.NO_SCOPE'],
    [
      'a country Attaché does not know',
      { attache_role: 'sco', attache_countries: ['XYZ'] },
      'SSO.UNKNOWN_SCOPE',
    ],
  ])('refuses %s with 403 and writes nothing', async (_, claims, code) => {
    const login = `refused-${code.toLowerCase().replace(/\W/g, '-')}`;
    account(login, claims);
    const before = await counts();
    const res = await signOn(login);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code });
    expect(cookie(res, 'attache_session')).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it('shows a browser a page that says why, not JSON', async () => {
    account('no-role-page', { attache_role: 'visitor' });
    const started = await start();
    const path = await signOnAtProvider(started.location, 'no-role-page');
    const res = await callback(path, started.flowCookie, app, { accept: 'text/html' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('grants you no Attaché role');
    expect(res.body).toContain('<a href="/">Back to sign-in</a>');
  });

  it('refuses a disabled account with 403', async () => {
    const email = account('gone', { attache_role: 'analyst' });
    expect((await signOn('gone')).statusCode).toBe(302);
    await db.store.db.execute(sql`update users set disabled_at = now() where email = ${email}`);
    const before = await counts();
    const res = await signOn('gone');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'SSO.DISABLED' });
    expect(await counts()).toEqual(before);
  });

  it('works across two servers on one database: started on one, finished on the other', async () => {
    account('two-servers', { attache_role: 'analyst' });
    let otherStore: Store | undefined;
    const other = await buildApp(
      db.url === undefined
        ? contextOver(db.store, { clock, access: db.ctx.access })
        : contextOver((otherStore = await openStore({ kind: 'postgres', url: db.url })), {
            clock,
            access: db.ctx.access,
          }),
      { sso: singleSignOn(idp.settings()) },
    );
    try {
      const started = await start(app);
      const path = await signOnAtProvider(started.location, 'two-servers');
      const res = await callback(path, started.flowCookie, other);
      expect(res.statusCode, res.body).toBe(302);
      const who = await app.inject({ url: '/api/v1/session', headers: sessionOf(res) });
      expect(who.json()).toMatchObject({ actor: 'user:two-servers@agency.gov' });
    } finally {
      await other.close();
      await otherStore?.close();
    }
  });
});

describe('an account an admin made', () => {
  it('is joined only when the provider vouches for the email; its password then stops working', async () => {
    const added = await addUser(db.ctx, systemActor('test'), {
      email: 'made@agency.gov',
      role: 'analyst',
    });
    if (!added.ok) throw new Error(added.error.message);
    const password = added.value.password;
    idp.accounts.set('made', {
      email: 'made@agency.gov',
      email_verified: false,
      attache_role: 'program-manager',
    });
    const before = await counts();
    const unverified = await signOn('made');
    expect(unverified.statusCode).toBe(403);
    expect(unverified.json()).toMatchObject({ code: 'SSO.EMAIL_UNVERIFIED' });
    expect(await counts()).toEqual(before);
    const signIn = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { email: 'made@agency.gov', password },
      });
    expect((await signIn()).statusCode).toBe(200);

    idp.accounts.set('made', { ...idp.accounts.get('made'), email_verified: true });
    const linked = await signOn('made');
    expect(linked.statusCode, linked.body).toBe(302);
    expect(
      (await app.inject({ url: '/api/v1/session', headers: sessionOf(linked) })).json(),
    ).toMatchObject({ actor: 'user:made@agency.gov', role: 'program-manager' });
    expect((await signIn()).statusCode).toBe(401);
    const audit = await auditOf('made@agency.gov');
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'user.sso-link']);
    expect(JSON.parse(audit[1]!.after)).toMatchObject({ sso: true, password: false });
  });

  it('is never joined by a second person at the provider with the same email', async () => {
    account('first-holder', { attache_role: 'analyst', email: 'shared@agency.gov' });
    expect((await signOn('first-holder')).statusCode).toBe(302);
    account('second-holder', { attache_role: 'admin', email: 'shared@agency.gov' });
    const res = await signOn('second-holder');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'SSO.LINKED_ELSEWHERE' });
  });
});

describe('a flawed callback', () => {
  /** A sign-on up to the provider's redirect back: the callback path and the flow cookie. */
  async function upToCallback(login: string, claims: Record<string, unknown> = {}) {
    account(login, { attache_role: 'analyst', ...claims });
    const started = await start();
    return { path: await signOnAtProvider(started.location, login), flow: started.flowCookie };
  }

  async function expectRefused(res: Promise<LightMyRequestResponse>, before: object) {
    const answer = await res;
    expect(answer.statusCode, answer.body).toBe(401);
    expect(answer.json()).toEqual({
      type: '/problems/sso-not-completed',
      title: 'Not signed in',
      status: 401,
      detail: 'single sign-on did not complete: start again from the sign-in page',
      code: 'SSO.NOT_COMPLETED',
      instance: '/api/v1/session/oidc/callback',
    });
    expect(cookie(answer, 'attache_session')).toBeUndefined();
    expect(await counts()).toEqual(before);
  }

  it('with a wrong state is 401, and its flow is spent', async () => {
    const { path, flow } = await upToCallback('bad-state');
    const before = await counts();
    const wrong = path.replace(/state=[^&]+/, 'state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await expectRefused(callback(wrong, flow), before);
    await expectRefused(callback(path, flow), before);
  });

  it('without the flow cookie, or another browser’s, is 401', async () => {
    const { path } = await upToCallback('no-cookie');
    const other = await start();
    const before = await counts();
    await expectRefused(callback(path, undefined), before);
    await expectRefused(callback(path, other.flowCookie), { ...before });
  });

  it('replayed (the same code again) is 401', async () => {
    const { path, flow } = await upToCallback('replay');
    expect((await callback(path, flow)).statusCode).toBe(302);
    const before = await counts();
    await expectRefused(callback(path, flow), before);
    // Even with a fresh flow of this browser: the provider has spent the code.
    const fresh = await start();
    const state = new URL(fresh.location).searchParams.get('state')!;
    await expectRefused(
      callback(path.replace(/state=[^&]+/, `state=${state}`), fresh.flowCookie),
      before,
    );
  });

  it('after the flow expired (10 minutes) is 401', async () => {
    const { path, flow } = await upToCallback('late');
    skewMs = 11 * 60_000;
    const before = await counts();
    await expectRefused(callback(path, flow), before);
  });

  /** An app whose token responses carry an ID token changed by `change`. */
  async function withIdToken(change: (token: string, claims: Record<string, unknown>) => string) {
    const tampering: CustomFetch = async (url, options) => {
      const response = await fetch(url, options as RequestInit);
      if (!url.endsWith('/token') || response.status !== 200) return response;
      const body = (await response.json()) as { id_token: string };
      const claims = JSON.parse(
        Buffer.from(body.id_token.split('.')[1]!, 'base64url').toString(),
      ) as Record<string, unknown>;
      return Response.json({ ...body, id_token: change(body.id_token, claims) });
    };
    return buildApp(db.ctx, { sso: singleSignOn(idp.settings(), { fetch: tampering }) });
  }

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    [
      'a tampered signature',
      (t: string) => `${t.slice(0, -4)}${t.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`,
    ],
    [
      'a tampered payload',
      (t: string, c: Record<string, unknown>) =>
        [
          t.split('.')[0],
          Buffer.from(JSON.stringify({ ...c, sub: 'someone-else' })).toString('base64url'),
          t.split('.')[2],
        ].join('.'),
    ],
    [
      'another issuer',
      (_: string, c: Record<string, unknown>) => idp.sign({ ...c, iss: 'http://127.0.0.1:1' }),
    ],
    [
      'another audience',
      (_: string, c: Record<string, unknown>) => idp.sign({ ...c, aud: 'another-client' }),
    ],
    [
      'an expired token',
      (_: string, c: Record<string, unknown>) =>
        idp.sign({ ...c, iat: now() - 7200, exp: now() - 3600 }),
    ],
    [
      'another nonce',
      (_: string, c: Record<string, unknown>) => idp.sign({ ...c, nonce: 'not-this-flow' }),
    ],
  ])('with an ID token with %s is 401', async (_, change) => {
    const tampered = await withIdToken(change);
    try {
      account('forged', { attache_role: 'admin' });
      const started = await start(tampered);
      const path = await signOnAtProvider(started.location, 'forged');
      const before = await counts();
      await expectRefused(callback(path, started.flowCookie, tampered), before);
    } finally {
      await tampered.close();
    }
  });

  it('the control: the same app, the token untouched, signs in', async () => {
    const untouched = await withIdToken((token) => token);
    try {
      account('forged-control', { attache_role: 'analyst' });
      const res = await signOn('forged-control', untouched);
      expect(res.statusCode, res.body).toBe(302);
    } finally {
      await untouched.close();
    }
  });
});

describe('a provider that is down', () => {
  it('answers 503 with a clear message at the start, and no stack', async () => {
    const down = await buildApp(db.ctx, {
      sso: singleSignOn(idp.settings({ ATTACHE_OIDC_ISSUER: 'http://127.0.0.1:9' })),
    });
    try {
      const res = await down.inject({ url: '/api/v1/session/oidc' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        type: '/problems/sso-unavailable',
        title: 'Service unavailable',
        status: 503,
        detail:
          'Test IdP cannot be reached now: try again later, or sign in with a password if you have one',
        code: 'SSO.UNAVAILABLE',
        instance: '/api/v1/session/oidc',
      });
    } finally {
      await down.close();
    }
  });

  it('answers 503 when it fails at the token exchange, writing nothing', async () => {
    const failing: CustomFetch = async (url, options) =>
      url.endsWith('/token')
        ? new Response('<h1>Bad gateway</h1>', {
            status: 502,
            headers: { 'content-type': 'text/html' },
          })
        : fetch(url, options as RequestInit);
    const flaky = await buildApp(db.ctx, { sso: singleSignOn(idp.settings(), { fetch: failing }) });
    try {
      account('flaky', { attache_role: 'analyst' });
      const started = await start(flaky);
      const path = await signOnAtProvider(started.location, 'flaky');
      const before = await counts();
      const res = await callback(path, started.flowCookie, flaky);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'SSO.UNAVAILABLE' });
      expect(await counts()).toEqual(before);
    } finally {
      await flaky.close();
    }
  });
});
