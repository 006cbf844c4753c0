// Training lines and seats (DESIGN §4.2): program a line, move seats through their statuses with
// optimistic concurrency, cancel with the penalty rules, and say what a restriction did.
import type { Actor } from '../../core/actor.js';
import { dateOfInstant, fiscalYearInterval, fiscalYearOf, type IsoDate } from '../../core/dates.js';
import {
  buildEligibilityIndex,
  decide,
  type EligibilityIndex,
} from '../../core/eligibility/engine.js';
import { type ProgramCode } from '../../core/programs.js';
import {
  err,
  invalid,
  notFound,
  ok,
  type DomainError,
  type Result,
  refused,
} from '../../core/result.js';
import {
  CANCELLATION_REASONS,
  canTransition,
  cancellationPenalty,
  nextStatuses,
  type CancellationReason,
} from '../../core/seat-rules.js';
import { PRIORITIES, SEAT_STATUSES, type Priority, type SeatStatus } from '../../core/training.js';
import {
  findCourseForLine,
  findSeatView,
  insertTrainingLine,
  listSeatViews,
  listSeatViewsOfRestriction,
  updateSeat,
  type SeatRow,
  type SeatView,
} from '../../store/training.repository.js';
import type { Executor } from '../../store/database.js';
import {
  listRestrictionVersions,
  loadEligibilityRecords,
} from '../../store/eligibility.repository.js';
import { findCountryRow } from '../../store/reference.repository.js';
import { countryInScope, guardSeat, inScope, seatVisible } from '../access/scope.js';
import { checkClassRoom } from './class-seats.service.js';
import type { AppContext } from '../context.js';
import { today } from '../context.js';
import {
  checkFiscalYear,
  oneOf,
  optionalText,
  parseDateField,
  parseProgramField,
} from '../field-input.js';
import { writeTransaction, type WorkOutcome, type WriteOptions } from '../unit-of-work.js';

export interface LineInput {
  readonly country: string;
  readonly fiscalYear: number;
  readonly course: string;
  readonly seats: number;
  readonly classStart: string;
  readonly priority: string;
  readonly program?: string | undefined;
  /** Travel and living allowance estimate per seat, in cents. */
  readonly allowanceCents?: number | undefined;
  /** The purpose or foreign-policy justification, for the FMT report (22 USC 2416(b)(1)). */
  readonly purpose?: string | null | undefined;
}

export interface LineCreated {
  readonly id: string;
  readonly country: string;
  readonly fiscalYear: number;
  readonly courseId: string;
  readonly program: ProgramCode;
  readonly priority: Priority;
  readonly classStart: IsoDate;
  readonly seatCount: number;
  readonly unitTuitionCents: number;
  readonly allowanceCents: number;
  readonly seats: readonly SeatView[];
}

const MAX_SEATS_PER_LINE = 500;

/** A training line checked for content, ready to program. */
export interface ParsedLine {
  readonly country: string;
  readonly fiscalYear: number;
  readonly course: string;
  readonly seats: number;
  readonly classStart: IsoDate;
  readonly priority: Priority;
  readonly program: ProgramCode;
  readonly allowanceCents: number;
  readonly purpose: string | null;
}

/** Programs a training line: its seats are created `programmed`. */
export async function addLine(
  ctx: AppContext,
  actor: Actor,
  input: LineInput,
): Promise<Result<LineCreated>> {
  const parsed = parseLine(input);
  if (!parsed.ok) return parsed;
  // Eligibility from the country's records in the transaction, not the index in memory: a
  // restriction written meanwhile (by another request or process) is in them, and its cascade
  // has not seen this line.
  return writeTransaction(ctx, actor, 'training.write', (tx, now) =>
    inScope([countryInScope(actor, parsed.value.country)], () =>
      applyAddLine(tx, ctx, now, parsed.value),
    ),
  );
}

