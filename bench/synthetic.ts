// The synthetic data set of issue 16: 40 fiscal years (FY 1988–2027) of 190 real countries, with
// 1,000,000 seats in training lines, 200,000 students, 50,000 restriction and relief versions
// (with their congressional notifications) and an IMET allocation per country and year. Seeded: the
// same scale gives the same rows, whatever day it is generated.
//
// It is a record the rules could have written, not noise:
// - every seat's line is in its fiscal year, its course and tuition in the catalogue, and each
//   country-year's programmed cost within its allocation;
// - a line's eligibility is decided by the engine at its class start, as known on that day: a line
//   a restriction reached before the class has its seats cancelled ("us-restriction", no penalty)
//   or held, as the restriction's seat policy says, naming it, from the day it was recorded or in
//   force, whichever is later;
// - the other seats lived their lives: by the set's date (2026-12-01), a class that ended was
//   completed (a few not completed, a few cancelled at the partner's request with the penalty the
//   seat rules give), a class under way is in training, a later one programmed or nominated;
// - a student (of the seat's country) holds seats only in the years of their career.
//
// Written in bulk (jsonb_to_recordset), not through the write road: no audit entries, and the
// gates (screenings, travel orders, records after training) are left empty. A benchmark's data set.
//
//   npm run bench -- synthetic [--scale 0.01]
// writes it to a PostgreSQL database of its own (BENCH_POSTGRES, else the local server), kept for
// the benchmarks' `--synthetic` runs: named by scale, generator and schema, so it is built once.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { systemActor } from '../src/core/actor.js';
import type { IsoDate } from '../src/core/dates.js';
import {
  buildEligibilityIndex,
  decide,
  type EligibilityRecords,
} from '../src/core/eligibility/engine.js';
import { ok } from '../src/core/result.js';
import { cancellationPenalty } from '../src/core/seat-rules.js';
import type { ProgramCode } from '../src/core/programs.js';
import type { SeatStatus } from '../src/core/training.js';
import { contextOver } from '../src/services/context.js';
import { syncReferenceData } from '../src/services/countries/reference.service.js';
import { writeTransaction } from '../src/services/unit-of-work.js';
import { MIGRATIONS_DIR, migrateStore, openStore } from '../src/store/database.js';
import type { Executor, Store } from '../src/store/database.js';
import { COURSES as RELIEF_COURSES } from '../test/support/eligibility-arbitraries.js';
import { COUNTRIES, generateRecords, random } from './eligibility.bench.js';
import { BENCH_POSTGRES, admin, withDatabase } from './postgres.js';
import { insertAll, insertRecords } from './seed-records.js';

/** How big the set is. */
export interface SyntheticScale {
  readonly years: number;
  readonly countries: number;
  readonly seats: number;
  readonly students: number;
  /** Restriction and relief versions (notifications come with the reliefs that need them). */
  readonly versions: number;
}

/** The issue's size. */
export const FULL_SCALE: SyntheticScale = {
  years: 40,
  countries: 190,
  seats: 1_000_000,
  students: 200_000,
  versions: 50_000,
};

/** The full scale times `fraction` (countries and years kept, so every route has data to read). */
export function scaledBy(fraction: number): SyntheticScale {
  const times = (n: number, least: number) => Math.max(least, Math.round(n * fraction));
  return {
    ...FULL_SCALE,
    seats: times(FULL_SCALE.seats, 1_000),
    students: times(FULL_SCALE.students, 200),
    versions: times(FULL_SCALE.versions, 200),
  };
}

/** What was written, by table. */
export interface SyntheticCounts {
  readonly scale: SyntheticScale;
  readonly countries: number;
  readonly schools: number;
  readonly courses: number;
  readonly allocations: number;
  readonly trainingLines: number;
  readonly seats: number;
  readonly students: number;
  readonly restrictionVersions: number;
  readonly reliefVersions: number;
  readonly notifications: number;
  /** Seats a restriction reached before their class, by status (cancelled, held). */
  readonly reached: Readonly<Record<string, number>>;
}

