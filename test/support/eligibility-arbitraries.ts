// Fast-check arbitraries for the eligibility engine: realistic bitemporal record sets and queries.
//
// A record set holds a few countries, each with chains of restrictions of several kinds. The
// restrictions of one kind in one country sit in disjoint envelopes of valid time and all their
// versions stay inside their envelope, so same-kind restrictions never overlap at any instant (the
// database's exclusion constraint). Reliefs follow their kind's relief rules and stay inside the
// intersection of their restriction's versions (interval and programs). Every version gets its own
// recording instant, unless a plan records a restriction and its reliefs as one batch.
import fc from 'fast-check';
import type { IsoDate } from '../../src/core/dates.js';
import type {
  CourseFacts,
  EligibilityQuery,
  EligibilityRecords,
} from '../../src/core/eligibility/engine.js';
import { RELIEF_RULES, findReliefRule } from '../../src/core/eligibility/relief-rules.js';
import { PROGRAM_GROUPS, PROGRAMS, expandScope } from '../../src/core/programs.js';
import {
  RESTRICTION_KINDS,
  WAIVER_GROUNDS,
  type CongressionalNotification,
  type ReliefVersion,
  type RestrictionKind,
  type RestrictionVersion,
} from '../../src/core/restrictions.js';
import { seeded } from './seeded.js';

const DAY_MS = 86_400_000;
export const FIRST_DAY = Date.UTC(1980, 0, 1) / DAY_MS;
export const LAST_DAY = Date.UTC(2030, 11, 31) / DAY_MS;
export const COUNTRY_POOL = ['PAK', 'COD', 'IDN', 'THA', 'MLI', 'EGY'] as const;
/** A country no generated record names. */
export const UNRESTRICTED_COUNTRY = 'IND';
export const SCHOOLS = ['DIILS', 'CCMR', 'CGSC', 'NPS', 'WHINSEC'] as const;
export const COURSES: readonly CourseFacts[] = [
  { id: 'P176019', schoolId: 'DIILS', eImet: true },
  { id: 'P176020', schoolId: 'DIILS', eImet: false },
  { id: 'P179005', schoolId: 'CCMR', eImet: true },
  { id: 'B171005', schoolId: 'CGSC', eImet: false },
  { id: 'N300010', schoolId: 'NPS', eImet: true },
  { id: 'W000123', schoolId: 'WHINSEC', eImet: false },
];
const COURSE_IDS = COURSES.map((c) => c.id);
const SCOPE_TERMS = [...PROGRAMS, ...Object.keys(PROGRAM_GROUPS)];

export function dateOfDay(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10) as IsoDate;
}

function dayOf(date: IsoDate): number {
  return Date.parse(`${date}T00:00:00.000Z`) / DAY_MS;
}

function instant(day: number, ms: number): string {
  return new Date(day * DAY_MS + ms).toISOString();
}

/** The items of `mask` (bit i keeps item i); never empty when `items` is not. */
function pick<T>(items: readonly T[], mask: number): T[] {
  const kept = items.filter((_, i) => (mask >> i) % 2 === 1);
  return kept.length > 0 || items.length === 0 ? kept : [items[mask % items.length]!];
}

/** A deterministic shuffle (mulberry32), for "same records, another order". */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const { next } = seeded(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const scopeArb = fc.uniqueArray(fc.constantFrom(...SCOPE_TERMS), { minLength: 1, maxLength: 3 });
const intervalPlanArb = fc.record({
  startMargin: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 90 })),
  endMargin: fc.integer({ min: 0, max: 90 }),
  /** Only for an open envelope: days until the version ends, or null for open-ended. */
  length: fc.option(fc.integer({ min: 1, max: 4000 })),
});
type IntervalPlan = typeof intervalPlanArb extends fc.Arbitrary<infer T> ? T : never;

