// The gates before an invitational travel order (DESIGN §4.3): each screening green, red or not
// applicable, with its reason, its date and a stable code; the order is issued only when none is red.
import { addDays, addMonths, type IsoDate } from '../dates.js';
import {
  opiMeets,
  proposeEnglishTraining,
  type EnglishCourse,
  type EnglishProposal,
} from './english.js';
import type { Screening, Student, UnitVetting } from './types.js';
import type { EnglishExemption, ScreeningKind } from './vocabulary.js';

export const GATES = [
  'leahy-person',
  'leahy-unit',
  'medical',
  'dental',
  'insurance',
  'security',
  'passport',
  'visa',
  'english',
  'opi',
] as const;
export type Gate = (typeof GATES)[number];
export type GateStatus = 'green' | 'red' | 'not-applicable';

export interface GateResult {
  readonly gate: Gate;
  readonly status: GateStatus;
  /** Stable code, e.g. `GATE.LEAHY_PERSON.EXPIRES`; `…OK` when green. */
  readonly code: string;
  readonly reason: string;
  /** The date of the screening the gate relies on, when there is one. */
  readonly date: IsoDate | null;
  /** When a Leahy approval would lapse before the class: the date to re-vet by. */
  readonly reVetBy?: IsoDate;
  /** When the English score falls short: the training proposed before the course. */
  readonly proposal?: EnglishProposal;
}

/** How long screenings stay in date (configurable: ATTACHE_LEAHY_VALID_MONTHS, ATTACHE_ECL_VALID_MONTHS). */
export interface ScreeningPolicy {
  readonly leahyValidMonths: number;
  readonly eclValidMonths: number;
}

export const DEFAULT_SCREENING_POLICY: ScreeningPolicy = {
  leahyValidMonths: 12,
  eclValidMonths: 6,
};

/** Students report this many days before their class starts. */
export const REPORT_DAYS_BEFORE_START = 7;

export function reportDate(classStart: IsoDate): IsoDate {
  return addDays(classStart, -REPORT_DAYS_BEFORE_START);
}

export interface GateInput {
  /** The nominee; null when no student is nominated to the seat yet. */
  readonly student: Student | null;
  readonly seat: {
    readonly id: string;
    readonly classStart: IsoDate;
    /** The day after the course ends. */
    readonly classEnd: IsoDate;
    readonly courseId: string;
    readonly eclMin: number | null;
    readonly opiMin: string | null;
  };
  /** Every screening of the student (any seat). */
  readonly screenings: readonly Screening[];
  /** Vettings of the student's unit (same country, same unit). */
  readonly unitVettings: readonly UnitVetting[];
  readonly englishExemption: EnglishExemption | null;
  readonly policy: ScreeningPolicy;
  /** The English course a shortfall is proposed, when the catalog has one for the year. */
  readonly englishCourse: EnglishCourse | null;
}

export interface Checklist {
  readonly seatId: string;
  readonly studentId: string | null;
  readonly reportOn: IsoDate;
  readonly gates: readonly GateResult[];
  /** No gate is red: a travel order may be issued. */
  readonly clear: boolean;
}

type Dated = { readonly onDate: IsoDate; readonly recordedAt: string };

/** The latest of `items`: by date, then by when recorded (a correction recorded later wins). */
function latest<T extends Dated>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of items) {
    if (
      best === undefined ||
      item.onDate > best.onDate ||
      (item.onDate === best.onDate && item.recordedAt > best.recordedAt)
    )
      best = item;
  }
  return best;
}

function of(screenings: readonly Screening[], kind: ScreeningKind): Screening | undefined {
  return latest(screenings.filter((s) => s.kind === kind));
}

function green(gate: Gate, reason: string, date: IsoDate | null): GateResult {
  return { gate, status: 'green', code: `GATE.${codeOf(gate)}.OK`, reason, date };
}

function red(
  gate: Gate,
  problem: string,
  reason: string,
  date: IsoDate | null,
  extra: Partial<GateResult> = {},
): GateResult {
  return { gate, status: 'red', code: `GATE.${codeOf(gate)}.${problem}`, reason, date, ...extra };
}

function notApplicable(gate: Gate, reason: string): GateResult {
  return { gate, status: 'not-applicable', code: `GATE.${codeOf(gate)}.NA`, reason, date: null };
}

