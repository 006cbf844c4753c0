// The suspension cascade (DESIGN §4.2): what a change to the eligibility records does to seats,
// computed by comparing each seat's eligibility at its class start before and after the change.
import type { IsoDate } from './dates.js';
import {
  decide,
  type CourseFacts,
  type Decision,
  type EligibilityIndex,
} from './eligibility/engine.js';
import type { ProgramCode } from './programs.js';
import { isBeforeTraining } from './seat-rules.js';
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
  readonly status: SeatStatus;
  readonly previousStatus: SeatStatus | null;
  readonly studentId: string | null;
  readonly tuitionCents: number;
  readonly allowanceCents: number;
}

export type SeatChange =
  | {
      readonly kind: 'cancel' | 'hold';
      readonly seatId: string;
      readonly from: SeatStatus;
      readonly to: 'cancelled' | 'held';
      readonly restrictionId: string;
      readonly reason: string;
      readonly penaltyCents: 0;
    }
  | {
      /** In training: never silently cancelled; flagged for a decision. */
      readonly kind: 'flag';
      readonly seatId: string;
      readonly from: SeatStatus;
      readonly to: SeatStatus;
      readonly restrictionId: string;
      readonly reason: string;
      readonly penaltyCents: 0;
    }
  | {
      /** A held seat whose class has not started returns to the status it was held from. */
      readonly kind: 'release';
      readonly seatId: string;
      readonly from: 'held';
      readonly to: SeatStatus;
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

/** The question the seats of one line share, decided once. */
interface LineDecision {
  readonly now: Decision;
  /** The first restriction blocking now, and the sentence saying so. */
  readonly blocking: Decision['restrictions'][number] | undefined;
  readonly why: string;
  readonly wasEligible: () => boolean;
}

/**
 * Plans what a change of the records (from `beforeIndex` to `after`) does to `seats`, as of `today`:
 * a seat whose program was eligible at its class start and no longer is, and that has not reached
 * training, is cancelled (penalty 0) or held by the blocking restriction's seat policy; a seat in
 * training is flagged; a held seat whose class has not started and is eligible again returns to
 * its previous status. Cancelled seats stay cancelled.
 */
export function planCascade(
  seats: readonly SeatState[],
  beforeIndex: EligibilityIndex,
  after: EligibilityIndex,
  today: IsoDate,
): CascadePlan {
  const changes: SeatChange[] = [];
  // Seats of one line share their question: decide it once per line, not once per seat.
  const decisions = new Map<string, LineDecision>();
  for (const seat of seats) {
    const query = {
      country: seat.country,
      program: seat.program,
      on: seat.classStart,
      course: seat.course,
    };
    const key = `${seat.country}|${seat.program}|${seat.classStart}|${seat.course.id}`;
    let decided = decisions.get(key);
    if (decided === undefined) {
      let before: boolean | undefined;
      const now = decide(after, query);
      const blocking = now.restrictions.find((r) => r.status === 'blocking');
      decided = {
        now,
        blocking,
        why:
          blocking === undefined
            ? ''
            : `US decision: ${blocking.kind} restriction ${blocking.id} blocks ${seat.program} on ${seat.classStart}`,
        wasEligible: () => (before ??= decide(beforeIndex, query).eligible),
      };
      decisions.set(key, decided);
    }
    const now = decided.now;
    if (seat.status === 'held') {
      if (now.eligible && seat.classStart > today && seat.previousStatus !== null) {
        changes.push({
          kind: 'release',
          seatId: seat.id,
          from: 'held',
          to: seat.previousStatus,
          restrictionId: null,
          reason: `eligible again for ${seat.program} on ${seat.classStart}: returned to ${seat.previousStatus}`,
          penaltyCents: 0,
        });
      }
      continue;
    }
    if (now.eligible) continue;
    const { blocking, why } = decided;
    if (blocking === undefined || !decided.wasEligible()) continue;
    if (isBeforeTraining(seat.status)) {
      const cancel = blocking.seatPolicy === 'cancel';
      changes.push({
        kind: cancel ? 'cancel' : 'hold',
        seatId: seat.id,
        from: seat.status,
        to: cancel ? 'cancelled' : 'held',
        restrictionId: blocking.id,
        reason: `${why}; ${cancel ? 'cancelled, no penalty' : 'held'}`,
        penaltyCents: 0,
      });
    } else if (seat.status === 'in-training') {
      changes.push({
        kind: 'flag',
        seatId: seat.id,
        from: seat.status,
        to: seat.status,
        restrictionId: blocking.id,
        reason: `${why}; in training: flagged for a decision`,
        penaltyCents: 0,
      });
    }
  }
  return { changes, summary: summarise(seats, changes) };
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
