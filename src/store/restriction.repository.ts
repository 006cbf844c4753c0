// Restrictions, reliefs and notifications: identity rows plus bitemporal versions; nothing is overwritten.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../core/dates.js';
import type {
  CongressionalNotification,
  DateQuality,
  ReliefVersion,
  RestrictionVersion,
} from '../core/restrictions.js';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';
import {
  congressionalNotifications,
  reliefVersions,
  reliefs,
  restrictionSpans,
  restrictionVersions,
  restrictions,
} from './schema.js';

/** Inserts a new restriction with its first version (and the spans its overlap constraint needs). */
export async function insertRestriction(tx: Executor, v: RestrictionVersion): Promise<void> {
  await tx
    .insert(restrictions)
    .values({ id: v.id, countryIso3: v.country, createdAt: v.recordedAt });
  await insertRestrictionVersion(tx, v);
}

export async function insertRestrictionVersion(tx: Executor, v: RestrictionVersion): Promise<void> {
  await tx.insert(restrictionVersions).values({
    restrictionId: v.id,
    version: v.version,
    kind: v.kind,
    scope: [...v.scope],
    programs: [...v.programs],
    courseFilter: v.courseFilter,
    dateQuality: v.dateQuality,
    untilQuality: v.untilQuality,
    basis: v.basis,
    authority: v.authority,
    determinedOn: v.determinedOn,
    validFrom: v.from,
    validUntil: v.until,
    seatPolicy: v.seatPolicy,
    source: v.source,
    description: v.description,
    liftNotificationId: v.liftNotificationId,
    importRunId: v.importRunId,
    recordedAt: v.recordedAt,
    supersededAt: v.supersededAt,
    recordedBy: v.recordedBy,
  });
  await tx.insert(restrictionSpans).values(
    v.programs.map((programCode) => ({
      restrictionId: v.id,
      version: v.version,
      programCode,
      countryIso3: v.country,
      kind: v.kind,
      validFrom: v.from,
      validUntil: v.until,
      supersededAt: v.supersededAt,
    })),
  );
}

export async function insertRelief(tx: Executor, v: ReliefVersion): Promise<void> {
  await tx
    .insert(reliefs)
    .values({ id: v.id, restrictionId: v.restrictionId, createdAt: v.recordedAt });
  await insertReliefVersion(tx, v);
}

/** Inserts one version of an existing relief. */
export async function insertReliefVersion(tx: Executor, v: ReliefVersion): Promise<void> {
  await tx.insert(reliefVersions).values({
    reliefId: v.id,
    version: v.version,
    type: v.type,
    grounds: v.grounds,
    programs: [...v.programs],
    courseIds: v.courseIds === null ? null : [...v.courseIds],
    schoolIds: v.schoolIds === null ? null : [...v.schoolIds],
    notificationId: v.notificationId,
    validFrom: v.from,
    validUntil: v.until,
    dateQuality: v.dateQuality,
    untilQuality: v.untilQuality,
    scopeStated: v.scopeStated,
    authority: v.authority,
    justification: v.justification,
    source: v.source,
    importRunId: v.importRunId,
    recordedAt: v.recordedAt,
    supersededAt: v.supersededAt,
    recordedBy: v.recordedBy,
  });
}

export async function insertNotification(
  tx: Executor,
  n: CongressionalNotification,
  recordedAt: string,
  recordedBy: string,
): Promise<void> {
  await tx.insert(congressionalNotifications).values({
    id: n.id,
    countryIso3: n.country,
    subject: n.subject,
    notifiedOn: n.notifiedOn,
    waitDays: n.waitDays,
    windowEndsOn: n.windowEndsOn,
    source: n.source,
    recordedAt,
    recordedBy,
  });
}

/** A restriction in force on a date, with the reliefs of it in force that day. */
export interface RestrictionInForce {
  readonly id: string;
  readonly country: string;
  readonly kind: string;
  readonly scope: readonly string[];
  readonly programs: readonly string[];
  readonly basis: string;
  readonly authority: string;
  readonly from: string;
  readonly until: string | null;
  /** How precisely `from` and `until` are known (null: as recorded). */
  readonly dateQuality: DateQuality | null;
  readonly untilQuality: DateQuality | null;
  readonly source: string | null;
  readonly reliefs: readonly {
    readonly id: string;
    readonly type: string;
    readonly programs: readonly string[];
    readonly from: string;
    readonly until: string | null;
    readonly dateQuality: DateQuality | null;
    readonly untilQuality: DateQuality | null;
    /** False: its source does not say which programs it covers (never relied on). */
    readonly scopeStated: boolean;
  }[];
}

/** Current versions of the restrictions in force on `on`, for one country or all. */
export async function listRestrictionsInForce(
  db: Executor,
  on: IsoDate,
  country?: string,
): Promise<RestrictionInForce[]> {
  const countryFilter = country === undefined ? sql`` : sql`and r.country_iso3 = ${country}`;
  return queryRows<RestrictionInForce>(
    db,
    sql`
      select r.id, r.country_iso3 as country, v.kind, v.scope, v.programs, v.basis, v.authority,
             v.valid_from::text as "from", v.valid_until::text as "until",
             v.date_quality as "dateQuality", v.until_quality as "untilQuality", v.source,
             coalesce((
               select json_agg(json_build_object(
                        'id', rv.relief_id, 'type', rv.type, 'programs', rv.programs,
                        'from', rv.valid_from::text, 'until', rv.valid_until::text,
                        'dateQuality', rv.date_quality, 'untilQuality', rv.until_quality,
                        'scopeStated', rv.scope_stated)
                      order by rv.valid_from)
               from reliefs rl
               join relief_versions rv on rv.relief_id = rl.id and rv.superseded_at is null
               where rl.restriction_id = r.id
                 and rv.valid_from <= ${on} and (rv.valid_until is null or rv.valid_until > ${on})
             ), '[]'::json) as reliefs
      from restrictions r
      join restriction_versions v on v.restriction_id = r.id and v.superseded_at is null
      where v.valid_from <= ${on} and (v.valid_until is null or v.valid_until > ${on})
        ${countryFilter}
      order by r.country_iso3, v.valid_from, r.id`,
  );
}
