// A country's timeline, now or as the record stood at an earlier moment.
import { sql } from 'drizzle-orm';
import { buildTimeline, type Timeline } from '../core/eligibility/timeline.js';
import { err, invalid, notFound, ok, type Result } from '../core/result.js';
import { listAllocationVersions } from '../store/allocation.repository.js';
import { loadEligibilityRecords } from '../store/eligibility.repository.js';
import { isoInstant, queryRows } from '../store/raw-sql.js';
import { findCountryRow } from '../store/reference.repository.js';
import type { AppContext } from './context.js';
import { parseInstant } from './eligibility.service.js';

export async function getTimeline(
  ctx: AppContext,
  iso3: string,
  knownOnText?: string,
): Promise<Result<Timeline>> {
  const country = iso3.toUpperCase();
  if ((await findCountryRow(ctx.store.db, country)) === undefined)
    return err(notFound('country', iso3, 'iso3'));
  let knownOn: string | null = null;
  if (knownOnText !== undefined && knownOnText !== '') {
    const parsed = parseInstant(knownOnText);
    if (parsed === undefined)
      return err(
        invalid('knownOn', `not an ISO 8601 timestamp (e.g. 2020-01-02T12:00:00Z): ${knownOnText}`),
      );
    knownOn = parsed;
  }
  const [records, allocations, recorded] = await Promise.all([
    loadEligibilityRecords(ctx.store.db, country),
    listAllocationVersions(ctx.store.db, country),
    queryRows<{ id: string; recordedAt: string }>(
      ctx.store.db,
      sql`select id, ${isoInstant('recorded_at')} as "recordedAt"
          from congressional_notifications where country_iso3 = ${country}`,
    ),
  ]);
  return ok(
    buildTimeline(
      records,
      allocations,
      country,
      knownOn,
      new Map(recorded.map((r) => [r.id, r.recordedAt])),
    ),
  );
}
