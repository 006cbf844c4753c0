// Applies the suspension cascade inside the transaction of the record that caused it: one audit
// entry per seat. A dry run of the same write previews exactly this.
import { planCascade, seatsInReach, type CascadePlan } from '../../core/cascade.js';
import { buildEligibilityIndex, type EligibilityRecords } from '../../core/eligibility/engine.js';
import { prepareAudit, type AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import { loadEligibilityRecords } from '../../store/eligibility.repository.js';
import { applySeatChanges, loadCascadeSeats } from '../../store/training.repository.js';

/** What a change did (or, in a dry run, would do) to seats. */
export type Impact = CascadePlan['summary'] & { readonly changes: CascadePlan['changes'] };

export function impactOf(plan: CascadePlan): Impact {
  return { ...plan.summary, changes: plan.changes };
}

/** The country's records before a change, to compare with after it. */
export function recordsBefore(tx: Executor, country: string): Promise<EligibilityRecords> {
  return loadEligibilityRecords(tx, country);
}

const letOthersIn = () => new Promise((resolve) => setImmediate(resolve));

/** The index of no records: what a cascade reaching no seat compares. */
const EMPTY_INDEX = buildEligibilityIndex({ restrictions: [], reliefs: [], notifications: [] });

/** What a cascade reaching no seat does: nothing (made afresh: a caller may add to it). */
const nothingReached = (): { impact: Impact; audit: AuditRecord[] } => ({
  impact: impactOf(planCascade([], EMPTY_INDEX, EMPTY_INDEX)),
  audit: [],
});

/**
 * Whether `after` is `earlier` with restriction versions added and nothing else changed (a new
 * restriction): eligibility then changes on those versions' days alone, and the seats of other
 * classes keep their verdicts, so they are not judged (none at all for a restriction of years
 * gone by).
 */
function onlyNewVersions(earlier: EligibilityRecords, after: EligibilityRecords): boolean {
  if (earlier.reliefs !== after.reliefs || earlier.notifications !== after.notifications)
    return false;
  const held = new Set(after.restrictions);
  return earlier.restrictions.every((v) => held.has(v));
}

function newVersions(earlier: EligibilityRecords, after: EligibilityRecords) {
  const held = new Set(earlier.restrictions);
  return after.restrictions.filter((v) => !held.has(v));
}

/**
 * Compares the country's eligibility before and after the change just written in `tx`, and
 * cancels, holds, flags or releases the seats it reaches, each dated by the day eligibility turned
 * for it (its audit entry keeps `now`, the instant it was written); returns the impact and its
 * audit entries. `before` is the country's records read before the change, or how to tell them
 * from the records after it (a new restriction: all of them but its own). A country with no seat
 * to reach has nothing to compare: its records are not read again.
 */
export async function cascade(
  tx: Executor,
  country: string,
  before: EligibilityRecords | ((after: EligibilityRecords) => EligibilityRecords),
  now: string,
): Promise<{ impact: Impact; audit: AuditRecord[] }> {
  const open = await loadCascadeSeats(tx, country);
  if (open.length === 0) return nothingReached();
  const after = await loadEligibilityRecords(tx, country);
  const earlier = typeof before === 'function' ? before(after) : before;
  const seats = onlyNewVersions(earlier, after)
    ? seatsInReach(open, newVersions(earlier, after))
    : open;
  if (seats.length === 0) return nothingReached();
  // Judged and dated on the day eligibility turns for each seat; `now` only stamps the writes.
  // Only the timelines of the seats' programs are asked: the others are not built (a country of
  // hundreds of versions in a dozen programs, with no seat reached, builds none).
  const programs: ReadonlySet<string> = new Set(seats.map((seat) => seat.program));
  const only = () => programs;
  // Three pieces of work on the one thread, each some milliseconds for a country of hundreds of
  // versions: other requests (reads of this server) are let in between them.
  const beforeIndex = buildEligibilityIndex(earlier, undefined, only);
  await letOthersIn();
  const afterIndex = buildEligibilityIndex(after, undefined, only);
  await letOthersIn();
  const plan = planCascade(seats, beforeIndex, afterIndex);
  // The seats are written while their audit entries are put together, down to the text each
  // entry will hash and store (what is left for the append is the chain: sequence and hashes).
  const applying = applySeatChanges(
    tx,
    plan.changes,
    new Map(seats.map((seat) => [seat.id, seat.lineId])),
    now,
  );
  // Seen at the await below; a refusal arriving before it is not an unhandled rejection.
  void applying.catch(() => undefined);
  // A statement goes out only as this thread lets it: let it out (and other requests in).
  await letOthersIn();
  const audit = plan.changes.map((c): AuditRecord => ({
    action: `seat.${c.kind}`,
    entityType: 'seat',
    entityId: c.seatId,
    before: { status: c.from },
    after: {
      status: c.to,
      on: c.on,
      restrictionId: c.restrictionId,
      penaltyCents: c.penaltyCents,
      flagged: c.kind === 'flag',
    },
    reason: c.reason,
  }));
  prepareAudit(audit);
  await applying;
  return { impact: impactOf(plan), audit };
}
