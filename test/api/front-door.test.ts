// The front door (decision 022): a kept answer asked again with a remembered API token is answered
// before Fastify's request cycle, and must be the answer Fastify gives: every read route, as every
// role, compared header for header and byte for byte with Fastify's own answer from memory; the
// same rate units, metrics, request id and log lines; and every request it cannot answer exactly
// (a cookie, HEAD, an Origin, another host, a refused limit, an answer not kept) left to Fastify;
// and a caller of a turn given the shared answer worked out for it, as Fastify gives it.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { frontDoor, openFrontDoor } from '../../src/api/front-door.js';
import { DEFAULT_HTTP_POLICY } from '../../src/api/hardening.js';
import type { RequestMetrics } from '../../src/api/metrics.js';
import type { ReadCache } from '../../src/api/read-cache.js';
import type { Role } from '../../src/core/actor.js';
import { hearsChanges } from '../../src/services/change-feed.js';
import type { HttpPolicy } from '../../src/services/config.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { recordRestriction } from '../../src/services/eligibility/restriction.service.js';
import { signedIn, tokenFor } from '../support/accounts.js';
import { until } from '../support/until.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { readCacheCount } from '../support/metrics.js';
import { getJson, readUrls } from '../support/read-urls.js';

const ORIGIN = 'https://app.example.org';
const POLICY: HttpPolicy = {
  ...DEFAULT_HTTP_POLICY,
  corsOrigins: [ORIGIN],
  // Counting, out of reach: the door spends units as the hooks do (checked below with low limits).
  rateLimits: { perCaller: 1_000_000, perAddress: 1_000_000 },
  trustProxy: 1,
};

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** What differs between two answers of the same thing: the day's time and the request's id. */
const OWN_TO_EACH = new Set(['date', 'x-request-id']);

