// Restrictions, reliefs and eligibility through the services, on the suite's database backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import {
  checkEligibility,
  checkEligibilityBatch,
} from '../../src/services/eligibility/eligibility.service.js';
import { endRelief, recordRelief } from '../../src/services/eligibility/relief.service.js';
import {
  correctRestriction,
  endRestriction,
  getRestriction,
  recordRestriction,
  type RestrictionInput,
} from '../../src/services/eligibility/restriction.service.js';
import { getTimeline } from '../../src/services/eligibility/timeline.service.js';
import { ok } from '../../src/core/result.js';
import { writeTransaction } from '../../src/services/unit-of-work.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { insertSchool } from '../../src/store/catalog.repository.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let now = '2026-01-01T00:00:00.000Z';
const pm: Actor = { id: 'user:pm', role: 'program-manager' };

beforeAll(async () => {
  db = await openTestDatabase('empty', { clock: () => now });
  const schools = await writeTransaction(db.ctx, pm, 'catalog.write', async (tx) => {
    for (const id of ['DIILS', 'CCMR'])
      await insertSchool(tx, { id, name: id, location: 'Monterey, CA', department: 'Navy' });
    return ok({ value: null, audit: [] });
  });
  expect(schools.ok).toBe(true);
});
afterAll(async () => db.close());

function tick(instant: string): void {
  now = instant;
}

function policy(country: string, overrides: Partial<RestrictionInput> = {}): RestrictionInput {
  return {
    country,
    kind: 'policy',
    scope: ['security-assistance'],
    from: '2018-01-04',
    basis: 'Presidential policy decision',
    authority: 'President',
    ...overrides,
  };
}

