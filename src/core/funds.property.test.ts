// Money is conserved (issue #4): over random sequences of lines, cancellations, restrictions and
// reliefs, allocation = committed + released + unprogrammed at every step, and the money each
// cascade and cancellation reports released is exactly what the seat states say was released.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planCascade, type SeatState } from './cascade.js';
import { addDays, type IsoDate } from './dates.js';
import { buildEligibilityIndex, type EligibilityRecords } from './eligibility/engine.js';
import { reliefVersion, restrictionVersion } from './eligibility/test-records.js';
import { fundsPosition } from './funds.js';
import { cancellationPenalty, canTransition, type CancellationReason } from './seat-rules.js';
import type { SeatStatus } from './training.js';

type Op =
  | {
      kind: 'line';
      seats: number;
      startOffset: number;
      tuition: number;
      allowance: number;
      dedicated: boolean;
    }
  | {
      kind: 'cancel';
      pick: number;
      reason: CancellationReason;
      refilled: boolean;
      noticeDays: number;
    }
  | { kind: 'advance'; pick: number }
  | { kind: 'restrict'; fromOffset: number; policy: 'cancel' | 'hold' }
  | { kind: 'relieve'; fromOffset: number }
  | { kind: 'end-relief'; pick: number; afterDays: number };

const FY_START = '2019-10-01' as IsoDate;
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('line' as const),
    seats: fc.integer({ min: 1, max: 4 }),
    startOffset: fc.integer({ min: 0, max: 360 }),
    tuition: fc.integer({ min: 0, max: 9_000_000 }),
    allowance: fc.integer({ min: 0, max: 2_000_000 }),
    dedicated: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('cancel' as const),
    pick: fc.nat(),
    reason: fc.constantFrom<CancellationReason>(
      'partner-request',
      'class-deleted',
      'in-country-event',
      'visa-delay',
      'student-unavailable',
    ),
    refilled: fc.boolean(),
    noticeDays: fc.integer({ min: 0, max: 120 }),
  }),
  fc.record({ kind: fc.constant('advance' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('restrict' as const),
    fromOffset: fc.integer({ min: 0, max: 365 }),
    policy: fc.constantFrom<'cancel' | 'hold'>('cancel', 'hold'),
  }),
  fc.record({
    kind: fc.constant('relieve' as const),
    fromOffset: fc.integer({ min: 0, max: 365 }),
  }),
  fc.record({
    kind: fc.constant('end-relief' as const),
    pick: fc.nat(),
    afterDays: fc.integer({ min: 1, max: 200 }),
  }),
);

interface World {
  seats: (SeatState & { penaltyCents: number })[];
  records: EligibilityRecords;
  reportedReleased: number;
}

const NEXT: Partial<Record<SeatStatus, SeatStatus>> = {
  programmed: 'nominated',
  nominated: 'cleared',
  cleared: 'ito-issued',
  'ito-issued': 'in-training',
  'in-training': 'completed',
};

