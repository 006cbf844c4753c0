// Eligibility queries, answered from an in-memory index kept current by the change log: after a
// write, only the countries it touched are built again. This process's own writes are seen before
// its next answer; on PostgreSQL other servers' writes arrive by LISTEN/NOTIFY, and while the
// listening connection is down every answer reads the change log first, so none is stale.
import { historyCoverage } from '../history/coverage-table.js';
import type { IsoDate } from '../../core/dates.js';
import {
  buildEligibilityIndex,
  decide,
  rebuildCountries,
  type CourseFacts,
  type Decision,
  type EligibilityIndex,
  type EligibilityRecords,
} from '../../core/eligibility/engine.js';
import { type ProgramCode } from '../../core/programs.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import {
  loadCourseFacts,
  loadEligibilityRecords,
  loadRecordsById,
  readChangeCounter,
  readChangesSince,
  type LoggedChange,
} from '../../store/eligibility.repository.js';
import { readCountries } from '../../store/reference.repository.js';
import type { Store } from '../../store/database.js';
import { ELIGIBILITY_TOPIC, hearsChanges, subscribeChanges } from '../change-feed.js';
import type { AppContext } from '../context.js';
import { parseDateField, parseKnownOn, parseProgramField } from '../field-input.js';

export interface EligibilitySnapshot {
  /** The change counter the snapshot has read the change log up to. */
  readonly version: number;
  readonly index: EligibilityIndex;
  /** The records the index was built from, by country: a write's records replace theirs. */
  readonly records: ReadonlyMap<string, EligibilityRecords>;
  readonly courses: ReadonlyMap<string, CourseFacts>;
  readonly countries: ReadonlySet<string>;
}

export { CHANGES_CHANNEL } from '../change-feed.js';

/** A snapshot and the marks its refresh started from. */
interface Built {
  readonly snapshot: EligibilitySnapshot;
  /** store.eligibilityWrites when its refresh began: this process's writes up to it are in. */
  readonly writes: number;
  readonly everything: number;
  /** The entry's epoch when its refresh began: what was notified up to it is in. */
  readonly epoch: number;
  /** The entry's count of country notifications when its refresh began: those are in. */
  readonly notified: number;
}

/** The marks a refresh starts from: what it is sure to hold once done. */
type Marks = Pick<Built, 'writes' | 'everything' | 'epoch' | 'notified'>;

function marksOf(store: Store, entry: CacheEntry): Marks {
  const local = store.eligibilityWrites;
  return {
    writes: local.count,
    everything: local.everything,
    epoch: entry.epoch,
    notified: entry.notified,
  };
}

interface CacheEntry {
  built?: Built;
  /** The refresh under way, and the marks it started from. */
  refreshing?: Marks & { readonly done: Promise<Built> };
  /**
   * Moves on every notification, every (re)connection and loss of the listening connection, and,
   * while not listening, every question: a snapshot whose refresh began before the current epoch
   * may miss a write.
   */
  epoch: number;
  /**
   * Notifications naming a country heard so far, and the count at each country's latest: a snapshot
   * whose refresh began at a count below a country's is stale for that country only, and answers
   * questions about every other one.
   */
  notified: number;
  readonly notifiedAt: Map<string, number>;
  /** What the index took: whole builds and country rebuilds, for metrics. */
  readonly stats: IndexStats;
}

/** How the index has been kept current, for /metrics and the health page. */
export interface IndexStats {
  builds: number;
  rebuilds: number;
  countriesRebuilt: number;
  /** Seconds spent building and rebuilding. */
  seconds: number;
  notifications: number;
  reconnections: number;
}

const cache = new WeakMap<Store, CacheEntry>();

function entryOf(store: Store): CacheEntry {
  let entry = cache.get(store);
  if (entry === undefined) {
    entry = {
      epoch: 0,
      notified: 0,
      notifiedAt: new Map(),
      stats: {
        builds: 0,
        rebuilds: 0,
        countriesRebuilt: 0,
        seconds: 0,
        notifications: 0,
        reconnections: 0,
      },
    };
    cache.set(store, entry);
    if (store.listen !== undefined) listenForChanges(store, entry);
  }
  return entry;
}

/**
 * Listens for other servers' writes: each notification (and each reconnection, after which
 * some may have been missed) moves the epoch and refreshes at once, so the next answer need not.
 */
function listenForChanges(store: Store, entry: CacheEntry): void {
  subscribeChanges(store, {
    notified(payload) {
      // Accounts, tokens, or records the index does not hold; and the bare notification of a
      // change, which those naming what it changed follow in the same transaction (migration 0021).
      if (!payload.startsWith(ELIGIBILITY_TOPIC)) return;
      const topic = payload.slice(ELIGIBILITY_TOPIC.length);
      if (topic === 'countries' || topic === 'courses') entry.epoch += 1;
      else {
        entry.notified += 1;
        entry.notifiedAt.set(topic, entry.notified);
      }
      entry.stats.notifications += 1;
      refreshSoon(store);
    },
    listening() {
      entry.epoch += 1;
      refreshSoon(store);
    },
    lost() {
      entry.epoch += 1;
      entry.stats.reconnections += 1;
    },
  });
}