function codeOf(gate: Gate): string {
  return gate.toUpperCase().replace(/-/g, '_');
}

/** A Leahy vetting (person or unit) judged against the class start. */
function leahyGate(
  gate: 'leahy-person' | 'leahy-unit',
  vetting: (Dated & { outcome: string; validUntil: IsoDate | null }) | undefined,
  subject: string,
  input: GateInput,
): GateResult {
  const { classStart } = input.seat;
  if (vetting === undefined)
    return red(gate, 'MISSING', `no Leahy vetting of ${subject} recorded`, null);
  if (vetting.outcome === 'denied')
    return red(
      gate,
      'DENIED',
      `Leahy vetting of ${subject} denied on ${vetting.onDate}`,
      vetting.onDate,
    );
  if (vetting.outcome !== 'approved')
    return red(
      gate,
      'SUSPENDED',
      `Leahy vetting of ${subject} suspended (pending) since ${vetting.onDate}`,
      vetting.onDate,
    );
  const validUntil = vetting.validUntil ?? addMonths(vetting.onDate, input.policy.leahyValidMonths);
  if (validUntil <= classStart) {
    const reVetBy = reportDate(classStart);
    return red(
      gate,
      'EXPIRES',
      `Leahy approval of ${subject} of ${vetting.onDate} expires ${validUntil}, before the class starts ${classStart}: re-vet by ${reVetBy}`,
      vetting.onDate,
      { reVetBy },
    );
  }
  return green(
    gate,
    `Leahy approval of ${subject} of ${vetting.onDate}, in date until ${validUntil}`,
    vetting.onDate,
  );
}

/** A screening with pass/fail outcomes, in date at the class start when it has a validity. */
function simpleGate(
  gate: Gate,
  kind: ScreeningKind,
  passing: string,
  label: string,
  input: GateInput,
): GateResult {
  const screening = of(input.screenings, kind);
  if (screening === undefined) return red(gate, 'MISSING', `no ${label} recorded`, null);
  if (screening.outcome !== passing) {
    // The outcome names the problem: GATE.VISA.PENDING, GATE.INSURANCE.NOT_COVERED, ...
    const problem = screening.outcome.toUpperCase().replace(/-/g, '_');
    return red(
      gate,
      problem,
      `${label}: ${screening.outcome} on ${screening.onDate}`,
      screening.onDate,
    );
  }
  if (screening.validUntil !== null && screening.validUntil <= input.seat.classStart) {
    return red(
      gate,
      'EXPIRES',
      `${label} of ${screening.onDate} is valid until ${screening.validUntil}, before the class starts ${input.seat.classStart}`,
      screening.onDate,
    );
  }
  return green(gate, `${label}: ${screening.outcome} on ${screening.onDate}`, screening.onDate);
}

function passportGate(input: GateInput): GateResult {
  const gate = simpleGate('passport', 'passport', 'valid', 'passport check', input);
  if (gate.status !== 'green') return gate;
  const expires = input.student?.passportExpiresOn ?? null;
  if (expires === null)
    return red('passport', 'NO_EXPIRY', 'the passport expiry date is not recorded', gate.date);
  if (expires < input.seat.classEnd) {
    return red(
      'passport',
      'EXPIRES',
      `passport expires ${expires}, before the course ends ${input.seat.classEnd}`,
      gate.date,
    );
  }
  return green('passport', `${gate.reason}; expires ${expires}`, gate.date);
}

function visaGate(input: GateInput): GateResult {
  const designation = of(input.screenings, 'designation-7031c');
  if (designation?.outcome === 'designated') {
    return red(
      'visa',
      'DESIGNATED_7031C',
      `designated under appropriations section 7031(c) on ${designation.onDate}: no visa possible`,
      designation.onDate,
    );
  }
  return simpleGate('visa', 'visa', 'issued', 'visa', input);
}

