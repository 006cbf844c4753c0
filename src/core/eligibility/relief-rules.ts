// How each kind of restriction can be relieved (issue #3 table), kept as data and checked by one function.
import { addYears, daysBetween, type IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import type {
  CongressionalNotification,
  ReliefType,
  ReliefVersion,
  RestrictionKind,
  RestrictionVersion,
  WaiverGrounds,
} from '../restrictions.js';

/** One way a kind of restriction may be relieved. */
export interface ReliefRule {
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
  /** Who may grant it and under what text, for people. */
  readonly note: string;
}

export interface KindRules {
  /** The legal basis people know the kind by. */
  readonly basis: string;
  readonly reliefs: readonly ReliefRule[];
}

const MILITARY_PROGRAMS: readonly ProgramCode[] = ['IMET', 'FMF', 'PKO'];

export const RELIEF_RULES: Readonly<Record<RestrictionKind, KindRules>> = {
  policy: {
    basis: 'policy decision of the President or the Secretary of State',
    reliefs: [
      { type: 'exception', note: 'an exception by the President or the Secretary of State' },
      { type: 'waiver', note: 'a waiver by the President or the Secretary of State' },
      { type: 'certification', wholeScope: true, note: 'a certification ends the suspension' },
      { type: 'rescission', wholeScope: true, note: 'rescinding the decision ends the suspension' },
    ],
  },
  coup: {
    basis: 'appropriations act §7008 (military coup)',
    reliefs: [
      {
        type: 'certification',
        wholeScope: true,
        note: 'a certification that a democratically elected government has taken office',
      },
      {
        type: 'waiver',
        grounds: ['national-security'],
        note: 'a national-security waiver, program by program',
      },
    ],
  },
  terrorism: {
    basis: 'FAA §620A (22 USC 2371), state sponsor of terrorism',
    reliefs: [
      {
        type: 'waiver',
        grounds: ['national-security'],
        minNoticeDays: 15,
        note: 'a national-security waiver after 15 days of prior consultation with Congress',
      },
      {
        type: 'waiver',
        grounds: ['humanitarian'],
        excludedPrograms: MILITARY_PROGRAMS,
        note: 'a humanitarian waiver, never of military programs (IMET, FMF, PKO)',
      },
      { type: 'rescission', wholeScope: true, note: 'rescission of the designation' },
    ],
  },
  'child-soldiers': {
    basis: 'Child Soldiers Prevention Act §404 (22 USC 2370c-1)',
    reliefs: [
      {
        type: 'waiver',
        grounds: ['national-interest'],
        note: 'a national-interest waiver by the President',
      },
      {
        type: 'certification',
        wholeScope: true,
        note: 'reinstatement of assistance (the country has complied)',
      },
      {
        type: 'exception',
        onlyPrograms: ['IMET'],
        onlySchools: ['DIILS', 'CCMR'],
        maxYearsPerCountry: 5,
        note: 'the IMET exception, for courses at DIILS or CCMR only, at most 5 years for a country',
      },
    ],
  },
  arrears: {
    basis: 'FAA §620(q) (6 months) and appropriations act §7012 (Brooke, 1 year): loan arrears',
    reliefs: [
      { type: 'waiver', grounds: ['national-interest'], note: 'a national-interest determination' },
    ],
  },
  'human-rights': {
    basis: 'FAA §502B (22 USC 2304): gross violations of human rights',
    reliefs: [
      {
        type: 'certification',
        grounds: ['extraordinary-circumstances'],
        note: 'a certification of extraordinary circumstances',
      },
    ],
  },
  exclusion: {
    basis: '22 USC 2347e: no grant IMET for high-income countries',
    reliefs: [],
  },
  proviso: {
    basis: 'appropriations proviso limiting a program to some courses',
    reliefs: [{ type: 'rescission', wholeScope: true, note: 'rescission of the proviso' }],
  },
};

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
      readonly reason: 'RELIEF.NOTICE_REQUIRED';
      readonly field: 'notified';
      readonly message: string;
    };

/** The rule a relief falls under, matched on type and grounds. */
export function findReliefRule(
  kind: RestrictionKind,
  type: ReliefType,
  grounds: WaiverGrounds | null,
): ReliefRule | undefined {
  return RELIEF_RULES[kind].reliefs.find(
    (rule) =>
      rule.type === type &&
      (rule.grounds === undefined || (grounds !== null && rule.grounds.includes(grounds))),
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
  const rule = findReliefRule(context.kind, relief.type, relief.grounds);
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
  const rule = findReliefRule(restriction.kind, relief.type, relief.grounds);
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
            findReliefRule(restriction.kind, r.type, r.grounds) === rule,
        );
  return checkRelief(relief, {
    kind: restriction.kind,
    programs: restriction.programs,
    from: restriction.from,
    until: restriction.until,
    sameRuleIntervals: sameRule,
  });
}
