// Loads every version of the eligibility records for the in-memory index, and the change counter.
import { sql, type SQL } from 'drizzle-orm';
import type { CourseFacts, EligibilityRecords } from '../core/eligibility/engine.js';
import type {
  CongressionalNotification,
  ReliefVersion,
  RestrictionVersion,
} from '../core/restrictions.js';
import type { Executor } from './database.js';
import { isoInstant, queryRows } from './raw-sql.js';

export async function readChangeCounter(db: Executor): Promise<number> {
  const [row] = await queryRows<{ value: string | number }>(
    db,
    sql`select value from change_counter where id = 1`,
  );
  return Number(row?.value ?? 0);
}

/** The topics (countries, `courses`, `countries`) of the changes logged after counter value `since`. */
async function changedTopicsSince(db: Executor, since: number): Promise<string[]> {
  const rows = await queryRows<{ topic: string }>(
    db,
    sql`select distinct topic from eligibility_changes where seq > ${since}`,
  );
  return rows.map((r) => r.topic);
}

/**
 * One write's changes to the eligibility records (or the courses, the country list), read in its
 * own transaction before it commits: the change log's head before (`since`) and after it, the
 * topics it changed, and what it logged with the records it wrote. No other write comes between
 * `since` and `head`: writes take turns.
 */
export interface WrittenChanges {
  readonly since: number;
  readonly head: number;
  readonly topics: readonly string[];
  /**
   * What it logged, and every version of the records it wrote. Absent when it logged more than a
   * refresh reads by key, or changed the courses or the country list: the index reads those again.
   */
  readonly read?: {
    readonly changes: readonly LoggedChange[];
    readonly records: EligibilityRecords;
  };
}

/**
 * What the transaction `tx` logged after counter value `since` (read where it stood when the
 * transaction began), with the records it wrote; undefined when it changed no eligibility record.
 */
export async function readWrittenChanges(
  tx: Executor,
  since: number,
): Promise<WrittenChanges | undefined> {
  const { head, changes } = await readChangesSince(tx, since);
  if (head === since) return undefined;
  if (changes === undefined) return { since, head, topics: await changedTopicsSince(tx, since) };
  const topics = [...new Set(changes.map((c) => c.topic))];
  if (topics.includes('courses') || topics.includes('countries')) return { since, head, topics };
  return { since, head, topics, read: { changes, records: await loadChangedRecords(tx, changes) } };
}

/** Counter values the change log keeps (the triggers of migration 0015 delete older ones). */
export const CHANGE_LOG_WINDOW = 100_000;

/** One record a write touched: its country (or `courses`, `countries`), kind and id. */
export interface LoggedChange {
  readonly topic: string;
  /** `restriction`, `relief`, `notification`, or '' for courses and countries. */
  readonly record: string;
  readonly recordId: string;
}

/** What was written after counter value `since`: the counter now, and the records touched. */
export interface ChangesSince {
  readonly head: number;
  /**
   * Undefined when the log no longer reaches back to `since` (or the database is not the one
   * `since` was read from): everything must be read again.
   */
  readonly changes: readonly LoggedChange[] | undefined;
}

/**
 * Records one refresh reads by key at most: past that, reading everything again is as quick, and
 * the ORDER BY … LIMIT keeps the log's read on its index whatever the planner knows of its size.
 */
export const CHANGES_READ_AT_MOST = 5_000;

/** The change log after `since`, read in one statement (one snapshot). */
export async function readChangesSince(db: Executor, since: number): Promise<ChangesSince> {
  const rows = await queryRows<{
    head: string | number;
    topic: string | null;
    record: string;
    recordId: string;
  }>(
    db,
    sql`with head as (select value from change_counter where id = 1)
        select head.value as head, c.topic, c.record, c.record_id as "recordId" from head
        left join (select topic, record, record_id from eligibility_changes where seq > ${since}
                   order by seq limit ${CHANGES_READ_AT_MOST + 1}) c on true`,
  );
  const head = Number(rows[0]?.head ?? 0);
  const reaches =
    since <= head && since >= head - CHANGE_LOG_WINDOW && rows.length <= CHANGES_READ_AT_MOST;
  if (!reaches) return { head, changes: undefined };
  const seen = new Map<string, LoggedChange>();
  for (const r of rows)
    if (r.topic !== null)
      seen.set(`${r.topic}\u0000${r.record}\u0000${r.recordId}`, {
        topic: r.topic,
        record: r.record,
        recordId: r.recordId,
      });
  return { head, changes: [...seen.values()] };
}

