// The restriction impact report (DESIGN §5): the seats a restriction or a relief reached, their
// students and money, by status and by course, and every seat.
import { shownDate } from '../date-precision.js';
import type { IsoDate } from '../dates.js';
import { formatUsd } from '../money.js';
import type { ReliefVersion, RestrictionVersion } from '../restrictions.js';
import {
  dateCell,
  fileStem,
  totalsRow,
  type Cell,
  type ReportColumn,
  type ReportDocument,
} from './report-document.js';

/** What the report reads of a seat (a seat view as the store lists it). */
export interface ImpactSeat {
  readonly id: string;
  readonly fiscalYear: number;
  readonly program: string;
  readonly courseId: string;
  readonly courseTitle: string;
  readonly schoolId: string;
  readonly classStart: IsoDate;
  readonly status: string;
  readonly flagged: boolean;
  readonly cancelledOn: IsoDate | null;
  readonly heldOn: IsoDate | null;
  readonly flaggedOn: IsoDate | null;
  readonly restrictionId: string | null;
  readonly studentId: string | null;
  readonly tuitionCents: number;
  readonly allowanceCents: number;
  readonly penaltyCents: number;
}

export type ImpactSubject =
  | { readonly kind: 'restriction'; readonly restriction: RestrictionVersion }
  | {
      readonly kind: 'relief';
      readonly relief: ReliefVersion;
      readonly restriction: RestrictionVersion;
    };

const SET_ASIDE = new Set(['cancelled', 'held']);

/**
 * The seats a relief reached: seats of its restriction, in its programs (and courses or schools
 * when it names them), that its end cancelled, held or flagged on its last day, and seats it
 * released when it took effect (held seats back in their earlier status, class from its start).
 */
export function seatsOfRelief<S extends ImpactSeat>(
  relief: ReliefVersion,
  seats: readonly S[],
): S[] {
  const covered = (s: S) =>
    s.restrictionId === relief.restrictionId &&
    (relief.programs as readonly string[]).includes(s.program) &&
    (relief.courseIds === null || relief.courseIds.includes(s.courseId)) &&
    (relief.schoolIds === null || relief.schoolIds.includes(s.schoolId));
  const endedOn = relief.until;
  const reachedByEnd = (s: S) =>
    endedOn !== null &&
    (s.cancelledOn === endedOn || s.heldOn === endedOn || (s.flagged && s.flaggedOn === endedOn));
  const released = (s: S) =>
    !SET_ASIDE.has(s.status) &&
    !s.flagged &&
    s.classStart >= relief.from &&
    (endedOn === null || s.classStart < endedOn);
  return seats.filter((s) => covered(s) && (reachedByEnd(s) || released(s)));
}

/** A seat's status as the report groups it: a seat flagged for a decision counts as flagged. */
export function impactStatus(seat: ImpactSeat): string {
  return seat.flagged ? 'flagged' : seat.status;
}

/** Money a cancelled seat gave back: its tuition and allowance less any penalty. */
export function releasedCents(seat: ImpactSeat): number {
  return seat.status === 'cancelled'
    ? seat.tuitionCents + seat.allowanceCents - seat.penaltyCents
    : 0;
}

function reachedOn(seat: ImpactSeat): IsoDate | null {
  if (seat.flagged) return seat.flaggedOn;
  return seat.status === 'cancelled'
    ? seat.cancelledOn
    : seat.status === 'held'
      ? seat.heldOn
      : null;
}

const GROUP_COLUMNS: readonly ReportColumn[] = [
  { header: 'Seats', kind: 'count' },
  { header: 'Students', kind: 'count' },
  { header: 'Tuition and allowance', kind: 'money' },
  { header: 'Released', kind: 'money' },
  { header: 'Penalties', kind: 'money' },
];

/** Seats, distinct students and money of a group of seats, in GROUP_COLUMNS order. */
function groupCells(seats: readonly ImpactSeat[]): Cell[] {
  const students = new Set(seats.flatMap((s) => (s.studentId === null ? [] : [s.studentId])));
  const sum = (f: (s: ImpactSeat) => number) => seats.reduce((total, s) => total + f(s), 0);
  return [
    seats.length,
    students.size,
    sum((s) => s.tuitionCents + s.allowanceCents),
    sum(releasedCents),
    sum((s) => (s.status === 'cancelled' ? s.penaltyCents : 0)),
  ];
}

function groupBy<K>(seats: readonly ImpactSeat[], key: (s: ImpactSeat) => K): Map<K, ImpactSeat[]> {
  const groups = new Map<K, ImpactSeat[]>();
  for (const seat of seats) groups.set(key(seat), [...(groups.get(key(seat)) ?? []), seat]);
  return groups;
}