/** The day the set describes: classes before it have happened, later ones are programmed. */
export const SYNTHETIC_DATE = '2026-12-01';
/** The last fiscal year: the one under way on SYNTHETIC_DATE. */
export const LAST_FY = 2027;
const SEED = 20_261_201;
const DAY_MS = 86_400_000;
const SCHOOLS = 40;
const COURSES = 600;
/** Fiscal years a student's career spans. */
const CAREER_YEARS = 8;
const CATEGORIES = ['PME', 'PME', 'technical', 'technical', 'technical', 'english', 'other'];
const PROGRAMS_OF_LINES: readonly ProgramCode[] = [
  'IMET',
  'IMET',
  'IMET',
  'IMET',
  'IMET',
  'IMET',
  'FMF',
  'PKO',
  'CTFP',
];
const FAMILY_NAMES = [
  'Khan',
  'Silva',
  'Nguyen',
  'Okafor',
  'Haddad',
  'Kowalski',
  'Mensah',
  'Rahman',
  'Santos',
  'Traoré',
  'Yilmaz',
  'Kariuki',
  'Suzuki',
  'Hassan',
  'Pérez',
  'Ivanova',
];
const GIVEN_NAMES = [
  'Ali',
  'Maria',
  'Kwame',
  'Ana',
  'Omar',
  'Lin',
  'Jean',
  'Amina',
  'Tomas',
  'Aisha',
];