/**
 * A list of texts for `in (…)`, one parameter each (`null` when empty, which matches nothing).
 * Not one array parameter with `= any(…)` (as training.repository does for seats): tried here, the
 * freshness bench's median went from 6 to 35 ms a write, the planner estimating an array of
 * unknown length worse than a list on the tables the bench had just filled.
 */
function textList(values: readonly string[]): SQL {
  return sql.join(values.length === 0 ? [sql`null`] : values.map((v) => sql`${v}`), sql`, `);
}

const restrictionColumns = sql`
  v.restriction_id as "id", v.version, r.country_iso3 as "country", v.kind, v.scope, v.programs,
  v.course_filter as "courseFilter", v.date_quality as "dateQuality",
  v.until_quality as "untilQuality", v.basis, v.authority,
  v.determined_on::text as "determinedOn", v.valid_from::text as "from", v.valid_until::text as "until",
  v.seat_policy as "seatPolicy", v.source, v.description,
  v.lift_notification_id as "liftNotificationId", v.import_run_id as "importRunId",
  ${isoInstant('v.recorded_at')} as "recordedAt", ${isoInstant('v.superseded_at')} as "supersededAt",
  v.recorded_by as "recordedBy"`;

const reliefColumns = sql`
  v.relief_id as "id", v.version, rl.restriction_id as "restrictionId", v.type, v.grounds, v.programs,
  v.course_ids as "courseIds", v.school_ids as "schoolIds", v.notification_id as "notificationId",
  v.valid_from::text as "from", v.valid_until::text as "until", v.date_quality as "dateQuality",
  v.until_quality as "untilQuality", v.scope_stated as "scopeStated", v.authority, v.justification,
  v.source, v.import_run_id as "importRunId", ${isoInstant('v.recorded_at')} as "recordedAt", ${isoInstant('v.superseded_at')} as "supersededAt",
  v.recorded_by as "recordedBy"`;

const notificationColumns = sql`
  n.id, n.country_iso3 as "country", n.subject, n.notified_on::text as "notifiedOn",
  n.wait_days as "waitDays", n.window_ends_on::text as "windowEndsOn", n.source`;

/**
 * Every version of every restriction and relief, and every notification (of some countries, or
 * all). `concurrent` runs the three queries at once, each on a connection of its own: only outside
 * a transaction (inside one they share its connection, one query after another).
 */
export async function loadEligibilityRecords(
  db: Executor,
  countries?: string | readonly string[],
  concurrent = false,
): Promise<EligibilityRecords> {
  const list = typeof countries === 'string' ? [countries] : countries;
  const among = list === undefined ? undefined : textList(list);
  // By the restrictions' ids, so the planner takes the versions' index rather than scanning them
  // all (a country's 200 among 25,000: 2 ms rather than 8, and 30 to 70 under writes).
  const restrictionsQuery = sql`select ${restrictionColumns} from restriction_versions v
    join restrictions r on r.id = v.restriction_id
    ${
      among === undefined
        ? sql``
        : sql`where v.restriction_id = any(array(select id from restrictions where country_iso3 in (${among})))`
    }`;
  const reliefsQuery = sql`select ${reliefColumns} from relief_versions v join reliefs rl on rl.id = v.relief_id
    ${
      among === undefined
        ? sql``
        : sql`where rl.restriction_id = any(array(select id from restrictions where country_iso3 in (${among})))`
    }`;
  const notificationsQuery = sql`select ${notificationColumns} from congressional_notifications n
    ${among === undefined ? sql`` : sql`where n.country_iso3 in (${among})`}`;
  if (concurrent) {
    const [restrictions, reliefs, notifications] = await Promise.all([
      queryRows<RestrictionVersion>(db, restrictionsQuery),
      queryRows<ReliefVersion>(db, reliefsQuery),
      queryRows<CongressionalNotification>(db, notificationsQuery),
    ]);
    return { restrictions, reliefs, notifications };
  }
  const restrictions = await queryRows<RestrictionVersion>(db, restrictionsQuery);
  const reliefs = await queryRows<ReliefVersion>(db, reliefsQuery);
  const notifications = await queryRows<CongressionalNotification>(db, notificationsQuery);
  return { restrictions, reliefs, notifications };
}

/**
 * Every version of each restriction and relief `changes` name, and each notification they name:
 * what writes changed, read by key. `concurrent` runs the queries at once, each on a connection
 * of its own: only outside a transaction.
 */
