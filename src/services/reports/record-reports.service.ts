// The record's reports as documents (restriction or relief impact, country timeline, participant
// records, positions of prominence), each loaded within the caller's scope: seats and participants
// outside it are left out, as the reads they come from leave them out.
import type { Actor } from '../../core/actor.js';
import { scopeFilter } from '../../core/access.js';
import type { IsoDate } from '../../core/dates.js';
import { known } from '../../core/eligibility/timeline.js';
import { buildImpactReport, seatsOfRelief } from '../../core/reports/impact-report.js';
import { buildProminenceReport } from '../../core/reports/prominence-report.js';
import { buildRecordsReport, type RecordsFound } from '../../core/reports/records-report.js';
import type { ReportDocument } from '../../core/reports/report-document.js';
import { buildTimelineReport, type TimelineAmount } from '../../core/reports/timeline-report.js';
import type { ReliefVersion, RestrictionVersion } from '../../core/restrictions.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import { listAllocationVersions } from '../../store/allocation.repository.js';
import { listReliefVersions, listRestrictionVersions } from '../../store/eligibility.repository.js';
import { findCountryRow } from '../../store/reference.repository.js';
import { listSeatViewsOfRestriction, type SeatView } from '../../store/training.repository.js';
import { seatVisible } from '../access/scope.js';
import { auditRead } from '../audit/audit-read.service.js';
import type { AppContext } from '../context.js';
import { today } from '../context.js';
import { getTimeline } from '../eligibility/timeline.service.js';
import { parseDateField } from '../field-input.js';
import { countryRecords, prominenceList, searchRecords } from '../students/participant.service.js';
import { restrictionImpact } from '../training/training.service.js';

async function countryName(ctx: AppContext, iso3: string): Promise<string> {
  return (await findCountryRow(ctx.store.db, iso3))?.name ?? iso3;
}

/** The document with the caller's scope named on its as-of line, when they do not see all. */
function scoped(doc: ReportDocument, actor: Actor): ReportDocument {
  const note = scopeNote(actor);
  return note === '' ? doc : { ...doc, subtitle: `${doc.subtitle}${note}` };
}

/** What a caller outside "sees all" is shown, for the as-of line. */
function scopeNote(actor: Actor): string {
  const scope = scopeFilter(actor);
  if (scope === null) return '';
  return ` · within your scope (${actor.role}: ${[...scope.countries, ...scope.schools].join(', ') || 'none'})`;
}

export interface ReliefImpact {
  readonly relief: ReliefVersion;
  readonly restriction: RestrictionVersion;
  /** The seats the relief reached that the actor sees. */
  readonly seats: readonly SeatView[];
}

/**
 * What a relief did to seats (the restriction impact covers a restriction only): the seats of its
 * restriction that its end cancelled, held or flagged, and those it released when it took effect.
 */
export async function reliefImpact(
  ctx: AppContext,
  actor: Actor,
  reliefId: string,
): Promise<Result<ReliefImpact>> {
  const relief = (await listReliefVersions(ctx.store.db, reliefId)).at(-1);
  if (relief === undefined) return err(notFound('relief', reliefId, 'relief'));
  const restriction = (await listRestrictionVersions(ctx.store.db, relief.restrictionId)).at(-1);
  if (restriction === undefined)
    return err(notFound('restriction', relief.restrictionId, 'relief'));
  const seats = (await listSeatViewsOfRestriction(ctx.store.db, restriction.id)).filter((s) =>
    seatVisible(actor, s),
  );
  return ok({ relief, restriction, seats: seatsOfRelief(relief, seats) });
}

export interface ImpactQuery {
  readonly restriction?: string | undefined;
  readonly relief?: string | undefined;
}

/** The impact report of a restriction or of a relief (one of the two). */
export async function impactReport(
  ctx: AppContext,
  actor: Actor,
  query: ImpactQuery,
): Promise<Result<ReportDocument>> {
  const restrictionId = query.restriction?.trim() ?? '';
  const reliefId = query.relief?.trim() ?? '';
  if ((restrictionId === '') === (reliefId === ''))
    return err(invalid('restriction', 'name a restriction or a relief (one of the two)'));
  const asOf = today(ctx);
  if (reliefId !== '') {
    const impact = await reliefImpact(ctx, actor, reliefId);
    if (!impact.ok) return impact;
    const { relief, restriction, seats } = impact.value;
    const name = await countryName(ctx, restriction.country);
    const doc = buildImpactReport({ kind: 'relief', relief, restriction }, name, seats, asOf);
    return ok(scoped(doc, actor));
  }
  const impact = await restrictionImpact(ctx, actor, restrictionId);
  if (!impact.ok) return impact;
  const restriction = (await listRestrictionVersions(ctx.store.db, restrictionId)).at(-1)!;
  const name = await countryName(ctx, restriction.country);
  const { seatList } = impact.value;
  return ok(
    scoped(buildImpactReport({ kind: 'restriction', restriction }, name, seatList, asOf), actor),
  );
}

