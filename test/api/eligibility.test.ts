// Eligibility and restriction routes over the demo data, in memory; and two instances on one database.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecisionSchema, Decisions, Timeline } from '../../src/api/eligibility.routes.js';
import {
  DECISION_EXAMPLE,
  IMPACT_EXAMPLE,
  NOTIFICATION_EXAMPLE,
  RELIEF_EXAMPLE,
  RESTRICTION_EXAMPLE,
  TIMELINE_EXAMPLE,
} from '../../src/api/examples.js';
import {
  ReliefRecorded,
  ReliefWithImpact,
  RestrictionWithImpact,
} from '../../src/api/restriction.routes.js';
import { buildApp } from '../../src/api/server.js';
import { actAs, injectAnonymously, LASTING_SESSIONS, signedIn } from '../support/accounts.js';
import { contextOver } from '../../src/services/context.js';
import { openStore, type Store } from '../../src/store/database.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let app: FastifyInstance;
/** A second instance on the same database: another store on PostgreSQL, another app on PGlite. */
let secondStore: Store | undefined;
let second: FastifyInstance;
/** A program manager's session. */
let actor: Record<string, string>;
let pm: string;

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: fixedClock('2026-11-27T12:00:00.000Z') });
  const caller = await signedIn(db.ctx, 'pm', { role: 'program-manager' });
  actor = caller.headers;
  pm = caller.actor;
  app = actAs(await buildApp(db.ctx), actor);
  if (db.url !== undefined) {
    secondStore = await openStore({ kind: 'postgres', url: db.url });
    second = actAs(await buildApp(contextOver(secondStore, { access: LASTING_SESSIONS })), actor);
  } else {
    second = actAs(await buildApp(contextOver(db.store, { access: LASTING_SESSIONS })), actor);
  }
});
afterAll(async () => {
  await second.close();
  await secondStore?.close();
  await app.close();
  await db.close();
});

const get = async (url: string, instance = app) => {
  const res = await instance.inject(url);
  return { status: res.statusCode, body: res.json() };
};

