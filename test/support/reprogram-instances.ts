// Seeded re-programming instances at the real rules (issue 17's benchmark: 200 countries × 50
// candidate lines): lists that pass their checks before the proposal, a pool released by a few of
// them, candidate lines of every priority and category with some blocked by a restriction or
// already started, and courses whose classes several countries share, with their open seats.
import { isoDate, type IsoDate } from '../../src/core/dates.js';
import {
  DEFAULT_WEIGHTS,
  type Candidate,
  type ClassCapacity,
  type ListPosition,
  type Pool,
  type ReprogramInput,
} from '../../src/core/reprogram/model.js';
import { COURSE_CATEGORIES, type Priority } from '../../src/core/training.js';
import { seeded } from './seeded.js';

export interface InstanceSize {
  readonly countries: number;
  readonly linesEach: number;
  readonly pool?: Pool;
}

const CLASS_STARTS = ['2018-09-04', '2018-09-10', '2018-09-17', '2018-09-24', '2018-10-01'].map(
  isoDate,
);
const ON: IsoDate = isoDate('2018-08-15');

export function reprogramInstance(seed: number, size: InstanceSize): ReprogramInput {
  const rnd = seeded(seed);
  const country = (i: number) =>
    `${String.fromCharCode(65 + (Math.floor(i / 676) % 26))}${String.fromCharCode(65 + (Math.floor(i / 26) % 26))}${String.fromCharCode(65 + (i % 26))}`;
  const courses = Math.max(4, Math.round((size.countries * size.linesEach) / 12));
  const lists: ListPosition[] = [];
  const candidates: Candidate[] = [];
  for (let c = 0; c < size.countries; c++) {
    const iso3 = country(c);
    const allocation = rnd.int(5_000, 50_000) * 10_000; // $500,000 to $5,000,000
    // One country in ten released money: it leaves its allocation for the pool.
    const pooled = rnd.next() < 0.1 ? Math.round((allocation * rnd.int(5, 30)) / 100) : 0;
    const kept = allocation - pooled;
    lists.push({
      country: iso3,
      allocationCents: allocation,
      priorityACents: Math.round((kept * rnd.int(950, 1000)) / 1000),
      pmeCents: Math.round((kept * rnd.int(50, 75)) / 100),
      pooledCents: pooled,
    });
    for (let l = 0; l < size.linesEach; l++) {
      const roll = rnd.next();
      const priority: Priority = roll < 0.8 ? 'B' : roll < 0.9 ? 'A' : 'D';
      const eImet = rnd.next() < 0.2;
      candidates.push({
        lineId: `${iso3}-${l}`,
        country: iso3,
        courseId: `K${rnd.int(1, courses)}`,
        category: rnd.of(COURSE_CATEGORIES),
        eImet,
        priority,
        classStart: rnd.next() < 0.05 ? isoDate('2018-08-01') : rnd.of(CLASS_STARTS),
        seats: rnd.int(1, 6),
        seatCents: rnd.int(50, 1_200) * 10_000,
        blocking:
          rnd.next() < 0.05
            ? [{ restrictionId: `rst_${iso3}`, reason: `a policy suspension of ${iso3}` }]
            : [],
      });
    }
  }
  const classes = new Map<string, ClassCapacity>();
  for (const c of candidates) {
    const key = `${c.courseId}@${c.classStart}`;
    if (!classes.has(key) && rnd.next() < 0.7)
      classes.set(key, { courseId: c.courseId, classStart: c.classStart, seats: rnd.int(1, 8) });
  }
  return {
    fiscalYear: 2018,
    pool: size.pool ?? 'released',
    poolCents: lists.reduce((n, l) => n + l.pooledCents, 0),
    on: ON,
    lists,
    candidates,
    capacities: [...classes.values()],
    weights: DEFAULT_WEIGHTS,
  };
}
