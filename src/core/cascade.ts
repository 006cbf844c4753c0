// The suspension cascade (DESIGN §4.2): what a change to the eligibility records does to seats,
// computed by comparing each seat's eligibility before and after the change on the days it can turn,
// and dated by the day it turns.
import { addDays, type IsoDate } from './dates.js';
import {
  changeDates,
  decide,
  type CourseFacts,
  type Decision,
  type DecisionRestriction,
  type EligibilityIndex,
} from './eligibility/engine.js';
import type { ProgramCode } from './programs.js';
import type { RestrictionVersion } from './restrictions.js';
import { classEnd, isBeforeTraining } from './seat-rules.js';
import type { SeatStatus } from './training.js';

/** A seat as the cascade sees it. */
export interface SeatState {
  readonly id: string;
  readonly lineId: string;
  readonly country: string;
  readonly program: ProgramCode;
  readonly fiscalYear: number;
  readonly course: CourseFacts;
  readonly classStart: IsoDate;
  /** The course's length: the class runs from `classStart` to the day before `classEnd`. */
  readonly lengthWeeks: number;
  readonly status: SeatStatus;
  readonly previousStatus: SeatStatus | null;
  readonly studentId: string | null;
  readonly tuitionCents: number;
  readonly allowanceCents: number;
}

/**
 * What the change does to one seat, dated `on`: the day eligibility turned, which the seat's
 * `cancelledOn`, `heldOn` or `flaggedOn` records (never the day the change was written).
 */
export type SeatChange =
  | {
      readonly kind: 'cancel' | 'hold';
      readonly seatId: string;
      readonly from: SeatStatus;
      readonly to: 'cancelled' | 'held';
      readonly on: IsoDate;
      readonly restrictionId: string;
      readonly reason: string;
      readonly penaltyCents: 0;
    }
  | {
      /** In training, or its class under way on the date: never silently cancelled; flagged for a decision. */
      readonly kind: 'flag';
      readonly seatId: string;
      readonly from: SeatStatus;
      readonly to: SeatStatus;
      readonly on: IsoDate;
      readonly restrictionId: string;
      readonly reason: string;
      readonly penaltyCents: 0;
    }
  | {
      /** A held seat whose class starts on or after the day it is eligible again returns to the status it was held from. */
      readonly kind: 'release';
      readonly seatId: string;
      readonly from: 'held';
      readonly to: SeatStatus;
      readonly on: IsoDate;
      readonly restrictionId: null;
      readonly reason: string;
      readonly penaltyCents: 0;
    };

export interface CascadeSummary {
  readonly seats: number;
  /** Seats by the status the change gives them (`flagged` for seats in training). */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byCourse: readonly {
    readonly courseId: string;
    readonly seats: number;
    readonly releasedCents: number;
  }[];
  readonly students: readonly string[];
  /** Tuition and allowance of the seats cancelled: the money that comes back. */
  readonly releasedCents: number;
  readonly releasedTuitionCents: number;
  readonly releasedAllowanceCents: number;
  /** Tuition and allowance of the seats held: not spent, not yet released. */
  readonly heldCents: number;
  /** Penalties charged: none when the US cancels. */
  readonly penaltiesCents: number;
}

export interface CascadePlan {
  readonly changes: readonly SeatChange[];
  readonly summary: CascadeSummary;
}

/**
 * A blocking restriction reached the line from `on`, and the words saying so: what each of its
 * seats is told, worked out once for the line (a line may hold hundreds of seats).
 */
interface Turn {
  readonly on: IsoDate;
  readonly blocking: DecisionRestriction;
  /** For a seat it flags: in training, or its class under way. */
  readonly flagged: string;
  /** For a seat not yet in training when reached at class start: cancelled or held. */
  readonly reached: string;
}

/** What the change does to the question the seats of one line share. */
interface LineVerdict {
  /** Eligible before and blocked after at class start: blocked from `on` (on or before class start). */
  readonly blocked: Turn | undefined;
  /** Blocked before and eligible after at class start: eligible again from `on`. */
  readonly eligibleFrom: IsoDate | undefined;
  /** Not reached at class start, but blocked from a day the class is under way (start < on ≤ last day). */
  readonly underWay: Turn | undefined;
}