const dayOf = (date: string) => Date.parse(`${date}T00:00:00.000Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10) as IsoDate;
const courseId = (c: number) =>
  c < RELIEF_COURSES.length ? RELIEF_COURSES[c]!.id : `SYN${String(c).padStart(4, '0')}`;

/** The countries: Pakistan (which the demo's questions name) and the eligibility bench's others. */
function syntheticCountries(count: number): string[] {
  return ['PAK', ...COUNTRIES.filter((c) => c !== 'PAK')].slice(0, count).sort();
}

interface Course {
  readonly id: string;
  readonly schoolId: string;
  readonly category: string;
  readonly eImet: boolean;
  readonly dedicated: boolean;
  readonly lengthWeeks: number;
  readonly baseTuitionCents: number;
}

function catalogue(): { schools: string[]; courses: Course[] } {
  const relief = new Map(RELIEF_COURSES.map((c) => [c.id, c]));
  const schools = [
    ...new Set([
      ...RELIEF_COURSES.map((c) => c.schoolId),
      ...Array.from({ length: SCHOOLS }, (_, s) => `SYNS${s}`),
    ]),
  ].slice(0, SCHOOLS);
  const courses = Array.from({ length: COURSES }, (_, c): Course => {
    const id = courseId(c);
    const known = relief.get(id);
    return {
      id,
      schoolId: known?.schoolId ?? schools[c % schools.length]!,
      category: CATEGORIES[c % CATEGORIES.length]!,
      eImet: known?.eImet ?? c % 5 === 0,
      dedicated: c % 11 === 0,
      lengthWeeks: 2 + ((c * 7) % 44),
      baseTuitionCents: 400_000 + ((c * 7_919) % 60) * 50_000,
    };
  });
  return { schools, courses };
}

/** Tuition of a course in a fiscal year: its base grown 3% a year from FY 1988. */
const tuitionIn = (course: Course, fy: number) =>
  Math.round((course.baseTuitionCents * 1.03 ** (fy - 1988)) / 100) * 100;

/**
 * The set's restriction and relief versions (with their notifications): half the countries have a
 * history of restrictions; of those, each kind is in force about a fifth of the time (the versions
 * are many, so each is short); none recorded after the set's date.
 */
export function syntheticRecords(scale: SyntheticScale): EligibilityRecords {
  return generateRecords(scale.versions, SEED, {
    countries: syntheticCountries(scale.countries).filter((c, i) => c === 'PAK' || i % 2 === 1),
    lastRecordedDay: dayOf(SYNTHETIC_DATE) - 1,
    coverage: 0.2,
  });
}

/** `total` shared in proportion to `weights`, in whole numbers that add up to it (largest remainders). */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const whole = exact.map(Math.floor);
  const left = total - whole.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0]);
  for (let k = 0; k < left; k++) whole[byRemainder[k]![1]]! += 1;
  return whole;
}

/**
 * Fills `store` (migrated, empty) with the synthetic set at `scale`, in one transaction; `progress`
 * hears each table as it is written. Deterministic: the same scale gives the same rows.
 */
export async function seedSynthetic(
  store: Store,
  scale: SyntheticScale = FULL_SCALE,
  progress: (step: string) => void = () => undefined,
): Promise<SyntheticCounts> {
  const ctx = contextOver(store, { clock: () => `${SYNTHETIC_DATE}T00:00:00.000Z` });
  const synced = await syncReferenceData(ctx);
  if (!synced.ok) throw new Error(synced.error.message);
  let counts: SyntheticCounts | undefined;
  const written = await writeTransaction(
    ctx,
    systemActor('synthetic'),
    'catalog.write',
    async (tx) => {
      counts = await writeSynthetic(tx, scale, progress);
      return ok({ value: null, audit: [] });
    },
  );
  if (!written.ok) throw new Error(written.error.message);
  progress('analyze');
  await store.db.execute(sql`analyze`);
  return counts!;
}

async function writeSynthetic(
  tx: Executor,
  scale: SyntheticScale,
  progress: (step: string) => void,
): Promise<SyntheticCounts> {
  const rnd = random(SEED);
  const countries = syntheticCountries(scale.countries);
  const firstFy = LAST_FY - scale.years + 1;
  const today = dayOf(SYNTHETIC_DATE);
  const recordedAt = `${SYNTHETIC_DATE}T00:00:00.000Z`;

  progress(`records: ${scale.versions} restriction and relief versions`);
  const records = syntheticRecords(scale);
  await insertRecords(tx, records);
  const index = buildEligibilityIndex(records);
  const recordedOn = new Map(
    records.restrictions.map((v) => [`${v.id}@${v.version}`, v.recordedAt.slice(0, 10)]),
  );

  progress('catalogue');
  const { schools, courses } = catalogue();
  await insertAll(
    tx,
    'schools',
    'id text, name text, location text, department text',
    schools.map((id, s) => ({
      id,
      name: `School ${id}`,
      location: `Fort Example ${s}, KS`,
      department: ['Army', 'Navy', 'Air Force', 'Joint'][s % 4],
    })),
  );
  await insertAll(
    tx,
    'courses',
    'id text, title text, school_id text, category text, e_imet boolean, dedicated boolean, length_weeks int',
    courses.map((c, i) => ({
      id: c.id,
      title: `Synthetic Course ${i}`,
      school_id: c.schoolId,
      category: c.category,
      e_imet: c.eImet,
      dedicated: c.dedicated,
      length_weeks: c.lengthWeeks,
    })),
  );
  await insertAll(
    tx,
    'course_tuition',
    'course_id text, fiscal_year int, tuition_cents bigint',
    courses.flatMap((c) =>
      Array.from({ length: scale.years }, (_, y) => ({
        course_id: c.id,
        fiscal_year: firstFy + y,
        tuition_cents: tuitionIn(c, firstFy + y),
      })),
    ),
  );

  // Countries differ in size: a weight per country, seats and students shared by weight.
  const weights = countries.map(() => 0.2 + rnd.next() ** 2 * 4);
  const seatsOf = apportion(scale.seats, weights);
  const studentsOf = apportion(scale.students, weights);

  progress(`students: ${scale.students}`);
  // Each country's students, by the first fiscal year of their career.
  const careers = new Map<string, string[][]>();
  const studentRows: object[] = [];
  let studentSerial = 0;
  for (const [i, country] of countries.entries()) {
    const byStart: string[][] = Array.from({ length: scale.years }, () => []);
    for (let k = 0; k < studentsOf[i]!; k++) {
      const id = `syn_stu_${++studentSerial}`;
      const start = k % scale.years;
      byStart[start]!.push(id);
      const born = firstFy + start - 28 - rnd.int(0, 10);
      studentRows.push({
        id,
        country_iso3: country,
        family_name: rnd.of(FAMILY_NAMES),
        given_names: `${rnd.of(GIVEN_NAMES)} ${k}`,
        birth_date: `${born}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
        service: rnd.of(['Army', 'Navy', 'Air Force', 'Marines']),
        rank: rnd.of(['Captain', 'Major', 'Lieutenant Colonel', 'Colonel']),
        unit: `Unit ${rnd.int(1, 60)}`,
        created_at: recordedAt,
      });
    }
    careers.set(country, byStart);
  }
  await insertAll(
    tx,
    'students',
    'id text, country_iso3 text, family_name text, given_names text, birth_date date, service text, rank text, unit text, created_at timestamptz',
    studentRows,
  );
  const studentCount = studentRows.length;
  studentRows.length = 0;
  /**
   * A student of `country` whose career covers `fy`; failing that (a small country, a small scale)
   * the latest to start before; null when none had started.
   */
  const studentFor = (country: string, fy: number): string | null => {
    const byStart = careers.get(country)!;
    const y = fy - firstFy;
    for (let tries = 0; tries < 4; tries++) {
      const cohort = byStart[Math.max(0, y - rnd.int(0, CAREER_YEARS - 1))]!;
      if (cohort.length > 0) return rnd.of(cohort);
    }
    for (let start = y; start >= 0; start--)
      if (byStart[start]!.length > 0) return rnd.of(byStart[start]!);
    return null;
  };
  // Each country's seats spread over the years: year y ends with round(share × (y + 1) / years).
  const seatsBy = (i: number, y: number) =>
    Math.round((seatsOf[i]! * (y + 1)) / scale.years) - Math.round((seatsOf[i]! * y) / scale.years);

  let lineCount = 0;
  let seatCount = 0;
  let allocationCount = 0;
  const reached: Record<string, number> = {};
  for (let fy = firstFy; fy <= LAST_FY; fy++) {
    progress(`FY ${fy}`);
    const fyStart = dayOf(`${fy - 1}-10-01`);
    const fyDays = dayOf(`${fy}-10-01`) - fyStart;
    const lines: object[] = [];
    const seats: object[] = [];
    const allocations: object[] = [];
    for (const [i, country] of countries.entries()) {
      const target = seatsBy(i, fy - firstFy);
      let programmedCents = 0;
      for (let placed = 0; placed < target;) {
        const course = rnd.of(courses);
        const program: ProgramCode =
          course.eImet && rnd.next() < 0.5 ? 'IMET' : rnd.of(PROGRAMS_OF_LINES);
        const seatsOfLine = Math.min(target - placed, rnd.int(1, 8));
        const start = fyStart + rnd.int(0, fyDays - 1);
        const classStart = dateOf(start);
        const tuition = tuitionIn(course, fy);
        const allowance = rnd.int(0, 6) * 50_000;
        const lineId = `syn_tl_${++lineCount}`;
        lines.push({
          id: lineId,
          country_iso3: country,
          fiscal_year: fy,
          course_id: course.id,
          program_code: program,
          seat_count: seatsOfLine,
          class_start: classStart,
          priority: rnd.next() < 0.7 ? 'A' : rnd.next() < 0.85 ? 'B' : 'D',
          unit_tuition_cents: tuition,
          allowance_cents: allowance,
          purpose: 'Professional military education and technical training',
          created_at: recordedAt,
        });
        if (program === 'IMET') programmedCents += seatsOfLine * (tuition + allowance);
        // As known on the class start: a restriction recorded later did not stop the class.
        const decision = decide(index, {
          country,
          program,
          on: classStart,
          course,
          knownOn: `${classStart}T00:00:00.000Z`,
        });
        const blocking = decision.eligible
          ? undefined
          : decision.restrictions.find((r) => r.status === 'blocking');
        const ends = start + course.lengthWeeks * 7;
        for (let ordinal = 1; ordinal <= seatsOfLine; ordinal++) {
          const seat: Record<string, unknown> = {
            id: `syn_seat_${++seatCount}`,
            line_id: lineId,
            ordinal,
            updated_at: recordedAt,
          };
          let status: SeatStatus;
          if (blocking !== undefined) {
            const recorded = recordedOn.get(`${blocking.id}@${blocking.version}`)!;
            const on = dateOf(Math.min(start, Math.max(dayOf(blocking.from), dayOf(recorded))));
            status = blocking.seatPolicy === 'hold' ? 'held' : 'cancelled';
            seat['restriction_id'] = blocking.id;
            if (status === 'held') seat['held_on'] = on;
            else {
              seat['cancellation_reason'] = 'us-restriction';
              seat['cancelled_on'] = on;
              seat['penalty_rule'] = cancellationPenalty({
                reason: 'us-restriction',
                refilled: false,
                dedicated: course.dedicated,
                tuitionCents: tuition,
                classStart,
                cancelledOn: on,
              }).rule;
            }
            reached[status] = (reached[status] ?? 0) + 1;
          } else if (ends <= today) {
            const roll = rnd.next();
            status = roll < 0.04 ? 'cancelled' : roll < 0.06 ? 'not-completed' : 'completed';
            if (status === 'cancelled') {
              const on = dateOf(start - rnd.int(5, 120));
              const penalty = cancellationPenalty({
                reason: 'partner-request',
                refilled: false,
                dedicated: course.dedicated,
                tuitionCents: tuition,
                classStart,
                cancelledOn: on,
              });
              seat['cancellation_reason'] = 'partner-request';
              seat['cancelled_on'] = on;
              seat['penalty_cents'] = penalty.cents;
              seat['penalty_rule'] = penalty.rule;
            }
          } else if (start <= today) status = 'in-training';
          else status = rnd.next() < 0.5 ? 'nominated' : 'programmed';
          seat['status'] = status;
          if (status !== 'cancelled' && status !== 'held' && status !== 'programmed')
            seat['student_id'] = studentFor(country, fy);
          if (seat['student_id'] === null) {
            // No student of that career yet: the seat was never filled.
            delete seat['student_id'];
            if (status !== 'programmed') {
              seat['status'] = ends <= today ? 'cancelled' : 'programmed';
              if (seat['status'] === 'cancelled') {
                seat['cancellation_reason'] = 'student-unavailable';
                seat['cancelled_on'] = dateOf(start - 30);
              }
            }
          }
          seats.push(seat);
        }
        placed += seatsOfLine;
      }
      // The allocation covers what was programmed, with room left (money not yet programmed).
      allocations.push({
        id: `syn_alloc_${country}_${fy}`,
        country_iso3: country,
        program_code: 'IMET',
        fiscal_year: fy,
        amount_cents: Math.ceil((programmedCents * 1.15) / 100_000) * 100_000,
        reason: 'synthetic allocation',
        recorded_at: recordedAt,
        recorded_by: 'synthetic',
      });
    }
    await insertAll(
      tx,
      'training_lines',
      'id text, country_iso3 text, fiscal_year int, course_id text, program_code text, seat_count int, class_start date, priority text, unit_tuition_cents bigint, allowance_cents bigint, purpose text, created_at timestamptz',
      lines,
    );
    await insertAll(
      tx,
      'seats',
      'id text, line_id text, ordinal int, status text, penalty_cents bigint, restriction_id text, cancellation_reason text, cancelled_on date, held_on date, penalty_rule text, student_id text, updated_at timestamptz',
      seats.map((s) => ({ penalty_cents: 0, ...s })),
    );
    await insertAll(
      tx,
      'allocations',
      'id text, country_iso3 text, program_code text, fiscal_year int, amount_cents bigint, reason text, recorded_at timestamptz, recorded_by text',
      allocations,
    );
    allocationCount += allocations.length;
  }
  return {
    scale,
    countries: countries.length,
    schools: schools.length,
    courses: courses.length,
    allocations: allocationCount,
    trainingLines: lineCount,
    seats: seatCount,
    students: studentCount,
    restrictionVersions: records.restrictions.length,
    reliefVersions: records.reliefs.length,
    notifications: records.notifications.length,
    reached,
  };
}

