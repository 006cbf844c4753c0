// `npm run bench -- cascade`: a restriction reaching 10,000 seats, applied on PostgreSQL with its
// audit entries, against a bare SQL UPDATE of the same rows in the same run (rolled back).
// With --synthetic (or --scale F) the seats are added to a copy of the synthetic data set
// (bench/synthetic.ts), in countries it never restricted, in FY 2027; the restriction then also
// reaches those countries' own programmed seats after its start, and the bare UPDATE changes the
// same rows.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { systemActor } from '../src/core/actor.js';
import type { IsoDate } from '../src/core/dates.js';
import { contextOver } from '../src/services/context.js';
import { syncReferenceData } from '../src/services/countries/reference.service.js';
import { recordRestriction } from '../src/services/eligibility/restriction.service.js';
import { writeTransaction } from '../src/services/unit-of-work.js';
import { ok } from '../src/core/result.js';
import { isBeforeTraining } from '../src/core/seat-rules.js';
import { SEAT_STATUSES } from '../src/core/training.js';
import { insertCourse, insertSchool } from '../src/store/catalog.repository.js';
import { migrateStore, openStore, type Executor } from '../src/store/database.js';
import { queryRows } from '../src/store/raw-sql.js';
import { insertTrainingLine, type SeatRow } from '../src/store/training.repository.js';
import { SYNTHETIC_DATE, describeScale, scaleOf, syntheticCopy } from './synthetic.js';

const SEATS = 10_000;
const PER_LINE = 500;
const ROUNDS = 5;
/** Countries of the demo-less run; the first is a warm-up round, not counted. */
const COUNTRIES = ['ARG', 'BRA', 'IND', 'IDN', 'MEX', 'KEN'].slice(0, ROUNDS + 1);

/** The statuses a restriction cancels (the others it flags or leaves), as an SQL list. */
const BEFORE_TRAINING = `(${SEAT_STATUSES.filter(isBeforeTraining)
  .map((st) => `'${st}'`)
  .join(', ')})`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Where the cascade runs: what the database holds, and the dates and countries of the rounds. */
interface Setting {
  readonly described: string;
  readonly url: string;
  /** The database is new: migrate it and write the catalogue. */
  readonly empty: boolean;
  readonly countries: readonly string[];
  readonly fiscalYear: number;
  readonly classStart: IsoDate;
  readonly from: IsoDate;
  readonly now: string;
  /** Where the bare UPDATE's restriction is (it must not overlap the rounds' ones). */
  readonly baselineCountry: string;
  drop(): Promise<void>;
}

