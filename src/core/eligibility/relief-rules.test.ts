import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import type { RestrictionKind } from '../restrictions.js';
import {
  COUP_WAIVER_ENACTED,
  RELIEF_RULES,
  checkRelief,
  type ReliefContext,
  type ReliefProposal,
} from './relief-rules.js';

const d = (s: string) => s as IsoDate;
const ALL: ProgramCode[] = ['FMF', 'IMET', 'PKO', 'INCLE', 'NADR'];

function context(kind: RestrictionKind, overrides: Partial<ReliefContext> = {}): ReliefContext {
  return {
    kind,
    programs: ALL,
    from: d('2018-01-01'),
    until: null,
    sameRuleIntervals: [],
    ...overrides,
  };
}

function relief(overrides: Partial<ReliefProposal> = {}): ReliefProposal {
  return {
    type: 'exception',
    grounds: null,
    programs: ['IMET'],
    courseIds: null,
    schoolIds: null,
    from: d('2019-01-01'),
    until: null,
    noticeDays: null,
    ...overrides,
  };
}

const accepted = (r: ReliefProposal, c: ReliefContext) =>
  expect(checkRelief(r, c)).toMatchObject({ ok: true });
const refused = (r: ReliefProposal, c: ReliefContext, reason: string) =>
  expect(checkRelief(r, c)).toMatchObject({ ok: false, refusal: { reason } });

