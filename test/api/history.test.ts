// The restriction history over HTTP (issue #15): the shipped file imported as a job (already on
// record in the demo: all unchanged), a bad file refused with every bad cell by row and column;
// a terrorism designation recorded open and ended only with its report to Congress and 45 days;
// a decision carrying the precision of its dates and the coverage of the history.
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { signedIn, type Caller } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const FAST = { pollSeconds: 0.5, progressEveryMs: 50, sweepSeconds: 1 } as const;
const SHIPPED = readFileSync(new URL('../../resources/history/restrictions.csv', import.meta.url));

interface JobBody {
  status: string;
  outcome: {
    summary?: Record<string, unknown>;
    problem?: { status: number; code: string; field?: string; details?: Record<string, unknown> };
  } | null;
}

describe('the restriction history over HTTP', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let pm: Caller;
  let analyst: Caller;

  beforeAll(async () => {
    db = await openTestDatabase('demo');
    pm = await signedIn(db.ctx, 'h-pm', { role: 'program-manager' });
    analyst = await signedIn(db.ctx, 'h-analyst', { role: 'analyst' });
    app = await buildApp(db.ctx, { jobs: FAST });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const post = (url: string, payload: object, who: Caller = pm) =>
    app.inject({ method: 'POST', url, payload, headers: who.headers });
  const get = (url: string, who: Caller = pm) =>
    app.inject({ method: 'GET', url, headers: who.headers });

  async function job(url: string, payload: object): Promise<JobBody> {
    const res = await post(url, payload);
    expect(res.statusCode, res.body).toBe(202);
    const location = res.headers.location as string;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const body = (await get(location)).json<JobBody>();
      if (body.status === 'succeeded' || body.status === 'failed') return body;
      if (Date.now() > deadline) throw new Error(`job still ${body.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const file = (name: string, bytes: Uint8Array | string) => ({
    name,
    content: Buffer.from(bytes).toString('base64'),
  });

  it('imports the shipped file as a job: the demo holds it already, so nothing changes', async () => {
    const done = await job('/api/v1/imports/history', {
      files: [file('restrictions.csv', SHIPPED)],
    });
    expect(done.status, JSON.stringify(done.outcome)).toBe('succeeded');
    expect(done.outcome?.summary).toMatchObject({ created: 0, updated: 0, runId: null });
  });

  it('refuses a bad file in the job, every bad cell by row and column', async () => {
    const bad =
      'country_iso3,country_name,kind,scope,event,relief_type,relief_scope,effective_from,effective_until,date_quality,legal_basis,description,source\n' +
      'MLI,Mali,coup,IMET,restriction,,,2020-01-01,,weekly,7008,d,https://example.org\n';
    const done = await job('/api/v1/imports/history', { files: [file('bad.csv', bad)] });
    expect(done.status).toBe('failed');
    expect(done.outcome?.problem).toMatchObject({
      status: 400,
      field: 'bad.csv row 2 column date_quality',
      details: { errors: [{ row: 2, column: 'date_quality' }] },
    });
    const refused = await post(
      '/api/v1/imports/history',
      { files: [file('restrictions.csv', SHIPPED)] },
      analyst,
    );
    expect(refused.statusCode).toBe(403);
  });

  it('ends a terrorism designation only with its report to Congress and 45 days', async () => {
    const opened = await post('/api/v1/restrictions', {
      country: 'VEN',
      kind: 'terrorism',
      scope: ['security-assistance'],
      from: '2019-01-01',
      basis: 'FAA 620A',
      authority: 'Secretary of State',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const created = opened.json<{ id: string; programs: string[] }>();
    expect(created.programs).toEqual(expect.arrayContaining(['FMS', 'DCS', 'IMET']));
    const withEnd = await post('/api/v1/restrictions', {
      country: 'VEN',
      kind: 'terrorism',
      scope: ['IMET'],
      from: '2030-01-01',
      until: '2031-01-01',
      basis: 'FAA 620A',
      authority: 'Secretary of State',
    });
    expect(withEnd.statusCode).toBe(422);
    expect(withEnd.json()).toMatchObject({
      code: 'RESTRICTION.RESCISSION_NOT_REPORTED',
      field: 'until',
    });
    const url = `/api/v1/restrictions/${created.id}/end`;
    const unreported = await post(url, { on: '2025-06-30' });
    expect(unreported.statusCode).toBe(422);
    expect(unreported.json()).toMatchObject({
      code: 'RESTRICTION.NOTICE_REQUIRED',
      field: 'notified',
    });
    const early = await post(url, { on: '2025-06-30', notified: '2025-06-01' });
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: 'RESTRICTION.NOTICE_TOO_SHORT', field: 'on' });
    const ended = await post(url, { on: '2025-07-16', notified: '2025-06-01' });
    expect(ended.statusCode, ended.body).toBe(201);
    expect(ended.json()).toMatchObject({
      until: '2025-07-16',
      liftNotificationId: expect.any(String),
    });
    const pending = await get('/api/v1/eligibility?country=VEN&program=FMS&on=2025-07-01');
    expect(pending.json()).toMatchObject({
      eligible: false,
      restrictions: [{ liftNotifiedOn: '2025-06-01', until: '2025-07-16' }],
    });
  });

  it('answers with the precision of its dates and the coverage of the history', async () => {
    const pak = await get('/api/v1/eligibility?country=PAK&program=IMET&on=2018-08-15');
    expect(pak.statusCode).toBe(200);
    const body = pak.json<{
      precision: string[];
      coverage: { partial: { kind: string }[]; note: string } | null;
      restrictions: { id: string; fromQuality: string | null; untilQuality: string | null }[];
    }>();
    // The exception ended "August 2018": on 2018-08-15 the record cannot say it had.
    expect(body.precision.join(' ')).toMatch(
      /rlf_pak-imet-exception-2018 .*ended 2018-08 \(month only\)/,
    );
    expect(body.coverage?.partial.map((p) => p.kind)).toEqual(
      expect.arrayContaining(['coup', 'policy']),
    );
    const restriction = await get('/api/v1/restrictions/rst_thai-none');
    expect(restriction.statusCode).toBe(404);
    const tha = await get('/api/v1/restrictions/rst_tha-coup-2014');
    expect(tha.json()).toMatchObject({
      current: { untilQuality: 'month', until: '2019-07-01', importRunId: expect.any(String) },
    });
  });
});