const reliefShapeArb = fc.record({
  start: fc.integer({ min: 0, max: 1000 }),
  length: fc.integer({ min: 0, max: 1000 }),
  open: fc.boolean(),
  programs: fc.integer({ min: 1, max: 255 }),
  /** 0 none (most), 1 schools, 2 courses, 3 both, 4 empty lists (no limit either). */
  limit: fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 4 }) },
  ),
  schools: fc.integer({ min: 1, max: 31 }),
  courses: fc.integer({ min: 1, max: 63 }),
});
type ReliefShape = typeof reliefShapeArb extends fc.Arbitrary<infer T> ? T : never;

export const reliefPlanArb = fc.record({
  rule: fc.nat(),
  grounds: fc.nat(),
  shape: reliefShapeArb,
  notified: fc.boolean(),
  waitExtra: fc.integer({ min: 0, max: 30 }),
  recordedDelay: fc.integer({ min: 0, max: 400 }),
  correction: fc.option(
    fc.record({ shape: reliefShapeArb, delay: fc.integer({ min: 0, max: 900 }) }),
    {
      freq: 3,
    },
  ),
});
export type ReliefPlan = typeof reliefPlanArb extends fc.Arbitrary<infer T> ? T : never;

const restrictionPlanArb = fc.record({
  // Round gaps make restrictions of different kinds start on the same day, as they often do.
  gap: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.constantFrom(0, 365, 1461, 3653)),
  length: fc.integer({ min: 30, max: 5000 }),
  openEnded: fc.boolean(),
  scope: scopeArb,
  /** Provisos only; almost always E-IMET. */
  courseFilter: fc.oneof(
    { weight: 9, arbitrary: fc.constant('E-IMET') },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
  interval: intervalPlanArb,
  recordedDelay: fc.integer({ min: -30, max: 1500 }),
  batch: fc.boolean(),
  correction: fc.option(
    fc.record({
      interval: intervalPlanArb,
      scope: fc.option(scopeArb),
      delay: fc.integer({ min: 0, max: 900 }),
    }),
    { freq: 3 },
  ),
  reliefs: fc.array(reliefPlanArb, { maxLength: 3 }),
});
type RestrictionPlan = typeof restrictionPlanArb extends fc.Arbitrary<infer T> ? T : never;

export interface RecordsOptions {
  /**
   * Let plans record a restriction and its reliefs at one instant, as an import does. Off by
   * default: reliefs sharing an instant and version have no defined order in the engine.
   */
  readonly batchImports?: boolean;
  readonly maxCountries?: number;
}

/** Recording instants: a day (clamped to 1980–2030, or to `lastDay`) plus a unique millisecond salt. */
export interface Clock {
  next(day: number): { day: number; at: string };
}

export function clock(lastDay = LAST_DAY): Clock {
  let salt = 0;
  return {
    next: (day) => {
      const d = Math.max(FIRST_DAY, Math.min(day, lastDay));
      return { day: d, at: instant(d, ++salt) };
    },
  };
}

function versionInterval(
  envStart: number,
  envEnd: number | null,
  plan: IntervalPlan,
): { from: number; until: number | null } {
  if (envEnd !== null) {
    const half = Math.floor((envEnd - envStart - 1) / 2);
    return {
      from: envStart + Math.min(plan.startMargin, half),
      until: envEnd - Math.min(plan.endMargin, half),
    };
  }
  const from = Math.min(envStart + plan.startMargin, LAST_DAY - 1);
  return { from, until: plan.length === null ? null : Math.min(from + plan.length, LAST_DAY) };
}

