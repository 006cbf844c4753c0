// The eligibility engine (DESIGN §4.1): a pure function of the recorded restrictions, reliefs and
// notifications (every version) and a query, returning a decision that names every rule it used.
import { dateOfInstant, type IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import {
  RESTRICTION_KINDS,
  type CongressionalNotification,
  type ReliefVersion,
  type RestrictionKind,
  type RestrictionVersion,
} from '../restrictions.js';
import { findReliefRule } from './relief-rules.js';

/** What the engine needs to know about a course a query names. */
export interface CourseFacts {
  readonly id: string;
  readonly schoolId: string;
  readonly eImet: boolean;
}

export interface EligibilityQuery {
  readonly country: string;
  readonly program: ProgramCode;
  readonly on: IsoDate;
  /** Answer from the versions recorded by this instant (ISO 8601, UTC); null: as known now. */
  readonly knownOn?: string | null;
  readonly course?: CourseFacts | null;
}

export interface EligibilityRecords {
  readonly restrictions: readonly RestrictionVersion[];
  readonly reliefs: readonly ReliefVersion[];
  readonly notifications: readonly CongressionalNotification[];
}

export interface DecisionRestriction {
  readonly id: string;
  readonly version: number;
  readonly kind: RestrictionVersion['kind'];
  readonly basis: string;
  readonly authority: string;
  readonly source: string | null;
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  readonly status: 'blocking' | 'relieved';
  /** What happens to the seats the restriction reaches: cancelled or held. */
  readonly seatPolicy: RestrictionVersion['seatPolicy'];
  readonly reliefId: string | null;
  /** The relief used, with its authority and justification; null when none relieves it. */
  readonly relief: DecisionRelief | null;
  /** One sentence saying why the restriction blocks or is relieved. */
  readonly reason: string;
}

export interface DecisionRelief {
  readonly id: string;
  readonly type: ReliefVersion['type'];
  readonly grounds: ReliefVersion['grounds'];
  readonly authority: string;
  readonly justification: string;
  readonly source: string | null;
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  readonly notificationId: string | null;
}

export interface PendingRelief {
  readonly reliefId: string;
  readonly restrictionId: string;
  readonly effectiveFrom: IsoDate;
  readonly reason: string;
}

export interface Decision {
  readonly country: string;
  readonly program: ProgramCode;
  readonly on: IsoDate;
  readonly knownOn: string | null;
  readonly course: string | null;
  readonly eligible: boolean;
  /** Course or school limits of the reliefs (and provisos) the decision relies on. */
  readonly conditions: readonly string[];
  readonly restrictions: readonly DecisionRestriction[];
  readonly pending: readonly PendingRelief[];
}

interface ReliefEntry {
  readonly version: ReliefVersion;
  /** Day keys (see dayKey) of `from` and `until` (Infinity when open), kept on the entry the loop touches. */
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

interface RestrictionEntry {
  readonly version: RestrictionVersion;
  readonly from: number;
  readonly until: number;
  readonly current: boolean;
  /** Relief versions of this restriction, every version, in recording order. */
  readonly reliefs: readonly ReliefEntry[];
}

/**
 * Versions by country and program. `current` holds the unsuperseded versions split by kind, each
 * list sorted by `from`: same-kind current versions never overlap (the database enforces it), so a
 * binary search finds the one that can apply. `all` holds every version, sorted by `from`, for
 * "as known on" questions.
 */
export interface EligibilityIndex {
  /** country → program → one list per kind. */
  readonly current: ReadonlyMap<string, ReadonlyMap<string, readonly KindList[]>>;
  /** country → program → every version. */
  readonly all: ReadonlyMap<string, ReadonlyMap<string, readonly RestrictionEntry[]>>;
  readonly size: number;
}

interface KindList {
  readonly entries: readonly RestrictionEntry[];
  /** Set when the list breaks the no-overlap rule (records not from the database): scan it all. */
  readonly overlapping: boolean;
}

function nested<T>(map: Map<string, Map<string, T>>, k: string): Map<string, T> {
  let inner = map.get(k);
  if (inner === undefined) map.set(k, (inner = new Map<string, T>()));
  return inner;
}

/**
 * Indexes every version of the records by country and program, so a decision never scans
 * unrelated countries.
 */
export function buildEligibilityIndex(records: EligibilityRecords): EligibilityIndex {
  const notifications = new Map(records.notifications.map((n) => [n.id, n]));
  const firstRecorded = new Map<string, string>();
  for (const r of records.reliefs) {
    const seen = firstRecorded.get(r.id);
    if (seen === undefined || r.recordedAt < seen) firstRecorded.set(r.id, r.recordedAt);
  }
  const reliefsByRestriction = new Map<string, ReliefEntry[]>();
  const sortedReliefs = [...records.reliefs].sort(
    (a, b) => cmp(a.recordedAt, b.recordedAt) || cmp(a.id, b.id) || a.version - b.version,
  );
  for (const r of sortedReliefs) {
    const notification =
      r.notificationId === null ? undefined : notifications.get(r.notificationId);
    const wholeScope = Object.fromEntries(
      RESTRICTION_KINDS.map((kind) => [
        kind,
        findReliefRule(kind, r.type, r.grounds)?.wholeScope === true,
      ]),
    ) as Record<RestrictionKind, boolean>;
    const announcedOn =
      notification?.notifiedOn ?? dateOfInstant(firstRecorded.get(r.id) ?? r.recordedAt);
    const entry: ReliefEntry = {
      version: r,
      from: dayKey(r.from),
      until: r.until === null ? Infinity : dayKey(r.until),
      announced: dayKey(announcedOn),
      current: r.supersededAt === null,
      wholeScope,
      notification,
    };
    const list = reliefsByRestriction.get(r.restrictionId) ?? [];
    list.push(entry);
    reliefsByRestriction.set(r.restrictionId, list);
  }
  const currentByKind = new Map<string, Map<string, Map<RestrictionKind, RestrictionEntry[]>>>();
  const all = new Map<string, Map<string, RestrictionEntry[]>>();
  for (const v of records.restrictions) {
    const entry: RestrictionEntry = {
      version: v,
      from: dayKey(v.from),
      until: v.until === null ? Infinity : dayKey(v.until),
      current: v.supersededAt === null,
      reliefs: reliefsByRestriction.get(v.id) ?? [],
    };
    for (const program of v.programs) {
      push(nested(all, v.country), program, entry);
      if (v.supersededAt === null) {
        const programs = nested(currentByKind, v.country);
        let kinds = programs.get(program);
        if (kinds === undefined)
          programs.set(program, (kinds = new Map<RestrictionKind, RestrictionEntry[]>()));
        const list = kinds.get(v.kind);
        if (list === undefined) kinds.set(v.kind, [entry]);
        else list.push(entry);
      }
    }
  }
  const byFrom = (a: RestrictionEntry, b: RestrictionEntry) =>
    cmp(a.version.from, b.version.from) ||
    cmp(a.version.id, b.version.id) ||
    a.version.version - b.version.version;
  for (const programs of all.values()) for (const list of programs.values()) list.sort(byFrom);
  const current = new Map<string, Map<string, KindList[]>>();
  for (const [country, programs] of currentByKind) {
    const byProgram = new Map<string, KindList[]>();
    for (const [program, kinds] of programs) {
      byProgram.set(
        program,
        [...kinds.values()].map((entries) => {
          entries.sort(byFrom);
          const overlapping = entries.some((e, i) => {
            const next = entries[i + 1];
            return (
              next !== undefined &&
              (e.version.until === null || e.version.until > next.version.from)
            );
          });
          return { entries, overlapping };
        }),
      );
    }
    current.set(country, byProgram);
  }
  return { current, all, size: records.restrictions.length + records.reliefs.length };
}

function push<T>(map: Map<string, T[]>, k: string, value: T): void {
  const list = map.get(k);
  if (list === undefined) map.set(k, [value]);
  else list.push(value);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function knownAt<T extends { readonly recordedAt: string; readonly supersededAt: string | null }>(
  v: T,
  knownOn: string | null,
): boolean {
  if (knownOn === null) return v.supersededAt === null;
  return v.recordedAt <= knownOn && (v.supersededAt === null || v.supersededAt > knownOn);
}

/**
 * An order-preserving number for a calendar date (not a day count): comparing keys compares dates,
 * without touching the strings behind the records on the hot path.
 */
function dayKey(date: IsoDate): number {
  const year =
    (date.charCodeAt(0) - 48) * 1000 +
    (date.charCodeAt(1) - 48) * 100 +
    (date.charCodeAt(2) - 48) * 10 +
    (date.charCodeAt(3) - 48);
  const month = (date.charCodeAt(5) - 48) * 10 + (date.charCodeAt(6) - 48);
  const day = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48);
  return year * 512 + month * 32 + day;
}

function inForce(v: { readonly from: number; readonly until: number }, on: number): boolean {
  return v.from <= on && on < v.until;
}

function knownEntry(
  e: {
    readonly current: boolean;
    readonly version: { readonly recordedAt: string; readonly supersededAt: string | null };
  },
  knownOn: string | null,
): boolean {
  return knownOn === null ? e.current : knownAt(e.version, knownOn);
}

function covers(relief: ReliefEntry, kind: RestrictionKind, program: ProgramCode): boolean {
  return relief.wholeScope[kind] || relief.version.programs.includes(program);
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
    notificationId: v.notificationId,
  };
}

function span(v: { readonly from: IsoDate; readonly until: IsoDate | null }): string {
  return v.until === null ? `from ${v.from}` : `from ${v.from} until ${v.until}`;
}

const NONE: readonly RestrictionEntry[] = [];

/** The current versions in force on `on`: at most one per kind, found by binary search. */
function inForceNow(
  kinds: readonly KindList[] | undefined,
  on: number,
): readonly RestrictionEntry[] {
  if (kinds === undefined) return NONE;
  let found: RestrictionEntry[] | undefined;
  for (const { entries, overlapping } of kinds) {
    if (overlapping) {
      for (const e of entries) if (inForce(e, on)) (found ??= []).push(e);
      continue;
    }
    // The last entry starting on or before `on`.
    let lo = 0;
    let hi = entries.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (entries[mid]!.from <= on) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const e = at < 0 ? undefined : entries[at];
    if (e !== undefined && on < e.until) (found ??= []).push(e);
  }
  if (found === undefined) return NONE;
  if (found.length > 1) {
    found.sort((a, b) => cmp(a.version.from, b.version.from) || cmp(a.version.id, b.version.id));
  }
  return found;
}

/**
 * Decides one query: eligible iff every restriction applicable on that date (same country, program
 * in scope, date in [from, until)) is relieved by a relief in force that covers the program (and
 * the course). Deterministic; answers "as known on" `knownOn` from the versions recorded by then.
 * @example decide(index, { country: 'PAK', program: 'IMET', on: '2020-01-04' }).eligible // true
 */
export function decide(index: EligibilityIndex, query: EligibilityQuery): Decision {
  const knownOn = query.knownOn ?? null;
  const course = query.course ?? null;
  const { on, program } = query;
  const onKey = dayKey(on);
  const candidates =
    knownOn === null
      ? inForceNow(index.current.get(query.country)?.get(program), onKey)
      : (index.all.get(query.country)?.get(program) ?? NONE);
  const restrictions: DecisionRestriction[] = [];
  const conditions: string[] = [];
  const pending: PendingRelief[] = [];
  for (const entry of candidates) {
    const r = entry.version;
    if (entry.from > onKey) break;
    if (!inForce(entry, onKey) || !knownEntry(entry, knownOn)) continue;
    let used: ReliefEntry | undefined;
    let excludedByCourse: ReliefEntry | undefined;
    let lastEnded: ReliefEntry | undefined;
    for (const relief of entry.reliefs) {
      if (!knownEntry(relief, knownOn) || !covers(relief, r.kind, program)) continue;
      const rv = relief.version;
      if (inForce(relief, onKey)) {
        if (course !== null && !courseAllowed(rv, course)) excludedByCourse = relief;
        else if (used === undefined) used = relief;
      } else if (relief.from > onKey && relief.announced <= onKey) {
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
        relief.until <= onKey &&
        (lastEnded === undefined || relief.until > lastEnded.until)
      ) {
        lastEnded = relief;
      }
    }
    const head = `${r.kind} restriction ${r.id} (${r.basis}) ${span(r)}`;
    if (used !== undefined) {
      const limit = reliefLimit(used.version);
      if (limit !== null && course === null) conditions.push(limit);
      restrictions.push(
        decision(
          r,
          'relieved',
          used,
          `${head}: relieved for ${program} by ${used.version.type} ${used.version.id} ${span(used.version)} (${used.version.authority})`,
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
          ),
        );
        continue;
      }
      if (r.courseFilter === 'E-IMET' && course.eImet) {
        restrictions.push(
          decision(r, 'relieved', undefined, `${head}: course ${course.id} is an E-IMET course`),
        );
        continue;
      }
      restrictions.push(
        decision(
          r,
          'blocking',
          undefined,
          `${head}: course ${course.id} is not an ${r.courseFilter} course`,
        ),
      );
      continue;
    }
    let why = 'no relief in force';
    if (excludedByCourse !== undefined) {
      why = `${excludedByCourse.version.type} ${excludedByCourse.version.id} allows ${reliefLimit(excludedByCourse.version) ?? 'other courses'}, not course ${course?.id ?? ''} at ${course?.schoolId ?? ''}`;
    } else if (lastEnded !== undefined) {
      why = `no relief in force: ${lastEnded.version.type} ${lastEnded.version.id} for ${program} ended ${lastEnded.version.until ?? ''}`;
    }
    restrictions.push(decision(r, 'blocking', undefined, `${head}: blocks ${program}; ${why}`));
  }
  return {
    country: query.country,
    program,
    on,
    knownOn,
    course: course?.id ?? null,
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
    status,
    seatPolicy: r.seatPolicy,
    reliefId: relief?.version.id ?? null,
    relief: relief === undefined ? null : describeRelief(relief.version),
    reason,
  };
}