/**
 * Plans what a change of the records (from `beforeIndex` to `after`) does to `seats`, judged on the
 * day eligibility turns, never on the day the change is recorded (DESIGN §4.2). For a seat whose
 * class starts on `s`: when eligible at `s` before and blocked after, the turn date D is the first
 * day of the run of days up to `s` on which that holds; a seat not yet in training is cancelled
 * (penalty 0) or held by the blocking restriction's seat policy, dated D, and a seat in training is
 * flagged. A seat whose class is under way on the first day it turns (start < D ≤ last day) is
 * flagged, never cancelled. A held seat blocked at `s` before and eligible after returns to its
 * previous status (the relief or lift takes effect on or before `s`). Cancelled seats stay cancelled.
 */
export function planCascade(
  seats: readonly SeatState[],
  beforeIndex: EligibilityIndex,
  after: EligibilityIndex,
): CascadePlan {
  const changes: SeatChange[] = [];
  // Seats of one line share their question: decide it once per line, not once per seat.
  const verdicts = new Map<string, LineVerdict>();
  const dates = new Map<string, readonly IsoDate[]>();
  for (const seat of seats) {
    const key = `${seat.country}|${seat.program}|${seat.classStart}|${seat.lengthWeeks}|${seat.course.id}`;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      const programKey = `${seat.country}|${seat.program}`;
      let turnDates = dates.get(programKey);
      if (turnDates === undefined) {
        turnDates = [
          ...new Set([
            ...changeDates(beforeIndex, seat.country, seat.program),
            ...changeDates(after, seat.country, seat.program),
          ]),
        ].sort();
        dates.set(programKey, turnDates);
      }
      verdict = judgeLine(seat, beforeIndex, after, turnDates);
      verdicts.set(key, verdict);
    }
    const change = seatChange(seat, verdict);
    if (change !== undefined) changes.push(change);
  }
  return { changes, summary: summarise(seats, changes) };
}

/**
 * The seats a change of only the restriction versions `changed` may reach (a new restriction: no
 * relief or notification changed): those whose class, from its first day to the day it ends, meets
 * a day from a version's start to its end, both counted. Eligibility before and after the change
 * differs on no other day, and a line is judged on its class's days alone, so every other seat
 * keeps its verdict: the plan of the seats returned is the plan of them all.
 */
export function seatsInReach(
  seats: readonly SeatState[],
  changed: readonly RestrictionVersion[],
): SeatState[] {
  // A class ends on or after a version's start when it starts on or after that start less the
  // course's length: worked out once per length, not once per seat (a country may have thousands).
  const earliest = new Map<number, IsoDate[]>();
  const earliestFor = (weeks: number) => {
    let starts = earliest.get(weeks);
    if (starts === undefined) {
      starts = changed.map((v) => addDays(v.from, -7 * weeks));
      earliest.set(weeks, starts);
    }
    return starts;
  };
  return seats.filter((seat) => {
    const from = earliestFor(seat.lengthWeeks);
    return changed.some(
      (v, i) => from[i]! <= seat.classStart && (v.until === null || seat.classStart <= v.until),
    );
  });
}

// Each change is written out whole, in one shape: a cascade makes one per seat reached (10,000
// and more), and spreading shared parts into each cost more than the rest of its plan.
function seatChange(seat: SeatState, verdict: LineVerdict): SeatChange | undefined {
  if (seat.status === 'held') {
    if (verdict.eligibleFrom === undefined || seat.previousStatus === null) return undefined;
    return {
      kind: 'release',
      seatId: seat.id,
      from: 'held',
      to: seat.previousStatus,
      on: verdict.eligibleFrom,
      restrictionId: null,
      reason: `eligible again for ${seat.program} from ${verdict.eligibleFrom} (class starts ${seat.classStart}): returned to ${seat.previousStatus}`,
      penaltyCents: 0,
    };
  }
  const open = isBeforeTraining(seat.status);
  if (!open && seat.status !== 'in-training') return undefined;
  const { blocked, underWay } = verdict;
  if (blocked !== undefined) {
    if (!open) return flag(seat, blocked);
    const cancel = blocked.blocking.seatPolicy === 'cancel';
    return {
      kind: cancel ? 'cancel' : 'hold',
      seatId: seat.id,
      from: seat.status,
      to: cancel ? 'cancelled' : 'held',
      on: blocked.on,
      restrictionId: blocked.blocking.id,
      reason: blocked.reached,
      penaltyCents: 0,
    };
  }
  return underWay === undefined ? undefined : flag(seat, underWay);
}

function flag(seat: SeatState, turn: Turn): SeatChange {
  return {
    kind: 'flag',
    seatId: seat.id,
    from: seat.status,
    to: seat.status,
    on: turn.on,
    restrictionId: turn.blocking.id,
    reason: turn.flagged,
    penaltyCents: 0,
  };
}