function apply(world: World, o: Op, step: number): void {
  switch (o.kind) {
    case 'line': {
      const classStart = addDays(FY_START, o.startOffset);
      for (let i = 0; i < o.seats; i++) {
        world.seats.push({
          id: `seat_${step}_${i}`,
          lineId: `tl_${step}`,
          country: 'PAK',
          program: 'IMET',
          fiscalYear: 2020,
          course: { id: o.dedicated ? 'DED' : 'STD', schoolId: 'S', eImet: false },
          classStart,
          lengthWeeks: 4,
          status: 'programmed',
          previousStatus: null,
          studentId: null,
          tuitionCents: o.tuition,
          allowanceCents: o.allowance,
          penaltyCents: 0,
        });
      }
      return;
    }
    case 'cancel': {
      const open = world.seats.filter((s) =>
        canTransition(s.status, 'cancelled', s.previousStatus),
      );
      const seat = open[o.pick % Math.max(open.length, 1)];
      if (seat === undefined) return;
      const penalty = cancellationPenalty({
        reason: o.reason,
        refilled: o.refilled,
        dedicated: seat.course.id === 'DED',
        tuitionCents: seat.tuitionCents,
        classStart: seat.classStart,
        cancelledOn: addDays(seat.classStart, -o.noticeDays),
      });
      Object.assign(seat, {
        status: 'cancelled',
        previousStatus: seat.status,
        penaltyCents: penalty.cents,
      });
      world.reportedReleased += seat.tuitionCents + seat.allowanceCents - penalty.cents;
      return;
    }
    case 'advance': {
      const movable = world.seats.filter((s) => NEXT[s.status] !== undefined);
      const seat = movable[o.pick % Math.max(movable.length, 1)];
      if (seat !== undefined) Object.assign(seat, { status: NEXT[seat.status] });
      return;
    }
    case 'restrict':
    case 'relieve':
    case 'end-relief': {
      const before = world.records;
      const restrictions = [...before.restrictions];
      const reliefs = [...before.reliefs];
      if (o.kind === 'restrict') {
        const open = restrictions.some((r) => r.until === null);
        if (open) return; // one open policy suspension at a time (the database refuses overlaps)
        const last = restrictions.reduce<IsoDate>(
          (m, r) => (r.until !== null && r.until > m ? r.until : m),
          '1900-01-01' as IsoDate,
        );
        const from = addDays(FY_START, o.fromOffset);
        if (from < last) return;
        restrictions.push(restrictionVersion({ id: `rst_${step}`, seatPolicy: o.policy, from }));
      } else if (o.kind === 'relieve') {
        const r = restrictions.find((x) => x.until === null);
        if (r === undefined || reliefs.some((x) => x.restrictionId === r.id && x.until === null))
          return;
        const from = addDays(FY_START, o.fromOffset);
        if (from < r.from) return;
        reliefs.push(reliefVersion({ id: `rlf_${step}`, restrictionId: r.id, from }));
      } else {
        const open = reliefs.filter((x) => x.until === null);
        const relief = open[o.pick % Math.max(open.length, 1)];
        if (relief === undefined) return;
        const until = addDays(relief.from, o.afterDays);
        reliefs[reliefs.indexOf(relief)] = { ...relief, until };
      }
      world.records = { ...before, restrictions, reliefs };
      const plan = planCascade(
        world.seats,
        buildEligibilityIndex(before),
        buildEligibilityIndex(world.records),
      );
      for (const change of plan.changes) {
        const seat = world.seats.find((s) => s.id === change.seatId)!;
        if (change.kind === 'cancel')
          Object.assign(seat, {
            status: 'cancelled',
            previousStatus: seat.status,
            penaltyCents: 0,
          });
        if (change.kind === 'hold')
          Object.assign(seat, { status: 'held', previousStatus: seat.status });
        if (change.kind === 'release')
          Object.assign(seat, { status: change.to, previousStatus: null });
      }
      world.reportedReleased += plan.summary.releasedCents;
      expect(plan.summary.penaltiesCents).toBe(0);
      return;
    }
  }
}

describe('money is conserved', () => {
  it('allocation = committed + released + unprogrammed at every step, and released is exactly what was reported', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.array(op, { maxLength: 40 }),
        (allocation, ops) => {
          const world: World = {
            seats: [],
            records: { restrictions: [], reliefs: [], notifications: [] },
            reportedReleased: 0,
          };
          ops.forEach((o, step) => {
            apply(world, o, step);
            const p = fundsPosition(allocation, world.seats);
            expect(p.committedCents + p.releasedCents + p.unprogrammedCents).toBe(allocation);
            expect(p.releasedCents).toBe(world.reportedReleased);
            expect(p.committedCents).toBeGreaterThanOrEqual(0);
            expect(p.releasedCents).toBeGreaterThanOrEqual(0);
            const cancelledTuition = world.seats
              .filter((s) => s.status === 'cancelled')
              .reduce((n, s) => n + s.tuitionCents, 0);
            expect(p.penaltiesCents).toBeLessThanOrEqual(cancelledTuition);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts a held seat as committed, not released', () => {
    const p = fundsPosition(10_000, [
      { status: 'held', tuitionCents: 3_000, allowanceCents: 1_000, penaltyCents: 0 },
      { status: 'cancelled', tuitionCents: 2_000, allowanceCents: 0, penaltyCents: 1_000 },
    ]);
    expect(p).toEqual({
      allocationCents: 10_000,
      committedCents: 5_000,
      releasedCents: 1_000,
      penaltiesCents: 1_000,
      unprogrammedCents: 4_000,
    });
  });
});