/** A restriction version of `kind` over `interval` (days since 1970), recorded at `recordedAt`. */
export function restrictionRecord(
  id: string,
  version: number,
  country: string,
  kind: RestrictionKind,
  scope: readonly string[],
  courseFilter: string | null,
  interval: { from: number; until: number | null },
  recordedAt: string,
): RestrictionVersion {
  // A proviso limits IMET to some courses: its scope always includes IMET.
  const base = expandScope(scope);
  const terms =
    kind === 'proviso' && !(base.ok && base.programs.includes('IMET')) ? [...scope, 'IMET'] : scope;
  const expanded = expandScope(terms);
  if (!expanded.ok) throw new Error(`unknown scope term ${expanded.unknown}`);
  return {
    id,
    version,
    country,
    kind,
    scope: terms,
    programs: expanded.programs,
    courseFilter: kind === 'proviso' ? courseFilter : null,
    dateQuality: null,
    untilQuality: null,
    liftNotificationId: null,
    importRunId: null,
    basis: RELIEF_RULES[kind].basis,
    authority: version === 1 ? 'Secretary of State' : 'Secretary of State (corrected)',
    determinedOn: dateOfDay(interval.from),
    from: dateOfDay(interval.from),
    until: interval.until === null ? null : dateOfDay(interval.until),
    seatPolicy: kind === 'proviso' ? 'hold' : 'cancel',
    source: null,
    description: null,
    recordedAt,
    supersededAt: null,
    recordedBy: 'generator',
  };
}

/** The restriction a relief is of: its versions, when it was first recorded, and whether its reliefs come in the same batch. */
export interface ReliefTarget {
  readonly versions: readonly RestrictionVersion[];
  readonly recorded: { day: number; at: string };
  readonly batch: boolean;
}

/**
 * The versions of one relief (and its notification) following `plan`, or nothing when its
 * restriction admits no relief that fits (an exclusion, an empty intersection, no allowed program).
 */
