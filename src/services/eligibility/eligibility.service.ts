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
  loadChangedRecords,
  readChangeCounter,
  readChangesSince,
  type LoggedChange,
} from '../../store/eligibility.repository.js';
import { readCountries } from '../../store/reference.repository.js';
import type { OwnEligibilityWrite, Store } from '../../store/database.js';
import { ELIGIBILITY_AT, hearsChanges, subscribeChanges } from '../change-feed.js';
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

/**
 * A snapshot and the epoch its refresh began in. It holds every change the log records up to its
 * version (the log's head when it was read), and possibly later ones.
 */
interface Built {
  readonly snapshot: EligibilitySnapshot;
  /** The entry's epoch when its refresh began: events of the listening connection up to it are in. */
  readonly epoch: number;
}

/**
 * What an answer must hold: the epoch it was asked in, and the change log up to `through` (the
 * latest change of its country, or of any, that this process wrote or heard of).
 */
interface Needed {
  readonly epoch: number;
  readonly through: number;
}

const holds = (built: Built, needed: Needed) =>
  built.epoch >= needed.epoch && built.snapshot.version >= needed.through;

interface CacheEntry {
  built?: Built;
  /** The refresh under way. */
  refreshing?: { readonly epoch: number; readonly done: Promise<Built> };
  /**
   * Moves on every (re)connection and loss of the listening connection, every change of the courses
   * or the country list heard and, while not listening, every question: a snapshot whose refresh
   * began before the current epoch may miss a write.
   */
  epoch: number;
  /**
   * Where the latest change heard of stands in the change log, of any country and of each: a
   * snapshot read to a version before a country's is stale for that country only, and answers
   * questions about every other one.
   */
  heard: number;
  readonly heardAt: Map<string, number>;
  /** What the index took: whole builds and country rebuilds, for metrics. */
  readonly stats: IndexStats;
}

/** How the index has been kept current, for /metrics and the health page. */
export interface IndexStats {
  builds: number;
  rebuilds: number;
  countriesRebuilt: number;
  /** This process's writes taken in as they returned, from what each read in its transaction. */
  ownWritesApplied: number;
  /** Of those, the ones worked out before their commit (on the index they followed, still held). */
  ownWritesPrepared: number;
  /** Seconds spent building and rebuilding. */
  seconds: number;
  notifications: number;
  reconnections: number;
}

const cache = new WeakMap<Store, CacheEntry>();

function entryOf(store: Store): CacheEntry {
  let entry = cache.get(store);
  if (entry === undefined) {
    const created: CacheEntry = {
      epoch: 0,
      heard: 0,
      heardAt: new Map(),
      stats: {
        builds: 0,
        rebuilds: 0,
        countriesRebuilt: 0,
        ownWritesApplied: 0,
        ownWritesPrepared: 0,
        seconds: 0,
        notifications: 0,
        reconnections: 0,
      },
    };
    entry = created;
    cache.set(store, created);
    // On PGlite too: SQL run beside the road in this process (a script, a test) is heard.
    if (store.listen !== undefined || store.pglite !== undefined) listenForChanges(store, created);
    store.eligibilityWrites.prepare = (write) => prepareOwnWrite(created, write);
    store.eligibilityWrites.settled = () => {
      applyOwnWrites(store, created);
      // A notification passed over while the write committed, and the write not taken in.
      if ((created.built?.snapshot.version ?? 0) < created.heard) refreshSoon(store);
    };
  }
  return entry;
}

/** `eligibility@<seq>:<topic>` (migration 0026): where a change stands in the log, and its topic. */
function positionedTopic(payload: string): { seq: number; topic: string } | undefined {
  if (!payload.startsWith(ELIGIBILITY_AT)) return undefined;
  const colon = payload.indexOf(':', ELIGIBILITY_AT.length);
  const seq = Number(payload.slice(ELIGIBILITY_AT.length, colon));
  return colon < 0 || !Number.isSafeInteger(seq)
    ? undefined
    : { seq, topic: payload.slice(colon + 1) };
}

/**
 * Listens for other servers' writes: each notification of a change the index does not hold yet
 * (and each reconnection, after which some may have been missed) refreshes at once, so the next
 * answer need not.
 */