function refreshSoon(store: Store): void {
  // An error here is met again by the next question, which reports it.
  void snapshotOf(store).catch(() => undefined);
}

/**
 * Whether `built` holds every write committed before now that this process could know of: of
 * `country`'s records (and the courses and countries), or of every country's when none is named.
 */
function isCurrent(
  store: Store,
  entry: CacheEntry,
  built: Built | undefined,
  country?: string,
): boolean {
  const local = store.eligibilityWrites;
  if (built === undefined || built.everything !== local.everything || built.epoch !== entry.epoch)
    return false;
  if (store.listen !== undefined && !hearsChanges(store)) return false;
  return country === undefined
    ? built.notified === entry.notified && built.writes === local.count
    : (entry.notifiedAt.get(country) ?? 0) <= built.notified &&
        (local.byCountry.get(country) ?? 0) <= built.writes;
}

/** How a question names its country (`pak` is PAK), for the index's per-country freshness. */
function countryOf(asked: string | undefined): string | undefined {
  return asked === undefined ? undefined : asked.trim().toUpperCase();
}

/**
 * The index, without waiting, when it is known to be current: nothing this process wrote since it
 * was built and, on PostgreSQL, the listening connection up and nothing notified since. Undefined
 * otherwise (ask eligibilitySnapshot).
 */
export function currentSnapshot(
  ctx: AppContext,
  country?: string,
): EligibilitySnapshot | undefined {
  const entry = entryOf(ctx.store);
  return isCurrent(ctx.store, entry, entry.built, countryOf(country))
    ? entry.built?.snapshot
    : undefined;
}

/**
 * The index as of now: every write committed before the call is in it, of `country`'s records
 * when the question is about one country (a write of another's is not waited for), of every
 * country's otherwise.
 */
export async function eligibilitySnapshot(
  ctx: AppContext,
  country?: string,
): Promise<EligibilitySnapshot> {
  return snapshotOf(ctx.store, countryOf(country));
}

async function snapshotOf(store: Store, country?: string): Promise<EligibilitySnapshot> {
  const entry = entryOf(store);
  if (entry.built !== undefined && isCurrent(store, entry, entry.built, country))
    return entry.built.snapshot;
  // Not listening: no notification would say another server wrote; read the log for this question.
  if (store.listen !== undefined && !hearsChanges(store)) entry.epoch += 1;
  const asked = marksOf(store, entry);
  const holds = (marks: Marks) =>
    marks.writes >= asked.writes &&
    marks.everything >= asked.everything &&
    marks.epoch >= asked.epoch &&
    marks.notified >= asked.notified;
  for (;;) {
    const under = entry.refreshing;
    if (under === undefined) break;
    // A refresh that began after this question did holds every write it must see.
    if (holds(under)) return (await under.done).snapshot;
    await under.done.catch(() => undefined);
    if (entry.built !== undefined && holds(entry.built)) return entry.built.snapshot;
  }
  const done = refresh(store, entry, entry.built?.snapshot);
  const refreshing = { ...asked, done };
  entry.refreshing = refreshing;
  try {
    const built = await done;
    if (entry.built === undefined || entry.built.snapshot.version <= built.snapshot.version)
      entry.built = built;
    return built.snapshot;
  } finally {
    if (entry.refreshing === refreshing) delete entry.refreshing;
  }
}

/**
 * Brings `previous` up to date: reads the change log after its version, reads again only the
 * records written since (by key) and builds again only their countries' timelines (and reads the
 * courses, when they changed); builds everything when there is no previous snapshot, the log no
 * longer reaches back to it, or the country list changed.
 */