export function buildRelief(
  id: string,
  target: ReliefTarget,
  plan: ReliefPlan,
  time: Clock,
): { reliefs: ReliefVersion[]; notifications: CongressionalNotification[] } {
  const none = { reliefs: [], notifications: [] };
  const { versions } = target;
  const kind = versions[0]!.kind;
  const from = Math.max(...versions.map((v) => dayOf(v.from)));
  const ends = versions.flatMap((v) => (v.until === null ? [] : [dayOf(v.until)]));
  const until = ends.length === 0 ? null : Math.min(...ends);
  const spanEnd = until ?? Math.min(from + 4000, LAST_DAY);
  const programs = PROGRAMS.filter((p) => versions.every((v) => v.programs.includes(p)));
  if (spanEnd - from < 1 || programs.length === 0) return none;
  // A rule whose authority came later (the FY2024 act's coup waiver) fits only a span reaching it.
  const feasible = RELIEF_RULES[kind].reliefs.filter(
    (rule) =>
      programs.some(
        (p) => !rule.excludedPrograms?.includes(p) && (rule.onlyPrograms?.includes(p) ?? true),
      ) &&
      (rule.availableFrom === undefined || dayOf(rule.availableFrom.date) < spanEnd - 1),
  );
  const rule = feasible[plan.rule % Math.max(1, feasible.length)];
  if (rule === undefined) return none;
  const extra = WAIVER_GROUNDS[plan.grounds % WAIVER_GROUNDS.length]!;
  // A waiver always states its grounds; other reliefs sometimes do when their rule names none.
  const grounds =
    rule.grounds?.[plan.grounds % rule.grounds.length] ??
    ((rule.type === 'waiver' || plan.grounds % 4 === 3) &&
    findReliefRule(kind, rule.type, extra) === rule
      ? extra
      : null);
  const allowed = rule.wholeScope
    ? programs
    : programs.filter(
        (p) => !rule.excludedPrograms?.includes(p) && (rule.onlyPrograms?.includes(p) ?? true),
      );
  const notifications: CongressionalNotification[] = [];
  const shaped = (shape: ReliefShape, fixedFrom: number | null) => {
    const earliest =
      rule.availableFrom === undefined ? from : Math.max(from, dayOf(rule.availableFrom.date));
    const rFrom = fixedFrom ?? earliest + Math.floor((shape.start / 1001) * (spanEnd - earliest));
    let rUntil: number | null =
      until === null && shape.open && rule.maxYearsPerCountry === undefined
        ? null
        : rFrom + 1 + Math.floor((shape.length / 1001) * (spanEnd - rFrom - 1));
    if (rule.maxYearsPerCountry !== undefined && rUntil !== null)
      rUntil = Math.min(rUntil, rFrom + 365 * rule.maxYearsPerCountry);
    const limited = rule.type === 'exception' || rule.type === 'waiver';
    const limit = limited ? shape.limit : 0;
    return {
      programs: pick(allowed, shape.programs),
      schoolIds:
        rule.onlySchools !== undefined
          ? pick(rule.onlySchools, shape.schools)
          : limit === 1 || limit === 3
            ? pick(SCHOOLS, shape.schools)
            : limit === 4
              ? []
              : null,
      courseIds:
        rule.onlySchools === undefined && (limit === 2 || limit === 3)
          ? pick(COURSE_IDS, shape.courses)
          : limit === 4 && rule.onlySchools === undefined
            ? []
            : null,
      from: dateOfDay(rFrom),
      until: rUntil === null ? null : dateOfDay(rUntil),
    };
  };
  const first = shaped(plan.shape, null);
  let notificationId: string | null = null;
  if (rule.minNoticeDays !== undefined || plan.notified) {
    const waitDays = (rule.minNoticeDays ?? 15) + plan.waitExtra;
    notificationId = `cn_${id}`;
    notifications.push({
      id: notificationId,
      country: versions[0]!.country,
      subject: `${rule.type} of ${versions[0]!.id}`,
      notifiedOn: dateOfDay(dayOf(first.from) - waitDays),
      waitDays,
      windowEndsOn: first.from,
      source: null,
    });
  }
  const recorded = target.batch
    ? target.recorded
    : time.next(Math.max(target.recorded.day, dayOf(first.from) - 60) + plan.recordedDelay);
  const v1: ReliefVersion = {
    id,
    version: 1,
    restrictionId: versions[0]!.id,
    type: rule.type,
    grounds,
    ...first,
    notificationId,
    dateQuality: null,
    untilQuality: null,
    scopeStated: true,
    importRunId: null,
    authority: 'Secretary of State',
    justification: 'generated',
    source: null,
    recordedAt: recorded.at,
    supersededAt: null,
    recordedBy: 'generator',
  };
  if (plan.correction === null) return { reliefs: [v1], notifications };
  // A notified relief keeps its date: the notification window sets it.
  const second = shaped(plan.correction.shape, notificationId === null ? null : dayOf(first.from));
  const at = time.next(recorded.day + 1 + plan.correction.delay).at;
  return {
    reliefs: [
      { ...v1, supersededAt: at },
      { ...v1, ...second, version: 2, recordedAt: at },
    ],
    notifications,
  };
}

function buildRecords(
  countries: readonly {
    country: string;
    chains: readonly { kind: RestrictionKind; plans: readonly RestrictionPlan[] }[];
  }[],
  batchImports: boolean,
): EligibilityRecords {
  const time = clock();
  const restrictions: RestrictionVersion[] = [];
  const reliefs: ReliefVersion[] = [];
  const notifications: CongressionalNotification[] = [];
  let serial = 0;
  for (const { country, chains } of countries) {
    for (const { kind, plans } of chains) {
      let cursor = FIRST_DAY;
      for (const [i, plan] of plans.entries()) {
        const envStart = cursor + plan.gap;
        const open = plan.openEnded && i === plans.length - 1;
        const envEnd = open ? null : Math.min(envStart + plan.length, LAST_DAY);
        if (envStart > LAST_DAY - 2 || (envEnd !== null && envEnd - envStart < 2)) break;
        cursor = envEnd ?? LAST_DAY;
        const id = `rst_${country}_${++serial}`;
        const first = versionInterval(envStart, envEnd, plan.interval);
        const recorded = time.next(first.from + plan.recordedDelay);
        const v1 = restrictionRecord(
          id,
          1,
          country,
          kind,
          plan.scope,
          plan.courseFilter,
          first,
          recorded.at,
        );
        const versions = [v1];
        if (plan.correction !== null) {
          const c = plan.correction;
          const at = time.next(recorded.day + 1 + c.delay).at;
          versions[0] = { ...v1, supersededAt: at };
          const interval = versionInterval(envStart, envEnd, c.interval);
          versions.push(
            restrictionRecord(
              id,
              2,
              country,
              kind,
              c.scope ?? plan.scope,
              plan.courseFilter,
              interval,
              at,
            ),
          );
        }
        restrictions.push(...versions);
        for (const [j, reliefPlan] of plan.reliefs.entries()) {
          const target = { versions, recorded, batch: batchImports && plan.batch };
          const built = buildRelief(`rlf_${id}_${j + 1}`, target, reliefPlan, time);
          reliefs.push(...built.reliefs);
          notifications.push(...built.notifications);
        }
      }
    }
  }
  return { restrictions, reliefs, notifications };
}

