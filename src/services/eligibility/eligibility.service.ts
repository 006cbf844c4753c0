// Eligibility queries, answered from an in-memory index that is checked for freshness before every
// answer: by this process's own writes on the embedded database, by the change counter on PostgreSQL.
import { historyCoverage } from '../history/coverage-table.js';
import type { IsoDate } from '../../core/dates.js';
import {
  buildEligibilityIndex,
  decide,
  type CourseFacts,
  type Decision,
  type EligibilityIndex,
} from '../../core/eligibility/engine.js';
import { type ProgramCode } from '../../core/programs.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import {
  loadCourseFacts,
  loadEligibilityRecords,
  readChangeCounter,
} from '../../store/eligibility.repository.js';
import { readCountries } from '../../store/reference.repository.js';
import type { Store } from '../../store/database.js';
import type { AppContext } from '../context.js';
import { parseDateField, parseKnownOn, parseProgramField } from '../field-input.js';

export interface EligibilitySnapshot {
  readonly version: number;
  readonly index: EligibilityIndex;
  readonly courses: ReadonlyMap<string, CourseFacts>;
  readonly countries: ReadonlySet<string>;
}

interface CacheEntry {
  snapshot?: EligibilitySnapshot;
  loading?: Promise<EligibilitySnapshot>;
}

const cache = new WeakMap<Store, CacheEntry>();

async function currentVersion(store: Store): Promise<number> {
  return store.pgPool === undefined ? store.writes.count : readChangeCounter(store.db);
}

/**
 * The index, without waiting, when it is known to be current: on the embedded database (one
 * process writes, see data-dir-lock) when nothing was written since it was built. Undefined
 * otherwise (PostgreSQL, where another process may have written: ask eligibilitySnapshot).
 */
export function currentSnapshot(ctx: AppContext): EligibilitySnapshot | undefined {
  const { store } = ctx;
  if (store.pgPool !== undefined) return undefined;
  const snapshot = cache.get(store)?.snapshot;
  return snapshot?.version === store.writes.count ? snapshot : undefined;
}

/** The index as of now: rebuilt when anyone wrote since it was built. */
export async function eligibilitySnapshot(ctx: AppContext): Promise<EligibilitySnapshot> {
  const { store } = ctx;
  let entry = cache.get(store);
  if (entry === undefined) {
    entry = {};
    cache.set(store, entry);
  }
  const version = await currentVersion(store);
  if (entry.snapshot?.version === version) return entry.snapshot;
  if (entry.loading !== undefined) {
    const loading = await entry.loading;
    if (loading.version === version) return loading;
  }
  const target = entry;
  const loading = (async () => {
    const [records, courses, countries] = await Promise.all([
      loadEligibilityRecords(store.db),
      loadCourseFacts(store.db),
      readCountries(store.db),
    ]);
    return {
      version,
      index: buildEligibilityIndex(records, historyCoverage),
      courses,
      countries: new Set(countries.map((c) => c.iso3)),
    };
  })();
  target.loading = loading;
  try {
    const snapshot = await loading;
    if (target.snapshot === undefined || target.snapshot.version <= snapshot.version)
      target.snapshot = snapshot;
    return snapshot;
  } finally {
    if (target.loading === loading) delete target.loading;
  }
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
  return decideRequest(await eligibilitySnapshot(ctx), request, ctx.clock);
}

export const MAX_BATCH = 10_000;

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
  const decisions: Decision[] = [];
  for (let i = 0; i < requests.length; i++) {
    const query = parseEligibilityRequest(snapshot, requests[i]!, ctx.clock, `queries[${i}].`);
    if (!query.ok) return query;
    decisions.push(decide(snapshot.index, query.value));
  }
  return ok(decisions);
}
