// A restriction recorded in the background (`restriction.record`): what POST /restrictions does,
// asked with `Prefer: respond-async`, for a restriction whose cascade reaches many seats. Its one
// write is recorded with the job, so a run after its server died ends with what that write
// answered, or records it from the start when it never committed (decision 014).
import { err, invalid, ok, type Result } from '../../core/result.js';
import type { JobHandler } from '../jobs/job-handler.js';
import { recordRestriction, type RestrictionInput } from './restriction.service.js';

export const RECORD_RESTRICTION_JOB = 'restriction.record';

const REQUIRED = ['country', 'kind', 'from', 'basis', 'authority'] as const;
const OPTIONAL = [
  'until',
  'source',
  'seatPolicy',
  'courseFilter',
  'determinedOn',
  'description',
] as const;

/** The shape of a restriction as POST /restrictions takes it; its content is checked on record. */
export function parseRestrictionJob(input: unknown): Result<RestrictionInput> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return err(invalid('body', 'a restriction, as POST /restrictions takes it'));
  const fields = input as Record<string, unknown>;
  const known = new Set<string>([...REQUIRED, ...OPTIONAL, 'scope']);
  const stray = Object.keys(fields).find((key) => !known.has(key));
  if (stray !== undefined) return err(invalid(stray, 'not a field of a restriction'));
  for (const name of REQUIRED)
    if (typeof fields[name] !== 'string') return err(invalid(name, 'required: text'));
  for (const name of OPTIONAL) {
    const value = fields[name];
    if (value !== undefined && value !== null && typeof value !== 'string')
      return err(invalid(name, 'text, or null'));
  }
  const { scope } = fields;
  if (!Array.isArray(scope) || !scope.every((s) => typeof s === 'string'))
    return err(invalid('scope', 'required: a list of programs'));
  return ok(fields as unknown as RestrictionInput);
}

export const recordRestrictionJob: JobHandler<RestrictionInput> = {
  kind: RECORD_RESTRICTION_JOB,
  capability: 'restrictions.write',
  rerunnable: true,
  parseInput: parseRestrictionJob,
  // A run after its write committed ends with that write's answer (src/services/jobs/job-execution.ts).
  async run(ctx, actor, input, progress, job) {
    progress(0, 1, `recording the restriction of ${input.country} and applying it to its seats`);
    const recorded = await recordRestriction(ctx, actor, input, { job: job.id });
    if (!recorded.ok) return recorded;
    const { impact } = recorded.value;
    progress(1, 1, `recorded ${recorded.value.id}: ${impact.changes.length} seats changed`);
    return ok({ summary: recorded.value });
  },
};