/** Realistic record sets: 1–3 countries, 1–4 kinds each, chains of 1–3 restrictions per kind. */
export function recordsArb(options: RecordsOptions = {}): fc.Arbitrary<EligibilityRecords> {
  const chain = fc.record({
    kind: fc.constantFrom(...RESTRICTION_KINDS),
    plans: fc.array(restrictionPlanArb, { minLength: 1, maxLength: 3 }),
  });
  const country = fc.record({
    country: fc.constantFrom(...COUNTRY_POOL),
    chains: fc.uniqueArray(chain, { minLength: 1, maxLength: 4, selector: (c) => c.kind }),
  });
  return fc
    .uniqueArray(country, {
      minLength: 1,
      maxLength: options.maxCountries ?? 3,
      selector: (c) => c.country,
    })
    .map((countries) => buildRecords(countries, options.batchImports ?? false));
}

const courseArb: fc.Arbitrary<CourseFacts> = fc.oneof(
  fc.constantFrom(...COURSES),
  fc.record({
    id: fc.constantFrom(...COURSE_IDS),
    schoolId: fc.constantFrom(...SCHOOLS),
    eImet: fc.boolean(),
  }),
);

function instantsOf(records: EligibilityRecords): string[] {
  return [...records.restrictions, ...records.reliefs].flatMap((v) =>
    v.supersededAt === null ? [v.recordedAt] : [v.recordedAt, v.supersededAt],
  );
}

/** An instant near the records' recording instants (on, just before, just after), or anywhere. */
export function instantArb(records: EligibilityRecords): fc.Arbitrary<string> {
  const anywhere = fc
    .integer({ min: FIRST_DAY * DAY_MS, max: (LAST_DAY + 1) * DAY_MS })
    .map((ms) => new Date(ms).toISOString());
  const instants = instantsOf(records);
  if (instants.length === 0) return anywhere;
  const near = fc
    .tuple(fc.constantFrom(...instants), fc.constantFrom(-1, 0, 1))
    .map(([at, shift]) => new Date(Date.parse(at) + shift).toISOString());
  return fc.oneof({ weight: 3, arbitrary: near }, { weight: 1, arbitrary: anywhere });
}

/**
 * Queries that probe `records`: mostly their countries, dates on and around their boundaries,
 * optional courses, and optional "as known on" instants near their recording instants.
 */
