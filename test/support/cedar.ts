// An independent model of eligibility in Cedar: records (as known at an instant) become a policy set.
//
// Permit by default; one `forbid … when { applies } unless { relieved };` per restriction version.
// The request carries everything in its context, because Cedar compares dates only as numbers:
// `day` is the query date as days since 1970-01-01.
import {
  preparsePolicySet,
  statefulIsAuthorized,
  type Context,
} from '@cedar-policy/cedar-wasm/nodejs';
import type { IsoDate } from '../../src/core/dates.js';
import type { EligibilityQuery, EligibilityRecords } from '../../src/core/eligibility/engine.js';
import { findReliefRule } from '../../src/core/eligibility/relief-rules.js';
import type { ReliefVersion, RestrictionVersion } from '../../src/core/restrictions.js';

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a calendar date. */
export function epochDay(date: IsoDate): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** Whether a version is part of the record as known at `knownOn` (null: the current versions). */
function known(
  v: { readonly recordedAt: string; readonly supersededAt: string | null },
  knownOn: string | null,
): boolean {
  if (knownOn === null) return v.supersededAt === null;
  return v.recordedAt <= knownOn && (v.supersededAt === null || knownOn < v.supersededAt);
}

/** Cedar string literal; our ids and codes are plain ASCII, anything else is a test bug. */
function str(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`not a plain ASCII string: ${text}`);
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function set(values: readonly string[]): string {
  return `[${values.map(str).join(', ')}]`;
}

function dayRange(v: { readonly from: IsoDate; readonly until: IsoDate | null }): string {
  const from = `context.day >= ${epochDay(v.from)}`;
  return v.until === null ? from : `${from} && context.day < ${epochDay(v.until)}`;
}

/** When a relief of `restriction` relieves it: in force, covering the program and the course. */
function reliefCondition(restriction: RestrictionVersion, relief: ReliefVersion): string {
  const parts = [dayRange(relief)];
  // Whole-scope reliefs (certification, rescission…) follow the kind of this very version.
  if (findReliefRule(restriction.kind, relief.type, relief.grounds)?.wholeScope !== true)
    parts.push(`${set(relief.programs)}.contains(context.program)`);
  const courseLimits: string[] = [];
  if (relief.schoolIds !== null && relief.schoolIds.length > 0)
    courseLimits.push(`${set(relief.schoolIds)}.contains(context.courseSchool)`);
  if (relief.courseIds !== null && relief.courseIds.length > 0)
    courseLimits.push(`${set(relief.courseIds)}.contains(context.courseId)`);
  if (courseLimits.length > 0) parts.push(`(!context.hasCourse || ${courseLimits.join(' || ')})`);
  return `(${parts.join(' && ')})`;
}

function forbid(restriction: RestrictionVersion, reliefs: readonly ReliefVersion[]): string {
  const applies = [
    `context.country == ${str(restriction.country)}`,
    `${set(restriction.programs)}.contains(context.program)`,
    dayRange(restriction),
  ].join(' && ');
  const relieved = reliefs.map((r) => reliefCondition(restriction, r));
  // A proviso without a relief in force allows its course filter: any course-less query, and
  // E-IMET courses when the filter is E-IMET.
  if (restriction.kind === 'proviso' && restriction.courseFilter !== null)
    relieved.push(
      restriction.courseFilter === 'E-IMET'
        ? '(!context.hasCourse || context.courseEImet)'
        : '!context.hasCourse',
    );
  const unless = relieved.length === 0 ? '' : ` unless { ${relieved.join(' || ')} }`;
  return `forbid(principal, action, resource) when { ${applies} }${unless};`;
}

/**
 * The Cedar policies of the records as known at `knownOn` (null: as known now), by policy id:
 * `default` permits, and `<restriction id>@v<version>` forbids for each version then known.
 */
export function cedarPolicies(
  records: EligibilityRecords,
  knownOn: string | null,
): Record<string, string> {
  const reliefsOf = new Map<string, ReliefVersion[]>();
  for (const r of records.reliefs) {
    if (!known(r, knownOn)) continue;
    const list = reliefsOf.get(r.restrictionId);
    if (list === undefined) reliefsOf.set(r.restrictionId, [r]);
    else list.push(r);
  }
  const policies: Record<string, string> = {
    default: 'permit(principal, action, resource);',
  };
  for (const v of records.restrictions) {
    if (known(v, knownOn)) policies[`${v.id}@v${v.version}`] = forbid(v, reliefsOf.get(v.id) ?? []);
  }
  return policies;
}

/** A policy set parsed once into Cedar's cache, under `id`. */
export interface CedarPolicySet {
  readonly id: string;
  /** Number of policies, the default permit included. */
  readonly size: number;
  /** Replaces the cached set by an empty one (cedar-wasm has no call to drop a set). */
  free(): void;
}

/** Translates the records as known at `knownOn` and preparses them under `id` (replacing any set there). */
export function loadCedarPolicySet(
  id: string,
  records: EligibilityRecords,
  knownOn: string | null,
): CedarPolicySet {
  const policies = cedarPolicies(records, knownOn);
  const answer = preparsePolicySet(id, { staticPolicies: policies });
  if (answer.type === 'failure')
    throw new Error(
      `Cedar refused the policy set ${id}: ${answer.errors.map((e) => e.message).join('; ')}`,
    );
  return {
    id,
    size: Object.keys(policies).length,
    free: () => freeCedarPolicySet(id),
  };
}

export function freeCedarPolicySet(id: string): void {
  preparsePolicySet(id, { staticPolicies: {} });
}

/** The request context of a query; every attribute is always present so no policy errors. */
export function cedarContext(query: EligibilityQuery): Context {
  const course = query.course ?? null;
  return {
    country: query.country,
    program: query.program,
    day: epochDay(query.on),
    hasCourse: course !== null,
    courseId: course?.id ?? '',
    courseSchool: course?.schoolId ?? '',
    courseEImet: course?.eImet ?? false,
  };
}

const PRINCIPAL = { type: 'Attache::Country', id: 'query' };
const ACTION = { type: 'Attache::Action', id: 'train' };
const RESOURCE = { type: 'Attache::Program', id: 'query' };

/**
 * Cedar's answer for a query against a preparsed set (translated for the query's `knownOn`):
 * true (allow) means eligible. Throws when Cedar fails or a policy errors, since an erroring
 * forbid would silently allow.
 */
export function cedarDecide(policySetId: string, query: EligibilityQuery): boolean {
  const answer = statefulIsAuthorized({
    principal: PRINCIPAL,
    action: ACTION,
    resource: RESOURCE,
    context: cedarContext(query),
    preparsedPolicySetId: policySetId,
    entities: [],
  });
  if (answer.type === 'failure')
    throw new Error(`Cedar failed: ${answer.errors.map((e) => e.message).join('; ')}`);
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length > 0)
    throw new Error(
      `Cedar policy errors: ${diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`).join('; ')}`,
    );
  return decision === 'allow';
}
