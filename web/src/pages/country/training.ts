// The training list of a fiscal year as the country page shows it: the seats the API listed,
// grouped by their line, and counted by status. Counting only: every status is the API's.
import type { Seat } from './api.js';

export interface LineView {
  readonly lineId: string;
  readonly courseId: string;
  readonly courseTitle: string;
  readonly schoolId: string;
  readonly program: string;
  readonly priority: string;
  readonly classStart: string;
  readonly seats: number;
  readonly byStatus: readonly (readonly [string, number])[];
}

/** The order statuses are shown in: the path a seat takes, then its ways off it. */
export const STATUS_ORDER = [
  'planned',
  'programmed',
  'nominated',
  'cleared',
  'ito-issued',
  'in-training',
  'completed',
  'not-completed',
  'held',
  'cancelled',
] as const satisfies readonly Seat['status'][];

/** Seats counted by status, in the order of a seat's path; a status with no seat is left out. */
export function countByStatus(seats: readonly Seat[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const seat of seats) counts.set(seat.status, (counts.get(seat.status) ?? 0) + 1);
  const known: readonly string[] = STATUS_ORDER;
  const rank = (status: string) => (known.includes(status) ? known.indexOf(status) : known.length);
  return [...counts.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
}

/** The lines of the seats, in the order the API listed them (class start, then line). */
export function linesOf(seats: readonly Seat[]): LineView[] {
  const groups = new Map<string, Seat[]>();
  for (const seat of seats) {
    const group = groups.get(seat.lineId) ?? [];
    group.push(seat);
    groups.set(seat.lineId, group);
  }
  return [...groups.entries()].map(([lineId, group]) => {
    const first = group[0] as Seat;
    return {
      lineId,
      courseId: first.courseId,
      courseTitle: first.courseTitle,
      schoolId: first.schoolId,
      program: first.program,
      priority: first.priority,
      classStart: first.classStart,
      seats: group.length,
      byStatus: countByStatus(group),
    };
  });
}
