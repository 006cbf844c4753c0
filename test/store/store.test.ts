// The store on a real database (PGlite, and PostgreSQL when DATABASE_URL is set): what the schema enforces.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import type { IsoDate } from '../../src/core/dates.js';
import { restrictionVersion } from '../../src/core/eligibility/test-records.js';
import type { RestrictionVersion } from '../../src/core/restrictions.js';
import { err, ok } from '../../src/core/result.js';
import { syncReferenceData } from '../../src/services/countries/reference.service.js';
import { writeTransaction } from '../../src/services/unit-of-work.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import {
  insertRestriction,
  listRestrictionsInForce,
} from '../../src/store/restriction.repository.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let counter = 0;
const actor = systemActor('test');

beforeAll(async () => {
  db = await openTestDatabase('empty', { clock: fixedClock('2026-01-15T12:00:00.000Z') });
});
afterAll(async () => db.close());

function restriction(overrides: Partial<RestrictionVersion> = {}): RestrictionVersion {
  counter += 1;
  return restrictionVersion({
    id: `rst_test_${counter}`,
    recordedAt: '2026-01-15T12:00:00.000Z',
    recordedBy: actor.id,
    ...overrides,
  });
}

/** The database's own message for a failed statement (Drizzle wraps it as the cause). */
async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? cause.message : String(error);
  }
  return 'no failure';
}

/** Records a restriction through the unit of work; returns the result. */
function record(v: RestrictionVersion) {
  return writeTransaction(db.ctx, actor, 'restrictions.write', async (tx) => {
    await insertRestriction(tx, v);
    return ok({
      value: v.id,
      audit: [
        { action: 'restriction.record', entityType: 'restriction', entityId: v.id, after: v },
      ],
    });
  });
}

/** Records `v` for a test that needs it there: a refusal stops the test with its reason. */
async function recorded(v: RestrictionVersion): Promise<void> {
  const result = await record(v);
  if (!result.ok) throw new Error(result.error.message);
}

