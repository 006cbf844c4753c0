// What the decisions pages rely on: a suspension's dry run previews exactly what recording it does
// (seats, students, money, penalties) and what GET /restrictions/{id}/impact then reports; a
// correction or an end made against a stale version (If-Match) is refused and changes nothing;
// the refusals name the field a form shows them beside.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { actAs, signedIn } from '../support/accounts.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let app: FastifyInstance;
let analyst: Record<string, string>;

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: fixedClock('2026-11-27T12:00:00.000Z') });
  const pm = await signedIn(db.ctx, 'pm', { role: 'program-manager' });
  analyst = (await signedIn(db.ctx, 'analyst', { role: 'analyst' })).headers;
  app = actAs(await buildApp(db.ctx), pm.headers);
});
afterAll(async () => {
  await app.close();
  await db.close();
});

/** Jordan's FY2020 seats: three nominated, each with a student (the demo's). */
const SUSPENSION = {
  country: 'JOR',
  kind: 'policy',
  scope: ['security-assistance'],
  from: '2020-03-01',
  basis: 'Policy decision (test)',
  authority: 'Secretary of State',
  seatPolicy: 'cancel',
};

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers });

async function restrictionIds(iso3: string): Promise<string[]> {
  const res = await app.inject(`/api/v1/countries/${iso3}/timeline`);
  return res.json<{ restrictions: { id: string }[] }>().restrictions.map((r) => r.id);
}

describe('recording a suspension', () => {
  let id: string;
  let preview: Record<string, unknown>;

  it('previews the seats, students, money and penalties, recording nothing', async () => {
    const before = await restrictionIds('JOR');
    const res = await post('/api/v1/restrictions?dryRun=true', SUSPENSION);
    expect(res.statusCode).toBe(200);
    preview = res.json().impact;
    expect(preview).toMatchObject({ seats: 3, byStatus: { cancelled: 3 }, penaltiesCents: 0 });
    expect((preview.students as string[]).length).toBe(3);
    expect(preview.releasedCents).toBeGreaterThan(0);
    expect(await restrictionIds('JOR')).toEqual(before);
  });

  it('records it with the same impact, which GET /restrictions/{id}/impact reports too', async () => {
    const res = await post('/api/v1/restrictions', SUSPENSION);
    expect(res.statusCode).toBe(201);
    const recorded = res.json<{ id: string; impact: Record<string, unknown> }>();
    id = recorded.id;
    const { changes: _previewChanges, ...previewTotals } = preview;
    const { changes: _recordedChanges, ...recordedTotals } = recorded.impact;
    expect(recordedTotals).toEqual(previewTotals);
    const impact = (await app.inject(`/api/v1/restrictions/${id}/impact`)).json<
      Record<string, unknown>
    >();
    for (const key of ['seats', 'byStatus', 'byCourse', 'students', 'releasedCents'])
      expect(impact[key], key).toEqual(preview[key]);
    expect(impact.penaltiesCents).toBe(preview.penaltiesCents);
  });

  it('refuses a second, overlapping one of the same kind, naming `from`', async () => {
    const res = await post('/api/v1/restrictions', SUSPENSION);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'RESTRICTION.OVERLAP', field: 'from' });
    expect((await restrictionIds('JOR')).filter((r) => r === id)).toHaveLength(1);
  });

  it('gives the version read as the ETag, and refuses a correction against a stale one', async () => {
    const read = await app.inject(`/api/v1/restrictions/${id}`);
    expect(read.headers.etag).toBe('"1"');
    const corrected = await post(
      `/api/v1/restrictions/${id}/versions`,
      { basis: 'Policy decision of 1 March 2020 (test)', reason: 'the basis cites the decision' },
      { 'if-match': '"1"' },
    );
    expect(corrected.statusCode).toBe(201);
    expect(corrected.json()).toMatchObject({ version: 2, impact: { seats: 0 } });
    const stale = await post(
      `/api/v1/restrictions/${id}/versions?dryRun=true`,
      { authority: 'President', reason: 'stale' },
      { 'if-match': '"1"' },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'RESTRICTION.STALE', field: 'version' });
    const staleEnd = await post(
      `/api/v1/restrictions/${id}/end`,
      { on: '2021-01-01' },
      { 'if-match': '"1"' },
    );
    expect(staleEnd.statusCode).toBe(409);
    expect(staleEnd.json()).toMatchObject({ code: 'RESTRICTION.STALE' });
    const after = (await app.inject(`/api/v1/restrictions/${id}`)).json<{
      current: { version: number; until: string | null };
    }>();
    expect(after.current).toMatchObject({ version: 2, until: null });
    const malformed = await post(
      `/api/v1/restrictions/${id}/end?dryRun=true`,
      { on: '2021-01-01' },
      { 'if-match': 'W/"2"' },
    );
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ field: 'If-Match' });
  });

  it('ends it against the current version', async () => {
    const res = await post(
      `/api/v1/restrictions/${id}/end`,
      { on: '2021-01-01', reason: 'lifted (test)' },
      { 'if-match': '"2"' },
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ version: 3, until: '2021-01-01' });
  });
});

describe('refusals a form shows beside its field', () => {
  it.each([
    [{ until: '2020-02-01' }, 'until', /must be after/],
    [{ basis: '  ' }, 'basis', /basis .* is required/],
    [{ authority: '' }, 'authority', /authority .* is required/],
    [{ scope: [] }, 'scope', /./],
    [{ kind: 'whim' }, 'kind', /./],
    [{ from: '2020-02-30' }, 'from', /./],
  ])('%j → 400 naming %s, recording nothing', async (change, field, detail) => {
    const before = await restrictionIds('KEN');
    const res = await post('/api/v1/restrictions', { ...SUSPENSION, country: 'KEN', ...change });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INPUT.INVALID', field });
    expect(res.json().detail).toMatch(detail);
    expect(await restrictionIds('KEN')).toEqual(before);
  });

  it('answers 404 naming `country` for a country it does not know', async () => {
    const res = await post('/api/v1/restrictions?dryRun=true', { ...SUSPENSION, country: 'XYZ' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'COUNTRY.NOT_FOUND' });
  });

  it('refuses an analyst, even a dry run', async () => {
    const res = await post('/api/v1/restrictions?dryRun=true', SUSPENSION, analyst);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'ACCESS.FORBIDDEN' });
    const correction = await post(
      '/api/v1/restrictions/rst_pak-policy-2018/versions?dryRun=true',
      { reason: 'x' },
      { ...analyst, 'if-match': '"1"' },
    );
    expect(correction.statusCode).toBe(403);
  });

  it('answers 404 for a correction of a restriction that does not exist', async () => {
    const res = await post(
      '/api/v1/restrictions/rst_nope/versions?dryRun=true',
      { reason: 'x' },
      { 'if-match': '"1"' },
    );
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'RESTRICTION.NOT_FOUND' });
  });
});
