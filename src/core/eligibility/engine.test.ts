import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import { buildEligibilityIndex, decide, type CourseFacts } from './engine.js';
import { pakistanStory, reliefVersion, restrictionVersion } from './test-records.js';

const story = buildEligibilityIndex(pakistanStory());
const ask = (program: ProgramCode, on: string, course?: CourseFacts) =>
  decide(story, {
    country: 'PAK',
    program,
    on: on as IsoDate,
    ...(course === undefined ? {} : { course }),
  });

describe('the Pakistan story (DESIGN §1)', () => {
  it.each([
    ['IMET', '2017-12-01', true, [], []],
    ['IMET', '2018-01-04', true, [['relieved', 'rlf_e1']], []],
    ['IMET', '2018-03-01', true, [['relieved', 'rlf_e1']], []],
    ['IMET', '2018-08-01', false, [['blocking', null]], []],
    ['IMET', '2019-06-01', false, [['blocking', null]], []],
    ['IMET', '2020-01-02', false, [['blocking', null]], ['rlf_e2']],
    ['IMET', '2020-01-03', true, [['relieved', 'rlf_e2']], []],
    ['IMET', '2020-01-04', true, [['relieved', 'rlf_e2']], []],
    ['FMF', '2017-12-01', true, [], []],
    ['FMF', '2018-01-04', false, [['blocking', null]], []],
    ['FMF', '2018-03-01', false, [['blocking', null]], []],
    ['FMF', '2018-08-01', false, [['blocking', null]], []],
    ['FMF', '2019-06-01', false, [['blocking', null]], []],
    ['FMF', '2020-01-02', false, [['blocking', null]], []],
    ['FMF', '2020-01-03', false, [['blocking', null]], []],
    ['FMF', '2020-02-01', false, [['blocking', null]], []],
  ] as const)('%s on %s: eligible %s', (program, on, eligible, statuses, pending) => {
    const d = ask(program, on);
    expect(d.eligible).toBe(eligible);
    expect(d.restrictions.map((r) => [r.status, r.reliefId])).toEqual(statuses);
    expect(d.pending.map((p) => p.reliefId)).toEqual(pending);
  });

  it('says why IMET was blocked on 2019-06-01: the suspension, and the exception that ended', () => {
    const [r] = ask('IMET', '2019-06-01').restrictions;
    expect(r).toMatchObject({
      id: 'rst_r',
      kind: 'policy',
      from: '2018-01-04',
      until: null,
      status: 'blocking',
    });
    expect(r!.reason).toContain('exception rlf_e1 for IMET ended 2018-08-01');
  });

  it('shows the exception pending on 2020-01-02 with the notification window', () => {
    const d = ask('IMET', '2020-01-02');
    expect(d.pending).toEqual([
      {
        reliefId: 'rlf_e2',
        restrictionId: 'rst_r',
        effectiveFrom: '2020-01-03',
        reason:
          'exception rlf_e2 for IMET: Congress notified 2019-12-19, waiting period of 15 days ends 2020-01-03',
      },
    ]);
  });

  it('does not show the exception pending before Congress was notified', () => {
    expect(ask('IMET', '2019-12-18').pending).toEqual([]);
    expect(ask('IMET', '2019-12-19').pending.map((p) => p.reliefId)).toEqual(['rlf_e2']);
  });

  it('cites the relief used, with its authority', () => {
    const [r] = ask('IMET', '2020-01-04').restrictions;
    expect(r!.relief).toMatchObject({
      id: 'rlf_e2',
      type: 'exception',
      authority: 'Secretary of State',
      notificationId: 'cn_e2',
    });
  });

  it('does not scan other countries: India is unaffected', () => {
    expect(
      decide(story, { country: 'IND', program: 'IMET', on: '2019-06-01' as IsoDate }),
    ).toMatchObject({ eligible: true, restrictions: [] });
  });
});

