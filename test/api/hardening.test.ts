// The server's outer wall: security headers on every answer, CORS closed unless configured, the
// Host header checked (a rebound DNS name is refused), a body size limit, a page cap on lists, and
// error bodies that show neither a stack trace nor SQL.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_POLICY, hostNameOf } from '../../src/api/hardening.js';
import { MAX_PAGE } from '../../src/api/input.schemas.js';
import { buildApp } from '../../src/api/server.js';
import type { HttpPolicy } from '../../src/services/config.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { actAs, tokenFor } from '../support/accounts.js';
import { signInWriter, writerHeaders } from '../support/writer.js';

let db: TestDatabase;
let app: FastifyInstance;
const opened: FastifyInstance[] = [];

/** Another server on this file's database, with its own policy. */
async function appWith(policy: Partial<HttpPolicy>): Promise<FastifyInstance> {
  const built = await buildApp(db.ctx, { http: { ...DEFAULT_HTTP_POLICY, ...policy } });
  opened.push(built);
  return built;
}

beforeAll(async () => {
  db = await openTestDatabase('demo');
  await signInWriter(db.ctx);
  app = actAs(await buildApp(db.ctx), writerHeaders());
  // A list longer than a page, as a route that forgot to page would answer it.
  app.get('/api/v1/test/report.pdf', (_request, reply) =>
    reply.type('application/pdf').send(Buffer.from('%PDF-1.4\n%%EOF\n')),
  );
  app.get('/api/v1/test/long-list', () => ({
    items: Array.from({ length: MAX_PAGE + 1 }, (_, i) => i),
    total: MAX_PAGE + 1,
  }));
});
afterAll(async () => {
  for (const other of opened) await other.close();
  await app.close();
  await db.close();
});