async function refresh(
  store: Store,
  entry: CacheEntry,
  previous: EligibilitySnapshot | undefined,
): Promise<Built> {
  const marks = marksOf(store, entry);
  const started = performance.now();
  const done = (snapshot: EligibilitySnapshot): Built => {
    entry.stats.seconds += (performance.now() - started) / 1000;
    return { snapshot, ...marks };
  };
  const log =
    previous === undefined ? undefined : await readChangesSince(store.db, previous.version);
  if (previous !== undefined && log?.changes !== undefined) {
    const { head, changes } = log;
    if (changes.length === 0) return done({ ...previous, version: head });
    if (!changes.some((c) => c.topic === 'countries')) {
      const records = changes.filter((c) => c.record !== '');
      // Read after the log: they may hold later writes too, which the next refresh reads again.
      const [fetched, courses] = await Promise.all([
        records.length === 0 ? undefined : loadRecordsById(store.db, idsOf(records)),
        changes.some((c) => c.topic === 'courses') ? loadCourseFacts(store.db) : previous.courses,
      ]);
      let { index } = previous;
      let byCountry = previous.records;
      if (fetched !== undefined) {
        const replaced = replaceRecords(previous.records, records, fetched);
        const programs = touchedPrograms(previous.records, replaced, records);
        index = rebuildCountries(
          index,
          replaced.keys(),
          concatRecords(replaced.values()),
          (country) => programs.get(country),
        );
        byCountry = new Map([...previous.records, ...replaced]);
        entry.stats.rebuilds += 1;
        entry.stats.countriesRebuilt += replaced.size;
      }
      return done({
        version: head,
        index,
        records: byCountry,
        courses,
        countries: previous.countries,
      });
    }
  }
  // The counter first: whatever is loaded after it is at least as new.
  const version = log?.head ?? (await readChangeCounter(store.db));
  const [records, courses, countries] = await Promise.all([
    loadEligibilityRecords(store.db, undefined, true),
    loadCourseFacts(store.db),
    readCountries(store.db),
  ]);
  entry.stats.builds += 1;
  return done({
    version,
    index: buildEligibilityIndex(records, historyCoverage),
    records: byCountryOf(records),
    courses,
    countries: new Set(countries.map((c) => c.iso3)),
  });
}

function idsOf(changes: readonly LoggedChange[]) {
  const of = (record: string) => [
    ...new Set(changes.filter((c) => c.record === record).map((c) => c.recordId)),
  ];
  return {
    restrictions: of('restriction'),
    reliefs: of('relief'),
    notifications: of('notification'),
  };
}

const NO_RECORDS: EligibilityRecords = { restrictions: [], reliefs: [], notifications: [] };

/**
 * The records of each country a change touched, with every version of each record read again in
 * place of what was held (a correction adds a version and supersedes the one before).
 */
function replaceRecords(
  held: ReadonlyMap<string, EligibilityRecords>,
  changes: readonly LoggedChange[],
  fetched: EligibilityRecords,
): Map<string, EligibilityRecords> {
  const out = new Map<string, EligibilityRecords>();
  for (const country of new Set(changes.map((c) => c.topic))) {
    const ids = new Set(
      changes.filter((c) => c.topic === country).map((c) => `${c.record}:${c.recordId}`),
    );
    const old = held.get(country) ?? NO_RECORDS;
    out.set(country, {
      restrictions: [
        ...old.restrictions.filter((v) => !ids.has(`restriction:${v.id}`)),
        ...fetched.restrictions.filter((v) => ids.has(`restriction:${v.id}`)),
      ],
      reliefs: [
        ...old.reliefs.filter((v) => !ids.has(`relief:${v.id}`)),
        ...fetched.reliefs.filter((v) => ids.has(`relief:${v.id}`)),
      ],
      notifications: [
        ...old.notifications.filter((n) => !ids.has(`notification:${n.id}`)),
        ...fetched.notifications.filter((n) => ids.has(`notification:${n.id}`)),
      ],
    });
  }
  return out;
}

/** Records being gathered. */
interface Gathered {
  restrictions: EligibilityRecords['restrictions'][number][];
  reliefs: EligibilityRecords['reliefs'][number][];
  notifications: EligibilityRecords['notifications'][number][];
}

/**
 * Per country, the programs whose timelines a change may alter: those of every version, before
 * and after, of each restriction written or whose relief was written. A country where a
 * notification was written is left out: all its programs are built again.
 */
function touchedPrograms(
  held: ReadonlyMap<string, EligibilityRecords>,
  replaced: ReadonlyMap<string, EligibilityRecords>,
  changes: readonly LoggedChange[],
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [country, now] of replaced) {
    const mine = changes.filter((c) => c.topic === country);
    if (mine.some((c) => c.record === 'notification')) continue;
    const before = held.get(country) ?? NO_RECORDS;
    const reliefIds = new Set(mine.filter((c) => c.record === 'relief').map((c) => c.recordId));
    const ids = new Set(mine.filter((c) => c.record === 'restriction').map((c) => c.recordId));
    for (const r of [...before.reliefs, ...now.reliefs])
      if (reliefIds.has(r.id)) ids.add(r.restrictionId);
    const programs = new Set<string>();
    for (const v of [...before.restrictions, ...now.restrictions])
      if (ids.has(v.id)) for (const p of v.programs) programs.add(p);
    out.set(country, programs);
  }
  return out;
}

