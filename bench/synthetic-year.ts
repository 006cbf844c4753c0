// A synthetic training year for report benchmarks: 10,000 students of 150 countries in FY Y-1
// (trained: completed, not completed, cancelled with a penalty) and FY Y (programmed), written in
// bulk (not through the write road: the benchmark times the report, not the set-up).
import { systemActor } from '../src/core/actor.js';
import { ok } from '../src/core/result.js';
import { contextOver } from '../src/services/context.js';
import { syncReferenceData } from '../src/services/countries/reference.service.js';
import { writeTransaction } from '../src/services/unit-of-work.js';
import type { Store } from '../src/store/database.js';
import { insertChunked } from '../src/store/raw-sql.js';
import { readCountries } from '../src/store/reference.repository.js';
import {
  courseTuition,
  courses,
  schools,
  seats,
  students,
  trainingLines,
} from '../src/store/schema.js';

export interface SyntheticYear {
  /** The report year: FY year-1 is trained, FY year programmed. */
  readonly year: number;
  readonly countries: number;
  readonly students: number;
  readonly seats: number;
}

const SCHOOLS = 12;
const COURSES = 240;
/** Seats per training line: a country sends a handful of officers to a course. */
const PER_LINE = 4;

/**
 * Fills `store` (migrated, empty) with `studentCount` students spread over the first
 * `countryCount` reference countries (NATO members among them, so exclusions are exercised).
 * Each student holds one seat in FY year-1 and every third one a second seat in FY year. Of the
 * FY year-1 seats, 1 in 20 is cancelled with a penalty, 1 in 25 not completed, the rest completed.
 * Deterministic: the same arguments give the same rows.
 */
export async function seedSyntheticYear(
  store: Store,
  { year = 2020, countryCount = 150, studentCount = 10_000 } = {},
): Promise<SyntheticYear> {
  const ctx = contextOver(store, { clock: () => `${year}-01-15T12:00:00.000Z` });
  const synced = await syncReferenceData(ctx);
  if (!synced.ok) throw new Error(synced.error.message);
  const iso3s = (await readCountries(store.db))
    .map((c) => c.iso3)
    .sort()
    .slice(0, countryCount);
  let seatCount = 0;
  const written = await writeTransaction(
    ctx,
    systemActor('bench'),
    'catalog.write',
    async (tx, now) => {
      await insertChunked(
        tx,
        schools,
        Array.from({ length: SCHOOLS }, (_, s) => ({
          id: `SCH${s}`,
          name: `Synthetic School ${s}`,
          location: `Fort Example ${s}, KS`,
          department: 'Army',
        })),
      );
      await insertChunked(
        tx,
        courses,
        Array.from({ length: COURSES }, (_, c) => ({
          id: `C${String(c).padStart(4, '0')}`,
          title: `Synthetic Course ${c}`,
          schoolId: `SCH${c % SCHOOLS}`,
          category: c % 2 === 0 ? 'PME' : 'technical',
          lengthWeeks: 4 + (c % 40),
        })),
      );
      await insertChunked(
        tx,
        courseTuition,
        Array.from({ length: COURSES }, (_, c) =>
          [year - 1, year].map((fy) => ({
            courseId: `C${String(c).padStart(4, '0')}`,
            fiscalYear: fy,
            tuitionCents: 1_000_000 + c * 10_000,
          })),
        ).flat(),
      );
      const studentRows: (typeof students.$inferInsert)[] = [];
      const lineRows: (typeof trainingLines.$inferInsert)[] = [];
      const seatRows: (typeof seats.$inferInsert)[] = [];
      // Students of one country, one course and one FY fill lines of PER_LINE seats.
      const open = new Map<string, typeof trainingLines.$inferInsert>();
      const seat = (
        country: string,
        fy: number,
        course: number,
        student: string,
        status: string,
      ) => {
        const key = `${country}|${fy}|${course}`;
        let line = open.get(key);
        if (line === undefined || line.seatCount === PER_LINE) {
          const id = `tl_${country}_${fy}_${course}_${lineRows.length}`;
          const month = 1 + (course % 12);
          // A class in FY fy: October of fy-1 to September of fy.
          const startYear = month >= 10 ? fy - 1 : fy;
          line = {
            id,
            countryIso3: country,
            fiscalYear: fy,
            courseId: `C${String(course).padStart(4, '0')}`,
            programCode: 'IMET',
            seatCount: 0,
            classStart: `${startYear}-${String(month).padStart(2, '0')}-06`,
            priority: 'A',
            unitTuitionCents: 1_000_000 + course * 10_000,
            allowanceCents: 250_000,
            purpose: 'Professional military education for future leaders',
            createdAt: now,
          };
          lineRows.push(line);
          open.set(key, line);
        }
        line.seatCount += 1;
        const cancelled = status === 'cancelled';
        seatRows.push({
          id: `seat_${seatRows.length}`,
          lineId: line.id,
          ordinal: line.seatCount,
          status,
          studentId: cancelled ? null : student,
          penaltyCents: cancelled ? 500_000 : 0,
          cancellationReason: cancelled ? 'partner-request' : null,
          penaltyRule: cancelled ? 'fewer than 60 days before the class: 50% of tuition' : null,
          cancelledOn: cancelled ? `${year - 2}-12-01` : null,
          updatedAt: now,
        });
      };
      for (let s = 0; s < studentCount; s++) {
        const country = iso3s[s % iso3s.length]!;
        const id = `stu_${s}`;
        studentRows.push({
          id,
          countryIso3: country,
          familyName: `FAMILY${s}`,
          givenNames: `Given ${s}`,
          unit: `Unit ${s % 37}`,
          createdAt: now,
        });
        const past = s % 20 === 0 ? 'cancelled' : s % 25 === 0 ? 'not-completed' : 'completed';
        seat(country, year - 1, s % COURSES, id, past);
        if (s % 3 === 0) seat(country, year, (s * 7) % COURSES, id, 'programmed');
      }
      await insertChunked(tx, students, studentRows);
      await insertChunked(tx, trainingLines, lineRows);
      await insertChunked(tx, seats, seatRows);
      seatCount = seatRows.length;
      return ok({ value: null, audit: [] });
    },
  );
  if (!written.ok) throw new Error(written.error.message);
  return { year, countries: iso3s.length, students: studentCount, seats: seatCount };
}
