// Every rule the engine applies, held against the words of its subsection (resources/law/usc22/,
// copied from the US Code): the quote is there, under that subsection, and the rule does what it says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import type { RestrictionKind } from '../restrictions.js';
import {
  checkLift,
  checkRelief,
  COUP_WAIVER_ENACTED,
  LIFT_RULES,
  reachOf,
  RELIEF_RULES,
  type Citation,
  type ReliefProposal,
} from './relief-rules.js';

const LAW = new URL('../../../resources/law/usc22/', import.meta.url);
const ACT_7008 = new URL('../../../resources/law/appropriations/7008-fy2024.md', import.meta.url);
const d = (s: string) => s as IsoDate;

/** `22 USC 2370c-1(c)(1)` → its file and subsection `c`; `P.L. 118-47, div. F, §7008(b)` too. */
function parseCite(cite: string): { file: URL; subsection: string | null } {
  const act = /^P\.L\. 118-47, div\. F, §7008\(([a-z])\)/.exec(cite);
  if (act !== null) return { file: ACT_7008, subsection: act[1]! };
  const m = /^22 USC (\d+[a-z]?(?:-\d+)?)(?:\(([a-z])\))?/.exec(cite);
  if (m === null) throw new Error(`not a citation of a text in resources/law: ${cite}`);
  return { file: new URL(`${m[1]!}.md`, LAW), subsection: m[2] ?? null };
}

