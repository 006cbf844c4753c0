// What a school reports about its international students (DESIGN §4.3): arrival, in training,
// completed with the academic report, or not completed — the allowance then stops on the day and
// tuition is charged pro rata.
import type { Actor } from '../../core/actor.js';
import type { IsoDate } from '../../core/dates.js';
import { err, invalid, notFound, ok, type Result, refused } from '../../core/result.js';
import { classEnd, proRataCharge } from '../../core/seat-rules.js';
import { findRate, livingAllowance, type Allowance } from '../../core/students/allowance.js';
import { reportDate } from '../../core/students/gates.js';
import {
  NON_COMPLETION_CAUSES,
  SCHOOL_EVENTS,
  type NonCompletionCause,
  type SchoolEvent,
} from '../../core/students/vocabulary.js';
import type { SeatStatus } from '../../core/training.js';
import {
  findActiveNomination,
  findSeatCourse,
  insertSchoolEvent,
  listSchoolEvents,
  upsertTrainingRecord,
} from '../../store/student.repository.js';
import { findSeatView, updateSeat, type SeatView } from '../../store/training.repository.js';
import type { Executor } from '../../store/database.js';
import { guardSeat, inScope } from '../access/scope.js';
import type { AppContext } from '../context.js';
import { today } from '../context.js';
import { stale } from '../training/training.service.js';
import { all, oneOf, optionalText, pastDate } from '../field-input.js';
import { tlaRates } from './travel-order.service.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';

export interface SchoolEventInput {
  readonly seat: string;
  readonly event: string;
  readonly on: string;
  readonly cause?: string | null | undefined;
  readonly academicReport?: string | null | undefined;
}

export interface SchoolEventRecorded {
  readonly seat: SeatView;
  readonly event: SchoolEvent;
  readonly on: IsoDate;
  readonly cause: NonCompletionCause | null;
  /** Not completed: tuition charged pro rata for the days attended. */
  readonly chargeCents: number | null;
  /** Not completed: the allowance paid, from the report date up to the day it stopped. */
  readonly allowance: Allowance | null;
}

/** The seat status each event needs before, and the one it leaves. */
const MOVES: Readonly<Record<SchoolEvent, { from: SeatStatus; to: SeatStatus }>> = {
  arrival: { from: 'ito-issued', to: 'ito-issued' },
  'in-training': { from: 'ito-issued', to: 'in-training' },
  completed: { from: 'in-training', to: 'completed' },
  'not-completed': { from: 'in-training', to: 'not-completed' },
};

function checkEvent(input: SchoolEventInput, todayDate: IsoDate) {
  const checked = all({
    event: oneOf('event', input.event, SCHOOL_EVENTS, 'school event'),
    on: pastDate('on', input.on, todayDate),
    academicReport: optionalText('academicReport', input.academicReport, 4000),
  });
  if (!checked.ok) return checked;
  const { event } = checked.value;
  let cause: NonCompletionCause | null = null;
  if (event === 'not-completed') {
    const c = oneOf('cause', input.cause ?? '', NON_COMPLETION_CAUSES, 'cause of non-completion');
    if (!c.ok) return c;
    cause = c.value;
  } else if (input.cause !== undefined && input.cause !== null && input.cause !== '') {
    return err(invalid('cause', `a cause is reported with not-completed only, not ${event}`));
  }
  if (event === 'completed' && checked.value.academicReport === null)
    return err(invalid('academicReport', 'a completion is reported with the academic report'));
  return ok({ ...checked.value, cause });
}

/** Records a school's report on a seat and moves the seat accordingly. */
export async function recordSchoolEvent(
  ctx: AppContext,
  actor: Actor,
  input: SchoolEventInput,
): Promise<Result<SchoolEventRecorded>> {
  const parsed = parseSchoolEvent(input, today(ctx));
  if (!parsed.ok) return parsed;
  return writeTransaction(ctx, actor, 'school-events.write', (tx, now) =>
    inScope([guardSeat(tx, actor, parsed.value.seat)], () =>
      applySchoolEvent(tx, ctx, actor, now, parsed.value),
    ),
  );
}

/** A school's report checked for content, ready to record. */
export type ParsedSchoolEvent = Extract<ReturnType<typeof checkEvent>, { ok: true }>['value'] & {
  readonly seat: string;
};

/** Checks a school's report as an edge submits it; its date may not be after `todayDate`. */
export function parseSchoolEvent(
  input: SchoolEventInput,
  todayDate: IsoDate,
): Result<ParsedSchoolEvent> {
  const checked = checkEvent(input, todayDate);
  if (!checked.ok) return checked;
  return ok({ ...checked.value, seat: input.seat });
}