export interface TimelineQuery {
  readonly country: string;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** The record as it stood at this instant (ISO 8601). */
  readonly knownOn?: string | undefined;
}

function optionalDate(field: string, text: string | undefined): Result<IsoDate | undefined> {
  return text === undefined || text === '' ? ok(undefined) : parseDateField(field, text);
}

/**
 * A country's timeline report over a period. Like the timeline it is drawn from, anyone signed in
 * may read it: restrictions, reliefs, notifications and allocations are not personal records.
 */
export async function timelineReport(
  ctx: AppContext,
  _actor: Actor,
  query: TimelineQuery,
): Promise<Result<ReportDocument>> {
  const from = optionalDate('from', query.from);
  if (!from.ok) return from;
  const to = optionalDate('to', query.to);
  if (!to.ok) return to;
  if (from.value !== undefined && to.value !== undefined && to.value < from.value)
    return err(invalid('to', `${to.value} is before from ${from.value}`));
  const timeline = await getTimeline(ctx, query.country, query.knownOn);
  if (!timeline.ok) return timeline;
  const iso3 = timeline.value.country;
  const latest = new Map<string, TimelineAmount & { effectiveFrom: string }>();
  for (const v of await listAllocationVersions(ctx.store.db, iso3)) {
    if (!known(v, timeline.value.knownOn)) continue;
    const key = `${v.program}-${v.fiscalYear}`;
    const held = latest.get(key);
    if (held === undefined || v.effectiveFrom >= held.effectiveFrom) latest.set(key, v);
  }
  const amounts = [...latest.values()].map(({ program, fiscalYear, cents }) => ({
    program,
    fiscalYear,
    cents,
  }));
  return ok(
    buildTimelineReport(
      timeline.value,
      await countryName(ctx, iso3),
      amounts,
      { from: from.value, to: to.value },
      today(ctx),
    ),
  );
}

export interface RecordsReportQuery {
  readonly country: string;
  readonly unit?: string | undefined;
  readonly names?: readonly string[] | undefined;
}

/**
 * The 2347g records export of a country: of a unit, of a list of names, or of every participant;
 * only participants the actor sees (an SCO of another country gets an empty export). The export
 * is a read of personal records, so it is entered in the audit log.
 */
export async function recordsReport(
  ctx: AppContext,
  actor: Actor,
  query: RecordsReportQuery,
): Promise<Result<ReportDocument>> {
  const iso3 = query.country.trim().toUpperCase();
  if (iso3 === '') return err(invalid('country', 'name the country of the records (ISO alpha-3)'));
  const country = await findCountryRow(ctx.store.db, iso3);
  if (country === undefined) return err(notFound('country', query.country, 'country'));
  const unit = query.unit?.trim() ?? '';
  const names = (query.names ?? []).map((n) => n.trim()).filter((n) => n !== '');
  let found: readonly RecordsFound[];
  let asked: string;
  if (unit === '' && names.length === 0) {
    const records = await countryRecords(ctx, actor, iso3);
    if (!records.ok) return records;
    found = [{ query: iso3, records: records.value }];
    asked = 'every participant on record';
  } else {
    const answer = await searchRecords(ctx, actor, { country: iso3, unit, names });
    if (!answer.ok) return answer;
    found = answer.value.results;
    asked =
      unit !== '' ? `unit ${unit}` : `${names.length} name${names.length === 1 ? '' : 's'} asked`;
  }
  const participants = new Set(found.flatMap((f) => f.records.map((r) => r.studentId))).size;
  if (participants > 0)
    await auditRead(ctx, actor, {
      entityType: 'country',
      entityId: iso3,
      reason: `participant records export (22 USC 2347g): ${participants} participants, ${asked}`,
    });
  return ok(
    scoped(
      buildRecordsReport(
        found,
        {
          country: iso3,
          countryName: country.name,
          asked,
          listed: unit !== '' || names.length > 0,
        },
        today(ctx),
      ),
      actor,
    ),
  );
}

/** A country's positions-of-prominence report, of the participants the actor sees. */
export async function prominenceReport(
  ctx: AppContext,
  actor: Actor,
  country: string,
): Promise<Result<ReportDocument>> {
  const list = await prominenceList(ctx, actor, country);
  if (!list.ok) return list;
  const iso3 = country.trim().toUpperCase();
  const name = await countryName(ctx, iso3);
  return ok(scoped(buildProminenceReport(list.value, { iso3, name }, today(ctx)), actor));
}
