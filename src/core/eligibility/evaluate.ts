// The rule of DESIGN §4.1 applied to the restrictions in force on one day: which block, which are
// relieved (and by what), which reliefs are pending, with a sentence for each.
import type { IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import { shownDate } from '../date-precision.js';
import type {
  CongressionalNotification,
  DateQuality,
  ReliefVersion,
  RestrictionKind,
  RestrictionVersion,
} from '../restrictions.js';
import type {
  CourseFacts,
  Decision,
  DecisionRelief,
  DecisionRestriction,
  PendingRelief,
} from './decision.js';

/** A relief version as the index keeps it, with what the evaluation reads precomputed. */
export interface ReliefEntry {
  readonly version: ReliefVersion;
  /** Day keys (see dayKey) of `from` and `until` (Infinity when open). */
  readonly from: number;
  readonly until: number;
  /** Day key of the first day the relief was known: its notification date, else when first recorded. */
  readonly announced: number;
  readonly current: boolean;
  /**
   * Whether the relief ends its restriction for the whole scope, by the restriction's kind: judged
   * against the kind of the restriction version in question, since a correction may change the kind.
   */
  readonly wholeScope: Readonly<Record<RestrictionKind, boolean>>;
  readonly notification: CongressionalNotification | undefined;
}

/** A restriction version as the index keeps it, with every version of its reliefs. */
export interface RestrictionEntry {
  readonly version: RestrictionVersion;
  readonly from: number;
  readonly until: number;
  readonly current: boolean;
  /** Relief versions of this restriction, every version, in recording order. */
  readonly reliefs: readonly ReliefEntry[];
  /** The report to Congress its end waits on (a terrorism-list rescission). */
  readonly liftNotification?: CongressionalNotification | undefined;
}

/** A decision without the query's own fields: what the records say for one program on one day. */
export type DecisionBody = Pick<Decision, 'eligible' | 'conditions' | 'restrictions' | 'pending'>;

export const NO_RESTRICTIONS: DecisionBody = Object.freeze({
  eligible: true,
  conditions: Object.freeze([]),
  restrictions: Object.freeze([]),
  pending: Object.freeze([]),
});

/**
 * An order-preserving number for a calendar date (not a day count): comparing keys compares dates,
 * without touching the strings behind the records on the hot path.
 */
export function dayKey(date: IsoDate): number {
  const year =
    (date.charCodeAt(0) - 48) * 1000 +
    (date.charCodeAt(1) - 48) * 100 +
    (date.charCodeAt(2) - 48) * 10 +
    (date.charCodeAt(3) - 48);
  const month = (date.charCodeAt(5) - 48) * 10 + (date.charCodeAt(6) - 48);
  const day = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48);
  return year * 512 + month * 32 + day;
}

export function inForce(v: { readonly from: number; readonly until: number }, on: number): boolean {
  return v.from <= on && on < v.until;
}

/** Whether a version was the one on record at `knownOn` (null: now). */
export function knownEntry(
  e: {
    readonly current: boolean;
    readonly version: { readonly recordedAt: string; readonly supersededAt: string | null };
  },
  knownOn: string | null,
): boolean {
  if (knownOn === null) return e.current;
  const v = e.version;
  return v.recordedAt <= knownOn && (v.supersededAt === null || v.supersededAt > knownOn);
}

export function covers(relief: ReliefEntry, kind: RestrictionKind, program: ProgramCode): boolean {
  return relief.wholeScope[kind] || relief.version.programs.includes(program);
}

/** Whether a relief limits the courses it allows. */
export function limitsCourses(v: ReliefVersion): boolean {
  return (
    (v.schoolIds !== null && v.schoolIds.length > 0) ||
    (v.courseIds !== null && v.courseIds.length > 0)
  );
}

/** The limit a relief puts on courses, as a sentence; null when it has none. */
function reliefLimit(v: ReliefVersion): string | null {
  const parts: string[] = [];
  if (v.schoolIds !== null && v.schoolIds.length > 0)
    parts.push(`courses at ${v.schoolIds.join(' or ')}`);
  if (v.courseIds !== null && v.courseIds.length > 0)
    parts.push(`courses ${v.courseIds.join(', ')}`);
  return parts.length === 0 ? null : `only ${parts.join(' or ')} (${v.type} ${v.id})`;
}

function courseAllowed(v: ReliefVersion, course: CourseFacts): boolean {
  const bySchool = v.schoolIds !== null && v.schoolIds.length > 0;
  const byCourse = v.courseIds !== null && v.courseIds.length > 0;
  if (!bySchool && !byCourse) return true;
  return (
    (bySchool && v.schoolIds.includes(course.schoolId)) ||
    (byCourse && v.courseIds.includes(course.id))
  );
}

function describeRelief(v: ReliefVersion): DecisionRelief {
  return {
    id: v.id,
    type: v.type,
    grounds: v.grounds,
    authority: v.authority,
    justification: v.justification,
    source: v.source,
    from: v.from,
    until: v.until,
    fromQuality: v.dateQuality,
    untilQuality: v.untilQuality,
    notificationId: v.notificationId,
  };
}

/** "from D until U", each date as precisely as it is known (never a day for a month). */
function span(v: {
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  readonly dateQuality: DateQuality | null;
  readonly untilQuality: DateQuality | null;
}): string {
  const from = `from ${shownDate(v.from, v.dateQuality)}`;
  return v.until === null ? from : `${from} until ${shownDate(v.until, v.untilQuality)}`;
}