async function get(base: string, url: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${base}${url}`, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  const kept: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!OWN_TO_EACH.has(name)) kept[name] = value;
  });
  return { status: res.status, headers: kept, body };
}

/** As fetch, but sending the Host header given (fetch sends the URL's own). */
function send(url: string, init: RequestInit): Promise<Response> {
  const headers = init.headers as Record<string, string> | undefined;
  if (headers?.['host'] === undefined) return fetch(url, init);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0 })),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** A server listening on a port of this machine (the door is on its HTTP server, not inject). */
async function listening(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

describe('the front door', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let base: string;
  const lines: Record<string, unknown>[] = [];
  const callers: Record<string, Record<string, string>> = {};
  const door = () => readCacheCount(app, callers['program-manager']!, 'door');
  const hits = () => readCacheCount(app, callers['program-manager']!, 'hits');
  /** Reads on the audit chain (a foreign officer's record is audited on every answer). */
  const readEntries = async () =>
    (
      await queryRows<{ n: number }>(
        db.store.db,
        sql`select count(*)::int as n from audit_log where action = 'read'`,
      )
    )[0]!.n;

  beforeAll(async () => {
    db = await openTestDatabase('demo');
    const log = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n'))
          if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    app = await buildApp(db.ctx, {
      http: POLICY,
      jobs: {},
      logger: { level: 'info', stream: log },
    });
    base = await listening(app);
    const school = (
      await getJson<{ items: { id: string }[] }>(
        `${base}/api/v1/schools`,
        await tokenFor(db.ctx, 'door-admin', { role: 'admin' }),
      )
    ).items[0]!.id;
    const specs: [string, Role, { countries?: string[]; schools?: string[] }][] = [
      ['program-manager', 'program-manager', {}],
      ['admin', 'admin', {}],
      ['analyst', 'analyst', {}],
      ['sco', 'sco', { countries: ['PAK'] }],
      ['imso', 'imso', { schools: [school] }],
    ];
    for (const [name, role, scope] of specs)
      callers[name] = await tokenFor(db.ctx, `door-${name}`, { role, ...scope });
    // Nothing is kept before the change feed listens (a write could go unheard).
    await until(async () => {
      await get(base, '/api/v1/countries', callers['program-manager']!);
      return hearsChanges(db.store);
    });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('answers every read route, as every role, with the bytes and headers Fastify answers from memory', async () => {
    // Found by a caller of its own: every answer compared below is asked first by its caller here.
    const urls = await readUrls(base, await tokenFor(db.ctx, 'door-finder', { role: 'admin' }));
    expect(urls.length).toBeGreaterThan(30);
    const answeredAtDoor: Record<string, number> = {};
    for (const [role, headers] of Object.entries(callers)) {
      answeredAtDoor[role] = 0;
      for (const url of urls) {
        await get(base, url, headers);
        // The second ask: from memory through Fastify when the answer is kept, then copied.
        const hitsBefore = await hits();
        const readsBefore = await readEntries();
        const fastify = await get(base, url, headers);
        const keptHit = (await hits()) === hitsBefore + 1;
        const audited = (await readEntries()) > readsBefore;
        // The third: at the door exactly when the second was a kept answer that audited no read.
        const doorBefore = await door();
        const third = await get(base, url, headers);
        const atDoor = (await door()) === doorBefore + 1;
        const expected = keptHit && !audited && fastify.status === 200;
        expect({ role, url, atDoor }).toEqual({ role, url, atDoor: expected });
        if (!atDoor) continue;
        answeredAtDoor[role] += 1;
        expect({ role, url, status: third.status, headers: third.headers }).toEqual({
          role,
          url,
          status: fastify.status,
          headers: fastify.headers,
        });
        expect(third.body.equals(fastify.body), `${role} ${url}: the same bytes`).toBe(true);
      }
    }
    // Most routes are kept: the comparison above is not made over nothing.
    expect(answeredAtDoor['program-manager']).toBeGreaterThan(25);
    for (const role of Object.keys(callers)) expect(answeredAtDoor[role]).toBeGreaterThan(5);
  }, 300_000);

  it('gives a request the id it names, counts and times it under its route, and logs it as Fastify does', async () => {
    const pm = callers['program-manager']!;
    const url = '/api/v1/countries/PAK';
    await get(base, url, pm);
    await get(base, url, pm);
    const series = async () => {
      const text = (await app.inject({ url: '/metrics', headers: pm })).body;
      const line = text
        .split('\n')
        .find((l) =>
          l.startsWith(
            'attache_http_requests_total{method="GET",route="/api/v1/countries/:iso3",status_code="200"}',
          ),
        );
      return Number(line?.split(' ').at(-1));
    };
    const counted = await series();
    const doorBefore = await door();
    lines.length = 0;
    const res = await fetch(`${base}${url}`, { headers: { ...pm, 'x-request-id': 'trace-42.a' } });
    await res.arrayBuffer();
    expect(await door()).toBe(doorBefore + 1);
    expect(res.headers.get('x-request-id')).toBe('trace-42.a');
    expect(await series()).toBe(counted + 1);
    // A request id that is not a plain token is replaced by a new one.
    const odd = await fetch(`${base}${url}`, { headers: { ...pm, 'x-request-id': 'a b' } });
    await odd.arrayBuffer();
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // Fastify's two lines, named by the request id: the same fields as its own.
    const mine = lines.filter((l) => l['reqId'] === 'trace-42.a');
    expect(mine.map((l) => l['msg'])).toEqual(['incoming request', 'request completed']);
    expect(mine[0]).toMatchObject({
      level: 30,
      req: {
        method: 'GET',
        url,
        host: new URL(base).host,
        remoteAddress: '127.0.0.1',
        remotePort: expect.any(Number) as number,
      },
    });
    expect(mine[1]).toMatchObject({ res: { statusCode: 200 }, responseTime: expect.any(Number) });
    // Fastify's own lines for a request it answers carry the same fields.
    lines.length = 0;
    await fetch(`${base}${url}`, { method: 'HEAD', headers: { ...pm, 'x-request-id': 'head-1' } });
    const its = lines.filter((l) => l['reqId'] === 'head-1');
    expect(its.map((l) => Object.keys(l).sort())).toEqual(mine.map((l) => Object.keys(l).sort()));
    expect(Object.keys(its[0]!['req'] as object).sort()).toEqual(
      Object.keys(mine[0]!['req'] as object).sort(),
    );
  });

  it('leaves to Fastify a cookie, HEAD, an Origin, another host, an unknown token and a header the routes check', async () => {
    const pm = callers['program-manager']!;
    const url = '/api/v1/countries/THA';
    const plain = await get(base, url, pm);
    await get(base, url, pm);
    const cookie = (await signedIn(db.ctx, 'door-program-manager')).headers;
    const cases: [string, RequestInit, (res: Response, body: Buffer) => void][] = [
      [
        'a session cookie',
        { headers: { cookie: cookie.cookie! } },
        (res, body) => {
          expect(res.status).toBe(200);
          expect(body.equals(plain.body)).toBe(true);
        },
      ],
      [
        'HEAD',
        { method: 'HEAD', headers: pm },
        (res, body) => {
          expect(res.status).toBe(200);
          expect(body.length).toBe(0);
        },
      ],
      [
        'an allowed Origin',
        { headers: { ...pm, origin: ORIGIN } },
        (res) => {
          expect(res.status).toBe(200);
          expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
        },
      ],
      [
        'a host this server does not answer to',
        { headers: { ...pm, host: 'evil.example' } },
        (res) => expect(res.status).toBe(421),
      ],
      [
        'an unknown token',
        { headers: { authorization: 'Bearer att_not-a-token-anyone-holds' } },
        (res) => expect(res.status).toBe(401),
      ],
      [
        'a malformed Authorization header',
        { headers: { authorization: 'Basic abc' } },
        (res) => expect(res.status).toBe(401),
      ],
      [
        'an If-Match header',
        { headers: { ...pm, 'if-match': '"x"' } },
        (res) => expect(res.status).toBe(200),
      ],
    ];
    for (const [what, init, check] of cases) {
      const before = await door();
      const res = await send(`${base}${url}`, init);
      check(res, Buffer.from(await res.arrayBuffer()));
      expect({ what, atDoor: (await door()) - before }).toEqual({ what, atDoor: 0 });
    }
    // The door still answers the plain request.
    const before = await door();
    expect((await get(base, url, pm)).body.equals(plain.body)).toBe(true);
    expect(await door()).toBe(before + 1);
  });

  it('answers nothing it kept once anything is written, and answers the new record after', async () => {
    const pm = callers['program-manager']!;
    const url = '/api/v1/countries/BRA';
    await get(base, url, pm);
    const kept = await get(base, url, pm);
    const before = await door();
    expect((await get(base, url, pm)).body.equals(kept.body)).toBe(true);
    expect(await door()).toBe(before + 1);
    const written = await recordRestriction(
      db.ctx,
      { id: 'user:door-test', role: 'program-manager' },
      {
        country: 'BRA',
        kind: 'policy',
        scope: ['IMET'],
        from: '2021-03-01',
        basis: 'front door test',
        authority: 'Secretary of State',
        seatPolicy: 'hold',
      },
    );
    expect(written.ok).toBe(true);
    const after = await get(base, url, pm);
    expect(await door()).toBe(before + 1);
    expect(after.body.equals(kept.body)).toBe(false);
    expect(after.body.toString()).toContain('front door test');
  });
});

describe('the front door failing', () => {
  it('hands the request on to the framework, and logs why', async () => {
    const db = await openTestDatabase('empty');
    const errors: unknown[] = [];
    const server = createServer((_request, response) => response.end('the framework'));
    openFrontDoor(
      server,
      frontDoor({
        ctx: db.ctx,
        policy: DEFAULT_HTTP_POLICY,
        trustProxy: false,
        limiter: undefined,
        limits: null,
        readCache: {} as ReadCache,
        metrics: {} as RequestMetrics,
        log: { error: (entry: unknown) => errors.push(entry) } as unknown as FastifyBaseLogger,
        closing: () => {
          throw new Error('a fault of the door');
        },
      }),
    );
    try {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/countries`);
      expect(await res.text()).toBe('the framework');
      expect(errors).toHaveLength(1);
    } finally {
      server.close();
      await db.close();
    }
  });
});

