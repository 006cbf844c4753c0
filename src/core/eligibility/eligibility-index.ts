// The eligibility index: every version of the records cut, per country and program, into spans of
// days on which nothing changes, each holding the versions in force then and the decisions worked
// out for it, one per state of knowledge asked about.
import { dateOfInstant, type IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import {
  RESTRICTION_KINDS,
  type CongressionalNotification,
  type ReliefVersion,
  type RestrictionKind,
  type RestrictionVersion,
} from '../restrictions.js';
import type { CoverageNote, EligibilityRecords } from './decision.js';
import {
  NO_RESTRICTIONS,
  covers,
  dayKey,
  evaluate,
  inForce,
  knownEntry,
  limitsCourses,
  type DecisionBody,
  type ReliefEntry,
  type RestrictionEntry,
} from './evaluate.js';
import { findReliefRule } from './relief-rules.js';
import { shownDate, uncertainDays } from '../date-precision.js';

/**
 * One country and program. Every date a version (or a relief of it) starts, ends or is announced
 * is a boundary; between two boundaries the same versions are in force, so one binary search
 * finds a date's span, and an answer for that span holds for each of its days.
 */
export interface ProgramTimeline {
  /** Boundaries as day keys, ascending; span i covers [bounds[i-1], bounds[i]) (span 0 starts at the dawn of time). */
  readonly bounds: Int32Array;
  /** Every version (of any recording time) of the program, by start. */
  readonly sorted: readonly RestrictionEntry[];
  /**
   * Per span: the versions in force on its days, by start (see entriesOf), worked out when the
   * span is first asked about: a rebuild after a write costs the boundaries, not spans × versions.
   */
  readonly entries: (readonly RestrictionEntry[] | undefined)[];
  /** Per span: what the span's versions say at each state of knowledge asked about so far. */
  readonly kept: (SpanDecisions | undefined)[];
  /** Per span: the decision as known now, kept apart from the others for the commonest question. */
  readonly now: (Kept | undefined)[];
  readonly program: ProgramCode;
  /** Starts and ends known only to the month, year or roughly, with the days they may stand for. */
  readonly imprecise: readonly ImpreciseBoundary[];
}

/** A start or end of a version whose day is not known: a decision within its days rests on it. */
export interface ImpreciseBoundary {
  /** Day keys of the first and last day the boundary may stand for. */
  readonly first: number;
  readonly last: number;
  /** The version (restriction or relief) whose boundary it is, for "as known on". */
  readonly entry: {
    readonly current: boolean;
    readonly version: { readonly recordedAt: string; readonly supersededAt: string | null };
  };
  /** What it is, e.g. "terrorism restriction rst_lby ended 2006 (year only)". */
  readonly note: string;
}

/**
 * The decisions of one span. What is on record changes only at the instants its versions were
 * recorded or superseded: between two of them (an epoch) every "as known on" answer is the same.
 */
interface SpanDecisions {
  /** Recording and superseding instants of the span's versions and their reliefs, ascending. */
  readonly instants: readonly string[];
  /** Epoch (instants on or before the knowledge instant) → decision without a course, and whether a course changes it. */
  readonly byEpoch: Map<number, Kept>;
}

/** A decision without a course, and whether a course would change it. */
interface Kept {
  readonly body: DecisionBody;
  readonly anyCourse: boolean;
}

export interface EligibilityIndex {
  /** country → program → its timeline; absent when no restriction ever named the program. */
  readonly timelines: ReadonlyMap<string, ReadonlyMap<string, ProgramTimeline>>;
  readonly size: number;
  /** Versions (restrictions and reliefs) by country, so a rebuild of some countries keeps `size` true. */
  readonly sizes: ReadonlyMap<string, number>;
  /** The last instant a version was recorded or superseded; null when nothing was recorded. */
  readonly recordedThrough: string | null;
  /** Where the recorded history is partial, for a country and date (see history/coverage.ts). */
  readonly coverage?: ((country: string, on: IsoDate) => CoverageNote | null) | undefined;
}

/** The span holding day key `on`: the number of boundaries on or before it. */
export function spanOf(bounds: Int32Array, on: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bounds[mid]! <= on) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The versions in force on the days of span `span`, by start: those starting on or before its
 * first day and ending after it (every start and end is a boundary, so none changes within it).
 */
export function entriesOf(timeline: ProgramTimeline, span: number): readonly RestrictionEntry[] {
  const kept = timeline.entries[span];
  if (kept !== undefined) return kept;
  const found: RestrictionEntry[] = [];
  if (span > 0) {
    const start = timeline.bounds[span - 1]!;
    for (const e of timeline.sorted) {
      if (e.from > start) break;
      if (e.until > start) found.push(e);
    }
  }
  timeline.entries[span] = found;
  return found;
}

/** The calendar date of a day key (the inverse of dayKey). */
function dateOfKey(key: number): IsoDate {
  const year = Math.floor(key / 512);
  const month = Math.floor((key % 512) / 32);
  const day = key % 32;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as IsoDate;
}

/**
 * The dates, ascending, on which a decision for `program` of `country` may change: between two of
 * them (and before the first) every decision, with or without a course, is the same.
 */
export function changeDates(
  index: EligibilityIndex,
  country: string,
  program: ProgramCode,
): IsoDate[] {
  const bounds = index.timelines.get(country)?.get(program)?.bounds;
  return bounds === undefined ? [] : Array.from(bounds, dateOfKey);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Relief versions by restriction id, in recording order, with their keys and rules precomputed. */
function reliefEntries(records: EligibilityRecords): Map<string, ReliefEntry[]> {
  const notifications = new Map(records.notifications.map((n) => [n.id, n]));
  const firstRecorded = new Map<string, string>();
  for (const r of records.reliefs) {
    const seen = firstRecorded.get(r.id);
    if (seen === undefined || r.recordedAt < seen) firstRecorded.set(r.id, r.recordedAt);
  }
  const byRestriction = new Map<string, ReliefEntry[]>();
  const sorted = [...records.reliefs].sort(
    (a, b) => cmp(a.recordedAt, b.recordedAt) || cmp(a.id, b.id) || a.version - b.version,
  );
  for (const r of sorted) {
    const notification =
      r.notificationId === null ? undefined : notifications.get(r.notificationId);
    const wholeScope = Object.fromEntries(
      RESTRICTION_KINDS.map((kind) => [
        kind,
        findReliefRule(kind, r.type, r.grounds, r.programs)?.wholeScope === true,
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
    const list = byRestriction.get(r.restrictionId);
    if (list === undefined) byRestriction.set(r.restrictionId, [entry]);
    else list.push(entry);
  }
  return byRestriction;
}

/**
 * Indexes every version of the records by country and program, so a decision never scans
 * unrelated countries, and cuts each program's record into spans (see ProgramTimeline).
 */
export function buildEligibilityIndex(
  records: EligibilityRecords,
  coverage?: EligibilityIndex['coverage'],
  /** Build only these programs' timelines of a country (all when absent). */
  only?: (country: string) => ReadonlySet<string> | undefined,
  /**
   * Entries of an index built before, by the version they hold: one is taken again for the same
   * version (the same object) when its reliefs and notifications are the same objects as well.
   */
  earlier?: ReadonlyMap<RestrictionVersion, RestrictionEntry>,
): EligibilityIndex {
  // Narrowed: only the versions of a wanted program, and their reliefs, are looked at.
  const restrictions =
    only === undefined
      ? records.restrictions
      : records.restrictions.filter((v) => {
          const wanted = only(v.country);
          return wanted === undefined || v.programs.some((program) => wanted.has(program));
        });
  const notifications = new Map(records.notifications.map((n) => [n.id, n]));
  const reused =
    earlier === undefined
      ? undefined
      : entriesStillHeld(restrictions, records, notifications, earlier);
  // The reliefs of the versions whose entries are built anew.
  const ids =
    only === undefined && reused === undefined
      ? undefined
      : new Set(restrictions.filter((v) => reused?.has(v) !== true).map((v) => v.id));
  const reliefs = reliefEntries(
    ids === undefined
      ? records
      : { ...records, reliefs: records.reliefs.filter((r) => ids.has(r.restrictionId)) },
  );
  const byProgram = new Map<string, Map<string, RestrictionEntry[]>>();
  for (const v of restrictions) {
    const entry: RestrictionEntry = reused?.get(v) ?? {
      version: v,
      from: dayKey(v.from),
      until: v.until === null ? Infinity : dayKey(v.until),
      current: v.supersededAt === null,
      reliefs: reliefs.get(v.id) ?? [],
      liftNotification:
        v.liftNotificationId === null ? undefined : notifications.get(v.liftNotificationId),
    };
    let programs = byProgram.get(v.country);
    if (programs === undefined)
      byProgram.set(v.country, (programs = new Map<string, RestrictionEntry[]>()));
    for (const program of v.programs) {
      const list = programs.get(program);
      if (list === undefined) programs.set(program, [entry]);
      else list.push(entry);
    }
  }
  const timelines = new Map<string, Map<string, ProgramTimeline>>();
  for (const [country, programs] of byProgram) {
    const built = new Map<string, ProgramTimeline>();
    const wanted = only?.(country);
    for (const [program, entries] of programs)
      if (wanted === undefined || wanted.has(program))
        built.set(program, buildTimeline(entries, program as ProgramCode));
    timelines.set(country, built);
  }
  return {
    timelines,
    size: records.restrictions.length + records.reliefs.length,
    sizes: sizesByCountry(records),
    recordedThrough: lastRecorded(records, null),
    coverage,
  };
}

/**
 * The entries of `earlier` that `restrictions` hold still: the same version object, with reliefs
 * that are the same objects as those `records` hold for its restriction, and the same
 * notifications (its lift's, its reliefs'). Such an entry is what a build would make again.
 */
function entriesStillHeld(
  restrictions: readonly RestrictionVersion[],
  records: EligibilityRecords,
  notifications: ReadonlyMap<string, CongressionalNotification>,
  earlier: ReadonlyMap<RestrictionVersion, RestrictionEntry>,
): Map<RestrictionVersion, RestrictionEntry> {
  const reliefsOf = new Map<string, ReliefVersion[]>();
  for (const r of records.reliefs) {
    const list = reliefsOf.get(r.restrictionId);
    if (list === undefined) reliefsOf.set(r.restrictionId, [r]);
    else list.push(r);
  }
  const notified = (id: string | null) => (id === null ? undefined : notifications.get(id));
  const held = new Map<RestrictionVersion, RestrictionEntry>();
  for (const v of restrictions) {
    const entry = earlier.get(v);
    if (entry === undefined || entry.liftNotification !== notified(v.liftNotificationId)) continue;
    const now = reliefsOf.get(v.id) ?? [];
    // A restriction has a few relief versions: looked for in turn, nothing made to find them.
    if (
      now.length === entry.reliefs.length &&
      now.every((r) =>
        entry.reliefs.some((e) => e.version === r && e.notification === notified(r.notificationId)),
      )
    )
      held.set(v, entry);
  }
  return held;
}

/**
 * The index with the timelines of `countries` built again from `records`, which hold every version
 * of those countries (and may hold nothing else of use: other countries' versions are ignored).
 * What a write to those countries changes, without building the others again: the result answers
 * every query as `buildEligibilityIndex` of all the records would. `programs` may narrow a
 * country to the programs a write touched (the programs of every version of the restrictions it
 * wrote, or whose reliefs it wrote); the others keep their timelines. `index` is left as it was,
 * so a decision under way on it is unaffected. Versions are never deleted, so `recordedThrough`
 * only moves forward.
 */
export function rebuildCountries(
  index: EligibilityIndex,
  countries: Iterable<string>,
  records: EligibilityRecords,
  programs?: (country: string) => ReadonlySet<string> | undefined,
): EligibilityIndex {
  const wanted = new Set(countries);
  const restrictions = records.restrictions.filter((v) => wanted.has(v.country));
  const ids = new Set(restrictions.map((v) => v.id));
  // The entries built before for the timelines built again: those still held are taken again.
  const earlier = new Map<RestrictionVersion, RestrictionEntry>();
  for (const country of wanted) {
    const narrowed = programs?.(country);
    for (const [program, timeline] of index.timelines.get(country) ?? [])
      if (narrowed === undefined || narrowed.has(program))
        for (const entry of timeline.sorted) earlier.set(entry.version, entry);
  }
  const part = buildEligibilityIndex(
    {
      restrictions,
      reliefs: records.reliefs.filter((r) => ids.has(r.restrictionId)),
      notifications: records.notifications.filter((n) => wanted.has(n.country)),
    },
    undefined,
    programs,
    earlier,
  );
  const timelines = new Map(index.timelines);
  const sizes = new Map(index.sizes);
  let size = index.size;
  for (const country of wanted) {
    const narrowed = programs?.(country);
    const built = part.timelines.get(country);
    if (narrowed === undefined) {
      timelines.delete(country);
      if (built !== undefined) timelines.set(country, built);
    } else {
      const kept = new Map(timelines.get(country));
      for (const program of narrowed) {
        kept.delete(program);
        const timeline = built?.get(program);
        if (timeline !== undefined) kept.set(program, timeline);
      }
      if (kept.size === 0) timelines.delete(country);
      else timelines.set(country, kept);
    }
    size -= sizes.get(country) ?? 0;
    sizes.delete(country);
    const count = part.sizes.get(country);
    if (count !== undefined) {
      sizes.set(country, count);
      size += count;
    }
  }
  return {
    timelines,
    size,
    sizes,
    recordedThrough: lastRecorded(records, index.recordedThrough),
    coverage: index.coverage,
  };
}

function sizesByCountry(records: EligibilityRecords): Map<string, number> {
  const sizes = new Map<string, number>();
  const countryOf = new Map<string, string>();
  const count = (country: string) => sizes.set(country, (sizes.get(country) ?? 0) + 1);
  for (const v of records.restrictions) {
    countryOf.set(v.id, v.country);
    count(v.country);
  }
  for (const r of records.reliefs) count(countryOf.get(r.restrictionId) ?? '');
  return sizes;
}

function lastRecorded(records: EligibilityRecords, since: string | null): string | null {
  let last = since;
  const see = (v: { readonly recordedAt: string; readonly supersededAt: string | null }) => {
    if (last === null || v.recordedAt > last) last = v.recordedAt;
    if (v.supersededAt !== null && v.supersededAt > last) last = v.supersededAt;
  };
  for (const v of records.restrictions) see(v);
  for (const v of records.reliefs) see(v);
  return last;
}

function buildTimeline(entries: RestrictionEntry[], program: ProgramCode): ProgramTimeline {
  entries.sort(
    (a, b) =>
      cmp(a.version.from, b.version.from) ||
      cmp(a.version.id, b.version.id) ||
      a.version.version - b.version.version,
  );
  const keys = new Set<number>();
  const add = (key: number) => {
    if (key !== Infinity) keys.add(key);
  };
  for (const e of entries) {
    add(e.from);
    add(e.until);
    for (const r of e.reliefs) {
      add(r.from);
      add(r.until);
      add(r.announced);
    }
  }
  const bounds = Int32Array.from([...keys].sort((a, b) => a - b));
  const spans = bounds.length + 1;
  return {
    bounds,
    sorted: entries,
    entries: new Array<readonly RestrictionEntry[] | undefined>(spans),
    kept: new Array<SpanDecisions | undefined>(spans),
    now: new Array<Kept | undefined>(spans),
    program,
    imprecise: impreciseBoundaries(entries, program),
  };
}

function impreciseBoundaries(
  entries: readonly RestrictionEntry[],
  program: ProgramCode,
): ImpreciseBoundary[] {
  const found: ImpreciseBoundary[] = [];
  // Most dates are exact: a note is worded only for one that is not.
  const add = (
    entry: RestrictionEntry | ReliefEntry,
    date: IsoDate | null,
    quality: RestrictionEntry['version']['dateQuality'],
    what: string,
  ) => {
    if (date === null) return;
    const days = uncertainDays(date, quality);
    if (days === undefined) return;
    const v = entry.version;
    const name =
      'restrictionId' in v
        ? `${v.type} ${v.id} of ${v.restrictionId}`
        : `${v.kind} restriction ${v.id}`;
    found.push({
      first: dayKey(days.first),
      last: dayKey(days.last),
      entry,
      note: `${name} ${what} ${shownDate(date, quality)}`,
    });
  };
  for (const e of entries) {
    const v = e.version;
    add(e, v.from, v.dateQuality, 'started');
    add(e, v.until, v.untilQuality, 'ended');
    for (const r of e.reliefs) {
      if (!covers(r, v.kind, program)) continue;
      add(r, r.version.from, r.version.dateQuality, 'took effect');
      add(r, r.version.until, r.version.untilQuality, 'ended');
    }
  }
  return found;
}

/**
 * The imprecise starts and ends a decision on day key `on` rests on, as known on `knownOn`: each
 * may stand for a day before or after `on`, so the record cannot say which side `on` is on.
 */
export function impreciseNotes(
  timeline: ProgramTimeline,
  on: number,
  onDate: IsoDate,
  knownOn: string | null,
): string[] {
  const notes: string[] = [];
  for (const b of timeline.imprecise) {
    if (b.first <= on && on <= b.last && knownEntry(b.entry, knownOn))
      notes.push(`${b.note}: whether that was before or after ${onDate} is not known`);
  }
  return notes;
}

/**
 * The decision on span `span` as known on `knownOn` (null: now), for a query without a course, or
 * with a course when no course limit applies then; undefined when the course matters. Worked out
 * once per span and state of knowledge, then shared.
 */
export function keptDecision(
  timeline: ProgramTimeline,
  span: number,
  knownOn: string | null,
  course: boolean,
): DecisionBody | undefined {
  const kept =
    knownOn === null
      ? (timeline.now[span] ??= keepDecision(timeline, span, null))
      : keptAsKnownOn(timeline, span, knownOn);
  return course && !kept.anyCourse ? undefined : kept.body;
}

function keptAsKnownOn(timeline: ProgramTimeline, span: number, knownOn: string): Kept {
  let decisions = timeline.kept[span];
  if (decisions === undefined) {
    decisions = { instants: recordingInstants(entriesOf(timeline, span)), byEpoch: new Map() };
    timeline.kept[span] = decisions;
  }
  const { instants, byEpoch } = decisions;
  const epoch = instantsUpTo(instants, knownOn);
  let kept = byEpoch.get(epoch);
  if (kept === undefined) {
    // A knowledge instant standing for the epoch: its last instant, '' before the first; after
    // the last, what is on record now.
    const asOf = epoch === instants.length ? null : epoch === 0 ? '' : instants[epoch - 1]!;
    kept = keepDecision(timeline, span, asOf);
    byEpoch.set(epoch, kept);
  }
  return kept;
}

const NOTHING_KEPT: Kept = { body: NO_RESTRICTIONS, anyCourse: true };

function keepDecision(timeline: ProgramTimeline, span: number, asOf: string | null): Kept {
  const list = entriesOf(timeline, span);
  if (list.length === 0) return NOTHING_KEPT;
  const on = span === 0 ? 0 : timeline.bounds[span - 1]!;
  return {
    body: freeze(evaluate(list, timeline.program, on, asOf, null)),
    anyCourse: courseFree(list, timeline.program, on, asOf),
  };
}

function recordingInstants(list: readonly RestrictionEntry[]): string[] {
  const instants = new Set<string>();
  const add = (v: { readonly recordedAt: string; readonly supersededAt: string | null }) => {
    instants.add(v.recordedAt);
    if (v.supersededAt !== null) instants.add(v.supersededAt);
  };
  for (const e of list) {
    add(e.version);
    for (const r of e.reliefs) add(r.version);
  }
  return [...instants].sort();
}

/** How many of `instants` are on or before `knownOn`. */
function instantsUpTo(instants: readonly string[], knownOn: string): number {
  let lo = 0;
  let hi = instants.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (instants[mid]! <= knownOn) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether no restriction on record and in force depends on the course: no proviso, no relief limiting courses. */
function courseFree(
  list: readonly RestrictionEntry[],
  program: ProgramCode,
  on: number,
  knownOn: string | null,
): boolean {
  for (const e of list) {
    if (!knownEntry(e, knownOn) || !inForce(e, on)) continue;
    if (e.version.kind === 'proviso' && e.version.courseFilter !== null) return false;
    for (const r of e.reliefs) {
      if (
        knownEntry(r, knownOn) &&
        inForce(r, on) &&
        covers(r, e.version.kind, program) &&
        limitsCourses(r.version)
      )
        return false;
    }
  }
  return true;
}

/** Kept decisions are shared by every query on their span: make them read-only. */
function freeze(body: DecisionBody): DecisionBody {
  for (const r of body.restrictions) {
    if (r.relief !== null) Object.freeze(r.relief);
    Object.freeze(r);
  }
  for (const p of body.pending) Object.freeze(p);
  Object.freeze(body.restrictions);
  Object.freeze(body.conditions);
  Object.freeze(body.pending);
  return Object.freeze(body);
}
