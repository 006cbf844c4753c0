// The seats board (DESIGN §4.2): a country's (or a restriction's) seats filtered by FY, course,
// status and restriction, with counts by status and the money of what matched; and one seat in
// detail with the moves the rules allow it next and every write that made a version of it.
import type { Actor } from '../../core/actor.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import {
  CANCELLATION_REASONS,
  nextStatuses,
  type CancellationReason,
} from '../../core/seat-rules.js';
import { SEAT_STATUSES, type SeatStatus } from '../../core/training.js';
import { findCourseRecord } from '../../store/catalog-admin.repository.js';
import { listRestrictionVersions } from '../../store/eligibility.repository.js';
import { findCountryRow } from '../../store/reference.repository.js';
import {
  findSeatView,
  listBoardSeatViews,
  listSeatAudit,
  type SeatAuditRow,
  type SeatView,
} from '../../store/training.repository.js';
import { seatVisible } from '../access/scope.js';
import type { AppContext } from '../context.js';
import { checkFiscalYear, oneOf } from '../field-input.js';
import { normalizeId } from './catalog-input.js';

/** A page of the board: 500 seats unless asked, at most 1,000. */
export const BOARD_PAGE = 500;
export const BOARD_MAX_PAGE = 1000;

export interface BoardQuery {
  readonly country?: string | undefined;
  readonly fiscalYear?: number | undefined;
  readonly status?: string | undefined;
  readonly course?: string | undefined;
  readonly restriction?: string | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

/** The money of the seats that matched (all pages). */
export interface BoardTotals {
  readonly tuitionCents: number;
  readonly allowanceCents: number;
  /** Penalties charged on cancelled seats. */
  readonly penaltiesCents: number;
  /** What cancellations gave back: tuition and allowance of cancelled seats, less penalties. */
  readonly releasedCents: number;
  /** Tuition and allowance of seats not cancelled, plus penalties. */
  readonly committedCents: number;
}

export interface SeatBoard {
  readonly items: readonly SeatView[];
  /** Seats that matched, on every page. */
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  /** Seats that matched by status, in the order of the seat's path; statuses with none left out. */
  readonly byStatus: readonly { readonly status: SeatStatus; readonly seats: number }[];
  /** Seats that matched flagged by a restriction or a unit denial (whatever their status). */
  readonly flagged: number;
  readonly totals: BoardTotals;
  /** The courses of the seats that matched, by id: what a course filter may narrow to. */
  readonly courses: readonly {
    readonly id: string;
    readonly title: string;
    readonly seats: number;
  }[];
  /** The restrictions recorded on the seats that matched, by id: what a restriction filter may narrow to. */
  readonly restrictions: readonly { readonly id: string; readonly seats: number }[];
}

/**
 * The seats board. A country or a restriction is required: the board is a country desk's view
 * (a restriction is of one country), and a list across every country has no use that the
 * dashboards do not serve better. Scoped as every seat read: an SCO sees their countries' seats
 * only (another country's list is empty), an IMSO their schools'.
 */
export async function seatBoard(
  ctx: AppContext,
  actor: Actor,
  query: BoardQuery,
): Promise<Result<SeatBoard>> {
  const db = ctx.store.db;
  if (query.country === undefined && query.restriction === undefined) {
    return err(
      invalid(
        'country',
        'name a country (or a restriction): the board lists one country at a time',
      ),
    );
  }
  let country: string | undefined;
  if (query.country !== undefined) {
    country = query.country.trim().toUpperCase();
    if ((await findCountryRow(db, country)) === undefined)
      return err(notFound('country', query.country, 'country'));
  }
  if (query.fiscalYear !== undefined) {
    const fy = checkFiscalYear('fy', query.fiscalYear);
    if (!fy.ok) return fy;
  }
  let status: SeatStatus | undefined;
  if (query.status !== undefined) {
    const known = oneOf('status', query.status, SEAT_STATUSES, 'seat status');
    if (!known.ok) return known;
    status = known.value;
  }
  let courseId: string | undefined;
  if (query.course !== undefined) {
    courseId = normalizeId(query.course);
    if ((await findCourseRecord(db, courseId)) === undefined)
      return err(notFound('course', query.course, 'course'));
  }
  const restrictionId = query.restriction?.trim();
  if (
    restrictionId !== undefined &&
    (await listRestrictionVersions(db, restrictionId)).length === 0
  )
    return err(notFound('restriction', restrictionId, 'restriction'));
  const limit = query.limit ?? BOARD_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > BOARD_MAX_PAGE)
    return err(invalid('limit', `a page of 1 to ${BOARD_MAX_PAGE} seats (got ${limit})`));
  const offset = query.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0)
    return err(invalid('offset', `seats to skip, 0 or more (got ${offset})`));

  const seats = (
    await listBoardSeatViews(db, {
      country,
      fiscalYear: query.fiscalYear,
      status,
      courseId,
      restrictionId,
    })
  ).filter((seat) => seatVisible(actor, seat));
  return ok({
    items: seats.slice(offset, offset + limit),
    total: seats.length,
    limit,
    offset,
    ...countAndSum(seats),
  });
}