/** The subsection whose heading precedes `quote` in the section's text. */
function subsectionOf(text: string, quote: string): string | null {
  const at = text.indexOf(quote);
  if (at === -1) return null;
  const headings = [...text.slice(0, at).matchAll(/^##### \(([a-z])\)/gm)];
  return headings.at(-1)?.[1] ?? null;
}

const cited: { rule: string; citation: Citation }[] = [
  ...Object.entries(RELIEF_RULES).flatMap(([kind, rules]) => [
    ...rules.reliefs.map((r) => ({ rule: `${kind} ${r.type} (${r.note})`, citation: r })),
    ...(rules.reach === undefined ? [] : [{ rule: `${kind} reach`, citation: rules.reach }]),
  ]),
  ...Object.entries(LIFT_RULES).map(([name, r]) => ({ rule: `${name} lift`, citation: r })),
];

describe('the statutes behind the rules', () => {
  it.each(cited.filter((c) => c.citation.quote !== null))(
    '$rule: its quote is in $citation.cite',
    ({ citation }) => {
      const { file, subsection } = parseCite(citation.cite);
      const text = readFileSync(file, 'utf8');
      expect(text).toContain(citation.quote);
      if (subsection !== null) expect(subsectionOf(text, citation.quote!)).toBe(subsection);
    },
  );

  it('says where a rule has no text in resources/law (a policy, an act not shipped)', () => {
    for (const { citation } of cited.filter((c) => c.citation.quote === null))
      expect(citation.cite).not.toMatch(/^22 USC|^P\.L\. 118-47/);
  });
});

function relief(overrides: Partial<ReliefProposal>): ReliefProposal {
  return {
    type: 'waiver',
    grounds: 'national-interest',
    programs: ['IMET'],
    courseIds: null,
    schoolIds: null,
    from: d('2020-01-01'),
    until: null,
    noticeDays: null,
    ...overrides,
  };
}

const context = (kind: RestrictionKind, programs: ProgramCode[] = ['IMET', 'FMF', 'PKO']) => ({
  kind,
  programs,
  from: d('2010-10-01'),
  until: null,
  sameRuleIntervals: [],
});

describe('22 USC 2371 (terrorism list)', () => {
  it('(c)(2) "at least 45 days before the proposed rescission would take effect, a report": Cuba, reported 2025-01-14, not before 2025-02-28', () => {
    const notice = { notifiedOn: d('2025-01-14'), fundamentalChange: false };
    expect(checkLift('terrorism', d('2025-01-16'), notice)).toMatchObject({
      reason: 'RESTRICTION.NOTICE_TOO_SHORT',
      field: 'on',
    });
    expect(checkLift('terrorism', d('2025-02-27'), notice)).toMatchObject({
      reason: 'RESTRICTION.NOTICE_TOO_SHORT',
    });
    expect(checkLift('terrorism', d('2025-02-28'), notice)).toBeUndefined();
    // Cuba 2015: reported 14 April, rescinded 29 May (45 days).
    expect(
      checkLift('terrorism', d('2015-05-29'), {
        notifiedOn: d('2015-04-14'),
        fundamentalChange: false,
      }),
    ).toBeUndefined();
  });

  it('(c) "may not be rescinded unless the President submits … a report": no rescission without one', () => {
    expect(
      checkLift('terrorism', d('2006-06-30'), { notifiedOn: null, fundamentalChange: false }),
    ).toMatchObject({ reason: 'RESTRICTION.NOTICE_REQUIRED', field: 'notified' });
  });

  it('(c)(1) "before the proposed rescission would take effect" (a fundamental change): after the report, no 45 days', () => {
    const notice = { notifiedOn: d('2004-09-24'), fundamentalChange: true };
    expect(checkLift('terrorism', d('2004-09-24'), notice)).toMatchObject({
      reason: 'RESTRICTION.NOTICE_TOO_SHORT',
    });
    expect(checkLift('terrorism', d('2004-09-25'), notice)).toBeUndefined();
  });

  it('(c) applies from P.L. 101-222 (1989-12-12): Iraq’s February 1982 removal waited on no report', () => {
    expect(
      checkLift('terrorism', d('1982-02-01'), { notifiedOn: null, fundamentalChange: false }),
    ).toBeUndefined();
    expect(
      checkLift('terrorism', d('1989-12-12'), { notifiedOn: null, fundamentalChange: false }),
    ).toMatchObject({ reason: 'RESTRICTION.NOTICE_REQUIRED' });
  });

  it('other kinds end when their decision says, with no report required', () => {
    for (const kind of ['coup', 'policy', 'child-soldiers'] as const)
      expect(
        checkLift(kind, d('2020-01-01'), { notifiedOn: null, fundamentalChange: false }),
      ).toBeUndefined();
  });

  it('AECA §3(f) and §40: a designation reaches FMS sales and DCS licences, whatever scope is recorded', () => {
    expect(reachOf('terrorism', ['IMET', 'FMF'])).toEqual(['DCS', 'FMF', 'FMS', 'IMET']);
    expect(reachOf('coup', ['IMET', 'FMF'])).toEqual(['FMF', 'IMET']);
  });

  it('(d)(1) "humanitarian reasons may not be used to justify assistance under subchapter II": no humanitarian waiver of IMET', () => {
    expect(
      checkRelief(relief({ grounds: 'humanitarian', programs: ['IMET'] }), context('terrorism')),
    ).toMatchObject({ ok: false, refusal: { reason: 'RELIEF.PROGRAM_NOT_ALLOWED' } });
  });

  it('(d)(2) "at least 15 days before the waiver takes effect, the President consults": a national-security waiver waits 15 days', () => {
    const waiver = relief({ grounds: 'national-security' });
    expect(checkRelief({ ...waiver, noticeDays: 14 }, context('terrorism'))).toMatchObject({
      ok: false,
      refusal: { reason: 'RELIEF.NOTICE_REQUIRED' },
    });
    expect(checkRelief({ ...waiver, noticeDays: 15 }, context('terrorism'))).toMatchObject({
      ok: true,
    });
  });
});

describe('22 USC 2370c-1 (child soldiers)', () => {
  it('(a) reaches IMET (2347), PKO (2348), EDA (2321j), FMF (2763) and DCS licences', () => {
    expect(reachOf('child-soldiers', ['SEC333'])).toEqual([
      'DCS',
      'EDA',
      'FMF',
      'IMET',
      'PKO',
      'SEC333',
    ]);
  });

  it('(c)(1) "may waive … if the President determines that such waiver is in the national interest": national-interest grounds only', () => {
    expect(checkRelief(relief({}), context('child-soldiers'))).toMatchObject({ ok: true });
    expect(
      checkRelief(relief({ grounds: 'national-security' }), context('child-soldiers')),
    ).toMatchObject({ ok: false, refusal: { reason: 'RELIEF.GROUNDS_NOT_ALLOWED' } });
  });

  it('(d) "may provide … assistance otherwise prohibited … upon certifying": a reinstatement ends the prohibition whole', () => {
    expect(
      checkRelief(
        relief({ type: 'certification', grounds: null, programs: ['IMET', 'FMF', 'PKO'] }),
        context('child-soldiers'),
      ),
    ).toMatchObject({ ok: true, rule: { wholeScope: true, cite: '22 USC 2370c-1(d)' } });
  });

  it('(e) IMET "through the Defense Institute for International Legal Studies or the Center for Civil-Military Relations", "not … for more than 5 years"', () => {
    const exception = relief({
      type: 'exception',
      grounds: null,
      schoolIds: ['DIILS'],
      from: d('2019-10-01'),
      until: d('2024-10-01'),
    });
    expect(checkRelief(exception, context('child-soldiers'))).toMatchObject({
      ok: true,
      rule: { cite: '22 USC 2370c-1(e)' },
    });
    expect(
      checkRelief({ ...exception, schoolIds: ['CGSC'] }, context('child-soldiers')),
    ).toMatchObject({ ok: false, refusal: { reason: 'RELIEF.SCHOOLS_REQUIRED' } });
    expect(
      checkRelief({ ...exception, until: d('2024-10-02') }, context('child-soldiers')),
    ).toMatchObject({ ok: false, refusal: { reason: 'RELIEF.LIMIT_EXCEEDED' } });
  });

  it('(f) "The limitation … that relates to section 2348 … shall not apply to programs that support military professionalization": a PKO exception', () => {
    expect(
      checkRelief(
        relief({ type: 'exception', grounds: null, programs: ['PKO'] }),
        context('child-soldiers'),
      ),
    ).toMatchObject({ ok: true, rule: { cite: '22 USC 2370c-1(f)' } });
    // It is PKO's alone: IMET needs the (e) exception at DIILS or CCMR.
    expect(
      checkRelief(
        relief({ type: 'exception', grounds: null, programs: ['IMET', 'PKO'] }),
        context('child-soldiers'),
      ),
    ).toMatchObject({ ok: false });
  });
});

describe('appropriations act §7008 (coup)', () => {
  it('a waiver exists only from the FY2024 act (P.L. 118-47, enacted 2024-03-23): a 2016 waiver is refused', () => {
    const waiver = relief({ grounds: 'national-security', from: d('2016-06-01') });
    expect(checkRelief(waiver, context('coup'))).toMatchObject({
      ok: false,
      refusal: { reason: 'RELIEF.NOT_YET_AUTHORIZED', field: 'from' },
    });
    expect(checkRelief({ ...waiver, from: COUP_WAIVER_ENACTED }, context('coup'))).toMatchObject({
      ok: true,
    });
  });
});

describe('22 USC 2347e and 2370(q)', () => {
  it('2347e "None of the funds … may be made available for assistance on a grant basis": no relief at all', () => {
    expect(
      checkRelief(relief({ type: 'exception', grounds: null }), context('exclusion', ['IMET'])),
    ).toMatchObject({ ok: false, refusal: { reason: 'RELIEF.TYPE_NOT_ALLOWED' } });
  });

  it('2370(q)(1) "that assistance for such country is in the national interest": a national-interest waiver', () => {
    expect(checkRelief(relief({}), context('arrears'))).toMatchObject({ ok: true });
  });
});