function listenForChanges(store: Store, entry: CacheEntry): void {
  subscribeChanges(store, {
    notified(payload) {
      // Accounts, tokens, or records the index does not hold; and the forms of the versions
      // before, which those naming where the change stands follow in the same transaction.
      const change = positionedTopic(payload);
      if (change === undefined) return;
      entry.stats.notifications += 1;
      if (change.topic === 'countries' || change.topic === 'courses') entry.epoch += 1;
      else {
        entry.heard = Math.max(entry.heard, change.seq);
        entry.heardAt.set(change.topic, Math.max(entry.heardAt.get(change.topic) ?? 0, change.seq));
        // Held already (this process's own write, taken in when it returned), or to be taken in
        // as its commit returns (the notification came first).
        if (entry.built !== undefined && entry.built.snapshot.version >= change.seq) return;
        for (const w of store.eligibilityWrites.committing)
          if (w.since < change.seq && change.seq <= w.head) return;
      }
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
 * What an answer about `country` (every country's when none is named) must hold now: every change
 * of its records (and of the courses and countries) this process wrote or heard of.
 */
function neededNow(store: Store, entry: CacheEntry, country?: string): Needed {
  const own = store.eligibilityWrites;
  const through =
    country === undefined
      ? Math.max(own.latest, entry.heard)
      : Math.max(own.byCountry.get(country) ?? 0, entry.heardAt.get(country) ?? 0);
  return { epoch: entry.epoch, through: Math.max(through, own.everything) };
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
  if (built === undefined || built.epoch !== entry.epoch) return false;
  if (store.listen !== undefined && !hearsChanges(store)) return false;
  return holds(built, neededNow(store, entry, country));
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
  const held = entry.built;
  if (held !== undefined && isCurrent(store, entry, held, country)) return held.snapshot;
  // Not listening: no notification would say another server wrote; read the log for this question.
  if (store.listen !== undefined && !hearsChanges(store)) entry.epoch += 1;
  const needed = neededNow(store, entry, country);
  for (;;) {
    const under = entry.refreshing;
    if (under === undefined) break;
    // A refresh that read the log past what this question needs answers it: known once it is done.
    if (under.epoch >= needed.epoch) {
      const built = await under.done;
      if (holds(built, needed)) return built.snapshot;
    } else await under.done.catch(() => undefined);
    if (entry.built !== undefined && holds(entry.built, needed)) return entry.built.snapshot;
  }
  const refreshing = { epoch: needed.epoch, done: refresh(store, entry, entry.built?.snapshot) };
  entry.refreshing = refreshing;
  try {
    const built = await refreshing.done;
    install(entry, built);
    return built.snapshot;
  } finally {
    if (entry.refreshing === refreshing) delete entry.refreshing;
  }
}

/** Keeps `built` unless the entry holds a later version of the log already. */
function install(entry: CacheEntry, built: Built): void {
  const held = entry.built;
  if (held === undefined || held.snapshot.version < built.snapshot.version) entry.built = built;
  else if (held.snapshot.version === built.snapshot.version && held.epoch < built.epoch)
    entry.built = built;
}

/**
 * Takes in this process's writes that follow the index as it stands (the first began where the
 * index was read to), from what each read in its own transaction: nothing is read again. A write
 * that does not follow it (another server wrote between) is left to a refresh.
 */
function applyOwnWrites(store: Store, entry: CacheEntry): void {
  const recent = store.eligibilityWrites.recent;
  for (;;) {
    const built = entry.built;
    if (built === undefined) return;
    const version = built.snapshot.version;
    while (recent.length > 0 && recent[0]!.head <= version) recent.shift();
    const next = recent.find((w) => w.since === version);
    if (next?.read === undefined) return;
    const ready = prepared.get(next);
    prepared.delete(next);
    let snapshot: EligibilitySnapshot;
    if (ready?.from === built.snapshot) {
      snapshot = ready.to;
      entry.stats.ownWritesPrepared += 1;
    } else snapshot = applyOwnWrite(entry, built.snapshot, next.head, next.read);
    entry.stats.ownWritesApplied += 1;
    entry.built = { snapshot, epoch: built.epoch };
  }
}

/**
 * The index with a write of this process taken in, worked out before the write commits (from
 * what it read in its transaction) on the index it follows: the commit's return then only puts
 * it in place, unless the index has moved meanwhile (then it is worked out again).
 */
const prepared = new WeakMap<
  OwnEligibilityWrite,
  { readonly from: EligibilitySnapshot; readonly to: EligibilitySnapshot }
>();

function prepareOwnWrite(entry: CacheEntry, write: OwnEligibilityWrite): void {
  const from = entry.built?.snapshot;
  if (from === undefined || write.read === undefined || from.version !== write.since) return;
  prepared.set(write, { from, to: applyOwnWrite(entry, from, write.head, write.read) });
}

/** `snapshot` with a write of this process taken in, from what it read (timed for the stats). */
function applyOwnWrite(
  entry: CacheEntry,
  snapshot: EligibilitySnapshot,
  head: number,
  read: NonNullable<OwnEligibilityWrite['read']>,
): EligibilitySnapshot {
  const started = performance.now();
  const to = applyChanges(snapshot, head, read.changes, read.records);
  entry.stats.seconds += (performance.now() - started) / 1000;
  return to;
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
  const epoch = entry.epoch;
  const started = performance.now();
  const done = (snapshot: EligibilitySnapshot): Built => {
    entry.stats.seconds += (performance.now() - started) / 1000;
    return { snapshot, epoch };
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
        records.length === 0 ? undefined : loadChangedRecords(store.db, records, true),
        changes.some((c) => c.topic === 'courses') ? loadCourseFacts(store.db) : previous.courses,
      ]);
      if (fetched !== undefined) {
        entry.stats.rebuilds += 1;
        entry.stats.countriesRebuilt += new Set(records.map((c) => c.topic)).size;
      }
      return done(applyChanges({ ...previous, courses }, head, records, fetched ?? NO_RECORDS));
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

/**
 * `previous` with the records `changes` name replaced by `fetched` (every version of each) and
 * their countries' timelines built again: the snapshot as of log version `head`.
 */
function applyChanges(
  previous: EligibilitySnapshot,
  head: number,
  changes: readonly LoggedChange[],
  fetched: EligibilityRecords,
): EligibilitySnapshot {
  const records = changes.filter((c) => c.record !== '');
  if (records.length === 0) return { ...previous, version: head };
  const replaced = replaceRecords(previous.records, records, fetched);
  const programs = touchedPrograms(previous.records, replaced, records);
  return {
    ...previous,
    version: head,
    index: rebuildCountries(
      previous.index,
      replaced.keys(),
      concatRecords(replaced.values()),
      (country) => programs.get(country),
    ),
    records: new Map([...previous.records, ...replaced]),
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
    const mine = changes.filter((c) => c.topic === country);
    const ids = (record: string) =>
      new Set(mine.filter((c) => c.record === record).map((c) => c.recordId));
    const [restrictions, reliefs, notifications] = [
      ids('restriction'),
      ids('relief'),
      ids('notification'),
    ];
    const old = held.get(country) ?? NO_RECORDS;
    out.set(country, {
      restrictions:
        restrictions.size === 0
          ? old.restrictions
          : [
              ...old.restrictions.filter((v) => !restrictions.has(v.id)),
              ...fetched.restrictions.filter((v) => restrictions.has(v.id)),
            ],
      reliefs:
        reliefs.size === 0
          ? old.reliefs
          : [
              ...old.reliefs.filter((v) => !reliefs.has(v.id)),
              ...fetched.reliefs.filter((v) => reliefs.has(v.id)),
            ],
      notifications:
        notifications.size === 0
          ? old.notifications
          : [
              ...old.notifications.filter((n) => !notifications.has(n.id)),
              ...fetched.notifications.filter((n) => notifications.has(n.id)),
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
    if (reliefIds.size > 0)
      for (const reliefs of [before.reliefs, now.reliefs])
        for (const r of reliefs) if (reliefIds.has(r.id)) ids.add(r.restrictionId);
    const programs = new Set<string>();
    for (const restrictions of [before.restrictions, now.restrictions])
      for (const v of restrictions) if (ids.has(v.id)) for (const p of v.programs) programs.add(p);
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