/** Changes when the generator's output does: a kept database of an older generator is not reused. */
const GENERATOR_VERSION = 1;

/** The kept database's name: the scale, the generator and the migrations it was built with. */
function keptName(scale: SyntheticScale): string {
  const migrations = readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const hash = createHash('sha256')
    .update(JSON.stringify({ scale, GENERATOR_VERSION, migrations }))
    .digest('hex')
    .slice(0, 12);
  return `attache_synthetic_${hash}`;
}

/**
 * The URL of a PostgreSQL database holding the synthetic set at `scale`: the kept one, or one built
 * now (under a working name, renamed when complete, so a build cut short is never taken for one).
 */
export async function syntheticDatabase(
  scale: SyntheticScale = FULL_SCALE,
  log: (line: string) => void = (line) => console.log(line),
): Promise<string> {
  const name = keptName(scale);
  const kept = await admin((c) =>
    c.query('select 1 from pg_database where datname = $1', [name]).then((r) => r.rowCount === 1),
  );
  if (kept) return withDatabase(BENCH_POSTGRES, name);
  const building = `${name}_building`;
  await admin(async (c) => {
    await c.query(`drop database if exists ${building}`);
    await c.query(`create database ${building}`);
  });
  log(`building the synthetic data set (${describeScale(scale)}) in ${name}`);
  const started = performance.now();
  const store = await openStore({ kind: 'postgres', url: withDatabase(BENCH_POSTGRES, building) });
  let counts: SyntheticCounts;
  try {
    await migrateStore(store);
    counts = await seedSynthetic(store, scale);
  } finally {
    await store.close();
  }
  await admin((c) => c.query(`alter database ${building} rename to ${name}`));
  log(
    `built in ${((performance.now() - started) / 1000).toFixed(1)} s: ${counts.trainingLines} training lines, ` +
      `${counts.seats} seats (${Object.entries(counts.reached)
        .map(([status, n]) => `${n} ${status} by a restriction`)
        .join(
          ', ',
        )}), ${counts.students} students, ${counts.restrictionVersions} restriction and ` +
      `${counts.reliefVersions} relief versions, ${counts.notifications} notifications, ${counts.allocations} allocations`,
  );
  return withDatabase(BENCH_POSTGRES, name);
}

