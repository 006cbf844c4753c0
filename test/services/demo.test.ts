// The demo tells its story on its own dates: every write of it went through a user's apply
// function with the clock of its day, and the audit log keeps the instant the load wrote it.
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSeats } from '../../src/services/training/training.service.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { systemActor } from '../../src/core/actor.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase('demo');
});
afterAll(async () => db.close());

/** An instant as `YYYY-MM-DD HH:MI` in UTC, the same on PGlite and PostgreSQL. */
const utc = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD HH24:MI')`;

async function rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]> {
  return queryRows<T>(db.ctx.store.db, query);
}

describe('the demo on its own dates', () => {
  it('cancels the 66 FY2018 Pakistani seats on 2018-08-01, the day the IMET exception ended', async () => {
    const seats = await listSeats(db.ctx, systemActor('test'), {
      country: 'PAK',
      fiscalYear: 2018,
      status: 'cancelled',
    });
    if (!seats.ok) throw new Error(seats.error.message);
    expect(seats.value).toHaveLength(66);
    expect(new Set(seats.value.map((s) => s.cancelledOn))).toEqual(new Set(['2018-08-01']));
    const [updated] = await rows<{ days: string }>(sql`
      select string_agg(distinct ${utc(sql`s.updated_at`)}, ',') as days
      from seats s join training_lines l on l.id = s.line_id
      where l.country_iso3 = 'PAK' and l.fiscal_year = 2018 and s.status = 'cancelled'`);
    expect(updated?.days).toBe('2018-08-01 15:00');
  });

  it('programs the FY2018 lines under the exception and ends it on its day, as a new version', async () => {
    const lines = await rows<{ created: string }>(sql`
      select distinct ${utc(sql`created_at`)} as created from training_lines
      where country_iso3 = 'PAK' and fiscal_year = 2018`);
    expect(lines).toEqual([{ created: '2018-01-10 15:00' }]);
    const versions = await rows<{
      version: number;
      until: string | null;
      recorded: string;
      superseded: string | null;
    }>(sql`
      select version, valid_until::text as until, ${utc(sql`recorded_at`)} as recorded,
             ${utc(sql`superseded_at`)} as superseded
      from relief_versions where relief_id = 'rlf_pak-imet-exception-2018' order by version`);
    expect(versions).toEqual([
      { version: 1, until: null, recorded: '2018-01-04 15:00', superseded: '2018-08-01 15:00' },
      { version: 2, until: '2018-08-01', recorded: '2018-08-01 15:00', superseded: null },
    ]);
  });

  it('records the 2020 exception and its notification on the day Congress was notified', async () => {
    const [relief] = await rows<{ recorded: string; notified: string; noticeRecorded: string }>(sql`
      select ${utc(sql`v.recorded_at`)} as recorded, n.notified_on::text as notified,
             ${utc(sql`n.recorded_at`)} as "noticeRecorded"
      from relief_versions v join congressional_notifications n on n.id = v.notification_id
      where v.relief_id = 'rlf_pak-imet-exception-2020'`);
    expect(relief).toEqual({
      recorded: '2019-12-19 15:00',
      notified: '2019-12-19',
      noticeRecorded: '2019-12-19 15:00',
    });
  });

  it('records nominations, screenings and careers on their days', async () => {
    const [khan] = await rows<{ nominated: string; recorded: string; student: string }>(sql`
      select n.nominated_on::text as nominated, ${utc(sql`n.recorded_at`)} as recorded,
             ${utc(sql`st.created_at`)} as student
      from nominations n join students st on st.id = n.student_id
      where st.family_name = 'KHAN'`);
    expect(khan).toEqual({
      nominated: '2020-01-27',
      recorded: '2020-01-27 15:00',
      student: '2020-01-22 15:00',
    });
    const screenings = await rows<{ on: string; recorded: string }>(sql`
      select s.on_date::text as on, ${utc(sql`s.recorded_at`)} as recorded
      from screenings s join students st on st.id = s.student_id
      where st.family_name = 'QURESHI' and s.kind = 'leahy-person'`);
    expect(screenings).toEqual([{ on: '2019-06-20', recorded: '2019-06-20 15:00' }]);
    const careers = await rows<{ recorded: string }>(sql`
      select ${utc(sql`c.recorded_at`)} as recorded
      from career_positions c join students st on st.id = c.student_id
      where st.family_name = 'HUSSAIN'`);
    expect(careers).toEqual([{ recorded: '2021-07-01 15:00' }]);
  });

  it("brings a story seat to completed through the school's reports, with its training record", async () => {
    const events = await rows<{ event: string; on: string; recorded: string; status: string }>(sql`
      select e.event, e.on_date::text as on, ${utc(sql`e.recorded_at`)} as recorded, s.status
      from school_events e join seats s on s.id = e.seat_id join students st on st.id = e.student_id
      where st.family_name = 'HUSSAIN' order by e.on_date`);
    expect(events).toEqual([
      { event: 'in-training', on: '2018-07-16', recorded: '2018-07-16 15:00', status: 'completed' },
      { event: 'completed', on: '2019-05-17', recorded: '2019-05-17 15:00', status: 'completed' },
    ]);
    const records = await rows<{
      course: string;
      started: string;
      ended: string;
      seat: boolean;
    }>(sql`
      select r.course_id as course, r.started_on::text as started, r.ended_on::text as ended,
             r.seat_id is not null as seat
      from training_records r join students st on st.id = r.student_id
      where st.family_name = 'AKHTAR' or st.family_name = 'HUSSAIN' order by r.started_on`);
    expect(records).toEqual([
      { course: 'B171005', started: '2001-08-06', ended: '2002-06-14', seat: false },
      { course: 'B171801', started: '2012-07-16', ended: '2013-06-07', seat: false },
      { course: 'B171801', started: '2018-07-16', ended: '2019-05-17', seat: true },
    ]);
  });

  it('replays an FY2019 program the schools reported: trained, one not completed, one seat cancelled late', async () => {
    const seats = await rows<{ country: string; status: string; n: number }>(sql`
      select l.country_iso3 as country, s.status, count(*)::int as n
      from seats s join training_lines l on l.id = s.line_id
      where l.fiscal_year = 2019 group by 1, 2 order by 1, 2`);
    expect(seats).toEqual([
      { country: 'COL', status: 'cancelled', n: 1 },
      { country: 'COL', status: 'completed', n: 7 },
      { country: 'EST', status: 'completed', n: 2 },
      { country: 'JOR', status: 'completed', n: 3 },
      { country: 'MNG', status: 'completed', n: 2 },
      { country: 'PHL', status: 'completed', n: 3 },
      { country: 'PHL', status: 'not-completed', n: 1 },
    ]);
    // Cancelled at Colombia's request 25 days before class: half the tuition of a course US
    // students attend too (DESIGN §4.2), recorded on its day.
    const [late] = await rows<{ penalty: number; rule: string; on: string; recorded: string }>(sql`
      select s.penalty_cents::int as penalty, s.penalty_rule as rule,
             s.cancelled_on::text as on, ${utc(sql`s.updated_at`)} as recorded
      from seats s join training_lines l on l.id = s.line_id
      where l.fiscal_year = 2019 and s.status = 'cancelled'`);
    expect(late).toEqual({
      penalty: 1_184_500,
      rule: 'cancelled 25 days before start (under 60): 50% of tuition',
      on: '2019-01-10',
      recorded: '2019-01-10 15:00',
    });
    const purposes = await rows<{ missing: number }>(sql`
      select count(*)::int as missing from training_lines where purpose is null`);
    expect(purposes).toEqual([{ missing: 0 }]);
  });

  it('keeps in the audit log the instant the load wrote each entry, not the day replayed', async () => {
    const [load] = await rows<{ instants: number; at: string }>(sql`
      select count(distinct recorded_at)::int as instants, min(recorded_at) as at
      from audit_log where actor = 'system:demo'`);
    expect(load?.instants).toBe(1);
    expect(load!.at > '2025').toBe(true);
    const [ending] = await rows<{ n: number }>(sql`
      select count(*)::int as n from audit_log
      where action = 'relief.end' and entity_id = 'rlf_pak-imet-exception-2018'
        and actor = 'system:demo' and recorded_at = ${load!.at}`);
    expect(ending?.n).toBe(1);
  });
});
