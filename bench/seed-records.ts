// Writes generated records straight into a migrated database, thousands of rows per statement
// (jsonb_to_recordset), for benchmarks that need 100,000 versions or a million seats in seconds, on
// either backend. A benchmark's setup, not a way to record anything: no rule is checked, no audit
// entry is written.
import { sql } from 'drizzle-orm';
import type { EligibilityRecords } from '../src/core/eligibility/engine.js';
import type { Db, Executor } from '../src/store/database.js';

const BATCH = 5_000;

/**
 * Inserts `rows` (objects keyed by column name) into `table`; `columns` names each column with its
 * SQL type, as jsonb_to_recordset wants them (`id text, seats int, …`).
 */
export async function insertAll(
  tx: Executor,
  table: string,
  columns: string,
  rows: readonly object[],
): Promise<void> {
  const names = columns
    .split(',')
    .map((c) => c.trim().split(' ')[0])
    .join(', ');
  for (let i = 0; i < rows.length; i += BATCH) {
    await tx.execute(
      sql`insert into ${sql.raw(table)} (${sql.raw(names)}) select ${sql.raw(names)} from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + BATCH))}::jsonb) as x(${sql.raw(columns)})`,
    );
  }
}

/** Inserts every version of `records` in one transaction (countries, programs and reference data must be there). */
export async function seedRecords(db: Db, records: EligibilityRecords): Promise<void> {
  await db.transaction((tx) => insertRecords(tx, records));
}

/** Inserts every version of `records` in the caller's transaction. */
export async function insertRecords(tx: Executor, records: EligibilityRecords): Promise<void> {
  await insertAll(
    tx,
    'congressional_notifications',
    'id text, country_iso3 text, subject text, notified_on date, wait_days int, window_ends_on date, source text, recorded_at timestamptz, recorded_by text',
    records.notifications.map((n) => ({
      id: n.id,
      country_iso3: n.country,
      subject: n.subject,
      notified_on: n.notifiedOn,
      wait_days: n.waitDays,
      window_ends_on: n.windowEndsOn,
      source: n.source,
      recorded_at: '1980-01-01T00:00:00Z',
      recorded_by: 'bench',
    })),
  );
  const firstOf = <T extends { id: string; version: number }>(versions: readonly T[]) => [
    ...new Map(versions.filter((v) => v.version === 1).map((v) => [v.id, v])).values(),
  ];
  await insertAll(
    tx,
    'restrictions',
    'id text, country_iso3 text, created_at timestamptz',
    firstOf(records.restrictions).map((v) => ({
      id: v.id,
      country_iso3: v.country,
      created_at: v.recordedAt,
    })),
  );
  await insertAll(
    tx,
    'restriction_versions',
    'restriction_id text, version int, kind text, scope text[], programs text[], course_filter text, date_quality text, until_quality text, basis text, authority text, determined_on date, valid_from date, valid_until date, seat_policy text, source text, description text, recorded_at timestamptz, superseded_at timestamptz, recorded_by text',
    records.restrictions.map((v) => ({
      restriction_id: v.id,
      version: v.version,
      kind: v.kind,
      scope: v.scope,
      programs: v.programs,
      course_filter: v.courseFilter,
      date_quality: v.dateQuality,
      until_quality: v.untilQuality,
      basis: v.basis,
      authority: v.authority,
      determined_on: v.determinedOn,
      valid_from: v.from,
      valid_until: v.until,
      seat_policy: v.seatPolicy,
      source: v.source,
      description: v.description,
      recorded_at: v.recordedAt,
      superseded_at: v.supersededAt,
      recorded_by: v.recordedBy,
    })),
  );
  await insertAll(
    tx,
    'restriction_spans',
    'restriction_id text, version int, program_code text, country_iso3 text, kind text, valid_from date, valid_until date, superseded_at timestamptz',
    records.restrictions.flatMap((v) =>
      v.programs.map((program) => ({
        restriction_id: v.id,
        version: v.version,
        program_code: program,
        country_iso3: v.country,
        kind: v.kind,
        valid_from: v.from,
        valid_until: v.until,
        superseded_at: v.supersededAt,
      })),
    ),
  );
  await insertAll(
    tx,
    'reliefs',
    'id text, restriction_id text, created_at timestamptz',
    firstOf(records.reliefs).map((v) => ({
      id: v.id,
      restriction_id: v.restrictionId,
      created_at: v.recordedAt,
    })),
  );
  await insertAll(
    tx,
    'relief_versions',
    'relief_id text, version int, type text, grounds text, programs text[], course_ids text[], school_ids text[], notification_id text, valid_from date, valid_until date, date_quality text, until_quality text, scope_stated boolean, authority text, justification text, source text, recorded_at timestamptz, superseded_at timestamptz, recorded_by text',
    records.reliefs.map((v) => ({
      relief_id: v.id,
      version: v.version,
      type: v.type,
      grounds: v.grounds,
      programs: v.programs,
      course_ids: v.courseIds,
      school_ids: v.schoolIds,
      notification_id: v.notificationId,
      valid_from: v.from,
      valid_until: v.until,
      date_quality: v.dateQuality,
      until_quality: v.untilQuality,
      scope_stated: v.scopeStated,
      authority: v.authority,
      justification: v.justification,
      source: v.source,
      recorded_at: v.recordedAt,
      superseded_at: v.supersededAt,
      recorded_by: v.recordedBy,
    })),
  );
}