describe('GET /api/v1/eligibility', () => {
  it('answers the Pakistan questions of the story with reasons', async () => {
    const blocked = await get('/api/v1/eligibility?country=PAK&program=IMET&on=2019-06-01');
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({
      country: 'PAK',
      program: 'IMET',
      on: '2019-06-01',
      knownOn: null,
      course: null,
      eligible: false,
      conditions: [],
      pending: [],
    });
    expect(blocked.body.restrictions).toMatchObject([
      { id: 'rst_pak-policy-2018', kind: 'policy', status: 'blocking', reliefId: null },
    ]);
    expect(blocked.body.restrictions[0].reason).toContain(
      'rlf_pak-imet-exception-2018 for IMET ended 2018-08 (month only)',
    );
    expect(blocked.body.coverage).toMatchObject({ partial: expect.any(Array) });
    const open = await get('/api/v1/eligibility?country=PAK&program=IMET&on=2020-01-04');
    expect(open.body).toMatchObject({
      eligible: true,
      restrictions: [{ status: 'relieved', reliefId: 'rlf_pak-imet-exception-2020' }],
    });
    expect(
      (await get('/api/v1/eligibility?country=PAK&program=FMF&on=2020-01-04')).body.eligible,
    ).toBe(false);
    const pending = await get('/api/v1/eligibility?country=PAK&program=IMET&on=2020-01-02');
    expect(pending.body).toMatchObject({
      eligible: false,
      pending: [{ reliefId: 'rlf_pak-imet-exception-2020', effectiveFrom: '2020-01-03' }],
    });
  });

  it.each([
    ['country=XYZ&program=IMET&on=2020-01-01', 404, 'country'],
    ['country=PAK&program=EIMET&on=2020-01-01', 400, 'program'],
    ['country=PAK&program=IMET&on=2020-13-01', 400, 'on'],
    ['country=PAK&program=IMET&on=2019-02-29', 400, 'on'],
    ['country=PAK&program=IMET&on=1949-12-31', 400, 'on'],
    ['country=PAK&program=IMET&on=2020-01-01&knownOn=last-week', 400, 'knownOn'],
    ['country=PAK&program=IMET&on=2020-01-01&knownOn=2099-01-01T00:00:00Z', 400, 'knownOn'],
    ['country=PAK&program=IMET&on=2020-01-01&course=NOPE', 404, 'course'],
    ['country=PAK&program=IMET', 400, 'on'],
    ['country=PAK&program=IMET&on=2101-01-01', 400, 'on'],
    ['country=PAK&program=IMET&on=yesterday', 400, 'on'],
    // Date.parse would read these as 2019-03-02, the next day and the next year.
    ['country=PAK&program=IMET&on=2020-01-01&knownOn=2019-02-30T00:00:00Z', 400, 'knownOn'],
    ['country=PAK&program=IMET&on=2020-01-01&knownOn=2019-02-28T25:00:00Z', 400, 'knownOn'],
    ['country=PAK&program=IMET&on=2020-01-01&knownOn=2019-13-01T00:00:00Z', 400, 'knownOn'],
  ])('refuses %s with %i naming %s', async (query, status, field) => {
    const res = await app.inject(`/api/v1/eligibility?${query}`);
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json()).toMatchObject({ status, field });
  });

  it('says the allowed range of a date, and refuses an impossible instant on the timeline too', async () => {
    const early = await get('/api/v1/eligibility?country=PAK&program=IMET&on=1949-12-31');
    expect(early.body).toMatchObject({
      field: 'on',
      detail: 'on: 1949-12-31 is outside 1950–2100',
    });
    const timeline = await get('/api/v1/countries/PAK/timeline?knownOn=2019-02-30T00:00:00Z');
    expect(timeline.status).toBe(400);
    expect(timeline.body).toMatchObject({ code: 'INPUT.INVALID', field: 'knownOn' });
  });

  it('answers a batch in order', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/eligibility/batch',
      payload: {
        queries: [
          { country: 'PAK', program: 'IMET', on: '2018-03-01' },
          { country: 'PAK', program: 'FMF', on: '2020-02-01' },
          { country: 'AUT', program: 'IMET', on: '2020-02-01' },
          { country: 'AUT', program: 'FMS', on: '2020-02-01' },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    expect(
      res.json<{ decisions: { eligible: boolean }[] }>().decisions.map((d) => d.eligible),
    ).toEqual([true, false, false, true]);
  });
});

describe('restriction writes', () => {
  it('needs someone signed in, and validates the body naming the field', async () => {
    const body = {
      country: 'NPL',
      kind: 'coup',
      scope: ['IMET'],
      from: '2030-01-01',
      basis: '§7008',
      authority: 'Secretary of State',
    };
    const anonymous = await injectAnonymously(app, {
      method: 'POST',
      url: '/api/v1/restrictions',
      payload: body,
    });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'ACCESS.UNAUTHENTICATED' });
    const noScope = await app.inject({
      method: 'POST',
      url: '/api/v1/restrictions',
      headers: actor,
      payload: { ...body, scope: [] },
    });
    expect(noScope.statusCode).toBe(400);
    expect(noScope.json()).toMatchObject({ field: 'scope' });
    // A misspelt field is refused by name, not dropped (which would record an open-ended restriction).
    const misspelt = await app.inject({
      method: 'POST',
      url: '/api/v1/restrictions',
      headers: actor,
      payload: { ...body, untill: '2031-01-01' },
    });
    expect(misspelt.statusCode).toBe(400);
    expect(misspelt.json()).toMatchObject({ code: 'INPUT.INVALID', field: 'untill' });
    expect(
      (await get('/api/v1/eligibility?country=NPL&program=IMET&on=2030-06-01')).body.eligible,
    ).toBe(true);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/restrictions',
      headers: actor,
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      country: 'NPL',
      kind: 'coup',
      version: 1,
      recordedBy: pm,
    });
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/restrictions',
      headers: actor,
      payload: body,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'RESTRICTION.OVERLAP' });
  });

  it('records a relief, refuses one the law does not allow (422), and ends it', async () => {
    const relief = {
      type: 'waiver',
      grounds: 'humanitarian',
      programs: ['IMET'],
      from: '2020-01-01',
      authority: 'Secretary of State',
      justification: 'x',
    };
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/restrictions/rst_syr-terrorism-1979/reliefs',
      headers: actor,
      payload: relief,
    });
    if (refused.statusCode === 404)
      throw new Error('demo restriction id changed: rst_syr-terrorism-1979');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'RELIEF.PROGRAM_NOT_ALLOWED', field: 'programs' });
    const missing = await app.inject({
      method: 'POST',
      url: '/api/v1/restrictions/rst_nope/reliefs',
      headers: actor,
      payload: relief,
    });
    expect(missing.statusCode).toBe(404);
    const notFound = await app.inject({
      method: 'POST',
      url: '/api/v1/reliefs/rlf_nope/end',
      headers: actor,
      payload: { on: '2020-01-01' },
    });
    expect(notFound.statusCode).toBe(404);
  });

  it('shows the timeline of a country, and its versions', async () => {
    const timeline = await get('/api/v1/countries/PAK/timeline');
    expect(timeline.status).toBe(200);
    const events = (timeline.body as { events: { type: string }[] }).events;
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['restriction.start', 'relief.end', 'notification', 'allocation']),
    );
    const restriction = await get('/api/v1/restrictions/rst_pak-policy-2018');
    expect(restriction.body.current).toMatchObject({ id: 'rst_pak-policy-2018', version: 1 });
  });
});