describe('security headers', () => {
  it.each(['/api/v1/health', '/docs/', '/api/v1/no-such-route'])('are on %s', async (url) => {
    const res = await app.inject({ url });
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    const csp = String(res.headers['content-security-policy']);
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    // Scripts from this server only: never inline, never eval.
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('script-src-attr')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval/);
  });

  it('leave a PDF without a CSP, which would keep the browser from showing it', async () => {
    const res = await app.inject({ url: '/api/v1/test/report.pdf' });
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('CORS', () => {
  it('is closed by default: no Access-Control-Allow-Origin, not even on a preflight', async () => {
    const simple = await app.inject({
      url: '/api/v1/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(simple.statusCode).toBe(200);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/restrictions',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-actor',
      },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('answers the configured origins only, on a refusal before any route too', async () => {
    const open = await appWith({ corsOrigins: ['https://app.example.org'] });
    const allowed = await open.inject({
      method: 'OPTIONS',
      url: '/api/v1/restrictions',
      headers: {
        origin: 'https://app.example.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-actor',
      },
    });
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(String(allowed.headers['access-control-allow-headers'])).toMatch(/x-actor/);
    const other = await open.inject({
      url: '/api/v1/health',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    // A refusal before any route (a body over the limit) still carries the allowed origin, so
    // the page that sent it can read the problem; and the security headers.
    const small = await appWith({ corsOrigins: ['https://app.example.org'], bodyLimitBytes: 2048 });
    const large = await small.inject({
      method: 'POST',
      url: '/api/v1/records/search',
      headers: { origin: 'https://app.example.org', 'content-type': 'application/json' },
      payload: JSON.stringify({ names: ['x'.repeat(4096)] }),
    });
    expect(large.statusCode).toBe(413);
    expect(large.headers['access-control-allow-origin']).toBe('https://app.example.org');
    expect(large.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('the Host header', () => {
  it.each(['localhost:80', 'localhost', '127.0.0.1:8080', '[::1]:3000', 'LOCALHOST.'])(
    'is answered for %s (loopback, any port)',
    async (host) => {
      const res = await app.inject({ url: '/api/v1/health', headers: { host } });
      expect(res.statusCode).toBe(200);
    },
  );

  it.each(['evil.example', 'evil.example:8080', 'localhost.evil.example', '127.0.0.2'])(
    'is refused for %j with 421 problem JSON, before any route runs',
    async (host) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/schools',
        headers: { ...writerHeaders(), host },
        payload: { id: 'REBOUND', name: 'x', location: 'x', department: 'Army' },
      });
      expect(res.statusCode).toBe(421);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 421, code: 'HOST.NOT_ALLOWED', field: 'Host' });
      const school = await app.inject({ url: '/api/v1/schools' });
      expect(school.json<{ items: { id: string }[] }>().items.map((s) => s.id)).not.toContain(
        'REBOUND',
      );
    },
  );

  it('answers the configured names, and any with *', async () => {
    const named = await appWith({ allowedHosts: ['localhost', 'attache.example.org'] });
    for (const [host, status] of [
      ['attache.example.org:8443', 200],
      ['localhost:1', 200],
      ['other.example.org', 421],
    ] as const) {
      const res = await named.inject({ url: '/api/v1/health', headers: { host } });
      expect({ host, status: res.statusCode }).toEqual({ host, status });
    }
    const any = await appWith({ allowedHosts: ['*'] });
    const res = await any.inject({ url: '/api/v1/health', headers: { host: 'whatever.example' } });
    expect(res.statusCode).toBe(200);
  });

  it('refuses a rebound name over a real socket, while 127.0.0.1 is answered', async () => {
    const served = await appWith({});
    const base = new URL(await served.listen({ port: 0, host: '127.0.0.1' }));
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: base.port, path: '/api/v1/health', headers: { host } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(await get(`127.0.0.1:${base.port}`)).toBe(200);
    expect(await get(`attacker.example:${base.port}`)).toBe(421);
    // HTTP/1.0 may leave the Host out: no name, no answer.
    const raw = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = connect(Number(base.port), '127.0.0.1', () =>
        socket.end('GET /api/v1/health HTTP/1.0\r\n\r\n'),
      );
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.[01] 421 /);
    expect(raw).toMatch(/"the request names no Host"/);
  });

  it('reads the name of a Host header', () => {
    expect(hostNameOf('[::1]:8080')).toBe('[::1]');
    expect(hostNameOf('Example.ORG.:80')).toBe('example.org');
    expect(hostNameOf('localhost')).toBe('localhost');
  });
});

describe('the body size limit', () => {
  it('answers 413 problem JSON for a body over the limit, announced or streamed', async () => {
    const small = await appWith({ bodyLimitBytes: 2048 });
    const payload = JSON.stringify({ names: ['x'.repeat(4096)] });
    const announced = await small.inject({
      method: 'POST',
      url: '/api/v1/records/search',
      headers: { ...writerHeaders(), 'content-type': 'application/json' },
      payload,
    });
    expect(announced.statusCode).toBe(413);
    expect(announced.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(announced.json()).toMatchObject({ status: 413, code: 'BODY.TOO_LARGE' });
    // No length announced: Fastify stops reading at the limit.
    const streamed = await small.inject({
      method: 'POST',
      url: '/api/v1/records/search',
      headers: { ...writerHeaders(), 'content-type': 'application/json' },
      payload: Readable.from([payload.slice(0, 2000), payload.slice(2000)]),
    });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(streamed.json()).toMatchObject({ status: 413 });
    // Under the limit the route answers.
    const fits = await small.inject({
      method: 'POST',
      url: '/api/v1/records/search',
      headers: writerHeaders(),
      payload: { names: ['Muhammad Ali Khan'] },
    });
    expect(fits.statusCode).toBe(200);
  });

  it('is 1 MiB by default', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/records/search',
      headers: { ...writerHeaders(), 'content-type': 'application/json' },
      payload: JSON.stringify({ names: Array.from({ length: 1100 }, () => 'x'.repeat(1000)) }),
    });
    expect(res.statusCode).toBe(413);
  });
});

describe('lists', () => {
  it('answer one page at most, whatever a route returns', async () => {
    const res = await app.inject({ url: '/api/v1/test/long-list' });
    const body = res.json<{ items: number[]; total: number }>();
    expect(body.items).toHaveLength(MAX_PAGE);
    expect(body.total).toBe(MAX_PAGE + 1);
  });

  it.each(['/api/v1/courses', '/api/v1/students?name=Khan'])(
    '%s refuses a page over the cap, naming limit',
    async (url) => {
      const res = await app.inject({
        url: `${url}${url.includes('?') ? '&' : '?'}limit=${MAX_PAGE + 1}`,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'INPUT.INVALID', field: 'limit' });
    },
  );
});

/** What an error body must never show: a stack frame, a source path, SQL. */
const LEAKS =
  /\bat .+:\d+|\.ts\b|\.js:\d|node_modules|\bselect\b|\binsert into\b|\bfrom "|\bvalues \(|\bparams:|Failed query/i;

describe('error bodies', () => {
  it('of an internal error say only that the server failed', async () => {
    const broken = await openTestDatabase('demo');
    try {
      const reader = await tokenFor(broken.ctx, 'reader', { role: 'analyst' });
      await broken.store.db.execute(sql`drop table schools cascade`);
      const brokenApp = actAs(await buildApp(broken.ctx), reader);
      opened.push(brokenApp);
      const res = await brokenApp.inject({ url: '/api/v1/schools' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        type: '/problems/internal',
        title: 'Internal error',
        status: 500,
        detail: 'the server failed to answer; the error is in its log',
        code: 'INTERNAL',
        instance: '/api/v1/schools',
      });
      expect(res.body).not.toMatch(LEAKS);
      expect(res.body).not.toMatch(/relation|does not exist/);
    } finally {
      await broken.close();
    }
  });

  it('of a database constraint name the constraint, not the statement', async () => {
    await db.store.db.execute(
      sql`alter table schools add constraint schools_name_not_reserved check (name <> 'Reserved')`,
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/schools',
      headers: writerHeaders(),
      payload: { id: 'RESERVED', name: 'Reserved', location: 'Nowhere', department: 'Army' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'DB.CHECK',
      detail: 'refused by the database: schools_name_not_reserved',
    });
    expect(res.body).not.toMatch(LEAKS);
  });

  it('of malformed JSON say what is wrong with the body, nothing more', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/schools',
      headers: { ...writerHeaders(), 'content-type': 'application/json' },
      payload: '{"id": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toMatch(LEAKS);
  });
});
