// Properties of the cascade's dating (issue #10): over random changes to one country's records, the
// planner agrees with a day-by-day reading of the records before and after the change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planCascade, seatsInReach, type SeatState } from './cascade.js';
import { addDays, type IsoDate } from './dates.js';
import {
  buildEligibilityIndex,
  decide,
  type EligibilityIndex,
  type EligibilityRecords,
} from './eligibility/engine.js';
import { reliefVersion, restrictionVersion } from './eligibility/test-records.js';
import { classEnd } from './seat-rules.js';
import type { SeatStatus } from './training.js';

const YEAR = '2020-01-01' as IsoDate;
const day = (offset: number) => addDays(YEAR, offset);
const offsetArb = fc.integer({ min: 0, max: 300 });
const intervalArb = fc
  .tuple(offsetArb, fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }))
  .map(([from, length]) => ({
    from: day(from),
    until: length === undefined ? null : day(from + length),
  }));

/** A policy restriction with its reliefs, then one change: a relief added or ended, a lift, a coup. */
const worldArb = fc.record({
  restriction: intervalArb,
  policy: fc.constantFrom<'cancel' | 'hold'>('cancel', 'hold'),
  reliefs: fc.array(intervalArb, { maxLength: 2 }),
  change: fc.oneof(
    fc.record({ kind: fc.constant('relieve' as const), interval: intervalArb }),
    fc.record({ kind: fc.constant('end-relief' as const), pick: fc.nat(), at: offsetArb }),
    fc.record({ kind: fc.constant('lift' as const), at: offsetArb }),
    fc.record({ kind: fc.constant('coup' as const), interval: intervalArb }),
  ),
  seats: fc.array(
    fc.record({
      start: fc.integer({ min: 0, max: 330 }),
      weeks: fc.integer({ min: 1, max: 8 }),
      status: fc.constantFrom<SeatStatus>(
        'programmed',
        'nominated',
        'ito-issued',
        'in-training',
        'held',
      ),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function records(world: World): { before: EligibilityRecords; after: EligibilityRecords } {
  const restriction = restrictionVersion({
    id: 'rst_p',
    country: 'JOR',
    seatPolicy: world.policy,
    ...world.restriction,
  });
  const reliefs = world.reliefs.map((r, i) =>
    reliefVersion({ id: `rlf_${i}`, restrictionId: 'rst_p', ...r }),
  );
  const before = { restrictions: [restriction], reliefs, notifications: [] };
  const c = world.change;
  switch (c.kind) {
    case 'relieve':
      return {
        before,
        after: {
          ...before,
          reliefs: [
            ...reliefs,
            reliefVersion({ id: 'rlf_n', restrictionId: 'rst_p', ...c.interval }),
          ],
        },
      };
    case 'end-relief': {
      const i = c.pick % Math.max(reliefs.length, 1);
      const relief = reliefs[i];
      if (relief === undefined) return { before, after: before };
      const until = addDays(relief.from, 1 + (c.at % 200));
      return {
        before,
        after: { ...before, reliefs: reliefs.map((r, j) => (j === i ? { ...r, until } : r)) },
      };
    }
    case 'lift': {
      const until = addDays(restriction.from, 1 + (c.at % 200));
      return { before, after: { ...before, restrictions: [{ ...restriction, until }] } };
    }
    case 'coup':
      return {
        before,
        after: {
          ...before,
          restrictions: [
            restriction,
            restrictionVersion({ id: 'rst_c', country: 'JOR', kind: 'coup', ...c.interval }),
          ],
        },
      };
  }
}

function seatsOf(world: World): SeatState[] {
  return world.seats.map((s, i) => ({
    id: `seat_${i}`,
    lineId: `tl_${i}`,
    country: 'JOR',
    program: 'IMET',
    fiscalYear: 2020,
    course: { id: 'STD', schoolId: 'S', eImet: false },
    classStart: day(s.start),
    lengthWeeks: s.weeks,
    status: s.status,
    previousStatus: s.status === 'held' ? 'nominated' : null,
    studentId: null,
    tuitionCents: 1_000,
    allowanceCents: 100,
  }));
}

const eligible = (index: EligibilityIndex, on: IsoDate) =>
  decide(index, { country: 'JOR', program: 'IMET', on }).eligible;

/** The first day of the run of days ending on `on` on which `holds` is true, read day by day. */
function firstOfRun(on: IsoDate, holds: (d: IsoDate) => boolean): IsoDate {
  let from = on;
  while (holds(addDays(from, -1))) from = addDays(from, -1);
  return from;
}

describe('the cascade read day by day', () => {
  it('dates, cancels, flags and releases exactly as the records before and after say, day by day', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const { before, after } = records(world);
        const b = buildEligibilityIndex(before);
        const a = buildEligibilityIndex(after);
        const blockedByChange = (d: IsoDate) => eligible(b, d) && !eligible(a, d);
        const freedByChange = (d: IsoDate) => !eligible(b, d) && eligible(a, d);
        const seats = seatsOf(world);
        const plan = planCascade(seats, b, a);
        const planned = new Map(plan.changes.map((c) => [c.seatId, c]));
        for (const seat of seats) {
          const change = planned.get(seat.id);
          const start = seat.classStart;
          const end = classEnd(start, seat.lengthWeeks);
          if (seat.status === 'held') {
            if (freedByChange(start)) {
              expect(change).toMatchObject({ kind: 'release', to: 'nominated' });
              expect(change!.on).toBe(firstOfRun(start, freedByChange));
              expect(change!.on <= start).toBe(true);
            } else expect(change).toBeUndefined();
            continue;
          }
          if (blockedByChange(start)) {
            const on = firstOfRun(start, blockedByChange);
            const blocking = decide(a, {
              country: 'JOR',
              program: 'IMET',
              on: start,
            }).restrictions.find((r) => r.status === 'blocking')!;
            const kind =
              seat.status === 'in-training'
                ? 'flag'
                : blocking.seatPolicy === 'cancel'
                  ? 'cancel'
                  : 'hold';
            expect(change).toMatchObject({ kind, on, restrictionId: blocking.id });
            continue;
          }
          let underWay: IsoDate | undefined;
          for (let d = addDays(start, 1); d < end; d = addDays(d, 1)) {
            if (blockedByChange(d)) {
              underWay = d;
              break;
            }
          }
          if (underWay === undefined) expect(change).toBeUndefined();
          else expect(change).toMatchObject({ kind: 'flag', on: underWay, to: seat.status });
        }
        // Never cancelled or held when the class is under way on the date; never released otherwise.
        for (const c of plan.changes) {
          const seat = seats.find((s) => s.id === c.seatId)!;
          if (c.kind === 'cancel' || c.kind === 'hold') expect(c.on <= seat.classStart).toBe(true);
          if (c.kind === 'release') expect(eligible(a, seat.classStart)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('judges only the seats a new restriction may reach, and plans for them what it plans for all', () => {
    fc.assert(
      fc.property(
        worldArb,
        intervalArb,
        fc.constantFrom<'coup' | 'policy'>('coup', 'policy'),
        (world, interval, kind) => {
          const { before } = records(world);
          const added = restrictionVersion({ id: 'rst_n', country: 'JOR', kind, ...interval });
          const after = { ...before, restrictions: [...before.restrictions, added] };
          const b = buildEligibilityIndex(before);
          const a = buildEligibilityIndex(after);
          const seats = seatsOf(world);
          const reached = seatsInReach(seats, [added]);
          expect(planCascade(reached, b, a)).toEqual(planCascade(seats, b, a));
          // A seat left out: on every day of its class, eligibility is what it was.
          for (const seat of seats.filter((s) => !reached.includes(s))) {
            const end = classEnd(seat.classStart, seat.lengthWeeks);
            for (let d = seat.classStart; d < end; d = addDays(d, 1))
              expect(eligible(a, d)).toBe(eligible(b, d));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reaches every seat whose class has a day within a new version, at the edges too', () => {
    // Small ranges, so a class's first and last days meet a version's first and last often.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 60 }),
        fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        (start, weeks, from, length) => {
          const seat = {
            ...seatsOf({ seats: [{ start, weeks, status: 'programmed' }] } as World)[0]!,
          };
          const version = restrictionVersion({
            id: 'rst_n',
            country: 'JOR',
            from: day(from),
            until: length === undefined ? null : day(from + length),
          });
          const end = start + 7 * weeks;
          const meets = from < end && (length === undefined || start < from + length);
          if (meets) expect(seatsInReach([seat], [version])).toEqual([seat]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
