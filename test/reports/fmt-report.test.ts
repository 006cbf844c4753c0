// The 2020 Foreign Military Training report of a small record, checked figure for figure against the arithmetic done by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import type { FmtReport } from '../../src/core/reports/fmt-report.js';
import {
  listCommitteeRequests,
  recordCommitteeRequest,
} from '../../src/services/reports/committee-request.service.js';
import { fmtReport } from '../../src/services/reports/fmt-report.service.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { buildFmtFixture, FIXTURE_NOW } from './fmt-fixture.js';

let db: TestDatabase;
let report: FmtReport;
const analyst: Actor = { id: 'user:analyst', role: 'analyst' };

beforeAll(async () => {
  db = await openTestDatabase('empty', { clock: () => FIXTURE_NOW });
  await buildFmtFixture(db.ctx);
  const result = await fmtReport(db.ctx, analyst, { year: 2020 });
  if (!result.ok) throw new Error(result.error.message);
  report = result.value;
}, 120_000);
afterAll(async () => db.close());

describe('the 2020 report of the fixture, by hand', () => {
  it('covers FY2019 as actual and FY2020 as planned, due 2020-01-31, requests by 2019-11-02', () => {
    expect(report).toMatchObject({
      year: 2020,
      dueOn: '2020-01-31',
      requestDeadline: '2019-11-02', // 2020-01-31 less 90 days: 31 (Jan) + 31 (Dec) + 28 (Nov 3..30) = 90
      actualPeriod: { fiscalYear: 2019, from: '2018-10-01', to: '2019-09-30' },
      plannedPeriod: { fiscalYear: 2020, from: '2019-10-01', to: '2020-09-30' },
      scope: null,
    });
  });

  it('counts FY2019 actual per country and program', () => {
    expect(report.actual).toEqual([
      {
        country: 'EST',
        countryName: 'Estonia',
        program: 'IMET',
        sessions: 1, // Eero on L4
        students: 1,
        courses: 1, // FMT-SHORT
        valueCents: 1_150_000, // $10,000 tuition + $1,500 allowance
      },
      {
        country: 'JOR',
        countryName: 'Jordan',
        program: 'IMET',
        sessions: 4, // L1: Amani, Basel (in training); L2: Amani, Dana (completed); the cancelled seat is no session
        students: 3, // Amani (two courses, once), Basel, Dana
        courses: 2, // FMT-PME, FMT-SHORT
        // L1: 2 × ($50,000 + $8,000) = $116,000; L1's cancelled seat: 50% of $50,000 = $25,000;
        // L2: 2 × ($10,000 + $2,000) = $24,000; in all $165,000
        valueCents: 16_500_000,
      },
    ]);
  });

  it('plans FY2020 without the course that started in FY2019 and runs into it', () => {
    expect(report.planned).toEqual([
      {
        country: 'JOR',
        countryName: 'Jordan',
        program: 'IMET',
        sessions: 2, // L3's two seats; L1 (2019-08-05 to 2020-05-11) counts in FY2019 only
        students: 2, // Dana, and one student to come for the open seat
        courses: 1, // FMT-SHORT
        valueCents: 2_520_000, // 2 × ($10,500 + $2,100) = $25,200
      },
    ]);
  });

  it('adds up each country and the report', () => {
    expect(report.countries.map((c) => [c.country, c.actual, c.planned])).toEqual([
      [
        'EST',
        { sessions: 1, students: 1, courses: 1, valueCents: 1_150_000 },
        { sessions: 0, students: 0, courses: 0, valueCents: 0 },
      ],
      [
        'JOR',
        { sessions: 4, students: 3, courses: 2, valueCents: 16_500_000 },
        { sessions: 2, students: 2, courses: 1, valueCents: 2_520_000 },
      ],
    ]);
    expect(report.totals).toEqual({
      // sessions 1 + 4; students 1 + 3; courses FMT-PME and FMT-SHORT once; $11,500 + $165,000
      actual: { sessions: 5, students: 4, courses: 2, valueCents: 17_650_000 },
      planned: { sessions: 2, students: 2, courses: 1, valueCents: 2_520_000 },
    });
  });

  it('lists each activity with its purpose (or the marked fallback), location, students and units', () => {
    expect(
      report.activities.map((a) => [
        a.section,
        a.country,
        a.courseId,
        a.classStart,
        a.purposeRecorded,
        `${a.school}, ${a.location}`,
        a.students,
        a.units,
        a.valueCents,
      ]),
    ).toEqual([
      // Estonia first (by name); its L4: $10,000 + $1,500
      [
        'actual',
        'EST',
        'FMT-SHORT',
        '2019-05-06',
        false,
        'Fixture Institute of Law, Newport, RI',
        1,
        ['Baltic Defence College staff'],
        1_150_000,
      ],
      // L2: Amani and Dana, both of the 1st Brigade: 2 × $12,000
      [
        'actual',
        'JOR',
        'FMT-SHORT',
        '2019-03-04',
        false,
        'Fixture Institute of Law, Newport, RI',
        2,
        ['1st Brigade'],
        2_400_000,
      ],
      // L1: the two who trained, 2 × $58,000, and the $25,000 penalty of its cancelled seat:
      // 11,600,000 + 2,500,000 cents (the activities add up to the summary)
      [
        'actual',
        'JOR',
        'FMT-PME',
        '2019-08-05',
        true,
        'Fixture Staff College, Fort Example, KS',
        2,
        ['1st Brigade', '2nd Brigade'],
        14_100_000,
      ],
      // L3: Dana's unit; the open seat has none yet
      [
        'planned',
        'JOR',
        'FMT-SHORT',
        '2020-03-02',
        false,
        'Fixture Institute of Law, Newport, RI',
        2,
        ['1st Brigade'],
        2_520_000,
      ],
    ]);
    const l1 = report.activities.find((a) => a.courseId === 'FMT-PME')!;
    expect(l1.purpose).toBe('Develop staff officers for combined operations with US forces');
    const l2 = report.activities.find((a) => a.classStart === '2019-03-04')!;
    expect(l2.purpose).toMatch(/^Expanded IMET: .*; purpose not recorded for this activity$/);
  });

  it('leaves Poland out (its request came too late) and has Estonia in on its timely request', () => {
    expect(report.excluded).toEqual([
      {
        country: 'POL',
        countryName: 'Poland',
        reason:
          'NATO member since 1999-03-12 (22 U.S.C. 2416(a)(2)); no committee request recorded by 2019-11-02, 90 days before the report is due on 2020-01-31; the request of the House Committee on Appropriations on 2019-12-01 came after that day and counts for the 2021 report',
      },
    ]);
    expect(report.includedOnRequest).toEqual([
      {
        country: 'EST',
        countryName: 'Estonia',
        committee: 'Senate Committee on Foreign Relations',
        requestedOn: '2019-10-15',
        source: 'letter of 15 October 2019',
      },
    ]);
    expect(JSON.stringify([report.actual, report.planned, report.activities])).not.toContain('POL');
  });

  it('counts no FY2020 session in the 2021 report while no school has reported one', async () => {
    const next = await fmtReport(db.ctx, analyst, { year: 2021 });
    if (!next.ok) throw new Error(next.error.message);
    // L3's seats are nominated and programmed only; L1 began in FY2019 and stays there
    expect(next.value.actual).toEqual([]);
    expect(next.value.activities).toEqual([]);
    expect(next.value.planned).toEqual([]);
    expect(next.value.excluded).toEqual([]); // Poland has no FY2020 or FY2021 line
  });
});