/** The totals row of a grouped table: its seats and money summed, its students counted once. */
function groupTotals(
  columns: readonly ReportColumn[],
  rows: readonly Cell[][],
  seats: readonly ImpactSeat[],
): Cell[] {
  const totals = totalsRow('Total', columns, rows);
  const studentsAt = columns.findIndex((c) => c.header === 'Students');
  if (studentsAt >= 0) totals[studentsAt] = groupCells(seats)[1]!;
  return totals;
}

/** A record's interval as a sentence, each date to its known precision. */
function interval(
  record: Pick<RestrictionVersion, 'from' | 'until' | 'dateQuality' | 'untilQuality'>,
): string {
  const from = shownDate(record.from, record.dateQuality);
  return record.until === null
    ? `from ${from} (open)`
    : `from ${from} until ${shownDate(record.until, record.untilQuality)}`;
}

function describe(
  subject: ImpactSubject,
  countryName: string,
): { title: string; about: string; id: string } {
  const r = subject.restriction;
  const restriction = `${r.kind} restriction of ${r.scope.join(', ')} ${interval(r)}`;
  if (subject.kind === 'restriction')
    return {
      title: `Restriction impact: ${r.id}`,
      about: `${countryName}: ${restriction}`,
      id: r.id,
    };
  const e = subject.relief;
  return {
    title: `Relief impact: ${e.id}`,
    about: `${countryName}: ${e.type} for ${e.programs.join(', ')}${e.scopeStated ? '' : ' (scope not stated in its source)'} ${interval(e)}, relieving ${r.id} (${restriction})`,
    id: e.id,
  };
}

/**
 * The impact report of a restriction or relief over the seats it reached (as the caller sees
 * them), drawn on `asOf`. Students are counted once in every total, however many seats they hold.
 */
export function buildImpactReport(
  subject: ImpactSubject,
  countryName: string,
  seats: readonly ImpactSeat[],
  asOf: IsoDate,
): ReportDocument {
  const { title, about, id } = describe(subject, countryName);
  const statusColumns: ReportColumn[] = [{ header: 'Status', kind: 'text' }, ...GROUP_COLUMNS];
  const statusRows = [...groupBy(seats, impactStatus).entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([status, group]): Cell[] => [status, ...groupCells(group)]);
  const courseColumns: ReportColumn[] = [
    { header: 'Course', kind: 'text' },
    { header: 'Title', kind: 'text', weight: 3 },
    ...GROUP_COLUMNS,
  ];
  const courseRows = [...groupBy(seats, (s) => s.courseId).entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([course, group]): Cell[] => [course, group[0]!.courseTitle, ...groupCells(group)]);
  const seatColumns: ReportColumn[] = [
    { header: 'Seat', kind: 'text', weight: 1.6 },
    { header: 'Course', kind: 'text' },
    { header: 'FY', kind: 'text' },
    { header: 'Program', kind: 'text' },
    { header: 'Class start', kind: 'date' },
    { header: 'Status', kind: 'text' },
    { header: 'Reached on', kind: 'date' },
    { header: 'Student', kind: 'text', weight: 1.4 },
    { header: 'Tuition and allowance', kind: 'money' },
    { header: 'Released', kind: 'money' },
    { header: 'Penalty', kind: 'money' },
  ];
  const seatRows = seats.map((s): Cell[] => [
    s.id,
    s.courseId,
    `FY${s.fiscalYear}`,
    s.program,
    dateCell(s.classStart),
    impactStatus(s),
    dateCell(reachedOn(s)),
    s.studentId,
    s.tuitionCents + s.allowanceCents,
    releasedCents(s),
    s.status === 'cancelled' ? s.penaltyCents : 0,
  ]);
  const released = seats.reduce((sum, s) => sum + releasedCents(s), 0);
  return {
    kind: 'impact',
    title,
    subtitle: `${about} · as of ${asOf}`,
    asOf,
    fileStem: fileStem(subject.kind, 'impact', id, asOf),
    orientation: 'landscape',
    sections: [
      {
        heading: 'By status',
        note: `${seats.length} seats reached, ${formatUsd(released)} released. A flagged seat (class under way) waits for a decision; money is released only by a cancellation.`,
        columns: statusColumns,
        rows: statusRows,
        totals: groupTotals(statusColumns, statusRows, seats),
      },
      {
        heading: 'By course',
        columns: courseColumns,
        rows: courseRows,
        totals: groupTotals(courseColumns, courseRows, seats),
      },
      {
        heading: 'Seats',
        note: 'Reached on: the day the seat was cancelled, held or flagged (the day eligibility turned).',
        columns: seatColumns,
        rows: seatRows,
        totals: totalsRow('Total', seatColumns, seatRows),
      },
    ],
  };
}