async function eligible(
  country: string,
  program: string,
  on: string,
  extra: { knownOn?: string; course?: string } = {},
) {
  const result = await checkEligibility(db.ctx, { country, program, on, ...extra });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Runs a refused write and checks that nothing was written. */
async function refusedWithoutWriting<T>(write: () => Promise<{ ok: boolean } & T>) {
  const before = await countAuditEntries(db.store.db);
  const result = await write();
  expect(result.ok).toBe(false);
  expect(await countAuditEntries(db.store.db)).toBe(before);
  return result;
}

describe('the Pakistan story recorded through the services', () => {
  it('answers IMET and FMF at every date of DESIGN §1', async () => {
    tick('2018-01-05T09:00:00.000Z');
    const r = await recordRestriction(db.ctx, pm, policy('PAK'));
    if (!r.ok) throw new Error(r.error.message);
    const e1 = await recordRelief(db.ctx, pm, r.value.id, {
      type: 'exception',
      programs: ['IMET'],
      from: '2018-01-04',
      authority: 'Secretary of State',
      justification: 'critical to national security',
    });
    if (!e1.ok) throw new Error(e1.error.message);
    tick('2018-08-02T09:00:00.000Z');
    expect(await endRelief(db.ctx, pm, e1.value.relief.id, '2018-08-01')).toMatchObject({
      ok: true,
    });
    tick('2019-12-19T15:00:00.000Z');
    const e2 = await recordRelief(db.ctx, pm, r.value.id, {
      type: 'exception',
      programs: ['IMET'],
      notified: '2019-12-19',
      authority: 'Secretary of State',
      justification: 'IMET resumes',
    });
    expect(e2).toMatchObject({
      ok: true,
      value: {
        relief: { from: '2020-01-03' },
        notification: { notifiedOn: '2019-12-19', waitDays: 15, windowEndsOn: '2020-01-03' },
      },
    });
    tick('2026-01-01T00:00:00.000Z');

    const expected: [string, string, boolean][] = [
      ['IMET', '2017-12-01', true],
      ['IMET', '2018-01-04', true],
      ['IMET', '2018-03-01', true],
      ['IMET', '2018-08-01', false],
      ['IMET', '2019-06-01', false],
      ['IMET', '2020-01-02', false],
      ['IMET', '2020-01-03', true],
      ['IMET', '2020-01-04', true],
      ['FMF', '2018-03-01', false],
      ['FMF', '2020-01-04', false],
      ['FMF', '2020-02-01', false],
    ];
    for (const [program, on, verdict] of expected) {
      expect([program, on, (await eligible('PAK', program, on)).eligible]).toEqual([
        program,
        on,
        verdict,
      ]);
    }
    const pending = await eligible('PAK', 'IMET', '2020-01-02');
    expect(pending.pending).toMatchObject([
      {
        effectiveFrom: '2020-01-03',
        reason: expect.stringContaining('Congress notified 2019-12-19'),
      },
    ]);
  });

  it('remembers what the record said before the August 2018 end was recorded', async () => {
    const before = await eligible('PAK', 'IMET', '2019-06-01', { knownOn: '2018-06-01T00:00:00Z' });
    expect(before).toMatchObject({ eligible: true, knownOn: '2018-06-01T00:00:00.000Z' });
    expect(
      (await eligible('PAK', 'IMET', '2019-06-01', { knownOn: '2018-08-03T00:00:00Z' })).eligible,
    ).toBe(false);
    expect(
      (await eligible('PAK', 'IMET', '2018-02-01', { knownOn: '2018-01-01T00:00:00Z' }))
        .restrictions,
    ).toEqual([]);
  });

  it('shows the timeline, and the timeline as known on a past day', async () => {
    const now = await getTimeline(db.ctx, 'pak');
    if (!now.ok) throw new Error(now.error.message);
    expect(now.value.events.map((e) => [e.date, e.type])).toEqual([
      ['2018-01-04', 'restriction.start'],
      ['2018-01-04', 'relief.start'],
      ['2018-08-01', 'relief.end'],
      ['2019-12-19', 'notification'],
      ['2020-01-03', 'relief.start'],
    ]);
    const then = await getTimeline(db.ctx, 'PAK', '2018-06-01T00:00:00Z');
    if (!then.ok) throw new Error(then.error.message);
    expect(then.value.events.map((e) => e.type)).toEqual(['restriction.start', 'relief.start']);
  });
});

describe('replay', () => {
  it("answers the same from a decision's asOf, whatever is recorded later", async () => {
    tick('2026-02-01T00:00:00.000Z');
    const r = await recordRestriction(db.ctx, pm, policy('EGY', { from: '2013-10-09' }));
    if (!r.ok) throw new Error(r.error.message);
    const first = await eligible('EGY', 'FMF', '2015-06-01');
    expect(first).toMatchObject({ eligible: false, knownOn: null });
    expect(first.asOf).toBe('2026-02-01T00:00:00.000Z');
    tick('2026-02-02T00:00:00.000Z');
    expect(
      await recordRelief(db.ctx, pm, r.value.id, {
        type: 'waiver',
        grounds: 'national-security',
        programs: ['FMF'],
        from: '2015-03-31',
        authority: 'President',
        justification: 'test',
      }),
    ).toMatchObject({ ok: true });
    expect(await eligible('EGY', 'FMF', '2015-06-01')).toMatchObject({
      eligible: true,
      asOf: '2026-02-02T00:00:00.000Z',
    });
    const replay = await eligible('EGY', 'FMF', '2015-06-01', { knownOn: first.asOf! });
    expect({ ...replay, knownOn: null }).toEqual(first);
  });

  it('refuses to answer as known on an instant still to come', async () => {
    tick('2026-02-03T00:00:00.000Z');
    const result = await checkEligibility(db.ctx, {
      country: 'EGY',
      program: 'FMF',
      on: '2015-06-01',
      knownOn: '2026-02-03T00:00:01Z',
    });
    expect(result).toMatchObject({
      ok: false,
      error: { field: 'knownOn', message: expect.stringContaining('in the future') },
    });
    expect(await getTimeline(db.ctx, 'EGY', '2030-01-01')).toMatchObject({
      ok: false,
      error: { field: 'knownOn' },
    });
  });
});

describe('corrections never erase', () => {
  it('keeps both versions, each with who recorded it and when', async () => {
    tick('2026-02-01T00:00:00.000Z');
    const r = await recordRestriction(db.ctx, pm, {
      ...policy('THA'),
      kind: 'coup',
      scope: ['IMET', 'FMF'],
      from: '2014-06-01',
      basis: '§7008',
    });
    if (!r.ok) throw new Error(r.error.message);
    tick('2026-02-02T00:00:00.000Z');
    const c = await correctRestriction(
      db.ctx,
      { id: 'user:auditor', role: 'program-manager' },
      r.value.id,
      { from: '2014-05-23', reason: 'announced 23 May' },
    );
    expect(c).toMatchObject({
      ok: true,
      value: { version: 2, from: '2014-05-23', recordedBy: 'user:auditor' },
    });
    const history = await getRestriction(db.ctx, r.value.id);
    expect(
      history.ok &&
        history.value.versions.map((v) => [v.version, v.from, v.recordedBy, v.supersededAt]),
    ).toEqual([
      [1, '2014-06-01', 'user:pm', '2026-02-02T00:00:00.000Z'],
      [2, '2014-05-23', 'user:auditor', null],
    ]);
    expect((await eligible('THA', 'IMET', '2014-05-25')).eligible).toBe(false);
    expect(
      (await eligible('THA', 'IMET', '2014-05-25', { knownOn: '2026-02-01T12:00:00Z' })).eligible,
    ).toBe(true);
  });

  it('lifts a restriction from a date', async () => {
    tick('2026-02-03T00:00:00.000Z');
    const r = await recordRestriction(db.ctx, pm, {
      ...policy('MLI'),
      kind: 'coup',
      scope: ['IMET'],
      from: '2012-03-22',
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(await endRestriction(db.ctx, pm, r.value.id, '2013-09-06')).toMatchObject({
      ok: true,
      value: { until: '2013-09-06', version: 2 },
    });
    expect((await eligible('MLI', 'IMET', '2013-09-05')).eligible).toBe(false);
    expect((await eligible('MLI', 'IMET', '2013-09-06')).eligible).toBe(true);
    expect(await endRestriction(db.ctx, pm, r.value.id, '2014-01-01')).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', reason: 'RESTRICTION.ALREADY_ENDED' },
    });
  });
});

describe('refusals write nothing', () => {
  it.each([
    ['until before from', policy('NPL', { until: '2017-01-01' }), 'INPUT.INVALID', 'until'],
    ['an unknown country', policy('XYZ'), 'NOT_FOUND', 'country'],
    ['an unknown program', policy('NPL', { scope: ['IMET', 'BOGUS'] }), 'INPUT.INVALID', 'scope'],
    ['a malformed date', policy('NPL', { from: '2018-02-30' }), 'INPUT.INVALID', 'from'],
    ['a date before 1950', policy('NPL', { from: '1949-12-31' }), 'INPUT.INVALID', 'from'],
    ['an unknown kind', policy('NPL', { kind: 'whim' }), 'INPUT.INVALID', 'kind'],
    [
      'an exclusion beyond grant IMET',
      policy('NPL', { kind: 'exclusion', scope: ['IMET', 'FMS'] }),
      'RULE.REFUSED',
      'scope',
    ],
    [
      'a proviso without its courses',
      policy('NPL', { kind: 'proviso', scope: ['IMET'] }),
      'INPUT.INVALID',
      'courseFilter',
    ],
  ])('refuses a restriction with %s', async (_label, input, code, field) => {
    const result = await refusedWithoutWriting(() => recordRestriction(db.ctx, pm, input));
    expect(result).toMatchObject({ ok: false, error: { code, field } });
  });

  it('refuses a second same-kind restriction over an overlapping interval and scope (409: correct the existing one)', async () => {
    const first = await recordRestriction(
      db.ctx,
      pm,
      policy('BGD', { scope: ['IMET'], from: '2020-01-01', until: '2021-01-01' }),
    );
    if (!first.ok) throw new Error(first.error.message);
    const result = await refusedWithoutWriting(() =>
      recordRestriction(
        db.ctx,
        pm,
        policy('BGD', { scope: ['security-assistance'], from: '2020-06-01' }),
      ),
    );
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        reason: 'RESTRICTION.OVERLAP',
        details: { existing: first.value.id },
      },
    });
    expect(
      await recordRestriction(db.ctx, pm, policy('BGD', { scope: ['IMET'], from: '2021-01-01' })),
    ).toMatchObject({ ok: true });
    expect(
      await recordRestriction(
        db.ctx,
        pm,
        policy('BGD', { kind: 'coup', scope: ['IMET'], from: '2020-06-01' }),
      ),
    ).toMatchObject({ ok: true });
  });

  it('refuses reliefs the law does not allow', async () => {
    const sst = await recordRestriction(db.ctx, pm, {
      ...policy('SYR'),
      kind: 'terrorism',
      scope: ['security-assistance', 'dod'],
      from: '1979-12-29',
      basis: 'FAA 620A',
    });
    if (!sst.ok) throw new Error(sst.error.message);
    // The designation reaches sales whatever its scope says (AECA §3(f) and §40).
    expect(sst.value.programs).toEqual(expect.arrayContaining(['FMS', 'DCS', 'IMET', 'CTFP']));
    const base = {
      programs: ['IMET'],
      from: '2020-01-01',
      authority: 'Secretary of State',
      justification: 'test',
    };
    const cases = [
      [{ ...base, type: 'waiver', grounds: 'humanitarian' }, 'RELIEF.PROGRAM_NOT_ALLOWED'],
      [{ ...base, type: 'exception' }, 'RELIEF.TYPE_NOT_ALLOWED'],
      [{ ...base, type: 'waiver', grounds: 'national-security' }, 'RELIEF.NOTICE_REQUIRED'],
      [
        { ...base, type: 'waiver', grounds: 'national-security', programs: ['EDA'] },
        'RELIEF.BROADER',
      ],
      [
        {
          ...base,
          type: 'waiver',
          grounds: 'humanitarian',
          programs: ['INCLE'],
          from: '1970-01-01',
        },
        'RELIEF.OUTSIDE',
      ],
      // A rescission ends the designation (restriction end --notified): it is no relief.
      [{ ...base, type: 'rescission' }, 'RELIEF.TYPE_NOT_ALLOWED'],
    ] as const;
    for (const [input, reason] of cases) {
      const result = await refusedWithoutWriting(() =>
        recordRelief(db.ctx, pm, sst.value.id, input),
      );
      expect(result).toMatchObject({ ok: false, error: { code: 'RULE.REFUSED', reason } });
    }
    expect(
      await recordRelief(db.ctx, pm, sst.value.id, {
        ...base,
        type: 'waiver',
        grounds: 'national-security',
        from: undefined,
        notified: '2020-01-01',
      }),
    ).toMatchObject({
      ok: true,
      value: { relief: { from: '2020-01-16' } },
    });
    const exclusion = await recordRestriction(db.ctx, pm, {
      ...policy('AUT'),
      kind: 'exclusion',
      scope: ['IMET'],
      from: '1996-07-21',
      basis: '22 USC 2347e',
    });
    if (!exclusion.ok) throw new Error(exclusion.error.message);
    const none = await refusedWithoutWriting(() =>
      recordRelief(db.ctx, pm, exclusion.value.id, { ...base, type: 'exception' }),
    );
    expect(none).toMatchObject({
      ok: false,
      error: {
        reason: 'RELIEF.TYPE_NOT_ALLOWED',
        message: expect.stringContaining('admits no relief'),
      },
    });
    expect((await eligible('AUT', 'IMET', '2020-01-01')).eligible).toBe(false);
    expect((await eligible('AUT', 'FMS', '2020-01-01')).eligible).toBe(true);
  });

  it('limits the child-soldiers IMET exception to DIILS and CCMR courses and five years', async () => {
    const cspa = await recordRestriction(db.ctx, pm, {
      ...policy('COD'),
      kind: 'child-soldiers',
      scope: ['IMET', 'FMF'],
      from: '2010-10-01',
      basis: 'CSPA §404',
    });
    if (!cspa.ok) throw new Error(cspa.error.message);
    const exception = {
      type: 'exception',
      programs: ['IMET'],
      schools: ['DIILS', 'CCMR'],
      authority: 'President',
      justification: 'professionalisation',
    };
    expect(
      await recordRelief(db.ctx, pm, cspa.value.id, {
        ...exception,
        from: '2012-10-01',
        until: '2015-10-01',
      }),
    ).toMatchObject({ ok: true });
    const beyond = await refusedWithoutWriting(() =>
      recordRelief(db.ctx, pm, cspa.value.id, {
        ...exception,
        from: '2016-10-01',
        until: '2019-10-01',
      }),
    );
    expect(beyond).toMatchObject({ ok: false, error: { reason: 'RELIEF.LIMIT_EXCEEDED' } });
    expect(
      await recordRelief(db.ctx, pm, cspa.value.id, {
        ...exception,
        from: '2016-10-01',
        until: '2018-10-01',
      }),
    ).toMatchObject({ ok: true });
    // 1,825 days granted; five years from the first (2012-10-01) are 1,826 days. Counted from
    // 2019-03-01 they would be 1,827 (two leap days), which must not buy a day more.
    const pastFiveYears = await refusedWithoutWriting(() =>
      recordRelief(db.ctx, pm, cspa.value.id, {
        ...exception,
        from: '2019-03-01',
        until: '2019-03-03',
      }),
    );
    expect(pastFiveYears).toMatchObject({
      ok: false,
      error: { reason: 'RELIEF.LIMIT_EXCEEDED', message: expect.stringContaining('1826 days') },
    });
    expect(
      await recordRelief(db.ctx, pm, cspa.value.id, {
        ...exception,
        from: '2019-03-01',
        until: '2019-03-02',
      }),
    ).toMatchObject({ ok: true });
  });

  it('refuses a correction its reliefs would no longer fit: kind, scope or dates', async () => {
    const r = await recordRestriction(
      db.ctx,
      pm,
      policy('SWE', { scope: ['IMET', 'FMF'], from: '2015-01-01' }),
    );
    if (!r.ok) throw new Error(r.error.message);
    const relief = await recordRelief(db.ctx, pm, r.value.id, {
      type: 'exception',
      programs: ['IMET', 'FMF'],
      from: '2016-01-01',
      authority: 'Secretary of State',
      justification: 'test',
    });
    expect(relief).toMatchObject({ ok: true });
    const cases = [
      [{ kind: 'exclusion', scope: ['IMET'] }, 'RELIEF.TYPE_NOT_ALLOWED', 'kind'],
      [{ kind: 'terrorism' }, 'RELIEF.TYPE_NOT_ALLOWED', 'kind'],
      [{ kind: 'arrears' }, 'RELIEF.TYPE_NOT_ALLOWED', 'kind'],
      [{ scope: ['IMET'] }, 'RELIEF.BROADER', 'scope'],
      [{ from: '2016-06-01' }, 'RELIEF.OUTSIDE', 'from'],
      [{ until: '2017-01-01' }, 'RELIEF.OUTSIDE', 'until'],
    ] as const;
    for (const [change, reason, field] of cases) {
      const result = await refusedWithoutWriting(() =>
        correctRestriction(db.ctx, pm, r.value.id, { ...change, reason: 'test' }),
      );
      expect(result, JSON.stringify(change)).toMatchObject({
        ok: false,
        error: {
          code: 'RULE.REFUSED',
          reason,
          field,
          message: expect.stringContaining(`relief ${relief.ok ? relief.value.relief.id : ''}`),
        },
      });
    }
    const found = await getRestriction(db.ctx, r.value.id);
    expect(found.ok && found.value.versions.length).toBe(1);
    expect((await eligible('SWE', 'IMET', '2017-01-01')).restrictions).toMatchObject([
      { kind: 'policy', status: 'relieved' },
    ]);
    // A correction the relief still fits is recorded.
    expect(
      await correctRestriction(db.ctx, pm, r.value.id, { from: '2015-06-01', reason: 'test' }),
    ).toMatchObject({ ok: true, value: { version: 2, from: '2015-06-01' } });
  });

  it('refuses a relief of an unknown restriction, and an unknown program or course in a question', async () => {
    const missing = await refusedWithoutWriting(() =>
      recordRelief(db.ctx, pm, 'rst_nope', {
        type: 'exception',
        programs: ['IMET'],
        from: '2020-01-01',
        authority: 'x',
        justification: 'y',
      }),
    );
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'restriction' },
    });
    expect(
      await checkEligibility(db.ctx, { country: 'PAK', program: 'XYZ', on: '2020-01-01' }),
    ).toMatchObject({ ok: false, error: { field: 'program' } });
    expect(
      await checkEligibility(db.ctx, { country: 'PAK', program: 'IMET', on: '2101-01-01' }),
    ).toMatchObject({ ok: false, error: { field: 'on' } });
    expect(
      await checkEligibility(db.ctx, {
        country: 'PAK',
        program: 'IMET',
        on: '2020-01-01',
        course: 'NOPE',
      }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'course' } });
    expect(
      await checkEligibility(db.ctx, {
        country: 'PAK',
        program: 'IMET',
        on: '2020-01-01',
        knownOn: 'yesterday',
      }),
    ).toMatchObject({ ok: false, error: { field: 'knownOn' } });
  });
});

describe('batch', () => {
  it('answers in order, and names the first bad question', async () => {
    const ok = await checkEligibilityBatch(db.ctx, [
      { country: 'PAK', program: 'IMET', on: '2019-06-01' },
      { country: 'PAK', program: 'IMET', on: '2020-01-04' },
    ]);
    expect(ok.ok && ok.value.map((d) => d.eligible)).toEqual([false, true]);
    const bad = await checkEligibilityBatch(db.ctx, [
      { country: 'PAK', program: 'IMET', on: '2019-06-01' },
      { country: 'PAK', program: 'IMET', on: 'soon' },
    ]);
    expect(bad).toMatchObject({ ok: false, error: { field: 'queries[1].on' } });
    const tooMany = await checkEligibilityBatch(
      db.ctx,
      Array.from({ length: 10_001 }, () => ({ country: 'PAK', program: 'IMET', on: '2019-06-01' })),
    );
    expect(tooMany).toMatchObject({ ok: false, error: { field: 'queries' } });
  });
});