function englishGate(input: GateInput): GateResult {
  const { eclMin, classStart } = input.seat;
  if (input.englishExemption === 'full')
    return notApplicable('english', 'the country is exempt from English testing');
  if (eclMin === null || eclMin === 0)
    return notApplicable('english', `course ${input.seat.courseId} sets no English minimum`);
  if (input.englishExemption === 'in-country-testing') {
    return green(
      'english',
      `the country is exempt from in-country testing: ECL entry test on arrival (minimum ${eclMin})`,
      null,
    );
  }
  const reportOn = reportDate(classStart);
  const ecl = of(input.screenings, 'ecl');
  if (ecl === undefined || ecl.score === null)
    return red('english', 'MISSING', `no ECL score recorded (course minimum ${eclMin})`, null);
  const validUntil = addMonths(ecl.onDate, input.policy.eclValidMonths);
  if (validUntil <= reportOn) {
    return red(
      'english',
      'EXPIRED',
      `ECL ${ecl.score} of ${ecl.onDate} is out of date by the report date ${reportOn} (valid ${input.policy.eclValidMonths} months): test again`,
      ecl.onDate,
    );
  }
  if (ecl.score < eclMin) {
    const proposal =
      input.englishCourse === null
        ? undefined
        : proposeEnglishTraining(ecl.score, eclMin, reportOn, input.englishCourse);
    return red(
      'english',
      'SHORTFALL',
      `ECL ${ecl.score} of ${ecl.onDate} is below the course minimum of ${eclMin}${proposal === undefined ? '' : `: proposed ${proposal.weeks} weeks of ${proposal.title} starting by ${proposal.startBy}`}`,
      ecl.onDate,
      proposal === undefined ? {} : { proposal },
    );
  }
  return green(
    'english',
    `ECL ${ecl.score} of ${ecl.onDate} meets the minimum of ${eclMin}`,
    ecl.onDate,
  );
}

function opiGate(input: GateInput): GateResult {
  const { opiMin } = input.seat;
  if (opiMin === null) return notApplicable('opi', `course ${input.seat.courseId} needs no OPI`);
  if (input.englishExemption === 'full')
    return notApplicable('opi', 'the country is exempt from English testing');
  const opi = of(input.screenings, 'opi');
  if (opi === undefined || opi.level === null)
    return red('opi', 'MISSING', `no OPI recorded (course minimum ${opiMin})`, null);
  if (!opiMeets(opi.level, opiMin))
    return red(
      'opi',
      'SHORTFALL',
      `OPI ${opi.level} of ${opi.onDate} is below ${opiMin}`,
      opi.onDate,
    );
  return green('opi', `OPI ${opi.level} of ${opi.onDate} meets ${opiMin}`, opi.onDate);
}

/**
 * The checklist of a nominee for a seat: every gate of DESIGN §4.3 in a fixed order.
 * @example checkGates(input).clear // true only when no gate is red
 */
export function checkGates(input: GateInput): Checklist {
  const { student } = input;
  if (student === null) return withoutNominee(input);
  const unit = student.unit;
  const gates: GateResult[] = [
    leahyGate('leahy-person', of(input.screenings, 'leahy-person'), 'the person', input),
    unit === null
      ? red(
          'leahy-unit',
          'NO_UNIT',
          'no unit recorded for the student: the unit cannot be vetted',
          null,
        )
      : leahyGate('leahy-unit', latest(input.unitVettings), `unit ${unit}`, input),
    simpleGate('medical', 'medical', 'passed', 'medical examination', input),
    simpleGate('dental', 'dental', 'passed', 'dental examination', input),
    simpleGate('insurance', 'insurance', 'covered', 'health insurance', input),
    simpleGate('security', 'security', 'cleared', 'security screening', input),
    passportGate(input),
    visaGate(input),
    englishGate(input),
    opiGate(input),
  ];
  return {
    seatId: input.seat.id,
    studentId: student.id,
    reportOn: reportDate(input.seat.classStart),
    gates,
    clear: gates.every((g) => g.status !== 'red'),
  };
}

/** A seat nobody is nominated to: every gate about the person is red until someone is. */
function withoutNominee(input: GateInput): Checklist {
  const reason = `no student nominated to seat ${input.seat.id}`;
  const englishNeeded = input.seat.eclMin !== null && input.seat.eclMin > 0;
  const gates = GATES.map((gate): GateResult => {
    if (gate === 'english' && (!englishNeeded || input.englishExemption === 'full'))
      return englishGate(input);
    if (gate === 'opi' && (input.seat.opiMin === null || input.englishExemption === 'full'))
      return opiGate(input);
    return red(gate, 'NO_NOMINEE', reason, null);
  });
  return {
    seatId: input.seat.id,
    studentId: null,
    reportOn: reportDate(input.seat.classStart),
    gates,
    clear: false,
  };
}
