// The eligibility engine (DESIGN §4.1): a pure function of the recorded restrictions, reliefs and
// notifications (every version) and a query, returning a decision that names every rule it used.
import type { Decision, EligibilityQuery } from './decision.js';
import {
  entriesOf,
  impreciseNotes,
  keptDecision,
  spanOf,
  type EligibilityIndex,
} from './eligibility-index.js';
import { NO_RESTRICTIONS, dayKey, evaluate, type DecisionBody } from './evaluate.js';

export type * from './decision.js';
export {
  buildEligibilityIndex,
  changeDates,
  rebuildCountries,
  type EligibilityIndex,
} from './eligibility-index.js';

/**
 * Decides one query: eligible iff every restriction applicable on that date (same country, program
 * in scope, date in [from, until)) is relieved by a relief in force that covers the program (and
 * the course). Deterministic; answers "as known on" `knownOn` from the versions recorded by then.
 * Answered from the decision the index keeps for the date's span and state of knowledge, unless
 * the course matters.
 * @example decide(index, { country: 'PAK', program: 'IMET', on: '2020-01-04' }).eligible // true
 */
export function decide(index: EligibilityIndex, query: EligibilityQuery): Decision {
  const knownOn = query.knownOn ?? null;
  const course = query.course ?? null;
  const timeline = index.timelines.get(query.country)?.get(query.program);
  let body: DecisionBody = NO_RESTRICTIONS;
  let precision: readonly string[] = NO_NOTES;
  if (timeline !== undefined) {
    const on = dayKey(query.on);
    const span = spanOf(timeline.bounds, on);
    body =
      keptDecision(timeline, span, knownOn, course !== null) ??
      evaluate(entriesOf(timeline, span), query.program, on, knownOn, course);
    if (timeline.imprecise.length > 0) precision = impreciseNotes(timeline, on, query.on, knownOn);
  }
  return {
    country: query.country,
    program: query.program,
    on: query.on,
    knownOn,
    asOf: knownOn ?? index.recordedThrough,
    course: course?.id ?? null,
    eligible: body.eligible,
    conditions: body.conditions,
    restrictions: body.restrictions,
    pending: body.pending,
    precision,
    coverage: index.coverage?.(query.country, query.on) ?? null,
  };
}

const NO_NOTES: readonly string[] = Object.freeze([]);