describe('relief rules by kind', () => {
  it('are data: every kind has an entry', () => {
    expect(Object.keys(RELIEF_RULES).sort()).toEqual([
      'arrears',
      'child-soldiers',
      'coup',
      'exclusion',
      'human-rights',
      'policy',
      'proviso',
      'terrorism',
    ]);
  });

  it('says why in English: "an exception cannot relieve an arrears restriction"', () => {
    expect(checkRelief(relief(), context('arrears'))).toMatchObject({
      ok: false,
      refusal: {
        message: expect.stringMatching(/^an exception cannot relieve an arrears restriction/),
      },
    });
    expect(
      checkRelief(relief({ type: 'waiver', grounds: null }), context('human-rights')),
    ).toMatchObject({
      refusal: { message: expect.stringMatching(/^a waiver cannot relieve a human-rights/) },
    });
  });

  it('policy: any relief by the President or the Secretary of State', () => {
    for (const type of ['exception', 'certification', 'rescission'] as const)
      accepted(relief({ type }), context('policy'));
    accepted(relief({ type: 'waiver', grounds: 'national-interest' }), context('policy'));
    refused(relief({ type: 'waiver' }), context('policy'), 'RELIEF.GROUNDS_NOT_ALLOWED');
  });

  it('coup: a certification; a national-security waiver program by program only from the FY2024 act', () => {
    const c = context('coup');
    expect(checkRelief(relief({ type: 'certification' }), c)).toMatchObject({
      ok: true,
      rule: { wholeScope: true },
    });
    const waiver = relief({
      type: 'waiver',
      grounds: 'national-security',
      programs: ['FMF'],
      from: COUP_WAIVER_ENACTED,
    });
    accepted(waiver, c);
    // Before P.L. 118-47 (2024-03-23) §7008 had no waiver: a 2016 "waiver" is refused.
    refused({ ...waiver, from: d('2016-06-01') }, c, 'RELIEF.NOT_YET_AUTHORIZED');
    refused({ ...waiver, from: d('2024-03-22') }, c, 'RELIEF.NOT_YET_AUTHORIZED');
    expect(checkRelief({ ...waiver, from: d('2016-06-01') }, c)).toMatchObject({
      refusal: { field: 'from', message: expect.stringContaining('P.L. 118-47') },
    });
    refused(
      relief({ type: 'waiver', grounds: 'humanitarian', from: COUP_WAIVER_ENACTED }),
      c,
      'RELIEF.GROUNDS_NOT_ALLOWED',
    );
    refused(relief({ type: 'exception' }), c, 'RELIEF.TYPE_NOT_ALLOWED');
    refused(relief({ type: 'rescission' }), c, 'RELIEF.TYPE_NOT_ALLOWED');
  });

  it('terrorism: national-security waiver after 15 days of consultation; humanitarian never for military programs', () => {
    const c = context('terrorism');
    accepted(relief({ type: 'waiver', grounds: 'national-security', noticeDays: 15 }), c);
    refused(
      relief({ type: 'waiver', grounds: 'national-security', noticeDays: 14 }),
      c,
      'RELIEF.NOTICE_REQUIRED',
    );
    refused(relief({ type: 'waiver', grounds: 'national-security' }), c, 'RELIEF.NOTICE_REQUIRED');
    for (const program of ['IMET', 'FMF', 'PKO'] as const) {
      refused(
        relief({ type: 'waiver', grounds: 'humanitarian', programs: [program] }),
        c,
        'RELIEF.PROGRAM_NOT_ALLOWED',
      );
    }
    accepted(relief({ type: 'waiver', grounds: 'humanitarian', programs: ['INCLE'] }), c);
    // A rescission is no relief: it ends the designation, after its report to Congress (checkLift).
    refused(relief({ type: 'rescission' }), c, 'RELIEF.TYPE_NOT_ALLOWED');
    refused(relief({ type: 'exception' }), c, 'RELIEF.TYPE_NOT_ALLOWED');
  });

  it('child-soldiers: national-interest waiver, reinstatement, and the IMET exception for DIILS or CCMR only, 5 years at most', () => {
    const c = context('child-soldiers', { from: d('2010-10-01') });
    accepted(
      relief({ type: 'waiver', grounds: 'national-interest', programs: ['FMF', 'IMET'] }),
      c,
    );
    accepted(relief({ type: 'certification' }), c);
    const exception = relief({
      schoolIds: ['DIILS', 'CCMR'],
      from: d('2019-10-01'),
      until: d('2024-10-01'),
    });
    accepted(exception, c);
    refused({ ...exception, schoolIds: null }, c, 'RELIEF.SCHOOLS_REQUIRED');
    refused({ ...exception, schoolIds: ['DIILS', 'CGSC'] }, c, 'RELIEF.SCHOOLS_REQUIRED');
    refused({ ...exception, programs: ['IMET', 'FMF'] }, c, 'RELIEF.PROGRAM_NOT_ALLOWED');
    refused({ ...exception, until: d('2024-10-02') }, c, 'RELIEF.LIMIT_EXCEEDED');
    refused({ ...exception, until: null }, c, 'RELIEF.LIMIT_EXCEEDED');
    const used = context('child-soldiers', {
      from: d('2010-10-01'),
      sameRuleIntervals: [{ from: d('2012-10-01'), until: d('2015-10-01') }],
    });
    accepted({ ...exception, until: d('2021-10-01') }, used);
    refused({ ...exception, until: d('2021-10-03') }, used, 'RELIEF.LIMIT_EXCEEDED');
  });

  it('arrears: a national-interest determination only', () => {
    accepted(relief({ type: 'waiver', grounds: 'national-interest' }), context('arrears'));
    refused(
      relief({ type: 'waiver', grounds: 'national-security' }),
      context('arrears'),
      'RELIEF.GROUNDS_NOT_ALLOWED',
    );
    refused(relief({ type: 'exception' }), context('arrears'), 'RELIEF.TYPE_NOT_ALLOWED');
  });

  it('human-rights: a certification of extraordinary circumstances', () => {
    accepted(
      relief({ type: 'certification', grounds: 'extraordinary-circumstances' }),
      context('human-rights'),
    );
    refused(
      relief({ type: 'certification' }),
      context('human-rights'),
      'RELIEF.GROUNDS_NOT_ALLOWED',
    );
    refused(
      relief({ type: 'waiver', grounds: 'national-interest' }),
      context('human-rights'),
      'RELIEF.TYPE_NOT_ALLOWED',
    );
  });

  it('exclusion: no relief at all', () => {
    for (const type of ['exception', 'waiver', 'certification', 'rescission'] as const) {
      const result = checkRelief(
        relief({ type, grounds: type === 'waiver' ? 'national-interest' : null }),
        context('exclusion', { programs: ['IMET'] }),
      );
      expect(result).toMatchObject({
        ok: false,
        refusal: {
          reason: 'RELIEF.TYPE_NOT_ALLOWED',
          message: expect.stringContaining('admits no relief'),
        },
      });
    }
  });

  it('proviso: rescission only', () => {
    accepted(relief({ type: 'rescission' }), context('proviso', { programs: ['IMET'] }));
    refused(
      relief({ type: 'exception' }),
      context('proviso', { programs: ['IMET'] }),
      'RELIEF.TYPE_NOT_ALLOWED',
    );
  });
});

describe('relief against its restriction', () => {
  it('refuses programs outside the restriction scope', () => {
    refused(relief({ programs: ['IMET', 'FMS'] }), context('policy'), 'RELIEF.BROADER');
  });

  it.each([
    ['starting before the restriction', { from: d('2017-12-31') }, {}, 'from'],
    [
      'open-ended past a restriction that ends',
      { until: null },
      { until: d('2020-01-01') },
      'until',
    ],
    [
      'ending after the restriction',
      { until: d('2020-01-02') },
      { until: d('2020-01-01') },
      'until',
    ],
    [
      'starting after the restriction ended',
      { from: d('2020-01-01'), until: d('2020-02-01') },
      { until: d('2020-01-01') },
      'until',
    ],
  ])('refuses a relief %s', (_label, r, c, field) => {
    expect(checkRelief(relief(r), context('policy', c))).toMatchObject({
      ok: false,
      refusal: { reason: 'RELIEF.OUTSIDE', field },
    });
  });

  it('accepts a relief exactly as long as its restriction', () => {
    accepted(
      relief({ from: d('2018-01-01'), until: d('2020-01-01') }),
      context('policy', { until: d('2020-01-01') }),
    );
  });
});