export function queryArb(records: EligibilityRecords): fc.Arbitrary<EligibilityQuery> {
  const anyDay = fc.integer({ min: FIRST_DAY, max: LAST_DAY });
  const near = (days: readonly number[]) =>
    fc
      .tuple(fc.constantFrom(...days), fc.constantFrom(-1, 0, 0, 1))
      .map(([d, shift]) => Math.max(FIRST_DAY, Math.min(d + shift, LAST_DAY)));
  const loose = fc.record({
    country: fc.constantFrom(
      UNRESTRICTED_COUNTRY,
      ...new Set(records.restrictions.map((r) => r.country)),
    ),
    program: fc.constantFrom(...PROGRAMS),
    day: anyDay,
  });
  // Aimed at one restriction: its country, one of its programs, a day on or near its boundaries
  // or its reliefs', or inside its interval.
  const aimed =
    records.restrictions.length === 0
      ? loose
      : fc.constantFrom(...records.restrictions).chain((r) => {
          const boundaries = [
            r,
            ...records.reliefs.filter((x) => x.restrictionId === r.id),
          ].flatMap((v) => (v.until === null ? [dayOf(v.from)] : [dayOf(v.from), dayOf(v.until)]));
          const until = r.until === null ? LAST_DAY : dayOf(r.until);
          return fc.record({
            country: fc.constant(r.country),
            program: fc.constantFrom(...r.programs),
            day: fc.oneof(near(boundaries), fc.integer({ min: dayOf(r.from), max: until })),
          });
        });
  // Aimed at one relief: a day it is in force, one of its programs.
  const countryOf = new Map(records.restrictions.map((r) => [r.id, r.country]));
  const atRelief =
    records.reliefs.length === 0
      ? aimed
      : fc.constantFrom(...records.reliefs).chain((r) =>
          fc.record({
            country: fc.constant(countryOf.get(r.restrictionId) ?? UNRESTRICTED_COUNTRY),
            program: fc.constantFrom(...r.programs),
            day: fc.integer({
              min: dayOf(r.from),
              max: r.until === null ? LAST_DAY : Math.max(dayOf(r.from), dayOf(r.until) - 1),
            }),
          }),
        );
  return fc
    .record({
      target: fc.oneof(
        { weight: 3, arbitrary: aimed },
        { weight: 2, arbitrary: atRelief },
        { weight: 1, arbitrary: loose },
      ),
      course: fc.oneof(
        { weight: 5, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 4, arbitrary: courseArb },
      ),
      knownOn: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant(null) },
        { weight: 3, arbitrary: instantArb(records) },
      ),
    })
    .map(({ target, course, knownOn }) => ({
      country: target.country,
      program: target.program,
      on: dateOfDay(target.day),
      ...(course === undefined ? {} : { course }),
      ...(knownOn === undefined ? {} : { knownOn }),
    }));
}

export interface EligibilityCase {
  readonly records: EligibilityRecords;
  readonly queries: readonly EligibilityQuery[];
}

/** A record set and queries about it. */
export function caseArb(
  options: RecordsOptions & { readonly minQueries?: number; readonly maxQueries?: number } = {},
): fc.Arbitrary<EligibilityCase> {
  return recordsArb(options).chain((records) =>
    fc.record({
      records: fc.constant(records),
      queries: fc.array(queryArb(records), {
        minLength: options.minQueries ?? 1,
        maxLength: options.maxQueries ?? 12,
      }),
    }),
  );
}

/**
 * One more restriction (id `rst_extra`), in one of the records' countries and of a kind that
 * country does not have yet when there is one, recorded at or after `notBefore` when given.
 */
export function extraRestrictionArb(
  records: EligibilityRecords,
  notBefore?: string,
): fc.Arbitrary<RestrictionVersion> {
  const countries = [...new Set(records.restrictions.map((r) => r.country))];
  return fc
    .record({
      country:
        countries.length === 0 ? fc.constantFrom(...COUNTRY_POOL) : fc.constantFrom(...countries),
      kind: fc.nat(),
      scope: scopeArb,
      from: fc.integer({ min: FIRST_DAY, max: LAST_DAY - 2 }),
      interval: intervalPlanArb,
      delayMs: fc.integer({ min: 1, max: 3 * 365 * DAY_MS }),
    })
    .map(({ country, kind, scope, from, interval, delayMs }) => {
      const used = new Set(
        records.restrictions.filter((r) => r.country === country).map((r) => r.kind),
      );
      const kinds = RESTRICTION_KINDS.filter((k) => !used.has(k));
      const chosen = (kinds.length > 0 ? kinds : RESTRICTION_KINDS)[
        kind % (kinds.length || RESTRICTION_KINDS.length)
      ]!;
      const base = notBefore === undefined ? from * DAY_MS : Date.parse(notBefore);
      const recordedAt = new Date(base + delayMs).toISOString();
      return restrictionRecord(
        'rst_extra',
        1,
        country,
        chosen,
        scope,
        'E-IMET',
        versionInterval(from, null, interval),
        recordedAt,
      );
    });
}