async function emptySetting(): Promise<Setting> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `attache_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    described: 'an empty database',
    url: url.toString(),
    empty: true,
    countries: COUNTRIES,
    fiscalYear: 2020,
    classStart: '2020-08-03' as IsoDate,
    from: '2020-02-01' as IsoDate,
    now: '2020-01-15T12:00:00.000Z',
    baselineCountry: 'AFG',
    drop: () => admin(`drop database if exists ${name}`),
  };
}

async function syntheticSetting(args: readonly string[]): Promise<Setting | undefined> {
  const scale = scaleOf(args);
  if (scale === undefined) return undefined;
  const copy = await syntheticCopy(scale);
  const store = await openStore({ kind: 'postgres', url: copy.url });
  try {
    // Countries with seats and no restriction ever: no recorded restriction overlaps the new ones.
    const countries = await queryRows<{ iso3: string }>(
      store.db,
      sql`select distinct l.country_iso3 as iso3 from training_lines l
          where not exists (select 1 from restrictions r where r.country_iso3 = l.country_iso3)
          order by 1 limit ${ROUNDS + 2}`,
    );
    return {
      described: `a copy of the synthetic data set (${describeScale(scale)})`,
      url: copy.url,
      empty: false,
      countries: countries.slice(0, ROUNDS + 1).map((c) => c.iso3),
      fiscalYear: 2027,
      classStart: '2027-08-02' as IsoDate,
      from: '2027-06-01' as IsoDate,
      now: `${SYNTHETIC_DATE}T12:00:00.000Z`,
      baselineCountry: countries[ROUNDS + 1]!.iso3,
      drop: () => copy.drop(),
    };
  } finally {
    await store.close();
  }
}

/** The course the seats are in, for a new database (the synthetic set has it). */
async function catalogue(tx: Executor): Promise<void> {
  await insertSchool(tx, {
    id: 'CGSC',
    name: 'Command and General Staff College',
    location: 'Fort Leavenworth, KS',
    department: 'Army',
  });
  await insertCourse(
    tx,
    {
      id: 'B171005',
      title: 'Command and General Staff Officer Course',
      schoolId: 'CGSC',
      category: 'PME',
      lengthWeeks: 44,
    },
    [{ courseId: 'B171005', fiscalYear: 2020, tuitionCents: 5_000_000 }],
  );
}

export async function run(args: readonly string[] = []): Promise<void> {
  const setting = (await syntheticSetting(args)) ?? (await emptySetting());
  const store = await openStore({ kind: 'postgres', url: setting.url });
  try {
    const { countries, fiscalYear, classStart, from } = setting;
    const ctx = contextOver(store, { clock: () => setting.now });
    if (setting.empty) {
      await migrateStore(store);
      const synced = await syncReferenceData(ctx);
      if (!synced.ok) throw new Error(synced.error.message);
    }
    const actor = systemActor('bench');
    // Setup (not timed): a course (the synthetic set has it) and, per country, 10,000 programmed
    // seats in lines of 500.
    const setup = await writeTransaction(ctx, actor, 'catalog.write', async (tx, now) => {
      if (setting.empty) await catalogue(tx);
      for (const country of countries) {
        for (let l = 0; l < SEATS / PER_LINE; l++) {
          const lineId = `tl_${country}_${l}`;
          const seats: SeatRow[] = Array.from({ length: PER_LINE }, (_, i) => ({
            id: `seat_${country}_${l}_${i}`,
            lineId,
            ordinal: i + 1,
            status: 'programmed',
            updatedAt: now,
          }));
          await insertTrainingLine(
            tx,
            {
              id: lineId,
              countryIso3: country,
              fiscalYear,
              courseId: 'B171005',
              programCode: 'IMET',
              seatCount: PER_LINE,
              classStart,
              priority: 'A',
              unitTuitionCents: 5_000_000,
              allowanceCents: 1_000_000,
              createdAt: now,
            },
            seats,
          );
        }
      }
      return ok({ value: null, audit: [] });
    });
    if (!setup.ok) throw new Error(setup.error.message);
    // A restriction the bare UPDATE can point seats at, so it pays the same foreign-key checks.
    const baseline = await recordRestriction(ctx, actor, {
      country: setting.baselineCountry,
      kind: 'policy',
      scope: ['FMF'],
      from,
      basis: 'baseline',
      authority: 'bench',
    });
    if (!baseline.ok) throw new Error(baseline.error.message);

    const bare: number[] = [];
    const ours: number[] = [];
    const reached: number[] = [];
    for (const [round, country] of countries.entries()) {
      // Bare: one statement making the same change to the same rows (the columns the cascade
      // writes), no planning and no audit; rolled back so the cascade then finds the rows as they were.
      const t0 = process.hrtime.bigint();
      let bareRows = 0;
      await store.db
        .transaction(async (tx) => {
          const updated =
            await tx.execute(sql`update seats set status = 'cancelled', previous_status = seats.status,
                                 reason = 'bench', restriction_id = ${baseline.value.id}, cancellation_reason = 'us-restriction',
                                 cancelled_on = ${from}, penalty_cents = 0, penalty_rule = 'bench',
                                 version = seats.version + 1, updated_at = now()
                               from training_lines l where l.id = seats.line_id and l.country_iso3 = ${country}
                                 and l.program_code = 'IMET' and l.class_start >= ${from} and seats.status in ${sql.raw(BEFORE_TRAINING)}`);
          bareRows = (updated as { rowCount?: number | null }).rowCount ?? 0;
          throw new Error('rollback');
        })
        .catch((e: unknown) => {
          if (!(e instanceof Error) || e.message !== 'rollback') throw e;
        });
      const bareMs = Number(process.hrtime.bigint() - t0) / 1e6;
      // The rolled-back UPDATE left a dead version of every row: clear them (not timed), so the
      // cascade finds the table as clean as the bare UPDATE did.
      await store.db.execute(sql`vacuum analyze seats`);

      const t1 = process.hrtime.bigint();
      const result = await recordRestriction(ctx, actor, {
        country,
        kind: 'policy',
        scope: ['IMET'],
        from,
        basis: 'benchmark suspension',
        authority: 'Secretary of State',
      });
      if (round > 0) {
        bare.push(bareMs);
        ours.push(Number(process.hrtime.bigint() - t1) / 1e6);
      }
      if (!result.ok) throw new Error(result.error.message);
      // The same rows: the bench's seats, and (in the synthetic set) the country's own after the start.
      const cancelled = result.value.impact.byStatus.cancelled ?? 0;
      if (cancelled < SEATS || cancelled !== bareRows)
        throw new Error(
          `cancelled ${cancelled}, the bare UPDATE ${bareRows}, of at least ${SEATS}`,
        );
      reached.push(cancelled);
    }
    const [counted] = await queryRows<{ n: number }>(
      store.db,
      sql`select count(*)::int as n from audit_log where action = 'seat.cancel'`,
    );
    const entries = Number(counted?.n ?? 0);
    const oursMs = median(ours);
    const bareMs = median(bare);
    console.log(
      `PostgreSQL, ${setting.described}: a restriction reaching ${reached.join(', ')} seats, ${ROUNDS} rounds after a warm-up (median)`,
    );
    console.log(
      `bare UPDATE of the same rows      ${bareMs.toFixed(1).padStart(8)} ms   (${bare.map((x) => x.toFixed(0)).join(', ')})`,
    );
    console.log(
      `restriction + cascade + audit     ${oursMs.toFixed(1).padStart(8)} ms   (${ours.map((x) => x.toFixed(0)).join(', ')})`,
    );
    console.log(
      `ratio ${(oursMs / bareMs).toFixed(2)} (target <= 3), ours <= 1000 ms: ${oursMs <= 1000}; seat.cancel audit entries ${entries}`,
    );
    console.log(
      JSON.stringify({
        bench: 'cascade',
        size: setting.empty ? 'empty' : 'synthetic',
        seats: median(reached),
        ours_ms: Number(oursMs.toFixed(1)),
        bare_update_ms: Number(bareMs.toFixed(1)),
        ratio: Number((oursMs / bareMs).toFixed(2)),
        audit_entries: entries,
        met: oursMs <= 1000 && oursMs / bareMs <= 3,
      }),
    );
  } finally {
    await store.close();
    await setting.drop();
  }
}
