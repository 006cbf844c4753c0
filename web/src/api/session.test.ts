// Signing in and out through the client: the CSRF token on writes, refusals in people's words.
import { describe, expect, it, vi } from 'vitest';
import { createApi, type ApiOptions } from './client.js';
import { signIn, signOnProviders, signOut, whoAmI } from './session.js';

type Route = (request: Request) => Response | Promise<Response>;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
  });

const user = {
  id: 'usr_1',
  email: 'analyst@attache.test',
  displayName: 'Analyst',
  role: 'analyst',
  countries: [],
  schools: [],
  sso: false,
  disabled: false,
  createdAt: '2026-11-27T12:00:00.000Z',
};

const signedIn = json(200, { user, csrfToken: 'tok-1', expiresAt: '2026-11-28T00:00:00.000Z' });

/** A server answering `METHOD /path` from `routes` (404 otherwise), and the requests it saw. */
function server(routes: Record<string, Route>, options: Partial<ApiOptions> = {}) {
  const seen: Request[] = [];
  const fetch = vi.fn(async (request: Request) => {
    seen.push(request);
    const route = routes[`${request.method} ${new URL(request.url).pathname}`];
    return route === undefined ? json(404, { title: 'Not found' }) : route(request.clone());
  });
  return { api: createApi({ baseUrl: 'http://attache.test', fetch, ...options }), seen };
}

const csrfOf = (request: Request | undefined) => request?.headers.get('x-csrf-token') ?? null;

describe('the CSRF token', () => {
  it('goes with every write after a password sign-in, never with a read, and not after sign-out', async () => {
    const { api, seen } = server({
      'POST /api/v1/session': () => signedIn.clone(),
      'GET /api/v1/session': () =>
        json(200, { actor: 'user:a', role: 'analyst', countries: [], schools: [] }),
      'DELETE /api/v1/session': () => new Response(null, { status: 204 }),
    });
    expect(await signIn(api, 'analyst@attache.test', 'secret')).toEqual({ ok: true });
    expect(await whoAmI(api)).toMatchObject({ ok: true });
    expect(await signOut(api)).toEqual({ ok: true, value: undefined });
    expect(await signOut(api)).toEqual({ ok: true, value: undefined });
    expect(seen.map((r) => [r.method, csrfOf(r)])).toEqual([
      ['POST', null],
      ['GET', null],
      ['DELETE', 'tok-1'],
      ['DELETE', null],
    ]);
  });

  it('is read from the cookie a single sign-on left when the page never signed in itself', async () => {
    const { api, seen } = server(
      { 'DELETE /api/v1/session': () => new Response(null, { status: 204 }) },
      { cookies: () => 'theme=dark; attache_csrf=a%2Bb%3D' },
    );
    expect(await signOut(api)).toEqual({ ok: true, value: undefined });
    expect(csrfOf(seen[0])).toBe('a+b=');
  });
});

describe('signIn', () => {
  it('posts the credentials as JSON', async () => {
    const { api, seen } = server({ 'POST /api/v1/session': () => signedIn.clone() });
    await signIn(api, 'analyst@attache.test', 'pass word');
    expect(seen[0]?.headers.get('content-type')).toBe('application/json');
    expect(await seen[0]?.json()).toEqual({ email: 'analyst@attache.test', password: 'pass word' });
  });

  it.each<[string, Route, string]>([
    ['401', () => json(401, { title: 'Not signed in', detail: 'no' }), 'Wrong email or password.'],
    ['429', () => json(429, { title: 'Too many requests' }), 'Too many failed sign-ins'],
    ['400 with a detail', () => json(400, { detail: 'email: too long' }), 'email: too long'],
    ['503 without one', () => new Response('down', { status: 503 }), 'The server answered 503.'],
    [
      'no network',
      () => Promise.reject(new TypeError('Failed to fetch')),
      'The server cannot be reached',
    ],
  ])('explains a %s', async (_what, route, reason) => {
    const { api } = server({ 'POST /api/v1/session': route });
    const result = await signIn(api, 'a@b.test', 'x');
    expect(result.ok ? '' : result.reason).toContain(reason);
  });
});

describe('whoAmI', () => {
  it.each<[string, Route, unknown]>([
    [
      'the signed-in user',
      () => json(200, { actor: 'user:a', role: 'sco', countries: ['PAK'], schools: [] }),
      { ok: true, value: { actor: 'user:a', role: 'sco', countries: ['PAK'], schools: [] } },
    ],
    ['null when no one is', () => json(401, { title: 'Not signed in' }), { ok: true, value: null }],
    [
      'a failure otherwise',
      () => json(500, { title: 'Internal error', detail: 'see the log' }),
      { ok: false, error: { kind: 'http', status: 500, detail: 'see the log' } },
    ],
  ])('answers %s', async (_what, route, expected) => {
    const { api } = server({ 'GET /api/v1/session': route });
    expect(await whoAmI(api)).toEqual(expected);
  });
});

describe('signOnProviders', () => {
  const signal = new AbortController().signal;

  it('lists the single sign-on the server offers', async () => {
    const providers = [{ id: 'oidc', name: 'Agency SSO', url: '/api/v1/session/oidc' }];
    const { api } = server({ 'GET /api/v1/session/providers': () => json(200, { providers }) });
    expect(await signOnProviders(api, signal)).toEqual(providers);
  });

  it('offers none when the server cannot say, so the password form still works', async () => {
    const { api } = server({
      'GET /api/v1/session/providers': () => new Response('', { status: 502 }),
    });
    expect(await signOnProviders(api, signal)).toEqual([]);
  });
});