/** Checks a training line as an edge submits it. */
export function parseLine(input: LineInput): Result<ParsedLine> {
  const country = input.country.toUpperCase();
  if (!Number.isInteger(input.seats) || input.seats <= 0 || input.seats > MAX_SEATS_PER_LINE) {
    return err(
      invalid(
        'seats',
        `a whole number of seats from 1 to ${MAX_SEATS_PER_LINE} (got ${input.seats})`,
      ),
    );
  }
  const fy = checkFiscalYear('fy', input.fiscalYear);
  if (!fy.ok) return fy;
  const start = parseDateField('start', input.classStart);
  if (!start.ok) return start;
  if (fiscalYearOf(start.value) !== input.fiscalYear) {
    const fy = fiscalYearInterval(input.fiscalYear);
    return err(
      invalid(
        'start',
        `${start.value} is outside FY${input.fiscalYear} (${fy.from} to ${fy.until}, exclusive)`,
      ),
    );
  }
  if (!(PRIORITIES as readonly string[]).includes(input.priority)) {
    return err(invalid('priority', `priority A, B or D (got ${input.priority})`));
  }
  const program = parseProgramField('program', input.program ?? 'IMET');
  if (!program.ok) return program;
  const programCode = program.value;
  const allowanceCents = input.allowanceCents ?? 0;
  if (!Number.isSafeInteger(allowanceCents) || allowanceCents < 0) {
    return err(invalid('allowance', 'a non-negative amount'));
  }
  const purpose = optionalText('purpose', input.purpose, 1000);
  if (!purpose.ok) return purpose;
  return ok({
    purpose: purpose.value,
    country,
    fiscalYear: input.fiscalYear,
    course: input.course,
    seats: input.seats,
    classStart: start.value,
    priority: input.priority as Priority,
    program: programCode,
    allowanceCents,
  });
}

/**
 * Programs a line inside `tx` at `now`, refused unless the country is eligible for the program at
 * the class start by `eligibility` (the caller's snapshot; by default the country's records in `tx`).
 */
export async function applyAddLine(
  tx: Executor,
  ctx: AppContext,
  now: string,
  input: ParsedLine,
  eligibility?: EligibilityIndex,
): Promise<Result<WorkOutcome<LineCreated>>> {
  const { country, allowanceCents, classStart } = input;
  const programCode = input.program;
  if ((await findCountryRow(tx, country)) === undefined)
    return err(notFound('country', input.country, 'country'));
  const course = await findCourseForLine(tx, input.course, input.fiscalYear);
  if (course === undefined) return err(notFound('course', input.course, 'course'));
  if (course.retiredOn !== null && course.retiredOn <= classStart) {
    return err(
      refused(
        'LINE.COURSE_RETIRED',
        'course',
        `course ${course.id} was retired on ${course.retiredOn}`,
      ),
    );
  }
  if (course.tuitionCents === null) {
    return err(
      refused(
        'LINE.NO_TUITION',
        'course',
        `course ${course.id} has no FY${input.fiscalYear} tuition in the catalog`,
      ),
    );
  }
  // The decision reads the country's records only.
  const index = eligibility ?? buildEligibilityIndex(await loadEligibilityRecords(tx, country));
  const decision = decide(index, {
    country,
    program: programCode,
    on: classStart,
    course: { id: course.id, schoolId: course.schoolId, eImet: course.eImet },
  });
  if (!decision.eligible) {
    const why = decision.restrictions.filter((r) => r.status === 'blocking').map((r) => r.reason);
    return err({
      ...refused(
        'LINE.NOT_ELIGIBLE',
        'start',
        `${country} is not eligible for ${programCode} on ${classStart}: ${why.join('; ')}`,
      ),
      details: { decision },
    });
  }
  // A funded line takes international seats of its class; a wish-list line (B) may ask for more.
  if (input.priority === 'A') {
    const full = await checkClassRoom(tx, course.id, classStart, input.seats);
    if (full !== undefined) return err(full);
  }
  const id = ctx.newId('tl');
  const line = {
    id,
    countryIso3: country,
    fiscalYear: input.fiscalYear,
    courseId: course.id,
    programCode,
    seatCount: input.seats,
    classStart: classStart,
    priority: input.priority,
    unitTuitionCents: course.tuitionCents,
    allowanceCents,
    purpose: input.purpose,
    createdAt: now,
  };
  const seats: SeatRow[] = Array.from({ length: input.seats }, (_, i) => ({
    id: ctx.newId('seat'),
    lineId: id,
    ordinal: i + 1,
    status: 'programmed',
    updatedAt: now,
  }));
  await insertTrainingLine(tx, line, seats);
  const views = await listSeatViews(tx, { lineId: id });
  return ok({
    value: {
      id,
      country,
      fiscalYear: input.fiscalYear,
      courseId: course.id,
      program: programCode,
      priority: input.priority,
      classStart: classStart,
      seatCount: input.seats,
      unitTuitionCents: course.tuitionCents,
      allowanceCents,
      seats: views,
    },
    audit: [
      { action: 'line.add', entityType: 'training-line', entityId: id, after: line },
      ...seats.map((s) => ({ action: 'seat.add', entityType: 'seat', entityId: s.id, after: s })),
    ],
  });
}

