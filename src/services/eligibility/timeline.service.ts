// A country's timeline, now or as the record stood at an earlier moment.
import { sql } from 'drizzle-orm';
import { buildTimeline, type Timeline } from '../../core/eligibility/timeline.js';
import { err, notFound, ok, type Result } from '../../core/result.js';
import { listAllocationVersions } from '../../store/allocation.repository.js';
import { loadEligibilityRecords } from '../../store/eligibility.repository.js';
import { isoInstant, queryRows } from '../../store/raw-sql.js';
import { findCountryRow } from '../../store/reference.repository.js';
import type { AppContext } from '../context.js';
import { parseKnownOn } from '../field-input.js';

export async function getTimeline(
  ctx: AppContext,
  iso3: string,
  knownOnText?: string,
): Promise<Result<Timeline>> {
  const country = iso3.toUpperCase();
  if ((await findCountryRow(ctx.store.db, country)) === undefined)
    return err(notFound('country', iso3, 'iso3'));
  const asked = parseKnownOn('knownOn', knownOnText, ctx.clock);
  if (!asked.ok) return asked;
  const knownOn = asked.value;
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