function concatRecords(parts: Iterable<EligibilityRecords>): Gathered {
  const all: Gathered = { restrictions: [], reliefs: [], notifications: [] };
  for (const part of parts) {
    all.restrictions.push(...part.restrictions);
    all.reliefs.push(...part.reliefs);
    all.notifications.push(...part.notifications);
  }
  return all;
}

/** Records split by country (a relief goes with its restriction's country). */
function byCountryOf(records: EligibilityRecords): Map<string, EligibilityRecords> {
  const countryOf = new Map(records.restrictions.map((v) => [v.id, v.country]));
  const groups = new Map<string, Gathered>();
  const group = (country: string) => {
    let g = groups.get(country);
    if (g === undefined) groups.set(country, (g = concatRecords([])));
    return g;
  };
  for (const v of records.restrictions) group(v.country).restrictions.push(v);
  for (const r of records.reliefs) group(countryOf.get(r.restrictionId) ?? '').reliefs.push(r);
  for (const n of records.notifications) group(n.country).notifications.push(n);
  return groups;
}

/** How the index of `store` has been kept current, and whether it listens (PostgreSQL). */
export function indexStats(store: Store): IndexStats & {
  readonly listening: boolean | null;
  readonly size: number | null;
} {
  const entry = entryOf(store);
  return {
    ...entry.stats,
    listening: store.listen === undefined ? null : hearsChanges(store),
    size: entry.built?.snapshot.index.size ?? null,
  };
}

/** An eligibility question as it arrives at an edge: strings, to be checked. */
export interface EligibilityRequest {
  readonly country: string;
  readonly program: string;
  readonly on: string;
  readonly knownOn?: string | undefined;
  readonly course?: string | undefined;
}

/** Checks one request against the snapshot; `prefix` names the field in a batch (`queries[3].`). */
export function parseEligibilityRequest(
  snapshot: EligibilitySnapshot,
  request: EligibilityRequest,
  clock: () => string,
  prefix = '',
): Result<{
  country: string;
  program: ProgramCode;
  on: IsoDate;
  knownOn: string | null;
  course: CourseFacts | null;
}> {
  const country = request.country.toUpperCase();
  if (!snapshot.countries.has(country))
    return err(notFound('country', request.country, `${prefix}country`));
  const checkedProgram = parseProgramField(`${prefix}program`, request.program);
  if (!checkedProgram.ok) return checkedProgram;
  const program = checkedProgram.value;
  const on = parseDateField(`${prefix}on`, request.on);
  if (!on.ok) return on;
  const knownOn = parseKnownOn(`${prefix}knownOn`, request.knownOn, clock);
  if (!knownOn.ok) return knownOn;
  let course: CourseFacts | null = null;
  if (request.course !== undefined && request.course !== '') {
    const found = snapshot.courses.get(request.course);
    if (found === undefined) return err(notFound('course', request.course, `${prefix}course`));
    course = found;
  }
  return ok({ country, program, on: on.value, knownOn: knownOn.value, course });
}

/** Decides one eligibility question, with reasons, on a snapshot. */
export function decideRequest(
  snapshot: EligibilitySnapshot,
  request: EligibilityRequest,
  clock: () => string,
): Result<Decision> {
  const query = parseEligibilityRequest(snapshot, request, clock);
  if (!query.ok) return query;
  return ok(decide(snapshot.index, query.value));
}

/** Decides one eligibility question, with reasons, on the index as of now. */
export async function checkEligibility(
  ctx: AppContext,
  request: EligibilityRequest,
): Promise<Result<Decision>> {
  return decideRequest(await eligibilitySnapshot(ctx, request.country), request, ctx.clock);
}

export const MAX_BATCH = 10_000;
/** Questions a batch decides before it lets other work run. */
const YIELD_EVERY = 500;

/** Decides up to 10,000 questions, one decision each, in order; any bad question refuses the batch. */
export async function checkEligibilityBatch(
  ctx: AppContext,
  requests: readonly EligibilityRequest[],
): Promise<Result<Decision[]>> {
  if (requests.length > MAX_BATCH) {
    return err(
      invalid('queries', `at most ${MAX_BATCH} queries in one batch (got ${requests.length})`),
    );
  }
  const snapshot = await eligibilitySnapshot(ctx);
  const queries = [];
  for (let i = 0; i < requests.length; i++) {
    if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    const query = parseEligibilityRequest(snapshot, requests[i]!, ctx.clock, `queries[${i}].`);
    if (!query.ok) return query;
    queries.push(query.value);
  }
  // On the one snapshot, a slice at a time, letting other requests in between (a 10,000 batch
  // decides in some 10–20 ms: held in one piece, that is every other request's wait).
  const decisions: Decision[] = [];
  for (let i = 0; i < queries.length; i++) {
    if (i > 0 && i % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    decisions.push(decide(snapshot.index, queries[i]!));
  }
  return ok(decisions);
}
