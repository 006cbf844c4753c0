// `npm run bench -- cascade`: a restriction reaching 10,000 seats, applied on PostgreSQL with its
// audit entries, against a bare SQL UPDATE of the same rows in the same run (rolled back).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { systemActor } from '../src/core/actor.js';
import { contextOver } from '../src/services/context.js';
import { syncReferenceData } from '../src/services/countries/reference.service.js';
import { recordRestriction } from '../src/services/eligibility/restriction.service.js';
import { writeTransaction } from '../src/services/unit-of-work.js';
import { ok } from '../src/core/result.js';
import { insertCourse, insertSchool } from '../src/store/catalog.repository.js';
import { migrateStore, openStore } from '../src/store/database.js';
import { queryRows } from '../src/store/raw-sql.js';
import { insertTrainingLine, type SeatRow } from '../src/store/training.repository.js';

const SEATS = 10_000;
const PER_LINE = 500;
const ROUNDS = 5;
/** The first country is a warm-up round, not counted: a server process runs warm code. */
const COUNTRIES = ['ARG', 'BRA', 'IND', 'IDN', 'MEX', 'KEN'].slice(0, ROUNDS + 1);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `attache_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ kind: 'postgres', url: url.toString() });
  try {
    await migrateStore(store);
    const ctx = contextOver(store, { clock: () => '2020-01-15T12:00:00.000Z' });
    const synced = await syncReferenceData(ctx);
    if (!synced.ok) throw new Error(synced.error.message);
    const actor = systemActor('bench');
    // Setup (not timed): a course and, per country, 10,000 programmed seats in lines of 500.
    const setup = await writeTransaction(ctx, actor, 'catalog.write', async (tx, now) => {
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
      for (const country of COUNTRIES) {
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
              fiscalYear: 2020,
              courseId: 'B171005',
              programCode: 'IMET',
              seatCount: PER_LINE,
              classStart: '2020-08-03',
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
      country: 'AFG',
      kind: 'policy',
      scope: ['FMF'],
      from: '2020-02-01',
      basis: 'baseline',
      authority: 'bench',
    });
    if (!baseline.ok) throw new Error(baseline.error.message);

    const bare: number[] = [];
    const ours: number[] = [];
    for (const [round, country] of COUNTRIES.entries()) {
      // Bare: one statement making the same change to the same rows (the columns the cascade
      // writes), no planning and no audit; rolled back so the cascade then finds the rows as they were.
      const t0 = process.hrtime.bigint();
      await store.db
        .transaction(async (tx) => {
          await tx.execute(sql`update seats set status = 'cancelled', previous_status = seats.status,
                                 reason = 'bench', restriction_id = ${baseline.value.id}, cancellation_reason = 'us-restriction',
                                 cancelled_on = '2020-01-15', penalty_cents = 0, penalty_rule = 'bench',
                                 version = seats.version + 1, updated_at = now()
                               from training_lines l where l.id = seats.line_id and l.country_iso3 = ${country}`);
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
        from: '2020-02-01',
        basis: 'benchmark suspension',
        authority: 'Secretary of State',
      });
      if (round > 0) {
        bare.push(bareMs);
        ours.push(Number(process.hrtime.bigint() - t1) / 1e6);
      }
      if (!result.ok) throw new Error(result.error.message);
      if (result.value.impact.byStatus.cancelled !== SEATS)
        throw new Error(`cancelled ${result.value.impact.seats}, not ${SEATS}`);
    }
    const [counted] = await queryRows<{ n: number }>(
      store.db,
      sql`select count(*)::int as n from audit_log where action = 'seat.cancel'`,
    );
    const entries = Number(counted?.n ?? 0);
    const oursMs = median(ours);
    const bareMs = median(bare);
    console.log(
      `PostgreSQL, ${SEATS} seats per restriction, ${ROUNDS} rounds after a warm-up (median)`,
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
        seats: SEATS,
        ours_ms: Number(oursMs.toFixed(1)),
        bare_update_ms: Number(bareMs.toFixed(1)),
        ratio: Number((oursMs / bareMs).toFixed(2)),
        audit_entries: entries,
        met: oursMs <= 1000 && oursMs / bareMs <= 3,
      }),
    );
  } finally {
    await store.close();
    await admin.query(`drop database if exists ${name}`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
