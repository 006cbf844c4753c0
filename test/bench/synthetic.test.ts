// The synthetic data set (bench/synthetic.ts) at a small scale: the size it promises, the same rows
// from the same scale, and a record the rules could have written, checked through the application
// (its eligibility index read back from the database), not through the generator's own state.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/core/dates.js';
import { decide } from '../../src/core/eligibility/engine.js';
import type { ProgramCode } from '../../src/core/programs.js';
import { eligibilitySnapshot } from '../../src/services/eligibility/eligibility.service.js';
import { queryRows } from '../../src/store/raw-sql.js';
import {
  LAST_FY,
  SYNTHETIC_DATE,
  scaledBy,
  seedSynthetic,
  type SyntheticCounts,
} from '../../bench/synthetic.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const SCALE = scaledBy(0.002);
let db: TestDatabase;
let counts: SyntheticCounts;

beforeAll(async () => {
  db = await openTestDatabase('empty');
  counts = await seedSynthetic(db.store, SCALE);
}, 120_000);
afterAll(async () => db.close());

const count = async (query: ReturnType<typeof sql>) =>
  Number((await queryRows<{ n: string }>(db.store.db, query))[0]!.n);

describe('the synthetic data set', () => {
  it('has the size of its scale: years, countries, seats, students and versions', async () => {
    expect(await count(sql`select count(*) as n from seats`)).toBe(SCALE.seats);
    expect(await count(sql`select count(*) as n from students`)).toBe(SCALE.students);
    expect(
      (await count(sql`select count(*) as n from restriction_versions`)) +
        (await count(sql`select count(*) as n from relief_versions`)),
    ).toBe(SCALE.versions);
    expect(await count(sql`select count(distinct country_iso3) as n from training_lines`)).toBe(
      SCALE.countries,
    );
    expect(await count(sql`select count(distinct fiscal_year) as n from training_lines`)).toBe(
      SCALE.years,
    );
    expect(await count(sql`select max(fiscal_year) as n from training_lines`)).toBe(LAST_FY);
    expect(await count(sql`select count(*) as n from allocations`)).toBe(
      SCALE.countries * SCALE.years,
    );
    expect(counts.seats).toBe(SCALE.seats);
  });

  it('gives the same rows for the same scale', async () => {
    const other = await openTestDatabase('empty');
    try {
      await seedSynthetic(other.store, SCALE);
      const digest = async (t: TestDatabase) =>
        (
          await queryRows<{ seats: string; students: string; records: string }>(
            t.store.db,
            sql`select
              (select md5(string_agg(s::text, '|' order by s.id)) from seats s) as seats,
              (select md5(string_agg(s::text, '|' order by s.id)) from students s) as students,
              (select md5(string_agg(r.restriction_id || r.version || r.valid_from || coalesce(r.valid_until::text, '') || r.recorded_at, '|' order by r.restriction_id, r.version)) from restriction_versions r) as records`,
          )
        )[0]!;
      expect(await digest(other)).toEqual(await digest(db));
    } finally {
      await other.close();
    }
  });

  it('reaches a seat by a restriction exactly when the application finds the line ineligible at its class start, as known then', async () => {
    const { index } = await eligibilitySnapshot(db.ctx);
    const lines = await queryRows<{
      id: string;
      country: string;
      program: ProgramCode;
      course: string;
      school: string;
      eImet: boolean;
      classStart: IsoDate;
      restrictions: (string | null)[];
      statuses: string[];
      reasons: (string | null)[];
      penalties: string[];
    }>(
      db.store.db,
      sql`select l.id, l.country_iso3 as country, l.program_code as program, l.course_id as course,
            c.school_id as school, c.e_imet as "eImet", l.class_start::text as "classStart",
            array_agg(s.restriction_id) as restrictions, array_agg(s.status) as statuses,
            array_agg(s.cancellation_reason) as reasons, array_agg(s.penalty_cents::text) as penalties
          from training_lines l join courses c on c.id = l.course_id join seats s on s.line_id = l.id
          group by l.id, c.id`,
    );
    let reached = 0;
    for (const line of lines) {
      const decision = decide(index, {
        country: line.country,
        program: line.program,
        on: line.classStart,
        course: { id: line.course, schoolId: line.school, eImet: line.eImet },
        knownOn: `${line.classStart}T00:00:00.000Z`,
      });
      const blocking = decision.restrictions.find((r) => r.status === 'blocking');
      if (decision.eligible) {
        expect(line.restrictions.every((r) => r === null)).toBe(true);
        expect(line.statuses).not.toContain('held');
        expect(line.reasons).not.toContain('us-restriction');
        continue;
      }
      reached += line.statuses.length;
      expect(line.restrictions.every((r) => r === blocking!.id)).toBe(true);
      const expected = blocking!.seatPolicy === 'hold' ? 'held' : 'cancelled';
      expect(line.statuses.every((s) => s === expected)).toBe(true);
      if (expected === 'cancelled') {
        expect(line.reasons.every((r) => r === 'us-restriction')).toBe(true);
        expect(line.penalties.every((p) => p === '0')).toBe(true);
      }
    }
    expect(reached).toBe(Object.values(counts.reached).reduce((a, b) => a + b, 0));
    expect(reached).toBeGreaterThan(0);
  });

  it("lives each other seat's life by the set's date, a student of its country in it", async () => {
    // Trained seats ended before the set's date, programmed and nominated ones start after it.
    expect(
      await count(
        sql`select count(*) as n from seats s join training_lines l on l.id = s.line_id join courses c on c.id = l.course_id
            where (s.status in ('completed', 'not-completed') and l.class_start + c.length_weeks * 7 > ${SYNTHETIC_DATE}::date)
               or (s.status in ('programmed', 'nominated') and l.class_start <= ${SYNTHETIC_DATE}::date)
               or (s.status = 'in-training' and (l.class_start > ${SYNTHETIC_DATE}::date or l.class_start + c.length_weeks * 7 <= ${SYNTHETIC_DATE}::date))`,
      ),
    ).toBe(0);
    expect(
      await count(
        sql`select count(*) as n from seats s join training_lines l on l.id = s.line_id join students st on st.id = s.student_id
            where st.country_iso3 <> l.country_iso3`,
      ),
    ).toBe(0);
    // A seat with a student is one a student took; a cancelled one was cancelled with a reason.
    expect(
      await count(
        sql`select count(*) as n from seats where (status in ('completed', 'not-completed', 'in-training', 'nominated') and student_id is null)
            or (status = 'cancelled' and (cancellation_reason is null or cancelled_on is null))`,
      ),
    ).toBe(0);
    expect(
      await count(sql`select count(*) as n from seats where status = 'completed'`),
    ).toBeGreaterThan(SCALE.seats / 2);
  });

  it("keeps each country-year's IMET programming within its allocation", async () => {
    expect(
      await count(
        sql`select count(*) as n from allocations a
            where a.amount_cents < (select coalesce(sum(l.seat_count * (l.unit_tuition_cents + l.allowance_cents)), 0)
              from training_lines l where l.country_iso3 = a.country_iso3 and l.fiscal_year = a.fiscal_year and l.program_code = 'IMET')`,
      ),
    ).toBe(0);
  });
});