describe('two instances on one database', () => {
  it('answers from a fresh index after the other instance writes', async () => {
    const url = '/api/v1/eligibility?country=PER&program=IMET&on=2031-06-01';
    expect((await get(url, second)).body.eligible).toBe(true);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/restrictions',
      headers: actor,
      payload: {
        country: 'PER',
        kind: 'coup',
        scope: ['IMET'],
        from: '2031-01-01',
        basis: '§7008',
        authority: 'Secretary of State',
      },
    });
    expect(created.statusCode).toBe(201);
    expect(await onSecond(url)).toBe(false);
    // The instance that wrote answers from a fresh index too (on PGlite, without a promise).
    expect((await get(url)).body.eligible).toBe(false);
    const ended = await app.inject({
      method: 'POST',
      url: `/api/v1/restrictions/${created.json<{ id: string }>().id}/end`,
      headers: actor,
      payload: { on: '2031-03-01' },
    });
    expect(ended.statusCode).toBe(201);
    expect(await onSecond(url, true)).toBe(true);
  });

  /**
   * The second instance's answer after a write of the first. On PGlite it is another app on the
   * same store: at once. On PostgreSQL another server hears of the write by notification, a few
   * milliseconds after it returns (decision 018): asked again until it answers `expected`, for 5 s.
   */
  async function onSecond(url: string, expected = false): Promise<boolean> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const eligible = (await get(url, second)).body.eligible as boolean;
      if (eligible === expected || db.store.backend === 'pglite' || Date.now() > deadline)
        return eligible;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
});