describe('limited reliefs and provisos', () => {
  const diils: CourseFacts = { id: 'P176019', schoolId: 'DIILS', eImet: true };
  const cgsc: CourseFacts = { id: 'B171005', schoolId: 'CGSC', eImet: false };
  const index = buildEligibilityIndex({
    restrictions: [
      restrictionVersion({
        id: 'rst_cspa',
        country: 'COD',
        kind: 'child-soldiers',
        scope: ['IMET', 'FMF'],
        programs: ['FMF', 'IMET'],
        from: '2019-10-01' as IsoDate,
        until: '2020-10-01' as IsoDate,
      }),
      restrictionVersion({
        id: 'rst_pro',
        country: 'IDN',
        kind: 'proviso',
        courseFilter: 'E-IMET',
        from: '1999-10-01' as IsoDate,
        until: '2005-02-26' as IsoDate,
      }),
    ],
    reliefs: [
      reliefVersion({
        id: 'rlf_cspa',
        restrictionId: 'rst_cspa',
        schoolIds: ['DIILS', 'CCMR'],
        from: '2019-10-01' as IsoDate,
        until: '2020-10-01' as IsoDate,
      }),
    ],
    notifications: [],
  });

  it('makes IMET eligible only for DIILS and CCMR courses, and says so', () => {
    const any = decide(index, { country: 'COD', program: 'IMET', on: '2020-03-01' as IsoDate });
    expect(any).toMatchObject({
      eligible: true,
      conditions: ['only courses at DIILS or CCMR (exception rlf_cspa)'],
    });
    expect(
      decide(index, {
        country: 'COD',
        program: 'IMET',
        on: '2020-03-01' as IsoDate,
        course: diils,
      }),
    ).toMatchObject({
      eligible: true,
      conditions: ['only courses at DIILS or CCMR (exception rlf_cspa)'],
      course: 'P176019',
    });
    const other = decide(index, {
      country: 'COD',
      program: 'IMET',
      on: '2020-03-01' as IsoDate,
      course: cgsc,
    });
    expect(other.eligible).toBe(false);
    expect(other.restrictions[0]!.reason).toContain('not course B171005 at CGSC');
  });

  it('leaves FMF blocked by the child-soldiers listing', () => {
    expect(
      decide(index, { country: 'COD', program: 'FMF', on: '2020-03-01' as IsoDate }).eligible,
    ).toBe(false);
  });

  it('allows E-IMET courses only under a proviso', () => {
    const q = { country: 'IDN', program: 'IMET' as const, on: '2003-01-01' as IsoDate };
    expect(decide(index, q)).toMatchObject({
      eligible: true,
      conditions: ['only E-IMET courses (proviso rst_pro)'],
    });
    expect(decide(index, { ...q, course: diils })).toMatchObject({
      eligible: true,
      conditions: ['only E-IMET courses (proviso rst_pro)'],
    });
    expect(decide(index, { ...q, course: cgsc })).toMatchObject({
      eligible: false,
      conditions: [],
    });
    expect(decide(index, { ...q, on: '2005-02-26' as IsoDate, course: cgsc }).eligible).toBe(true);
  });
});

describe('as known on', () => {
  it('answers from the versions recorded by then; corrections never erase', () => {
    const first = restrictionVersion({
      id: 'rst_c',
      country: 'THA',
      kind: 'coup',
      from: '2014-06-01' as IsoDate,
      recordedAt: '2014-06-02T00:00:00.000Z',
      supersededAt: '2015-01-10T00:00:00.000Z',
    });
    const corrected = {
      ...first,
      version: 2,
      from: '2014-05-23' as IsoDate,
      recordedAt: '2015-01-10T00:00:00.000Z',
      supersededAt: null,
    };
    const index = buildEligibilityIndex({
      restrictions: [first, corrected],
      reliefs: [],
      notifications: [],
    });
    const q = { country: 'THA', program: 'IMET' as const, on: '2014-05-25' as IsoDate };
    expect(decide(index, q).eligible).toBe(false);
    expect(decide(index, { ...q, knownOn: '2014-12-31T00:00:00.000Z' }).eligible).toBe(true);
    expect(decide(index, { ...q, knownOn: '2015-01-10T00:00:00.000Z' }).eligible).toBe(false);
    expect(
      decide(index, { ...q, knownOn: '2014-06-01T00:00:00.000Z', on: '2014-07-01' as IsoDate }),
    ).toMatchObject({ eligible: true, restrictions: [] });
  });
});

describe('whole-scope reliefs', () => {
  it('a certification lifts a coup restriction for every program in scope', () => {
    const index = buildEligibilityIndex({
      restrictions: [
        restrictionVersion({
          id: 'rst_mli',
          country: 'MLI',
          kind: 'coup',
          programs: ['FMF', 'IMET'],
          scope: ['IMET', 'FMF'],
          from: '2012-03-22' as IsoDate,
        }),
      ],
      reliefs: [
        reliefVersion({
          id: 'rlf_cert',
          restrictionId: 'rst_mli',
          type: 'certification',
          programs: ['IMET'],
          from: '2013-09-06' as IsoDate,
        }),
      ],
      notifications: [],
    });
    expect(
      decide(index, { country: 'MLI', program: 'FMF', on: '2014-01-01' as IsoDate }).eligible,
    ).toBe(true);
    expect(
      decide(index, { country: 'MLI', program: 'FMF', on: '2013-01-01' as IsoDate }).eligible,
    ).toBe(false);
  });
});