/** A copy of the kept database for a benchmark that writes: its URL, and `drop` when done. */
export async function syntheticCopy(
  scale: SyntheticScale = FULL_SCALE,
): Promise<{ url: string; drop(): Promise<void> }> {
  const template = new URL(await syntheticDatabase(scale)).pathname.slice(1);
  const name = `attache_bench_${randomBytes(4).toString('hex')}`;
  await admin(async (c) => {
    // Copied as files (PostgreSQL 15 and later) rather than through the WAL, and the checkpoint
    // taken now: a 400 MB copy written through the WAL set off a checkpoint that wrote for seconds
    // under the first measurements, tripling their writes' times.
    const [{ version }] = (
      await c.query(`select current_setting('server_version_num')::int as version`)
    ).rows as [{ version: number }];
    const strategy = version >= 150_000 ? ' strategy file_copy' : '';
    await c.query(`create database ${name} template ${template}${strategy}`);
    await c.query('checkpoint');
  });
  return {
    url: withDatabase(BENCH_POSTGRES, name),
    drop: () =>
      admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

export function describeScale(scale: SyntheticScale): string {
  return `${scale.years} years, ${scale.countries} countries, ${scale.seats.toLocaleString('en-US')} seats, ${scale.students.toLocaleString('en-US')} students, ${scale.versions.toLocaleString('en-US')} restriction and relief versions`;
}

/** The scale a benchmark's arguments name: `--synthetic` (full) or `--scale F`; undefined: neither. */
export function scaleOf(args: readonly string[]): SyntheticScale | undefined {
  const at = args.indexOf('--scale');
  if (at >= 0) {
    const fraction = Number(args[at + 1]);
    if (!(fraction > 0 && fraction <= 1)) throw new Error('--scale takes a fraction in (0, 1]');
    return scaledBy(fraction);
  }
  return args.includes('--synthetic') ? FULL_SCALE : undefined;
}

/** `npm run bench -- synthetic [--scale F]`: builds (or finds) the kept database and says where. */
export async function run(args: readonly string[]): Promise<void> {
  const scale = scaleOf(args) ?? FULL_SCALE;
  const url = await syntheticDatabase(scale);
  console.log(`synthetic data set (${describeScale(scale)}): ${url}`);
}