/** Records a school's report on a seat inside `tx` at `now` and moves the seat accordingly. */
export async function applySchoolEvent(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  input: ParsedSchoolEvent,
): Promise<Result<WorkOutcome<SchoolEventRecorded>>> {
  const { event, on, cause, academicReport } = input;
  const seat = await findSeatView(tx, input.seat);
  if (seat === undefined) return err(notFound('seat', input.seat, 'seat'));
  const nomination = await findActiveNomination(tx, seat.id);
  if (nomination === undefined || seat.studentId === null)
    return err(refused('EVENT.NO_STUDENT', 'seat', `no student holds seat ${seat.id}`));
  const move = MOVES[event];
  if (seat.status !== move.from) {
    return err(
      refused(
        'EVENT.SEAT_STATUS',
        'event',
        `${event} is reported for a seat that is ${move.from}; seat ${seat.id} is ${seat.status}`,
      ),
    );
  }
  const course = (await findSeatCourse(tx, seat.id))!;
  const ends = classEnd(course.classStart, course.lengthWeeks);
  const events = await listSchoolEvents(tx, seat.id);
  const last = events.at(-1);
  if (last !== undefined && on < last.onDate) {
    return err(
      invalid(
        'on',
        `${on} is before the ${last.event} reported on ${last.onDate}: dates out of order`,
      ),
    );
  }
  if (event === 'in-training' && on < reportDate(course.classStart)) {
    return err(invalid('on', `${on} is before the report date ${reportDate(course.classStart)}`));
  }
  if (event === 'completed' && on < course.classStart) {
    return err(invalid('on', `${on} is before the class starts (${course.classStart})`));
  }
  if ((event === 'completed' || event === 'not-completed') && on > ends) {
    return err(invalid('on', `${on} is after the course ends (${ends})`));
  }
  await insertSchoolEvent(tx, {
    id: ctx.newId('sev'),
    seatId: seat.id,
    studentId: seat.studentId,
    event,
    cause,
    onDate: on,
    academicReport,
    recordedAt: now,
    recordedBy: actor.id,
  });
  const started = events.find((e) => e.event === 'in-training')?.onDate ?? on;
  let chargeCents: number | null = null;
  let allowance: Allowance | null = null;
  let changes: Parameters<typeof updateSeat>[3] = { status: move.to };
  if (event === 'not-completed') {
    chargeCents = proRataCharge(course.tuitionCents, course.classStart, course.lengthWeeks, on);
    const table = tlaRates();
    const rate = findRate(table.rates, course.schoolId);
    const from = reportDate(course.classStart);
    if (rate !== undefined && from <= on) {
      allowance = livingAllowance({
        rate,
        from,
        until: on,
        quarters: nomination.quarters,
        mess: nomination.mess,
        dependentsAuthorised: nomination.dependentsAuthorised,
        dependentShare: table.dependentShare,
      });
    }
    changes = {
      ...changes,
      reason: `not completed (${cause ?? ''}) on ${on}`,
      penaltyCents: chargeCents,
      penaltyRule: `not completed on ${on}: tuition charged pro rata for the days from ${course.classStart}; allowance stopped on ${on}`,
    };
  }
  if (move.to !== seat.status) {
    const moved = await updateSeat(tx, seat.id, seat.version, changes, now);
    // Changed since it was read (another report at the same time): this report is refused whole.
    if (!moved.ok) return err(stale(seat, seat.version));
  }
  if (event !== 'arrival') {
    const finished = event === 'completed' || event === 'not-completed';
    await upsertTrainingRecord(tx, {
      id: ctx.newId('trn'),
      studentId: seat.studentId,
      seatId: seat.id,
      courseId: course.courseId,
      programCode: course.program,
      startedOn: started,
      endedOn: finished ? on : null,
      outcome: finished ? event : null,
      cause,
      academicReport,
      chargeCents,
      allowanceStoppedOn: event === 'not-completed' ? on : null,
      recordedAt: now,
    });
  }
  const after = (await findSeatView(tx, seat.id))!;
  return ok({
    value: { seat: after, event, on, cause, chargeCents, allowance },
    audit: [
      {
        action: `school-event.${event}`,
        entityType: 'seat',
        entityId: seat.id,
        before: { status: seat.status },
        after: { status: after.status, on, cause, academicReport, chargeCents },
      },
    ],
  });
}