describe(`store on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('holds every ISO 3166-1 country with its legal flags', async () => {
    const rows = await queryRows<{ iso3: string; nato: boolean; excluded: boolean; fmt: boolean }>(
      db.store.db,
      sql`select iso3, nato_member as nato, grant_imet_excluded as excluded, fmt_report_excluded as fmt from countries`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(249);
    const by = new Map(rows.map((r) => [r.iso3, r]));
    expect(by.get('TUR')).toMatchObject({ nato: true, fmt: true, excluded: false });
    expect(by.get('KOR')).toMatchObject({ nato: false, excluded: true });
    expect(by.get('JPN')).toMatchObject({ nato: false, fmt: true });
    expect(by.get('PAK')).toMatchObject({ nato: false, fmt: false, excluded: false });
  });

  it('holds the roles of DESIGN §2, and refuses a user with any other role', async () => {
    const roles = await queryRows<{ code: string }>(
      db.store.db,
      sql`select code from roles order by code`,
    );
    expect(roles.map((r) => r.code)).toEqual([
      'admin',
      'analyst',
      'imso',
      'program-manager',
      'sco',
    ]);
    await db.store.db.execute(
      sql`insert into users (id, email, display_name, role, created_at) values ('u1', 'alice@example.org', 'Alice', 'sco', now())`,
    );
    expect(
      await failureOf(
        db.store.db.execute(
          sql`insert into users (id, email, display_name, role, created_at) values ('u2', 'bob@example.org', 'Bob', 'king', now())`,
        ),
      ),
    ).toMatch(/users_role_roles_code_fk/);
  });

  it('syncs reference data once: a second run writes nothing, not even an empty transaction', async () => {
    const before = await countAuditEntries(db.store.db);
    const writes = db.store.writes.count;
    const transaction = vi.spyOn(db.store.db, 'transaction');
    try {
      expect(await syncReferenceData(db.ctx)).toEqual({
        ok: true,
        value: { countriesAdded: 0, countriesUpdated: 0, programsAdded: 0 },
      });
      expect(transaction).not.toHaveBeenCalled();
      expect(db.store.writes.count).toBe(writes);
      expect(await countAuditEntries(db.store.db)).toBe(before);

      // A country changed in the record is put back, in one audited transaction.
      await db.store.db.execute(sql`update countries set name = 'Renamed' where iso3 = 'PAK'`);
      expect(await syncReferenceData(db.ctx)).toEqual({
        ok: true,
        value: { countriesAdded: 0, countriesUpdated: 1, programsAdded: 0 },
      });
      expect(transaction).toHaveBeenCalledTimes(1);
      expect(await countAuditEntries(db.store.db)).toBe(before + 1);
    } finally {
      transaction.mockRestore();
    }
  });

  it('refuses a same-kind restriction overlapping in time for the same country and program', async () => {
    expect(
      (await record(restriction({ from: '2010-01-01' as IsoDate, until: '2011-01-01' as IsoDate })))
        .ok,
    ).toBe(true);
    const overlapping = await record(
      restriction({
        from: '2010-06-01' as IsoDate,
        until: '2012-01-01' as IsoDate,
        scope: ['security-assistance'],
        programs: ['FMF', 'IMET'],
      }),
    );
    expect(overlapping).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', reason: 'DB.OVERLAP' },
    });
  });

  it('accepts adjacent intervals, another kind, another program and another country', async () => {
    const base = { from: '2030-01-01' as IsoDate, until: '2031-01-01' as IsoDate };
    expect((await record(restriction(base))).ok).toBe(true);
    for (const v of [
      restriction({ from: '2031-01-01' as IsoDate, until: null }),
      restriction({ ...base, kind: 'coup' }),
      restriction({ ...base, scope: ['FMF'], programs: ['FMF'] }),
      restriction({ ...base, country: 'IND' }),
    ]) {
      expect(await record(v)).toMatchObject({ ok: true });
    }
  });

  it('lets a superseded version overlap its successor', async () => {
    const first = restriction({
      country: 'BGD',
      from: '2040-01-01' as IsoDate,
      supersededAt: '2026-01-15T12:00:00.000Z',
    });
    expect((await record(first)).ok).toBe(true);
    expect((await record(restriction({ country: 'BGD', from: '2040-06-01' as IsoDate }))).ok).toBe(
      true,
    );
  });

  it.each([
    [
      'until before from',
      { from: '2050-05-01' as IsoDate, until: '2050-04-01' as IsoDate },
      'restriction_versions_interval',
    ],
    [
      'until equal to from',
      { from: '2050-05-01' as IsoDate, until: '2050-05-01' as IsoDate },
      'restriction_versions_interval',
    ],
    [
      'an unknown kind',
      { kind: 'whim' as RestrictionVersion['kind'] },
      'restriction_versions_kind',
    ],
  ])('refuses %s, writing nothing', async (_label, overrides, constraint) => {
    const before = await countAuditEntries(db.store.db);
    const result = await record(restriction(overrides));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INPUT.INVALID', details: { constraint } },
    });
    expect(await countAuditEntries(db.store.db)).toBe(before);
  });

  it('refuses a restriction for a country that does not exist', async () => {
    const result = await record(restriction({ country: 'XXX' }));
    expect(result).toMatchObject({ ok: false, error: { reason: 'DB.REFERENCE' } });
  });

  it('refuses negative money', async () => {
    expect(
      await failureOf(
        db.store.db.execute(
          sql`insert into allocations (id, country_iso3, program_code, fiscal_year, amount_cents, reason, recorded_at, recorded_by)
              values ('alc_neg', 'PAK', 'IMET', 2020, -1, 'test', now(), 'test')`,
        ),
      ),
    ).toMatch(/allocations_amount/);
  });

  it('rolls back the whole write when a service refuses part-way', async () => {
    const before = await countAuditEntries(db.store.db);
    const v = restriction({ country: 'MMR', from: '2060-01-01' as IsoDate });
    const result = await writeTransaction(db.ctx, actor, 'restrictions.write', async (tx) => {
      await insertRestriction(tx, v);
      return err({
        code: 'RULE.REFUSED' as const,
        reason: 'TEST.REFUSED',
        message: 'refused after the insert',
      });
    });
    expect(result).toMatchObject({ ok: false, error: { reason: 'TEST.REFUSED' } });
    const rows = await queryRows(db.store.db, sql`select 1 from restrictions where id = ${v.id}`);
    expect(rows).toHaveLength(0);
    expect(await countAuditEntries(db.store.db)).toBe(before);
  });

  it('finds the restrictions in force on a date, half-open', async () => {
    const v = restriction({
      country: 'NPL',
      from: '2020-03-01' as IsoDate,
      until: '2020-04-01' as IsoDate,
    });
    await recorded(v);
    const ids = async (on: string) =>
      (await listRestrictionsInForce(db.store.db, on as IsoDate, 'NPL')).map((r) => r.id);
    expect(await ids('2020-02-29')).toEqual([]);
    expect(await ids('2020-03-01')).toEqual([v.id]);
    expect(await ids('2020-03-31')).toEqual([v.id]);
    expect(await ids('2020-04-01')).toEqual([]);
  });

  it('keeps the audit log append-only', async () => {
    await recorded(restriction({ country: 'LKA' }));
    expect(
      await failureOf(db.store.db.execute(sql`update audit_log set actor = 'mallory'`)),
    ).toMatch(/append-only/);
    expect(await failureOf(db.store.db.execute(sql`delete from audit_log`))).toMatch(/append-only/);
  });
});
