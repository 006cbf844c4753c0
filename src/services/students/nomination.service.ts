// Nominating a student to a seat (DESIGN §4.3), with the defense attaché consultation recorded
// (22 USC 2347f); a student holds one seat at a time for classes that overlap.
import type { Actor } from '../../core/actor.js';
import type { IsoDate } from '../../core/dates.js';
import { err, invalid, notFound, ok, type Result, refused } from '../../core/result.js';
import type { Nomination } from '../../core/students/types.js';
import { classEnd } from '../../core/seat-rules.js';
import { QUARTERS } from '../../core/students/vocabulary.js';
import {
  findSeatCourse,
  findStudent,
  insertNomination,
  listHeldSeats,
} from '../../store/student.repository.js';
import { findSeatView, updateSeat, type SeatView } from '../../store/training.repository.js';
import type { Executor } from '../../store/database.js';
import { guardSeat, guardStudent, inScope } from '../access/scope.js';
import type { AppContext } from '../context.js';
import { stale } from '../training/training.service.js';
import { today } from '../context.js';
import { all, checkText, oneOf, optionalText, pastDate } from '../field-input.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';

export interface NominationInput {
  readonly seat: string;
  readonly student: string;
  /** When the defense attaché was consulted about the selection. */
  readonly attacheConsultedOn: string;
  readonly attacheName: string;
  readonly attacheView?: string | null | undefined;
  /** Day of the nomination (default today). */
  readonly on?: string | undefined;
  readonly dependentsAuthorised?: number | undefined;
  readonly quarters?: string | undefined;
  readonly mess?: boolean | undefined;
  readonly expectedVersion?: number | undefined;
}

export interface Nominated {
  readonly nomination: Nomination;
  readonly seat: SeatView;
}

/** Nominates `student` to `seat`: the seat must be programmed, the student of its country and free then. */
export async function nominate(
  ctx: AppContext,
  actor: Actor,
  input: NominationInput,
): Promise<Result<Nominated>> {
  const parsed = parseNomination(input, today(ctx));
  if (!parsed.ok) return parsed;
  return writeTransaction(ctx, actor, 'students.write', (tx, now) =>
    inScope(
      [guardSeat(tx, actor, parsed.value.seat), guardStudent(tx, actor, parsed.value.student)],
      () => applyNominate(tx, ctx, actor, now, parsed.value),
    ),
  );
}

/** A nomination checked for content, ready to record. */
export interface ParsedNomination {
  readonly seat: string;
  readonly student: string;
  readonly expectedVersion: number | undefined;
  readonly on: IsoDate;
  readonly attacheConsultedOn: IsoDate;
  readonly attacheName: string;
  readonly attacheView: string | null;
  readonly quarters: (typeof QUARTERS)[number];
  readonly mess: boolean;
  readonly dependentsAuthorised: number;
}

/** Checks a nomination as an edge submits it; its dates may not be after `todayDate`. */
export function parseNomination(
  input: NominationInput,
  todayDate: IsoDate,
): Result<ParsedNomination> {
  const checked = all({
    attacheConsultedOn: pastDate('attacheConsultedOn', input.attacheConsultedOn, todayDate),
    attacheName: checkText('attacheName', input.attacheName, 200),
    attacheView: optionalText('attacheView', input.attacheView, 1000),
    on: input.on === undefined ? ok(todayDate) : pastDate('on', input.on, todayDate),
    quarters: oneOf('quarters', input.quarters ?? 'commercial', QUARTERS, 'quarters'),
  });
  if (!checked.ok) return checked;
  const dependents = input.dependentsAuthorised ?? 0;
  if (!Number.isInteger(dependents) || dependents < 0 || dependents > 20)
    return err(invalid('dependentsAuthorised', `a whole number from 0 to 20 (got ${dependents})`));
  const { on, attacheConsultedOn } = checked.value;
  if (attacheConsultedOn > on) {
    return err(
      invalid('attacheConsultedOn', `the attaché is consulted on or before the nomination (${on})`),
    );
  }
  return ok({
    seat: input.seat,
    student: input.student,
    expectedVersion: input.expectedVersion,
    on,
    attacheConsultedOn,
    attacheName: checked.value.attacheName,
    attacheView: checked.value.attacheView,
    quarters: checked.value.quarters,
    mess: input.mess === true,
    dependentsAuthorised: dependents,
  });
}

/** Nominates inside `tx` at `now`: the seat must be programmed, the student of its country and free then. */
export async function applyNominate(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  input: ParsedNomination,
): Promise<Result<WorkOutcome<Nominated>>> {
  const { on, attacheConsultedOn, dependentsAuthorised: dependents } = input;
  const seat = await findSeatView(tx, input.seat);
  if (seat === undefined) return err(notFound('seat', input.seat, 'seat'));
  if (input.expectedVersion !== undefined && seat.version !== input.expectedVersion)
    return err(stale(seat, input.expectedVersion));
  if (seat.status !== 'programmed') {
    return err(
      refused(
        'NOMINATION.SEAT_STATUS',
        'seat',
        `seat ${seat.id} is ${seat.status}: only a programmed seat takes a nomination`,
      ),
    );
  }
  const student = await findStudent(tx, input.student);
  if (student === undefined) return err(notFound('student', input.student, 'student'));
  if (student.country !== seat.country) {
    return err(
      refused(
        'NOMINATION.COUNTRY',
        'student',
        `student ${student.id} is from ${student.country}, the seat is ${seat.country}'s`,
      ),
    );
  }
  const course = (await findSeatCourse(tx, seat.id))!;
  const clash = await overlappingSeat(tx, student.id, seat.classStart, course.lengthWeeks);
  if (clash !== undefined) {
    return err(
      refused(
        'NOMINATION.OVERLAP',
        'student',
        `student ${student.id} already holds seat ${clash.seatId} (${clash.courseId} from ${clash.classStart}), whose class overlaps this one`,
      ),
    );
  }
  const nomination = await insertNomination(tx, {
    id: ctx.newId('nom'),
    seatId: seat.id,
    studentId: student.id,
    nominatedOn: on,
    attacheConsultedOn,
    attacheName: input.attacheName,
    attacheView: input.attacheView,
    dependentsAuthorised: dependents,
    quarters: input.quarters,
    mess: input.mess,
    recordedAt: now,
    recordedBy: actor.id,
  });
  const moved = await updateSeat(
    tx,
    seat.id,
    seat.version,
    { status: 'nominated', studentId: student.id },
    now,
  );
  // Changed since it was read (a concurrent write): the whole nomination is refused.
  if (!moved.ok) return err(stale(seat, seat.version));
  const after = (await findSeatView(tx, seat.id))!;
  return ok({
    value: { nomination, seat: after },
    audit: [
      { action: 'seat.nominate', entityType: 'seat', entityId: seat.id, before: seat, after },
      {
        action: 'nomination.add',
        entityType: 'student',
        entityId: student.id,
        after: nomination,
      },
    ],
  });
}

/** A seat the student holds whose class overlaps [classStart, classStart + weeks). */
async function overlappingSeat(
  tx: Parameters<typeof listHeldSeats>[0],
  studentId: string,
  classStart: IsoDate,
  lengthWeeks: number,
) {
  const end = classEnd(classStart, lengthWeeks);
  const held = await listHeldSeats(tx, studentId);
  return held.find((h) => h.classStart < end && classStart < classEnd(h.classStart, h.lengthWeeks));
}
