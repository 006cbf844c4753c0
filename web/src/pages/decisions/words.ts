// The plain words of the decisions pages: the API's enums as a program manager reads them, where a
// problem the API names is shown, and the write's impact as lines. Pure: tested beside it.
import type {
  Impact,
  ReliefType,
  RestrictionKind,
  ScopeTerm,
  SeatPolicy,
  WaiverGrounds,
} from './api.js';

/** Every restriction kind the API takes, in words (a kind missing here fails the typecheck). */
export const KIND_LABELS: Readonly<Record<RestrictionKind, string>> = {
  policy: 'Policy decision (e.g. a presidential suspension)',
  coup: 'Military coup (section 7008)',
  terrorism: 'State sponsor of terrorism',
  'child-soldiers': 'Child Soldiers Prevention Act',
  arrears: 'Loan arrears (Brooke amendment)',
  'human-rights': 'Gross violations of human rights',
  exclusion: 'Exclusion from grant IMET (22 USC 2347e)',
  proviso: 'Proviso: only some courses allowed (E-IMET)',
};
export const KINDS = Object.keys(KIND_LABELS) as RestrictionKind[];

/** Short names, for tables and headings. */
export const KIND_NAMES: Readonly<Record<RestrictionKind, string>> = {
  policy: 'Policy suspension',
  coup: 'Coup restriction',
  terrorism: 'Terrorism restriction',
  'child-soldiers': 'Child soldiers restriction',
  arrears: 'Arrears restriction',
  'human-rights': 'Human rights restriction',
  exclusion: 'Grant IMET exclusion',
  proviso: 'Proviso',
};

/** What a scope may name: the programs, then the groups of programs. */
export const SCOPE_LABELS: Readonly<Record<ScopeTerm, string>> = {
  IMET: 'IMET: International Military Education and Training',
  FMF: 'FMF: Foreign Military Financing',
  PKO: 'PKO: Peacekeeping Operations',
  INCLE: 'INCLE: Narcotics Control and Law Enforcement',
  NADR: 'NADR: Nonproliferation, Anti-terrorism, Demining',
  EDA: 'EDA: Excess Defense Articles',
  CTFP: 'CTFP: Combating Terrorism Fellowship',
  FMS: 'FMS: Foreign Military Sales (purchaser-funded)',
  DCS: 'DCS: Direct Commercial Sales (export licences)',
  SEC333: 'SEC333: DoD building partner capacity',
  'security-assistance': 'All security assistance (IMET, FMF, PKO, INCLE, NADR)',
  dod: 'All DoD programs (CTFP, SEC333)',
  sales: 'Sales (FMS, DCS)',
};
export const SCOPE_TERMS = Object.keys(SCOPE_LABELS) as ScopeTerm[];
/** The programs a relief may name (groups too, as the API takes them). */
export const PROGRAM_TERMS = SCOPE_TERMS;

export const SEAT_POLICY_LABELS: Readonly<Record<SeatPolicy, string>> = {
  cancel: 'Cancel them (no penalty: the US decided)',
  hold: 'Hold them (kept, not spent, until it is lifted)',
};
export const SEAT_POLICIES = Object.keys(SEAT_POLICY_LABELS) as SeatPolicy[];

export const RELIEF_LABELS: Readonly<Record<ReliefType, string>> = {
  exception: 'Exception (a program allowed despite it)',
  waiver: 'Waiver (on stated grounds)',
  certification: 'Certification (the condition is certified met)',
  rescission: 'Rescission (the determination is withdrawn)',
};
export const RELIEF_TYPES = Object.keys(RELIEF_LABELS) as ReliefType[];

export const GROUNDS_LABELS: Readonly<Record<WaiverGrounds, string>> = {
  'national-security': 'National security',
  'national-interest': 'National interest',
  humanitarian: 'Humanitarian',
  'extraordinary-circumstances': 'Extraordinary circumstances',
};
export const GROUNDS = Object.keys(GROUNDS_LABELS) as WaiverGrounds[];

/**
 * Where a problem the API names goes: beside the form's input for it (its name in the form), or
 * above the form when the form has no such input. `scope.0` is the scope input; the API's names
 * differ from the form's only where `aliases` says so.
 */
export function placeProblem<F extends string>(
  field: string | undefined,
  inputs: readonly F[],
  aliases: Readonly<Record<string, F>> = {},
): F | undefined {
  if (field === undefined) return undefined;
  const head = field.replace(/^body\./, '').split(/[.[]/)[0] ?? '';
  const named = aliases[head] ?? head;
  return (inputs as readonly string[]).includes(named) ? (named as F) : undefined;
}

/** A request body's identity: a preview stands for exactly the input it was made of. */
export function inputKey(body: unknown): string {
  return JSON.stringify(body, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : value,
  );
}

/** A seat count in words: `1 seat`, `3 seats`. */
export function seatsWord(n: number): string {
  return `${String(n)} ${n === 1 ? 'seat' : 'seats'}`;
}

/** The counts of an impact by what happens to the seats, in the order a reader asks them. */
export function statusCounts(byStatus: Readonly<Record<string, number>>): {
  readonly label: string;
  readonly count: number;
}[] {
  const order: [string, string][] = [
    ['cancelled', 'cancelled'],
    ['held', 'held'],
    ['flagged', 'in training: flagged for a decision'],
  ];
  const known = order
    .filter(([status]) => (byStatus[status] ?? 0) > 0)
    .map(([status, label]) => ({ label, count: byStatus[status] ?? 0 }));
  const others = Object.entries(byStatus)
    .filter(([status, count]) => count > 0 && !order.some(([s]) => s === status))
    .map(([status, count]) => ({ label: `back to ${status}`, count }));
  return [...known, ...others];
}

/** A write that changes no seat says so instead of a table of zeros. */
export function changesNothing(impact: Pick<Impact, 'seats'>): boolean {
  return impact.seats === 0;
}

/** Comma- or space-separated ids as a list (courses, schools), empty items dropped. */
export function idList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A message the API wrote in lower case, as the first words of a sentence beside a field. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * The impact in one sentence, from the API's figures: "cancels 3 seats (3 students on them) and
 * releases $118,200; no penalty." `money` formats cents.
 */
export function impactSentence(
  impact: Pick<Impact, 'seats' | 'byStatus' | 'students' | 'releasedCents' | 'penaltiesCents'>,
  money: (cents: number) => string,
): string {
  if (impact.seats === 0) return 'changes no seat and no money.';
  const verbs: Readonly<Record<string, string>> = {
    cancelled: 'cancels',
    held: 'holds',
    flagged: 'flags for a decision (in training)',
  };
  const parts = Object.entries(impact.byStatus)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${verbs[status] ?? `returns to ${status}`} ${seatsWord(n)}`);
  const students = impact.students.length;
  const who =
    students === 0
      ? ' (no student on them)'
      : ` (${String(students)} ${students === 1 ? 'student' : 'students'} on them)`;
  const released =
    impact.releasedCents > 0
      ? ` and releases ${money(impact.releasedCents)}`
      : ', releases no money';
  const penalty =
    impact.penaltiesCents === 0 ? 'no penalty' : `penalties of ${money(impact.penaltiesCents)}`;
  return `${parts.join(', ')}${who}${released}; ${penalty}.`;
}