/** One more relief (id `rlf_extra`) of one of the records' restrictions, valid for its kind. */
export function extraReliefArb(
  records: EligibilityRecords,
  notBefore?: string,
): fc.Arbitrary<{ reliefs: ReliefVersion[]; notifications: CongressionalNotification[] }> {
  const relievable = [...new Set(records.restrictions.map((r) => r.id))].filter(
    (id) => RELIEF_RULES[records.restrictions.find((r) => r.id === id)!.kind].reliefs.length > 0,
  );
  if (relievable.length === 0) return fc.constant({ reliefs: [], notifications: [] });
  return fc
    .record({ id: fc.constantFrom(...relievable), plan: reliefPlanArb })
    .map(({ id, plan }) => {
      const versions = records.restrictions.filter((r) => r.id === id);
      const start = notBefore ?? versions[0]!.recordedAt;
      const day = Math.floor(Date.parse(start) / DAY_MS);
      // Recording days after `start` keep the extra relief unknown at `start`.
      const time: Clock = { next: (d) => ({ day: d, at: instant(Math.max(d, day + 1), 1) }) };
      return buildRelief(
        'rlf_extra',
        { versions, recorded: time.next(day + 1), batch: false },
        plan,
        time,
      );
    });
}

/**
 * Versions recorded after `after`: corrections of current versions (superseding them after
 * `after`, narrowing their intervals so nothing new overlaps), a new restriction and a new relief.
 */
export function laterChangesArb(
  records: EligibilityRecords,
  after: string,
): fc.Arbitrary<EligibilityRecords> {
  const correction = fc.record({
    pick: fc.nat(),
    delayMs: fc.integer({ min: 1, max: 3 * 365 * DAY_MS }),
    narrow: fc.integer({ min: 1, max: 200 }),
  });
  return fc
    .record({
      restrictions: fc.array(correction, { maxLength: 3 }),
      reliefs: fc.array(correction, { maxLength: 3 }),
      restriction: fc.option(extraRestrictionArb(records, after)),
      relief: extraReliefArb(records, after),
    })
    .map((later) => {
      const supersede = <T extends RestrictionVersion | ReliefVersion>(
        versions: readonly T[],
        picks: readonly { pick: number; delayMs: number; narrow: number }[],
      ): T[] => {
        const out = [...versions];
        const current = out.flatMap((v, i) => (v.supersededAt === null ? [i] : []));
        const done = new Set<number>();
        for (const { pick: p, delayMs, narrow } of picks) {
          const i = current[p % Math.max(1, current.length)];
          if (i === undefined || done.has(i)) continue;
          done.add(i);
          const v = out[i]!;
          const at = new Date(
            Math.max(Date.parse(after), Date.parse(v.recordedAt)) + delayMs,
          ).toISOString();
          const from = dayOf(v.from);
          const until = v.until === null ? null : dayOf(v.until);
          const narrowed = Math.min(from + narrow, until === null ? LAST_DAY : until - 1);
          out[i] = { ...v, supersededAt: at };
          out.push({ ...v, version: v.version + 1, from: dateOfDay(narrowed), recordedAt: at });
        }
        return out;
      };
      return {
        restrictions: [
          ...supersede(records.restrictions, later.restrictions),
          ...(later.restriction === null ? [] : [later.restriction]),
        ],
        reliefs: [...supersede(records.reliefs, later.reliefs), ...later.relief.reliefs],
        notifications: [...records.notifications, ...later.relief.notifications],
      };
    });
}