function countAndSum(
  seats: readonly SeatView[],
): Pick<SeatBoard, 'byStatus' | 'flagged' | 'totals' | 'courses' | 'restrictions'> {
  const counts = new Map<SeatStatus, number>();
  const courses = new Map<string, { id: string; title: string; seats: number }>();
  const restrictions = new Map<string, { id: string; seats: number }>();
  let flagged = 0;
  let tuitionCents = 0;
  let allowanceCents = 0;
  let penaltiesCents = 0;
  let releasedCents = 0;
  for (const seat of seats) {
    counts.set(seat.status, (counts.get(seat.status) ?? 0) + 1);
    if (seat.flagged) flagged += 1;
    const course = courses.get(seat.courseId) ?? {
      id: seat.courseId,
      title: seat.courseTitle,
      seats: 0,
    };
    course.seats += 1;
    courses.set(seat.courseId, course);
    if (seat.restrictionId !== null) {
      const restriction = restrictions.get(seat.restrictionId) ?? {
        id: seat.restrictionId,
        seats: 0,
      };
      restriction.seats += 1;
      restrictions.set(seat.restrictionId, restriction);
    }
    tuitionCents += seat.tuitionCents;
    allowanceCents += seat.allowanceCents;
    penaltiesCents += seat.penaltyCents;
    if (seat.status === 'cancelled') releasedCents += releasedOnCancel(seat);
  }
  return {
    byStatus: SEAT_STATUSES.flatMap((s) => {
      const n = counts.get(s);
      return n === undefined ? [] : [{ status: s, seats: n }];
    }),
    flagged,
    totals: {
      tuitionCents,
      allowanceCents,
      penaltiesCents,
      releasedCents,
      committedCents: tuitionCents + allowanceCents - releasedCents,
    },
    courses: [...courses.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    restrictions: [...restrictions.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
  };
}

/** What cancelling a seat gives back: its tuition and allowance, less the penalty charged. */
export function releasedOnCancel(seat: {
  readonly tuitionCents: number;
  readonly allowanceCents: number;
  readonly penaltyCents: number;
}): number {
  return seat.tuitionCents + seat.allowanceCents - seat.penaltyCents;
}

/** One field a write changed: its value before and after, as text (null when it had none). */
export interface FieldChange {
  readonly field: string;
  readonly from: string | null;
  readonly to: string | null;
}

/** One write on a seat, from the audit log: who, when, what, why, and what it changed. */
export interface SeatHistoryEntry {
  readonly seq: number;
  readonly recordedAt: string;
  readonly actor: string;
  readonly action: string;
  readonly reason: string | null;
  /** The version the write made, when its audit entry kept it. */
  readonly version: number | null;
  readonly changes: readonly FieldChange[];
}

export interface SeatDetail extends SeatView {
  /** The statuses the seat rules allow next (`cancelled` through POST /seats/{id}/cancel). */
  readonly nextStatuses: readonly SeatStatus[];
  /** The reasons a person may cancel it for now (none when it cannot be cancelled). */
  readonly cancellationReasons: readonly {
    readonly code: CancellationReason;
    readonly label: string;
  }[];
  /** Every write on the seat, oldest first: each made a version of it. */
  readonly history: readonly SeatHistoryEntry[];
}

/** One seat with its next statuses and its history; not found outside the actor's scope. */
export async function seatDetail(
  ctx: AppContext,
  actor: Actor,
  id: string,
): Promise<Result<SeatDetail>> {
  const seat = await findSeatView(ctx.store.db, id);
  if (seat === undefined || !seatVisible(actor, seat)) return err(notFound('seat', id, 'id'));
  const next = nextStatuses(seat.status, seat.previousStatus);
  return ok({
    ...seat,
    nextStatuses: next,
    cancellationReasons: next.includes('cancelled')
      ? (Object.entries(CANCELLATION_REASONS) as [CancellationReason, string][])
          .filter(([code]) => code !== 'us-restriction')
          .map(([code, label]) => ({ code, label }))
      : [],
    history: (await listSeatAudit(ctx.store.db, id)).map(historyEntry),
  });
}

/** Fields of the line and course a seat shows but no seat write changes, and bookkeeping. */
const NOT_CHANGES = new Set([
  'id',
  'lineId',
  'ordinal',
  'country',
  'fiscalYear',
  'program',
  'courseId',
  'courseTitle',
  'schoolId',
  'category',
  'eImet',
  'dedicated',
  'classStart',
  'priority',
  'tuitionCents',
  'allowanceCents',
  'version',
  'updatedAt',
]);

function historyEntry(row: SeatAuditRow): SeatHistoryEntry {
  const before = snapshot(row.before);
  const after = snapshot(row.after);
  // A cascade's entry keeps only what it changed: compare the fields the later state names.
  const fields = Object.keys(after ?? before ?? {}).filter((f) => !NOT_CHANGES.has(f));
  const changes = fields.flatMap((field): FieldChange[] => {
    const from = text(before?.[field]);
    const to = after === null ? null : text(after[field]);
    return from === to ? [] : [{ field, from, to }];
  });
  const version = after?.version;
  return {
    seq: row.seq,
    recordedAt: row.recordedAt,
    actor: row.actor,
    action: row.action,
    reason: row.reason,
    version: typeof version === 'number' ? version : null,
    changes,
  };
}

function snapshot(json: string | null): Record<string, unknown> | null {
  if (json === null) return null;
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