describe('who reads the report', () => {
  it('gives an SCO the part of their country only, with the same figures', async () => {
    const sco: Actor = { id: 'user:sco', role: 'sco', countries: ['JOR'] };
    const part = await fmtReport(db.ctx, sco, { year: 2020 });
    if (!part.ok) throw new Error(part.error.message);
    expect(part.value.scope).toEqual(['JOR']);
    expect(part.value.actual).toEqual(report.actual.filter((r) => r.country === 'JOR'));
    expect(part.value.activities).toEqual(report.activities.filter((a) => a.country === 'JOR'));
    expect(part.value.excluded).toEqual([]);
  });

  it('refuses a school officer, and a year out of range naming the field', async () => {
    const imso: Actor = { id: 'user:imso', role: 'imso', schools: ['FMT-S1'] };
    expect(await fmtReport(db.ctx, imso, { year: 2020 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', reason: 'REPORT.OUT_OF_SCOPE' },
    });
    expect(await fmtReport(db.ctx, analyst, { year: 1800 })).toMatchObject({
      ok: false,
      error: { code: 'INPUT.INVALID', field: 'year' },
    });
  });
});

describe('committee requests', () => {
  const pm: Actor = { id: 'user:pm', role: 'program-manager' };

  it('records a request audited, says which report it counts for, and lists it', async () => {
    const before = await countAuditEntries(db.ctx.store.db);
    const recorded = await recordCommitteeRequest(db.ctx, pm, {
      country: 'jpn',
      committee: 'hfac',
      requestedOn: '2019-11-02',
    });
    expect(recorded).toMatchObject({
      ok: true,
      value: {
        country: 'JPN',
        committee: 'House Committee on Foreign Affairs',
        reportYear: 2020,
        deadline: '2019-11-02',
        exemption: 'Japan is named in 22 U.S.C. 2416(a)(2)',
      },
    });
    expect(await countAuditEntries(db.ctx.store.db)).toBe(before + 1);
    const listed = await listCommitteeRequests(db.ctx, analyst);
    expect(listed.ok && listed.value.map((r) => r.country)).toEqual(['EST', 'JPN', 'POL']);
    const sco = await listCommitteeRequests(db.ctx, {
      id: 'user:sco',
      role: 'sco',
      countries: ['POL'],
    });
    expect(sco.ok && sco.value.map((r) => r.country)).toEqual(['POL']);
  });

  it.each([
    [{ committee: 'Armed Services' }, 'committee'],
    [{ country: 'XXX' }, 'country'],
    [{ requestedOn: '2020-02-01' }, 'requestedOn'], // after today (2020-01-10)
    [{ requestedOn: '2019-02-30' }, 'requestedOn'],
  ])('refuses %o naming %s', async (change, field) => {
    const result = await recordCommitteeRequest(db.ctx, pm, {
      country: 'NZL',
      committee: 'SAC',
      requestedOn: '2019-06-01',
      ...change,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'INPUT.INVALID', field } });
  });

  it('refuses the same request twice, and an SCO or analyst', async () => {
    const input = { country: 'AUS', committee: 'SAC', requestedOn: '2019-06-01' };
    expect((await recordCommitteeRequest(db.ctx, pm, input)).ok).toBe(true);
    expect(await recordCommitteeRequest(db.ctx, pm, input)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    for (const actor of [analyst, { id: 'user:sco', role: 'sco', countries: ['AUS'] } as Actor]) {
      expect(
        await recordCommitteeRequest(db.ctx, actor, { ...input, requestedOn: '2019-06-02' }),
      ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });

  it('checks and rolls back on a dry run', async () => {
    const dry = await recordCommitteeRequest(
      db.ctx,
      pm,
      { country: 'NZL', committee: 'SAC', requestedOn: '2019-06-01' },
      { dryRun: true },
    );
    expect(dry).toMatchObject({ ok: true, value: { country: 'NZL', reportYear: 2020 } });
    const listed = await listCommitteeRequests(db.ctx, analyst);
    expect(listed.ok && listed.value.some((r) => r.country === 'NZL')).toBe(false);
  });
});