describe('the front door under rate limits', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    db = await openTestDatabase('demo');
    app = await buildApp(db.ctx, {
      http: { ...POLICY, rateLimits: { perCaller: 8, perAddress: 5 }, trustProxy: 1 },
    });
    base = await listening(app);
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('spends a unit of the address and of the caller for each answer, and leaves a refusal to Fastify', async () => {
    const pm = await tokenFor(db.ctx, 'door-limited', { role: 'program-manager' });
    const metricsReader = await tokenFor(db.ctx, 'door-limits-metrics', { role: 'analyst' });
    // Asked by another caller from another address: nothing is kept before the feed listens.
    const warm = await tokenFor(db.ctx, 'door-warm', { role: 'analyst' });
    await until(async () => {
      await get(base, '/api/v1/schools', { ...warm, 'x-forwarded-for': '10.0.9.9' });
      return hearsChanges(db.store);
    });
    const url = '/api/v1/countries/PAK';
    const from = (address: string) => ({ ...pm, 'x-forwarded-for': address });
    // Five units an address a minute: the first two ask through Fastify, three at the door.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(base, url, from('10.0.0.1'))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // Another address behind the trusted proxy has its own units; the caller has 8 in all.
    const other: number[] = [];
    for (let i = 0; i < 4; i++) other.push((await get(base, url, from('10.0.0.2'))).status);
    expect(other).toEqual([200, 200, 200, 429]);
    const refused = await fetch(`${base}${url}`, { headers: from('10.0.0.3') });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ code: 'RATE.LIMITED' });
    expect(await readCacheCount(app, metricsReader, 'door')).toBeGreaterThanOrEqual(5);
  });
});
