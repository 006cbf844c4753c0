// How each kind of restriction can be relieved (issue #3 table), kept as data and checked by one function.
import { addDays, addYears, daysBetween, type IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import type {
  CongressionalNotification,
  ReliefType,
  ReliefVersion,
  RestrictionKind,
  RestrictionVersion,
  WaiverGrounds,
} from '../restrictions.js';

/** Where a rule comes from: the subsection, and the words of it the rule applies. */
export interface Citation {
  /** The subsection, e.g. `22 USC 2371(d)`. */
  readonly cite: string;
  /**
   * A sentence of the subsection, verbatim from `resources/law/` (a test checks it is there): the
   * US Code (`usc22/`) or the appropriations act (`appropriations/`); null for a policy.
   */
  readonly quote: string | null;
}

/** One way a kind of restriction may be relieved. */
export interface ReliefRule extends Citation {
  readonly type: ReliefType;
  /** Grounds the relief must state, when the law names them. */
  readonly grounds?: readonly WaiverGrounds[];
  /** The relief ends the restriction for its whole scope (its programs are the restriction's). */
  readonly wholeScope?: boolean;
  /** Programs this rule may never relieve. */
  readonly excludedPrograms?: readonly ProgramCode[];
  /** The only programs this rule may relieve. */
  readonly onlyPrograms?: readonly ProgramCode[];
  /** The relief must limit itself to courses at these schools. */
  readonly onlySchools?: readonly string[];
  /** Total years such reliefs may cover for one country. */
  readonly maxYearsPerCountry?: number;
  /** Days of prior congressional consultation (a notification window) the relief needs. */
  readonly minNoticeDays?: number;
  /** The authority exists only from this day (the act that first gave it): no relief before. */
  readonly availableFrom?: { readonly date: IsoDate; readonly law: string };
  /** Who may grant it and under what text, for people. */
  readonly note: string;
}

export interface KindRules {
  /** The legal basis people know the kind by. */
  readonly basis: string;
  readonly reliefs: readonly ReliefRule[];
  /** Programs the restriction always reaches, whatever scope is recorded (the statute's reach). */
  readonly reaches?: readonly ProgramCode[];
  readonly reach?: Citation;
}

const MILITARY_PROGRAMS: readonly ProgramCode[] = ['IMET', 'FMF', 'PKO'];

/**
 * The day the FY2024 appropriations act (Further Consolidated Appropriations Act, 2024, P.L.
 * 118-47, division F) was enacted: the first act whose §7008 lets the Secretary waive the coup
 * restriction. Before it, §7008 had no waiver: only a certification ended it.
 */
export const COUP_WAIVER_ENACTED: IsoDate = '2024-03-23' as IsoDate;

export const RELIEF_RULES: Readonly<Record<RestrictionKind, KindRules>> = {
  policy: {
    basis: 'policy decision of the President or the Secretary of State',
    reliefs: [
      {
        type: 'exception',
        note: 'an exception by the President or the Secretary of State',
        cite: 'policy decision',
        quote: null,
      },
      {
        type: 'waiver',
        note: 'a waiver by the President or the Secretary of State',
        cite: 'policy decision',
        quote: null,
      },
      {
        type: 'certification',
        wholeScope: true,
        note: 'a certification ends the suspension',
        cite: 'policy decision',
        quote: null,
      },
      {
        type: 'rescission',
        wholeScope: true,
        note: 'rescinding the decision ends the suspension',
        cite: 'policy decision',
        quote: null,
      },
    ],
  },
  coup: {
    basis: 'appropriations act §7008 (military coup)',
    reliefs: [
      {
        type: 'certification',
        wholeScope: true,
        note: 'a certification that a democratically elected government has taken office',
        cite: 'P.L. 118-47, div. F, §7008(a) (§7008 from FY2012, §508 before)',
        quote:
          'assistance may be resumed to such government if the Secretary of State certifies and reports to the appropriate congressional committees that subsequent to the termination of assistance a democratically elected government has taken office',
      },
      {
        type: 'waiver',
        grounds: ['national-security'],
        availableFrom: {
          date: COUP_WAIVER_ENACTED,
          law: 'the FY2024 act (P.L. 118-47, division F, §7008(b)), enacted 2024-03-23',
        },
        note: 'a national-security waiver, program by program, under the authority the FY2024 act first gave',
        cite: 'P.L. 118-47, div. F, §7008(b)',
        quote:
          'may waive the restriction in this section on a program-by-program basis if the Secretary certifies and reports to the Committees on Appropriations that such waiver is in the national security interest of the United States',
      },
    ],
  },
  terrorism: {
    basis: 'FAA §620A (22 USC 2371), state sponsor of terrorism',
    reaches: ['FMS', 'DCS'],
    reach: {
      cite: 'AECA §3(f) (22 USC 2753(f)) and §40 (22 USC 2780)',
      quote: null,
    },
    reliefs: [
      {
        type: 'waiver',
        grounds: ['national-security'],
        minNoticeDays: 15,
        note: 'a national-security waiver after 15 days of prior consultation with Congress',
        cite: '22 USC 2371(d)(2)',
        quote:
          'at least 15 days before the waiver takes effect, the President consults with the Committee on Foreign Affairs',
      },
      {
        type: 'waiver',
        grounds: ['humanitarian'],
        excludedPrograms: MILITARY_PROGRAMS,
        note: 'a humanitarian waiver, never of military programs (IMET, FMF, PKO)',
        cite: '22 USC 2371(d)(1)',
        quote:
          'humanitarian reasons may not be used to justify assistance under subchapter II of this chapter',
      },
    ],
  },
  'child-soldiers': {
    basis: 'Child Soldiers Prevention Act §404 (22 USC 2370c-1)',
    reaches: ['IMET', 'FMF', 'PKO', 'EDA', 'DCS'],
    reach: {
      cite: '22 USC 2370c-1(a)',
      quote:
        'the authorities contained in sections 2321j, 2347, and 2348 of this title or section 2763 of this title may not be used to provide assistance to, and no licenses for direct commercial sales of military equipment may be issued to',
    },
    reliefs: [
      {
        type: 'waiver',
        grounds: ['national-interest'],
        note: 'a national-interest waiver by the President',
        cite: '22 USC 2370c-1(c)(1)',
        quote:
          'The President may waive the application to a country of the prohibition in subsection (a) if the President determines that such waiver is in the national interest of the United States',
      },
      {
        type: 'certification',
        wholeScope: true,
        note: 'reinstatement of assistance (the country has complied)',
        cite: '22 USC 2370c-1(d)',
        quote:
          'The President may provide to a country assistance otherwise prohibited under subsection (a) upon certifying to the appropriate congressional committees',
      },
      {
        type: 'exception',
        onlyPrograms: ['IMET'],
        onlySchools: ['DIILS', 'CCMR'],
        maxYearsPerCountry: 5,
        note: 'the IMET exception, for courses at DIILS or CCMR only, at most 5 years for a country',
        cite: '22 USC 2370c-1(e)',
        quote:
          'The exception under paragraph (1) may not remain in effect for a country for more than 5 years.',
      },
      {
        type: 'exception',
        onlyPrograms: ['PKO'],
        note: 'the peacekeeping exception, for PKO programs of military professionalization, security sector reform, human rights, peacekeeping preparation or demobilization of child soldiers',
        cite: '22 USC 2370c-1(f)',
        quote:
          'The limitation set forth in subsection (a) that relates to section 2348 of this title shall not apply to programs that support military professionalization',
      },
    ],
  },
  arrears: {
    basis: 'FAA §620(q) (6 months) and appropriations act §7012 (Brooke, 1 year): loan arrears',
    reliefs: [
      {
        type: 'waiver',
        grounds: ['national-interest'],
        note: 'a national-interest determination',
        cite: '22 USC 2370(q)(1)',
        quote: 'that assistance for such country is in the national interest of the United States',
      },
    ],
  },
  'human-rights': {
    basis: 'FAA §502B (22 USC 2304): gross violations of human rights',
    reliefs: [
      {
        type: 'certification',
        grounds: ['extraordinary-circumstances'],
        note: 'a certification of extraordinary circumstances',
        cite: '22 USC 2304',
        quote: 'extraordinary circumstances exist warranting provision of such assistance',
      },
    ],
  },
  exclusion: {
    basis: '22 USC 2347e: no grant IMET for high-income countries',
    reliefs: [],
  },
  proviso: {
    basis: 'appropriations proviso limiting a program to some courses',
    reliefs: [
      {
        type: 'rescission',
        wholeScope: true,
        note: 'rescission of the proviso',
        cite: 'appropriations act proviso',
        quote: null,
      },
    ],
  },
};

/**
 * The day FAA §620A(c) (22 USC 2371(c)) came into force with the Anti-Terrorism and Arms Export
 * Amendments Act of 1989 (P.L. 101-222): rescissions before it (Iraq's, February 1982) waited on no
 * report. 2371(b) speaks of "each determination in effect on December 12, 1989".
 */
export const RESCISSION_REPORT_REQUIRED_FROM: IsoDate = '1989-12-12' as IsoDate;

/** How a restriction of a kind may end: the report to Congress its end waits on, if any. */
export interface LiftRule extends Citation {
  /** Days between the report and the first day the end may take effect. */
  readonly minNoticeDays: number;
  readonly note: string;
}

/**
 * Kinds whose end the law conditions. A terrorism designation is rescinded only after a report to
 * Congress: 45 days before (2371(c)(2)), or before it takes effect when the report certifies a
 * fundamental change of leadership and policies (2371(c)(1)).
 */
export const LIFT_RULES = {
  terrorism: {
    cite: '22 USC 2371(c)(2)',
    quote:
      'at least 45 days before the proposed rescission would take effect, a report justifying the rescission',
    minNoticeDays: 45,
    note: 'a terrorism-list rescission takes effect no earlier than 45 days after the report to Congress (22 USC 2371(c)(2))',
  },
  'terrorism-fundamental-change': {
    cite: '22 USC 2371(c)(1)',
    quote: 'before the proposed rescission would take effect, a report certifying that',
    minNoticeDays: 1,
    note: 'a terrorism-list rescission on a fundamental change of leadership and policies takes effect only after the report to Congress (22 USC 2371(c)(1))',
  },
} as const satisfies Record<string, LiftRule>;

export interface LiftRefusal {
  readonly reason: 'RESTRICTION.NOTICE_REQUIRED' | 'RESTRICTION.NOTICE_TOO_SHORT';
  readonly field: 'notified' | 'on';
  readonly message: string;
}

/**
 * Checks the end of a restriction of `kind` on `on` against the law: undefined when allowed.
 * @example checkLift('terrorism', '2025-01-16', { notifiedOn: '2025-01-14', fundamentalChange: false }) // NOTICE_TOO_SHORT
 */
/**
 * Whether ending a restriction of `kind` on `on` waits on a report to Congress: a terrorism
 * designation, once 2371(c) was in force (P.L. 101-222, 1989-12-12).
 */
export function endNeedsReport(kind: RestrictionKind, on: IsoDate): boolean {
  return kind === 'terrorism' && on >= RESCISSION_REPORT_REQUIRED_FROM;
}

export function checkLift(
  kind: RestrictionKind,
  on: IsoDate,
  notice: { readonly notifiedOn: IsoDate | null; readonly fundamentalChange: boolean },
): LiftRefusal | undefined {
  if (!endNeedsReport(kind, on)) return undefined;
  const rule = notice.fundamentalChange
    ? LIFT_RULES['terrorism-fundamental-change']
    : LIFT_RULES.terrorism;
  if (notice.notifiedOn === null) {
    return {
      reason: 'RESTRICTION.NOTICE_REQUIRED',
      field: 'notified',
      message: `${rule.note}: give the day the report was submitted (notified)`,
    };
  }
  const earliest = addDays(notice.notifiedOn, rule.minNoticeDays);
  if (on < earliest) {
    return {
      reason: 'RESTRICTION.NOTICE_TOO_SHORT',
      field: 'on',
      message: `${rule.note}: reported ${notice.notifiedOn}, so it takes effect ${earliest} at the earliest, not ${on}`,
    };
  }
  return undefined;
}

/** The programs a restriction of `kind` reaches: its recorded scope plus what the statute adds. */
export function reachOf(kind: RestrictionKind, programs: readonly ProgramCode[]): ProgramCode[] {
  const reaches = RELIEF_RULES[kind].reaches ?? [];
  return [...new Set([...programs, ...reaches])].sort();
}

/** What a relief check needs to know about the relief. */
export interface ReliefProposal {
  readonly type: ReliefType;
  readonly grounds: WaiverGrounds | null;
  readonly programs: readonly ProgramCode[];
  readonly courseIds: readonly string[] | null;
  readonly schoolIds: readonly string[] | null;
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  /** Days between the congressional notification and `from`, when notified. */
  readonly noticeDays: number | null;
}

/** The restriction it would relieve, and the country's other reliefs of the same kind and rule. */
export interface ReliefContext {
  readonly kind: RestrictionKind;
  readonly programs: readonly ProgramCode[];
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  /** Intervals of the country's other current reliefs granted under the same rule. */
  readonly sameRuleIntervals: readonly { readonly from: IsoDate; readonly until: IsoDate | null }[];
}

export type ReliefRefusal =
  | { readonly reason: 'RELIEF.TYPE_NOT_ALLOWED'; readonly field: 'type'; readonly message: string }
  | {
      readonly reason: 'RELIEF.GROUNDS_NOT_ALLOWED';
      readonly field: 'grounds';
      readonly message: string;
    }
  | { readonly reason: 'RELIEF.BROADER'; readonly field: 'programs'; readonly message: string }
  | {
      readonly reason: 'RELIEF.PROGRAM_NOT_ALLOWED';
      readonly field: 'programs';
      readonly message: string;
    }
  | {
      readonly reason: 'RELIEF.SCHOOLS_REQUIRED';
      readonly field: 'schools';
      readonly message: string;
    }
  | {
      readonly reason: 'RELIEF.OUTSIDE';
      readonly field: 'from' | 'until';
      readonly message: string;
    }
  | { readonly reason: 'RELIEF.LIMIT_EXCEEDED'; readonly field: 'until'; readonly message: string }
  | {
      readonly reason: 'RELIEF.NOT_YET_AUTHORIZED';
      readonly field: 'from';
      readonly message: string;
    }
  | {
      readonly reason: 'RELIEF.NOTICE_REQUIRED';
      readonly field: 'notified';
      readonly message: string;
    };

/** The rule a relief falls under, matched on type and grounds. */
export function findReliefRule(
  kind: RestrictionKind,
  type: ReliefType,
  grounds: WaiverGrounds | null,
  programs: readonly ProgramCode[] = [],
): ReliefRule | undefined {
  const matching = RELIEF_RULES[kind].reliefs.filter(
    (rule) =>
      rule.type === type &&
      (rule.grounds === undefined || (grounds !== null && rule.grounds.includes(grounds))),
  );
  // Of two rules of one type (the CSPA's IMET and PKO exceptions), the one made for the programs.
  return (
    matching.find(
      (rule) =>
        rule.onlyPrograms !== undefined &&
        programs.length > 0 &&
        programs.every((p) => rule.onlyPrograms!.includes(p)),
    ) ?? matching[0]
  );
}

/** "a" or "an" before a word, for messages ("an exception", "a waiver"). */
function a(word: string): string {
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}

function days(interval: { readonly from: IsoDate; readonly until: IsoDate | null }): number {
  return interval.until === null
    ? Number.POSITIVE_INFINITY
    : daysBetween(interval.from, interval.until);
}

/**
 * Checks a relief against its restriction's kind rules; returns the first refusal, or the rule it
 * falls under (whole-scope rules then relieve every program of the restriction).
 * @example checkRelief({ type: 'waiver', grounds: 'humanitarian', programs: ['IMET'], … }, { kind: 'terrorism', … }) // RELIEF.PROGRAM_NOT_ALLOWED
 */
export function checkRelief(
  relief: ReliefProposal,
  context: ReliefContext,
):
  | { readonly ok: true; readonly rule: ReliefRule }
  | { readonly ok: false; readonly refusal: ReliefRefusal } {
  const kindRules = RELIEF_RULES[context.kind];
  const sameType = kindRules.reliefs.filter((r) => r.type === relief.type);
  if (sameType.length === 0) {
    const allowed = kindRules.reliefs.map((r) => r.type);
    return refuse({
      reason: 'RELIEF.TYPE_NOT_ALLOWED',
      field: 'type',
      message:
        allowed.length === 0
          ? `${a(context.kind)} restriction (${kindRules.basis}) admits no relief`
          : `${a(relief.type)} cannot relieve ${a(context.kind)} restriction (${kindRules.basis}); allowed: ${[...new Set(allowed)].join(', ')}`,
    });
  }
  const rule = findReliefRule(context.kind, relief.type, relief.grounds, relief.programs);
  if (rule === undefined || (relief.type === 'waiver' && relief.grounds === null)) {
    const named = sameType.flatMap((r) => r.grounds ?? []);
    const grounds =
      named.length > 0
        ? named
        : ['national-security', 'national-interest', 'humanitarian', 'extraordinary-circumstances'];
    return refuse({
      reason: 'RELIEF.GROUNDS_NOT_ALLOWED',
      field: 'grounds',
      message: `${a(relief.type)} of ${a(context.kind)} restriction must state its grounds: ${grounds.join(' or ')}${relief.grounds === null ? '' : ` (not ${relief.grounds})`}`,
    });
  }
  const outside = relief.programs.filter((p) => !context.programs.includes(p));
  if (outside.length > 0) {
    return refuse({
      reason: 'RELIEF.BROADER',
      field: 'programs',
      message: `the relief covers ${outside.join(', ')}, outside its restriction's scope (${context.programs.join(', ')})`,
    });
  }
  const excluded = relief.programs.filter((p) => rule.excludedPrograms?.includes(p) === true);
  if (excluded.length > 0) {
    return refuse({
      reason: 'RELIEF.PROGRAM_NOT_ALLOWED',
      field: 'programs',
      message: `${rule.note}: ${excluded.join(', ')} refused`,
    });
  }
  const notOnly =
    rule.onlyPrograms === undefined
      ? []
      : relief.programs.filter((p) => !rule.onlyPrograms!.includes(p));
  if (notOnly.length > 0) {
    return refuse({
      reason: 'RELIEF.PROGRAM_NOT_ALLOWED',
      field: 'programs',
      message: `${rule.note}: ${notOnly.join(', ')} refused`,
    });
  }
  if (rule.onlySchools !== undefined) {
    const schools = relief.schoolIds ?? [];
    const wrong = schools.filter((s) => !rule.onlySchools!.includes(s));
    if (schools.length === 0 || wrong.length > 0 || (relief.courseIds?.length ?? 0) > 0) {
      return refuse({
        reason: 'RELIEF.SCHOOLS_REQUIRED',
        field: 'schools',
        message: `${rule.note}: name the schools (${rule.onlySchools.join(' or ')})${wrong.length > 0 ? `, not ${wrong.join(', ')}` : ''}`,
      });
    }
  }
  if (rule.availableFrom !== undefined && relief.from < rule.availableFrom.date) {
    return refuse({
      reason: 'RELIEF.NOT_YET_AUTHORIZED',
      field: 'from',
      message: `${rule.note}: that authority first appeared in ${rule.availableFrom.law}, so no such relief takes effect before ${rule.availableFrom.date} (this one starts ${relief.from})`,
    });
  }
  if (relief.from < context.from) {
    return refuse({
      reason: 'RELIEF.OUTSIDE',
      field: 'from',
      message: `the relief starts ${relief.from}, before its restriction (${context.from})`,
    });
  }
  if (context.until !== null && (relief.until === null || relief.until > context.until)) {
    return refuse({
      reason: 'RELIEF.OUTSIDE',
      field: 'until',
      message: `the relief runs ${relief.until === null ? 'open-ended' : `until ${relief.until}`}, past its restriction's end (${context.until})`,
    });
  }
  if (context.until !== null && relief.from >= context.until) {
    return refuse({
      reason: 'RELIEF.OUTSIDE',
      field: 'from',
      message: `the relief starts ${relief.from}, after its restriction ended (${context.until})`,
    });
  }
  if (
    rule.minNoticeDays !== undefined &&
    (relief.noticeDays === null || relief.noticeDays < rule.minNoticeDays)
  ) {
    return refuse({
      reason: 'RELIEF.NOTICE_REQUIRED',
      field: 'notified',
      message: `${rule.note}: give the notification date (--notified) with a waiting period of at least ${rule.minNoticeDays} days`,
    });
  }
  if (rule.maxYearsPerCountry !== undefined) {
    // The years run from the first such relief of the country, so leap days count once.
    const first = context.sameRuleIntervals.reduce(
      (earliest, i) => (i.from < earliest ? i.from : earliest),
      relief.from,
    );
    const limit = daysBetween(first, addYears(first, rule.maxYearsPerCountry));
    const used = context.sameRuleIntervals.reduce((sum, i) => sum + days(i), 0);
    const total = used + days(relief);
    if (total > limit) {
      return refuse({
        reason: 'RELIEF.LIMIT_EXCEEDED',
        field: 'until',
        message: `${rule.note}: this one ${relief.until === null ? 'has no end' : `covers ${days(relief)} days`}; with the ${used} days already granted the country would exceed ${limit} days (${rule.maxYearsPerCountry} years)`,
      });
    }
  }
  return { ok: true, rule };
}

function refuse(refusal: ReliefRefusal): { readonly ok: false; readonly refusal: ReliefRefusal } {
  return { ok: false, refusal };
}

/** A relief version on record as a proposal, to check it again (e.g. against a corrected restriction). */
export function proposalOf(
  relief: ReliefVersion,
  notifications: readonly CongressionalNotification[],
): ReliefProposal {
  const notification =
    relief.notificationId === null
      ? undefined
      : notifications.find((n) => n.id === relief.notificationId);
  return {
    type: relief.type,
    grounds: relief.grounds,
    programs: relief.programs,
    courseIds: relief.courseIds,
    schoolIds: relief.schoolIds,
    from: relief.from,
    until: relief.until,
    noticeDays: notification === undefined ? null : notification.waitDays,
  };
}

/**
 * Checks a relief of `restriction` (as it is, or as a correction would make it) against its
 * kind's rules, with the country's records: their other current reliefs under the same rule
 * count towards its limit (all but `reliefId`, the relief itself when it is already on record).
 */
export function checkReliefOnRecord(
  relief: ReliefProposal,
  restriction: Pick<RestrictionVersion, 'id' | 'kind' | 'programs' | 'from' | 'until'>,
  records: {
    readonly restrictions: readonly RestrictionVersion[];
    readonly reliefs: readonly ReliefVersion[];
  },
  reliefId: string | null = null,
): ReturnType<typeof checkRelief> {
  const rule = findReliefRule(restriction.kind, relief.type, relief.grounds, relief.programs);
  const kindOf = new Map(
    records.restrictions.filter((r) => r.supersededAt === null).map((r) => [r.id, r.kind]),
  );
  kindOf.set(restriction.id, restriction.kind);
  const sameRule =
    rule === undefined
      ? []
      : records.reliefs.filter(
          (r) =>
            r.supersededAt === null &&
            r.id !== reliefId &&
            kindOf.get(r.restrictionId) === restriction.kind &&
            findReliefRule(restriction.kind, r.type, r.grounds, r.programs) === rule,
        );
  return checkRelief(relief, {
    kind: restriction.kind,
    programs: restriction.programs,
    from: restriction.from,
    until: restriction.until,
    sameRuleIntervals: sameRule,
  });
}
