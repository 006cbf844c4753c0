// The international seats of a course's classes (issue 17: course capacity). The catalog's keepers
// record how many international students a class takes (the military department's quota); a
// class's priority A seats may not exceed them, so a line programmed priority A and a
// re-programming that funds priority B lines are both held to what is left. Priority B lines are
// the wish list: they may ask for more seats than a class has. A class without a record has no
// limit but its lines.
import { can, forbidden } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import { fiscalYearInterval, type IsoDate } from '../../core/dates.js';
import { classKey } from '../../core/reprogram/model.js';
import {
  err,
  invalid,
  notFound,
  ok,
  refused,
  type DomainError,
  type Result,
} from '../../core/result.js';
import { findCourseRecord } from '../../store/catalog-admin.repository.js';
import {
  findClassSeats,
  listClassSeats,
  setClassSeats as writeClassSeats,
  type ClassSeats,
} from '../../store/course-class.repository.js';
import type { Executor } from '../../store/database.js';
import type { AppContext } from '../context.js';
import { checkFiscalYear, parseDateField } from '../field-input.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';
import { checkVersion, normalizeId } from './catalog-input.js';

/** The most international seats a class may record. */
export const MAX_CLASS_SEATS = 10_000;

/** A class with what is left of its international seats. */
export interface ClassView extends ClassSeats {
  /** International seats not held by priority A seats; null when the class records none. */
  readonly openSeats: number | null;
}

export const classView = (k: ClassSeats): ClassView => ({
  ...k,
  openSeats:
    k.internationalSeats === null ? null : Math.max(0, k.internationalSeats - k.fundedSeats),
});

/** A course's classes in fiscal year `fiscalYear`: those recorded and those its lines name. */
export async function listClasses(
  ctx: AppContext,
  courseId: string,
  fiscalYear: number,
): Promise<Result<ClassView[]>> {
  const fy = checkFiscalYear('fy', fiscalYear);
  if (!fy.ok) return fy;
  const id = normalizeId(courseId);
  if ((await findCourseRecord(ctx.store.db, id)) === undefined)
    return err(notFound('course', courseId, 'id'));
  const { from, until } = fiscalYearInterval(fy.value);
  return ok((await listClassSeats(ctx.store.db, id, from, until!)).map(classView));
}

export interface ClassSeatsInput {
  readonly seats: number;
  /** The class's version read, when it has one: a write naming another changes nothing. */
  readonly expectedVersion?: number | undefined;
}

/**
 * Records the international seats of one class of a course. Refused below the seats its priority
 * A lines hold (cancel or move them first); a class recorded already changes only at the version
 * read, when one is given. The same number again writes nothing.
 */
export async function setClassSeats(
  ctx: AppContext,
  actor: Actor,
  courseId: string,
  classStart: string,
  input: ClassSeatsInput,
): Promise<Result<ClassView>> {
  const parsed = parseClassSeats(courseId, classStart, input);
  if (!parsed.ok) return parsed;
  const { id, start, seats, expectedVersion } = parsed.value;
  // Before the shortcut below: the same number again is still a write a role may not make.
  if (!can(actor, 'catalog.write')) return err(forbidden(actor, 'catalog.write'));
  const current = await findClassSeats(ctx.store.db, id, start);
  if (
    current.internationalSeats === seats &&
    (expectedVersion === undefined || expectedVersion === current.version)
  )
    return ok(classView(current));
  return writeTransaction(ctx, actor, 'catalog.write', (tx, now) =>
    applySetClassSeats(tx, now, parsed.value, courseId),
  );
}

/** A class's seats as an edge submits them, checked. */
export interface ParsedClassSeats {
  readonly id: string;
  readonly start: IsoDate;
  readonly seats: number;
  readonly expectedVersion: number | undefined;
}

export function parseClassSeats(
  courseId: string,
  classStart: string,
  input: ClassSeatsInput,
): Result<ParsedClassSeats> {
  const start = parseDateField('start', classStart);
  if (!start.ok) return start;
  const { seats } = input;
  if (!Number.isInteger(seats) || seats < 0 || seats > MAX_CLASS_SEATS)
    return err(
      invalid('seats', `a whole number of seats from 0 to ${MAX_CLASS_SEATS} (got ${seats})`),
    );
  const version = checkVersion(input.expectedVersion);
  if (!version.ok) return version;
  return ok({
    id: normalizeId(courseId),
    start: start.value,
    seats,
    expectedVersion: version.value,
  });
}

/** Records a class's seats inside `tx` at `now` (see `setClassSeats`). */
export async function applySetClassSeats(
  tx: Executor,
  now: string,
  input: ParsedClassSeats,
  asked = input.id,
): Promise<Result<WorkOutcome<ClassView>>> {
  const { id, start, seats } = input;
  const before = await classAt(tx, id, start, asked, input.expectedVersion);
  if (!before.ok) return before;
  const k = before.value;
  if (seats < k.fundedSeats)
    return err(
      refused(
        'CLASS.BELOW_FUNDED',
        'seats',
        `class ${classKey(id, start)} holds ${k.fundedSeats} priority A seats: cancel or move some before recording ${seats}`,
      ),
    );
  const row = { courseId: id, classStart: start, internationalSeats: seats };
  if (!(await writeClassSeats(tx, row, k.version, now)))
    return err(stale(id, start, input.expectedVersion ?? k.version ?? 0, null));
  const after = await findClassSeats(tx, id, start);
  const stated = (c: ClassSeats) => ({
    courseId: c.courseId,
    classStart: c.classStart,
    internationalSeats: c.internationalSeats,
    version: c.version,
  });
  return ok({
    value: classView(after),
    audit: [
      {
        action: 'class.set',
        entityType: 'course-class',
        entityId: classKey(id, start),
        ...(k.version === null ? {} : { before: stated(k) }),
        after: stated(after),
      },
    ],
  });
}

/** The class as it stands in `tx`, if its course exists and it is at `version` (when named). */
async function classAt(
  tx: Executor,
  id: string,
  start: IsoDate,
  asked: string,
  version: number | undefined,
): Promise<Result<ClassSeats>> {
  if ((await findCourseRecord(tx, id)) === undefined) return err(notFound('course', asked, 'id'));
  const k = await findClassSeats(tx, id, start);
  if (version !== undefined && k.version !== version)
    return err(stale(id, start, version, k.version));
  return ok(k);
}

function stale(id: string, start: string, expected: number, current: number | null): DomainError {
  return {
    code: 'CONFLICT',
    reason: 'CLASS.STALE',
    field: 'version',
    message: `class ${classKey(id, start)} is ${current === null ? 'not recorded yet' : `at version ${current}`}, not ${expected}: it changed since it was read; reload it and try again`,
    details: { expected, current },
  };
}

/**
 * Refuses `seats` more priority A seats in a class that has not that many open (inside the
 * writing transaction: writes take turns, so no other can fill it meanwhile).
 */
export async function checkClassRoom(
  tx: Executor,
  courseId: string,
  classStart: IsoDate,
  seats: number,
): Promise<DomainError | undefined> {
  const k = classView(await findClassSeats(tx, courseId, classStart));
  if (k.openSeats === null || seats <= k.openSeats) return undefined;
  return {
    ...refused(
      'LINE.CLASS_FULL',
      'seats',
      `class ${classKey(courseId, classStart)} has ${k.internationalSeats} international seats, ${k.fundedSeats} of them funded: ${k.openSeats} open, not ${seats}`,
    ),
    details: { class: k },
  };
}