/**
 * Applies the rule to `entries` (restriction versions of one country and program, sorted by start):
 * those on record at `knownOn` and in force on `on` apply; each is relieved by a relief on record
 * and in force that covers the program (and allows the course), else it blocks.
 */
export function evaluate(
  entries: readonly RestrictionEntry[],
  program: ProgramCode,
  on: number,
  knownOn: string | null,
  course: CourseFacts | null,
): DecisionBody {
  const restrictions: DecisionRestriction[] = [];
  const conditions: string[] = [];
  const pending: PendingRelief[] = [];
  for (const entry of entries) {
    const r = entry.version;
    if (!inForce(entry, on) || !knownEntry(entry, knownOn)) continue;
    let used: ReliefEntry | undefined;
    let excludedByCourse: ReliefEntry | undefined;
    let lastEnded: ReliefEntry | undefined;
    let unstated: ReliefEntry | undefined;
    for (const relief of entry.reliefs) {
      if (!knownEntry(relief, knownOn) || !covers(relief, r.kind, program)) continue;
      const rv = relief.version;
      if (!rv.scopeStated) {
        // Its source does not say which programs it covers: named, never relied on.
        if (inForce(relief, on)) unstated = relief;
        continue;
      }
      if (inForce(relief, on)) {
        if (course !== null && !courseAllowed(rv, course)) excludedByCourse = relief;
        else if (used === undefined) used = relief;
      } else if (relief.from > on && relief.announced <= on) {
        pending.push({
          reliefId: rv.id,
          restrictionId: r.id,
          effectiveFrom: rv.from,
          reason:
            relief.notification !== undefined
              ? `${rv.type} ${rv.id} for ${program}: Congress notified ${relief.notification.notifiedOn}, waiting period of ${relief.notification.waitDays} days ends ${rv.from}`
              : `${rv.type} ${rv.id} for ${program} recorded, in force from ${rv.from}`,
        });
      } else if (
        relief.until <= on &&
        (lastEnded === undefined || relief.until > lastEnded.until)
      ) {
        lastEnded = relief;
      }
    }
    const lift =
      entry.liftNotification !== undefined && r.until !== null
        ? ` (rescission reported to Congress ${entry.liftNotification.notifiedOn}, in effect from ${r.until})`
        : '';
    const head = `${r.kind} restriction ${r.id} (${r.basis}) ${span(r)}${lift}`;
    if (used !== undefined) {
      // The limit holds with a course too: the course is allowed because it meets it.
      const limit = reliefLimit(used.version);
      if (limit !== null) conditions.push(limit);
      restrictions.push(
        decision(
          r,
          'relieved',
          used,
          `${head}: relieved for ${program} by ${used.version.type} ${used.version.id} ${span(used.version)} (${used.version.authority})`,
          entry,
        ),
      );
      continue;
    }
    if (r.kind === 'proviso' && r.courseFilter !== null) {
      const limit = `only ${r.courseFilter} courses (proviso ${r.id})`;
      if (course === null) {
        conditions.push(limit);
        restrictions.push(
          decision(
            r,
            'relieved',
            undefined,
            `${head}: ${program} allowed for ${r.courseFilter} courses only`,
            entry,
          ),
        );
        continue;
      }
      if (r.courseFilter === 'E-IMET' && course.eImet) {
        conditions.push(limit);
        restrictions.push(
          decision(
            r,
            'relieved',
            undefined,
            `${head}: course ${course.id} is an E-IMET course`,
            entry,
          ),
        );
        continue;
      }
      restrictions.push(
        decision(
          r,
          'blocking',
          undefined,
          `${head}: course ${course.id} is not an ${r.courseFilter} course`,
          entry,
        ),
      );
      continue;
    }
    let why = 'no relief in force';
    if (excludedByCourse !== undefined) {
      why = `${excludedByCourse.version.type} ${excludedByCourse.version.id} allows ${reliefLimit(excludedByCourse.version) ?? 'other courses'}, not course ${course?.id ?? ''} at ${course?.schoolId ?? ''}`;
    } else if (unstated !== undefined) {
      const u = unstated.version;
      why = `${u.type} ${u.id} ${span(u)} is on record, but its source does not say which programs it covers, so it is not relied on for ${program}`;
    } else if (lastEnded !== undefined) {
      why = `no relief in force: ${lastEnded.version.type} ${lastEnded.version.id} for ${program} ended ${shownDate(lastEnded.version.until ?? '', lastEnded.version.untilQuality)}`;
    }
    restrictions.push(
      decision(r, 'blocking', undefined, `${head}: blocks ${program}; ${why}`, entry),
    );
  }
  if (restrictions.length === 0 && pending.length === 0) return NO_RESTRICTIONS;
  return {
    eligible: restrictions.every((r) => r.status === 'relieved'),
    conditions,
    restrictions,
    pending,
  };
}

function decision(
  r: RestrictionVersion,
  status: 'blocking' | 'relieved',
  relief: ReliefEntry | undefined,
  reason: string,
  entry: RestrictionEntry,
): DecisionRestriction {
  return {
    id: r.id,
    version: r.version,
    kind: r.kind,
    basis: r.basis,
    authority: r.authority,
    source: r.source,
    from: r.from,
    until: r.until,
    fromQuality: r.dateQuality,
    untilQuality: r.untilQuality,
    liftNotifiedOn: entry.liftNotification?.notifiedOn ?? null,
    status,
    seatPolicy: r.seatPolicy,
    reliefId: relief?.version.id ?? null,
    relief: relief === undefined ? null : describeRelief(relief.version),
    reason,
  };
}