export async function loadChangedRecords(
  db: Executor,
  changes: readonly LoggedChange[],
  concurrent = false,
): Promise<EligibilityRecords> {
  const of = (record: string) => [
    ...new Set(changes.filter((c) => c.record === record).map((c) => c.recordId)),
  ];
  const ids = {
    restrictions: of('restriction'),
    reliefs: of('relief'),
    notifications: of('notification'),
  };
  const queries = [
    () =>
      ids.restrictions.length === 0
        ? []
        : queryRows<RestrictionVersion>(
            db,
            sql`select ${restrictionColumns} from restriction_versions v join restrictions r on r.id = v.restriction_id
                where v.restriction_id in (${textList(ids.restrictions)})`,
          ),
    () =>
      ids.reliefs.length === 0
        ? []
        : queryRows<ReliefVersion>(
            db,
            sql`select ${reliefColumns} from relief_versions v join reliefs rl on rl.id = v.relief_id
                where v.relief_id in (${textList(ids.reliefs)})`,
          ),
    () =>
      ids.notifications.length === 0
        ? []
        : queryRows<CongressionalNotification>(
            db,
            sql`select ${notificationColumns} from congressional_notifications n where n.id in (${textList(ids.notifications)})`,
          ),
  ] as const;
  if (concurrent) {
    const [restrictions, reliefs, notifications] = await Promise.all([
      queries[0](),
      queries[1](),
      queries[2](),
    ]);
    return { restrictions, reliefs, notifications };
  }
  const restrictions = await queries[0]();
  const reliefs = await queries[1]();
  const notifications = await queries[2]();
  return { restrictions, reliefs, notifications };
}

/** Versions of one restriction, oldest first (empty when it does not exist). */
export async function listRestrictionVersions(
  db: Executor,
  id: string,
): Promise<RestrictionVersion[]> {
  return queryRows<RestrictionVersion>(
    db,
    sql`select ${restrictionColumns} from restriction_versions v join restrictions r on r.id = v.restriction_id
        where v.restriction_id = ${id} order by v.version`,
  );
}

/** Versions of one relief, oldest first. */
export async function listReliefVersions(db: Executor, id: string): Promise<ReliefVersion[]> {
  return queryRows<ReliefVersion>(
    db,
    sql`select ${reliefColumns} from relief_versions v join reliefs rl on rl.id = v.relief_id
        where v.relief_id = ${id} order by v.version`,
  );
}

/** The current versions of a country's restrictions. */
export async function listCurrentRestrictions(
  db: Executor,
  country: string,
): Promise<RestrictionVersion[]> {
  return queryRows<RestrictionVersion>(
    db,
    sql`select ${restrictionColumns} from restriction_versions v join restrictions r on r.id = v.restriction_id
        where v.restriction_id = any(array(select id from restrictions where country_iso3 = ${country}))
          and v.superseded_at is null order by v.valid_from, v.restriction_id`,
  );
}

export async function findNotification(
  db: Executor,
  id: string,
): Promise<CongressionalNotification | undefined> {
  const [row] = await queryRows<CongressionalNotification>(
    db,
    sql`select ${notificationColumns} from congressional_notifications n where n.id = ${id}`,
  );
  return row;
}

/** Course facts the engine needs, by course id. */
export async function loadCourseFacts(db: Executor): Promise<Map<string, CourseFacts>> {
  const rows = await queryRows<{ id: string; schoolId: string; eImet: boolean }>(
    db,
    sql`select id, school_id as "schoolId", e_imet as "eImet" from courses`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

export async function listSchoolIds(db: Executor): Promise<Set<string>> {
  const rows = await queryRows<{ id: string }>(db, sql`select id from schools`);
  return new Set(rows.map((r) => r.id));
}

/** Marks a version superseded (and its spans, so the overlap constraint ignores it). */
export async function supersedeRestrictionVersion(
  tx: Executor,
  id: string,
  version: number,
  at: string,
): Promise<void> {
  await tx.execute(
    sql`update restriction_versions set superseded_at = ${at} where restriction_id = ${id} and version = ${version}`,
  );
  await tx.execute(
    sql`update restriction_spans set superseded_at = ${at} where restriction_id = ${id} and version = ${version}`,
  );
}

export async function supersedeReliefVersion(
  tx: Executor,
  id: string,
  version: number,
  at: string,
): Promise<void> {
  await tx.execute(
    sql`update relief_versions set superseded_at = ${at} where relief_id = ${id} and version = ${version}`,
  );
}