/** Compares the line's eligibility before and after on its class start and each day its class may turn. */
function judgeLine(
  seat: SeatState,
  before: EligibilityIndex,
  after: EligibilityIndex,
  dates: readonly IsoDate[],
): LineVerdict {
  const ask = (index: EligibilityIndex, on: IsoDate) =>
    decide(index, { country: seat.country, program: seat.program, on, course: seat.course });
  const turned = (on: IsoDate): Decision['restrictions'][number] | undefined => {
    const now = ask(after, on);
    if (now.eligible || !ask(before, on).eligible) return undefined;
    return now.restrictions.find((r) => r.status === 'blocking');
  };
  const freed = (on: IsoDate) => ask(after, on).eligible && !ask(before, on).eligible;
  const start = seat.classStart;
  const turn = (on: IsoDate, blocking: DecisionRestriction, during: boolean): Turn => {
    const why = `US decision: ${blocking.kind} restriction ${blocking.id} blocks ${seat.program} from ${on} (class ${during ? 'under way since' : 'starts'} ${start})`;
    return {
      on,
      blocking,
      flagged: `${why}; ${during ? 'class under way' : 'in training'}: flagged for a decision`,
      reached: `${why}; ${blocking.seatPolicy === 'cancel' ? 'cancelled, no penalty' : 'held'}`,
    };
  };
  const atStart = turned(start);
  if (atStart !== undefined)
    return {
      blocked: turn(
        runStart(dates, start, (on) => turned(on) !== undefined),
        atStart,
        false,
      ),
      eligibleFrom: undefined,
      underWay: undefined,
    };
  const eligibleFrom = freed(start) ? runStart(dates, start, freed) : undefined;
  // The days the class may turn while under way: the change dates after its start, to its last day.
  const end = classEnd(start, seat.lengthWeeks);
  let underWay: Turn | undefined;
  for (const on of dates) {
    if (on <= start) continue;
    if (on >= end) break;
    const blocking = turned(on);
    if (blocking !== undefined) {
      underWay = turn(on, blocking, true);
      break;
    }
  }
  return { blocked: undefined, eligibleFrom, underWay };
}

/**
 * The first day of the run of days ending on `day` on which `holds` is true, given that it holds on
 * `day` and can change only on `dates` (ascending): the turn date.
 */
function runStart(
  dates: readonly IsoDate[],
  day: IsoDate,
  holds: (on: IsoDate) => boolean,
): IsoDate {
  let from = day;
  let i = dates.length - 1;
  while (i >= 0 && dates[i]! > day) i -= 1;
  // Span i runs from dates[i] to the next date; what holds on its first day holds on all of it.
  for (; i >= 0 && holds(dates[i]!); i -= 1) from = dates[i]!;
  return from;
}

function summarise(seats: readonly SeatState[], changes: readonly SeatChange[]): CascadeSummary {
  const byId = new Map(seats.map((s) => [s.id, s]));
  const byStatus: Record<string, number> = {};
  const byCourse = new Map<string, { seats: number; releasedCents: number }>();
  const students = new Set<string>();
  let releasedTuitionCents = 0;
  let releasedAllowanceCents = 0;
  let heldCents = 0;
  for (const change of changes) {
    const seat = byId.get(change.seatId)!;
    const label = change.kind === 'flag' ? 'flagged' : change.to;
    byStatus[label] = (byStatus[label] ?? 0) + 1;
    const course = byCourse.get(seat.course.id) ?? { seats: 0, releasedCents: 0 };
    course.seats += 1;
    if (change.kind === 'cancel') {
      releasedTuitionCents += seat.tuitionCents;
      releasedAllowanceCents += seat.allowanceCents;
      course.releasedCents += seat.tuitionCents + seat.allowanceCents;
    }
    if (change.kind === 'hold') heldCents += seat.tuitionCents + seat.allowanceCents;
    byCourse.set(seat.course.id, course);
    if (seat.studentId !== null) students.add(seat.studentId);
  }
  return {
    seats: changes.length,
    byStatus,
    byCourse: [...byCourse.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([courseId, c]) => ({ courseId, ...c })),
    students: [...students].sort(),
    releasedCents: releasedTuitionCents + releasedAllowanceCents,
    releasedTuitionCents,
    releasedAllowanceCents,
    heldCents,
    penaltiesCents: 0,
  };
}