describe('OpenAPI', () => {
  it('documents every eligibility and restriction route with examples', async () => {
    const spec = (await get('/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    for (const path of [
      '/api/v1/eligibility',
      '/api/v1/eligibility/batch',
      '/api/v1/restrictions',
      '/api/v1/restrictions/{id}/versions',
      '/api/v1/restrictions/{id}/end',
      '/api/v1/restrictions/{id}/reliefs',
      '/api/v1/reliefs/{id}/end',
      '/api/v1/countries/{iso3}/timeline',
    ]) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    expect(JSON.stringify(spec.paths['/api/v1/restrictions/{id}/reliefs'])).toContain('2019-12-19');
    expect(JSON.stringify(spec)).toContain('rst_pak-policy-2018');
  });

  it('resolves every reference, and gives each eligibility and restriction answer an example that fits its schema', async () => {
    interface Schema {
      $ref?: string;
      example?: unknown;
    }
    const spec = (await get('/api/v1/openapi.json')).body as {
      paths: Record<
        string,
        Record<
          string,
          { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }
        >
      >;
      components: { schemas: Record<string, Schema> };
    };
    const refs = new Set<string>();
    JSON.stringify(spec, (key, value: unknown) => {
      if (key === '$ref') refs.add(value as string);
      return value;
    });
    expect(refs.size).toBeGreaterThan(0);
    for (const ref of refs)
      expect(spec.components.schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();
    const resolve = (s: Schema) =>
      s.$ref === undefined
        ? s
        : spec.components.schemas[s.$ref.replace('#/components/schemas/', '')]!;
    for (const [path, method] of [
      ['/api/v1/eligibility', 'get'],
      ['/api/v1/eligibility/batch', 'post'],
      ['/api/v1/restrictions', 'post'],
      ['/api/v1/restrictions/{id}/versions', 'post'],
      ['/api/v1/restrictions/{id}/end', 'post'],
      ['/api/v1/restrictions/{id}/reliefs', 'post'],
      ['/api/v1/reliefs/{id}/end', 'post'],
      ['/api/v1/countries/{iso3}/timeline', 'get'],
    ] as const) {
      const responses = Object.entries(spec.paths[path]![method]!.responses).filter(([code]) =>
        code.startsWith('2'),
      );
      expect(responses.length, path).toBeGreaterThan(0);
      for (const [code, response] of responses) {
        const schema = resolve(response.content!['application/json']!.schema);
        expect(schema.example, `${method} ${path} ${code}`).toBeDefined();
      }
    }
    for (const [schema, example] of [
      [DecisionSchema, DECISION_EXAMPLE],
      [Decisions, { decisions: [DECISION_EXAMPLE] }],
      [Timeline, TIMELINE_EXAMPLE],
      [RestrictionWithImpact, { ...RESTRICTION_EXAMPLE, impact: IMPACT_EXAMPLE }],
      [ReliefWithImpact, { ...RELIEF_EXAMPLE, impact: IMPACT_EXAMPLE }],
      [
        ReliefRecorded,
        { relief: RELIEF_EXAMPLE, notification: NOTIFICATION_EXAMPLE, impact: IMPACT_EXAMPLE },
      ],
    ] as const)
      expect(() => schema.parse(example)).not.toThrow();
  });
});

describe('training routes over the demo data', () => {
  it('answers the impact, seats, list checks and end of year with their documented shapes', async () => {
    const impact = await get('/api/v1/restrictions/rst_pak-policy-2018/impact');
    expect(impact.status).toBe(200);
    expect(impact.body).toMatchObject({
      restrictionId: 'rst_pak-policy-2018',
      // 66 cancelled, and the officer already in class on 2018-08-01 flagged for a decision.
      seats: 67,
      byStatus: { cancelled: 66, flagged: 1 },
      releasedCents: 241_113_000,
      penaltiesCents: 0,
    });
    const seats = await get('/api/v1/seats?country=PAK&fy=2018&status=cancelled');
    expect(seats.status).toBe(200);
    expect(seats.body.total).toBe(66);
    // A status is matched in any case, and filters as its canonical spelling.
    expect((await get('/api/v1/seats?country=PAK&fy=2018&status=Cancelled')).body.total).toBe(66);
    const one = await app.inject(
      `/api/v1/seats/${(seats.body as { items: { id: string }[] }).items[0]!.id}`,
    );
    expect(one.statusCode).toBe(200);
    expect(one.headers.etag).toBe(`"${one.json<{ version: number }>().version}"`);
    const check = await get('/api/v1/programs/PAK/2018/check');
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({
      country: 'PAK',
      fiscalYear: 2018,
      funds: { releasedCents: 241_113_000 },
    });
    const eoy = await get('/api/v1/end-of-year/2018');
    expect(eoy.status).toBe(200);
    expect(
      (eoy.body as { countries: { country: string }[] }).countries.map((c) => c.country),
    ).toContain('PAK');
    expect((await get('/api/v1/restrictions/rst_nope/impact')).status).toBe(404);
    for (const url of [
      '/api/v1/seats?country=PAK&fy=0x7e2',
      '/api/v1/seats?country=PAK&fy=1949',
      '/api/v1/programs/PAK/2018.5/check',
      '/api/v1/end-of-year/2101',
    ]) {
      const bad = await get(url);
      expect(bad.status, url).toBe(400);
      expect(bad.body).toMatchObject({ code: 'INPUT.INVALID', field: 'fy' });
    }
    const stale = await app.inject({
      method: 'POST',
      url: `/api/v1/seats/${(seats.body as { items: { id: string }[] }).items[0]!.id}/status`,
      headers: { ...actor, 'if-match': '"999"' },
      payload: { to: 'programmed' },
    });
    expect(stale.statusCode).toBe(409);
  });
});