export interface SeatFilter {
  readonly country: string;
  readonly fiscalYear: number;
  readonly status?: string | undefined;
}

/** Seats of a country and FY, as far as the actor's scope reaches (an IMSO: their schools' seats). */
export async function listSeats(
  ctx: AppContext,
  actor: Actor,
  filter: SeatFilter,
): Promise<Result<SeatView[]>> {
  const country = filter.country.toUpperCase();
  if ((await findCountryRow(ctx.store.db, country)) === undefined)
    return err(notFound('country', filter.country, 'country'));
  let status: SeatStatus | undefined;
  if (filter.status !== undefined) {
    const known = oneOf('status', filter.status, SEAT_STATUSES, 'seat status');
    if (!known.ok) return known;
    status = known.value;
  }
  const seats = await listSeatViews(ctx.store.db, {
    country,
    fiscalYear: filter.fiscalYear,
    status,
  });
  return ok(seats.filter((seat) => seatVisible(actor, seat)));
}

export async function getSeat(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<Result<SeatView>> {
  const seat = await findSeatView(ctx.store.db, id);
  return seat === undefined || !seatVisible(actor, seat)
    ? err(notFound('seat', id, 'id'))
    : ok(seat);
}

/** A write on a seat someone changed since it was read (optimistic concurrency). */
export function stale(seat: SeatView, expected: number): DomainError {
  return {
    code: 'CONFLICT',
    reason: 'SEAT.STALE',
    field: 'version',
    message: `seat ${seat.id} is at version ${seat.version}, not ${expected}: someone changed it; reload and try again`,
    details: { current: seat.version },
  };
}

/** Moves a seat to its next status, if the rules allow it; `expectedVersion` guards against lost updates. */
export async function moveSeat(
  ctx: AppContext,
  actor: Actor,
  id: string,
  to: string,
  expectedVersion?: number,
): Promise<Result<SeatView>> {
  const status = oneOf('status', to, SEAT_STATUSES, 'seat status');
  if (!status.ok) return status;
  const target = status.value;
  if (target === 'cancelled')
    return err(invalid('status', 'cancel a seat with its reason (seat cancel)'));
  return writeTransaction(ctx, actor, 'training.write', (tx, now) =>
    inScope([guardSeat(tx, actor, id, 'id')], () =>
      applyMoveSeat(tx, now, id, target, expectedVersion),
    ),
  );
}

/** Moves a seat to `target` inside `tx` at `now`, if the seat rules allow it. */
export async function applyMoveSeat(
  tx: Executor,
  now: string,
  id: string,
  target: SeatStatus,
  expectedVersion?: number,
): Promise<Result<WorkOutcome<SeatView>>> {
  if (target === 'cancelled')
    return err(invalid('status', 'cancel a seat with its reason (seat cancel)'));
  const seat = await findSeatView(tx, id);
  if (seat === undefined) return err(notFound('seat', id, 'id'));
  if (expectedVersion !== undefined && seat.version !== expectedVersion)
    return err(stale(seat, expectedVersion));
  if (!canTransition(seat.status, target, seat.previousStatus)) {
    return err(
      refused(
        'SEAT.TRANSITION',
        'status',
        `a ${seat.status} seat cannot become ${target} (allowed: ${nextStatuses(seat.status, seat.previousStatus).join(', ') || 'none'})`,
      ),
    );
  }
  const changes = {
    status: target,
    previousStatus:
      target === 'held' ? seat.status : seat.status === 'held' ? null : seat.previousStatus,
    reason: target === 'held' ? 'held by the program manager' : seat.reason,
    // Held by hand: dated the day of the move.
    heldOn: target === 'held' ? dateOfInstant(now) : seat.status === 'held' ? null : seat.heldOn,
  };
  if (!(await updateSeat(tx, id, seat.version, changes, now)).ok)
    return err(stale(seat, seat.version));
  const after = await findSeatView(tx, id);
  return ok({
    value: after!,
    audit: [{ action: `seat.${target}`, entityType: 'seat', entityId: id, before: seat, after }],
  });
}

export interface CancelInput {
  readonly reason: string;
  readonly refilled?: boolean | undefined;
  /** The day of the cancellation (default today); penalties count days before class start from it. */
  readonly on?: string | undefined;
  /** Evidence, e.g. of a timely visa application. */
  readonly note?: string | undefined;
  readonly expectedVersion?: number | undefined;
}

/** A cancelled seat with what its cancellation gave back. */
export type CancelledSeat = SeatView & {
  /** Tuition and allowance given back, less the penalty. */
  readonly releasedCents: number;
};

/**
 * Cancels a seat with one of the fixed reasons; the penalty follows DESIGN §4.2. With `dryRun`
 * the same write runs and is rolled back: the seat as it would be, its penalty and the money
 * released, nothing recorded.
 */
export async function cancelSeat(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: CancelInput,
  options: WriteOptions = {},
): Promise<Result<CancelledSeat>> {
  const parsed = parseCancel(input, today(ctx));
  if (!parsed.ok) return parsed;
  return writeTransaction(
    ctx,
    actor,
    'training.write',
    async (tx, now) => {
      const seat = await findSeatView(tx, id);
      if (seat === undefined || !seatVisible(actor, seat)) return err(notFound('seat', id, 'id'));
      return applyCancelSeat(tx, now, id, parsed.value);
    },
    options,
  );
}

/** A cancellation checked for content, ready to record. */
export interface ParsedCancel {
  readonly reason: Exclude<CancellationReason, 'us-restriction'>;
  readonly refilled: boolean;
  readonly on: IsoDate;
  readonly note?: string | undefined;
  readonly expectedVersion?: number | undefined;
}

/** Checks a cancellation as an edge submits it; without a day it is `todayDate`'s. */
export function parseCancel(input: CancelInput, todayDate: IsoDate): Result<ParsedCancel> {
  if (!Object.hasOwn(CANCELLATION_REASONS, input.reason)) {
    return err(
      invalid(
        'reason',
        `one of ${Object.keys(CANCELLATION_REASONS).join(', ')} (got ${input.reason})`,
      ),
    );
  }
  const reason = input.reason as CancellationReason;
  if (reason === 'us-restriction') {
    return err(
      invalid(
        'reason',
        'seats reached by a restriction are cancelled by recording the restriction',
      ),
    );
  }
  const on = input.on === undefined ? ok(todayDate) : parseDateField('on', input.on);
  if (!on.ok) return on;
  return ok({
    reason,
    refilled: input.refilled === true,
    on: on.value,
    note: input.note,
    expectedVersion: input.expectedVersion,
  });
}

/** Cancels a seat inside `tx` at `now` with the penalty of DESIGN §4.2 (the caller checked its scope). */
export async function applyCancelSeat(
  tx: Executor,
  now: string,
  id: string,
  input: ParsedCancel,
): Promise<Result<WorkOutcome<CancelledSeat>>> {
  const { reason, on } = input;
  const seat = await findSeatView(tx, id);
  if (seat === undefined) return err(notFound('seat', id, 'id'));
  if (input.expectedVersion !== undefined && seat.version !== input.expectedVersion) {
    return err(stale(seat, input.expectedVersion));
  }
  if (!canTransition(seat.status, 'cancelled', seat.previousStatus)) {
    return err(refused('SEAT.TRANSITION', 'status', `a ${seat.status} seat cannot be cancelled`));
  }
  const penalty = cancellationPenalty({
    reason,
    refilled: input.refilled,
    dedicated: seat.dedicated,
    tuitionCents: seat.tuitionCents,
    classStart: seat.classStart,
    cancelledOn: on,
  });
  const text = `${CANCELLATION_REASONS[reason]}${input.note === undefined ? '' : ` (${input.note})`}`;
  const changes = {
    status: 'cancelled' as const,
    previousStatus: seat.status === 'held' ? seat.previousStatus : seat.status,
    reason: text,
    cancellationReason: reason,
    cancelledOn: on,
    refilled: input.refilled,
    penaltyCents: penalty.cents,
    penaltyRule: penalty.rule,
  };
  if (!(await updateSeat(tx, id, seat.version, changes, now)).ok)
    return err(stale(seat, seat.version));
  const after = (await findSeatView(tx, id))!;
  return ok({
    value: {
      ...after,
      releasedCents: after.tuitionCents + after.allowanceCents - after.penaltyCents,
    },
    audit: [
      {
        action: 'seat.cancel',
        entityType: 'seat',
        entityId: id,
        before: seat,
        after,
        reason: text,
      },
    ],
  });
}

export interface RestrictionImpact {
  readonly restrictionId: string;
  readonly seats: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byCourse: readonly {
    readonly courseId: string;
    readonly seats: number;
    readonly releasedCents: number;
  }[];
  readonly students: readonly string[];
  readonly releasedCents: number;
  readonly penaltiesCents: number;
  readonly seatList: readonly SeatView[];
}

/** What a restriction did: the seats it cancelled, held or flagged, the students and the money. */
/** What a restriction did to the seats the actor sees (all of them, for who sees all). */
export async function restrictionImpact(
  ctx: AppContext,
  actor: Actor,
  restrictionId: string,
): Promise<Result<RestrictionImpact>> {
  if ((await listRestrictionVersions(ctx.store.db, restrictionId)).length === 0) {
    return err(notFound('restriction', restrictionId, 'restriction'));
  }
  const seats = (await listSeatViewsOfRestriction(ctx.store.db, restrictionId)).filter((seat) =>
    seatVisible(actor, seat),
  );
  const byStatus: Record<string, number> = {};
  const byCourse = new Map<string, { seats: number; releasedCents: number }>();
  let releasedCents = 0;
  let penaltiesCents = 0;
  for (const seat of seats) {
    const label = seat.flagged ? 'flagged' : seat.status;
    byStatus[label] = (byStatus[label] ?? 0) + 1;
    const course = byCourse.get(seat.courseId) ?? { seats: 0, releasedCents: 0 };
    course.seats += 1;
    if (seat.status === 'cancelled') {
      const money = seat.tuitionCents + seat.allowanceCents - seat.penaltyCents;
      course.releasedCents += money;
      releasedCents += money;
      penaltiesCents += seat.penaltyCents;
    }
    byCourse.set(seat.courseId, course);
  }
  return ok({
    restrictionId,
    seats: seats.length,
    byStatus,
    byCourse: [...byCourse.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([courseId, c]) => ({ courseId, ...c })),
    students: [
      ...new Set(seats.flatMap((s) => (s.studentId === null ? [] : [s.studentId]))),
    ].sort(),
    releasedCents,
    penaltiesCents,
    seatList: seats,
  });
}
