// Seat rules (DESIGN §4.2): allowed status transitions, cancellation penalties, pro-rata charges.
import { addDays, daysBetween, type IsoDate } from './dates.js';
import type { SeatStatus } from './training.js';

/** The forward path of a seat; `cancelled` and `held` branch off before `in-training`. */
const NEXT: Readonly<Record<SeatStatus, readonly SeatStatus[]>> = {
  planned: ['programmed'],
  programmed: ['nominated'],
  nominated: ['cleared', 'programmed'],
  cleared: ['ito-issued', 'nominated'],
  'ito-issued': ['in-training', 'cleared'],
  'in-training': ['completed', 'not-completed'],
  completed: [],
  'not-completed': [],
  cancelled: [],
  held: [],
};

const BEFORE_TRAINING: readonly SeatStatus[] = [
  'planned',
  'programmed',
  'nominated',
  'cleared',
  'ito-issued',
];

/** Whether a seat in `status` has not yet reached training (and so may be cancelled or held). */
export function isBeforeTraining(status: SeatStatus): boolean {
  return BEFORE_TRAINING.includes(status);
}

/**
 * Whether a seat may go from `from` to `to`. `held` returns only to the status it was held from
 * (`previous`) or to `cancelled`; `cancelled`, `completed` and `not-completed` are final.
 */
export function canTransition(
  from: SeatStatus,
  to: SeatStatus,
  previous: SeatStatus | null = null,
): boolean {
  if (to === 'cancelled' || to === 'held')
    return isBeforeTraining(from) || (from === 'held' && to === 'cancelled');
  if (from === 'held') return previous !== null && to === previous;
  return NEXT[from].includes(to);
}

/** The statuses a seat may move to next. */
export function nextStatuses(from: SeatStatus, previous: SeatStatus | null = null): SeatStatus[] {
  const all: SeatStatus[] = [...NEXT[from]];
  if (isBeforeTraining(from)) all.push('cancelled', 'held');
  if (from === 'held') {
    if (previous !== null) all.push(previous);
    all.push('cancelled');
  }
  return all;
}

/** Why a seat is cancelled: a fixed list (DESIGN §4.2). */
export const CANCELLATION_REASONS = {
  'partner-request': "cancelled at the partner country's request",
  'us-restriction': 'US decision: a restriction reached the seat',
  'class-deleted': 'US decision: the class was deleted',
  'in-country-event': 'an unavoidable event in the partner country',
  'visa-delay': 'a visa delay despite a timely application',
  'student-unavailable': 'no eligible student could be nominated',
} as const;
export type CancellationReason = keyof typeof CANCELLATION_REASONS;

/** Reasons for which the US bears the cost: no penalty whatever the timing. */
const NO_PENALTY: readonly CancellationReason[] = [
  'us-restriction',
  'class-deleted',
  'in-country-event',
  'visa-delay',
];

export const LATE_CANCELLATION_DAYS = 60;

export interface PenaltyInput {
  readonly reason: CancellationReason;
  /** The seat was given to another student, so the class loses nothing. */
  readonly refilled: boolean;
  /** A dedicated (international-only) or contract course. */
  readonly dedicated: boolean;
  readonly tuitionCents: number;
  readonly classStart: IsoDate;
  readonly cancelledOn: IsoDate;
}

export interface Penalty {
  readonly cents: number;
  /** The rule applied, for the record. */
  readonly rule: string;
}

/**
 * The cancellation penalty: none when refilled or when the US bears the cost (restriction, class
 * deletion, unavoidable in-country event, visa delay despite a timely application); 100% of tuition
 * for a dedicated or contract course; 50% for another course cancelled less than 60 days before start.
 * @example cancellationPenalty({ reason: 'partner-request', refilled: false, dedicated: false, tuitionCents: 1_000_000, classStart: '2020-03-01', cancelledOn: '2020-01-31' }) // 50%
 */
export function cancellationPenalty(input: PenaltyInput): Penalty {
  if (input.refilled) return { cents: 0, rule: 'refilled: no penalty' };
  if (NO_PENALTY.includes(input.reason))
    return { cents: 0, rule: `${CANCELLATION_REASONS[input.reason]}: no penalty` };
  if (input.dedicated)
    return { cents: input.tuitionCents, rule: 'dedicated or contract course: 100% of tuition' };
  const notice = daysBetween(input.cancelledOn, input.classStart);
  if (notice < LATE_CANCELLATION_DAYS) {
    return {
      cents: Math.round(input.tuitionCents / 2),
      rule: `cancelled ${notice} days before start (under ${LATE_CANCELLATION_DAYS}): 50% of tuition`,
    };
  }
  return { cents: 0, rule: `cancelled ${notice} days before start: no penalty` };
}

/**
 * The pro-rata tuition charged for a student who does not complete: the share of the course's
 * days up to (not including) the day training stopped.
 */
export function proRataCharge(
  tuitionCents: number,
  classStart: IsoDate,
  lengthWeeks: number,
  stoppedOn: IsoDate,
): number {
  const total = lengthWeeks * 7;
  const attended = Math.min(Math.max(daysBetween(classStart, stoppedOn), 0), total);
  return Math.round((tuitionCents * attended) / total);
}

/** The day after a course of `lengthWeeks` starting on `classStart` ends. */
export function classEnd(classStart: IsoDate, lengthWeeks: number): IsoDate {
  return addDays(classStart, lengthWeeks * 7);
}
