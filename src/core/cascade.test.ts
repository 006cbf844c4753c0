import { describe, expect, it } from 'vitest';
import { planCascade, type SeatState } from './cascade.js';
import type { IsoDate } from './dates.js';
import { buildEligibilityIndex, type EligibilityRecords } from './eligibility/engine.js';
import { pakistanStory, reliefVersion, restrictionVersion } from './eligibility/test-records.js';
import type { SeatStatus } from './training.js';

const d = (s: string) => s as IsoDate;
let n = 0;
function seat(
  classStart: string,
  status: SeatStatus,
  overrides: Partial<SeatState> = {},
): SeatState {
  n += 1;
  return {
    id: `seat_${n}`,
    lineId: 'tl_1',
    country: 'PAK',
    program: 'IMET',
    fiscalYear: 2018,
    course: { id: 'B171005', schoolId: 'CGSC', eImet: false },
    classStart: d(classStart),
    lengthWeeks: 4,
    status,
    previousStatus: null,
    studentId: null,
    tuitionCents: 5_000_000,
    allowanceCents: 1_000_000,
    ...overrides,
  };
}

/** The index of no records. */
const NONE = buildEligibilityIndex({ restrictions: [], reliefs: [], notifications: [] });

/** Thailand's coup restriction from `from`, its seats held. */
const thaiCoup = (id: string, from: string) =>
  restrictionVersion({ id, country: 'THA', kind: 'coup', seatPolicy: 'hold', from: d(from) });

describe('the August 2018 end of the IMET exception', () => {
  const story = pakistanStory();
  // Before: E1 open-ended; after: E1 ends 2018-08-01 (as recorded).
  const beforeRecords: EligibilityRecords = {
    ...story,
    reliefs: story.reliefs
      .map((r) => (r.id === 'rlf_e1' ? { ...r, until: null } : r))
      .filter((r) => r.id !== 'rlf_e2'),
  };
  const afterRecords: EligibilityRecords = {
    ...story,
    reliefs: story.reliefs.filter((r) => r.id !== 'rlf_e2'),
  };
  const before = buildEligibilityIndex(beforeRecords);
  const after = buildEligibilityIndex(afterRecords);

  it('cancels every seat with class start on or after 2018-08-01 not yet in training, without penalty, dated 2018-08-01', () => {
    const seats = [
      seat('2018-07-16', 'completed'),
      seat('2018-07-31', 'programmed'),
      seat('2018-08-01', 'programmed'),
      seat('2018-08-13', 'nominated', { studentId: 'stu_1' }),
      seat('2018-09-24', 'ito-issued', { studentId: 'stu_2' }),
      seat('2018-08-20', 'cancelled'),
      seat('2018-08-06', 'in-training', { studentId: 'stu_3' }),
    ];
    const plan = planCascade(seats, before, after);
    // Dated by the day the exception ended, not the day the change was recorded (2026); the class
    // of 2018-07-31 is under way on 2018-08-01: flagged, never cancelled (issue #10).
    expect(
      plan.changes.map((c) => [c.seatId, c.kind, c.to, c.on, c.restrictionId, c.penaltyCents]),
    ).toEqual([
      [seats[1]!.id, 'flag', 'programmed', '2018-08-01', 'rst_r', 0],
      [seats[2]!.id, 'cancel', 'cancelled', '2018-08-01', 'rst_r', 0],
      [seats[3]!.id, 'cancel', 'cancelled', '2018-08-01', 'rst_r', 0],
      [seats[4]!.id, 'cancel', 'cancelled', '2018-08-01', 'rst_r', 0],
      [seats[6]!.id, 'flag', 'in-training', '2018-08-01', 'rst_r', 0],
    ]);
    expect(plan.summary).toMatchObject({
      seats: 5,
      byStatus: { cancelled: 3, flagged: 2 },
      students: ['stu_1', 'stu_2', 'stu_3'],
      releasedCents: 18_000_000,
      releasedTuitionCents: 15_000_000,
      releasedAllowanceCents: 3_000_000,
      penaltiesCents: 0,
    });
    expect(plan.changes[1]!.reason).toBe(
      'US decision: policy restriction rst_r blocks IMET from 2018-08-01 (class starts 2018-08-01); cancelled, no penalty',
    );
    expect(plan.changes[3]!.reason).toBe(
      'US decision: policy restriction rst_r blocks IMET from 2018-08-01 (class starts 2018-09-24); cancelled, no penalty',
    );
    expect(plan.changes[0]!.reason).toBe(
      'US decision: policy restriction rst_r blocks IMET from 2018-08-01 (class under way since 2018-07-31); class under way: flagged for a decision',
    );
  });

  it('leaves FMF-funded and other countries’ seats alone', () => {
    const plan = planCascade([seat('2018-09-01', 'programmed', { country: 'IND' })], before, after);
    expect(plan.changes).toEqual([]);
  });
});

describe('hold and release', () => {
  const restriction = thaiCoup('rst_h', '2014-05-23');
  const held = buildEligibilityIndex({
    restrictions: [restriction],
    reliefs: [],
    notifications: [],
  });
  const lifted = buildEligibilityIndex({
    restrictions: [restriction],
    reliefs: [
      reliefVersion({
        id: 'rlf_c',
        restrictionId: 'rst_h',
        type: 'certification',
        from: d('2019-07-01'),
      }),
    ],
    notifications: [],
  });

  it('holds seats by the restriction’s seat policy', () => {
    const plan = planCascade([seat('2015-01-05', 'cleared', { country: 'THA' })], NONE, held);
    expect(plan.changes).toMatchObject([
      { kind: 'hold', from: 'cleared', to: 'held', on: '2014-05-23', restrictionId: 'rst_h' },
    ]);
    expect(plan.summary).toMatchObject({ heldCents: 6_000_000, releasedCents: 0 });
  });

  it('returns held seats whose class starts on or after the day a relief takes effect to their previous status', () => {
    const seats = [
      seat('2019-09-02', 'held', { country: 'THA', previousStatus: 'nominated' }),
      seat('2019-06-03', 'held', { country: 'THA', previousStatus: 'programmed' }),
      seat('2019-07-15', 'held', { country: 'THA', previousStatus: 'programmed' }),
      seat('2019-09-02', 'cancelled', { country: 'THA' }),
    ];
    // Judged on the relief's date (2019-07-01), whatever day it is recorded: the class of
    // 2019-07-15 starts after it and returns too; the class of 2019-06-03 stays held.
    const plan = planCascade(seats, held, lifted);
    expect(plan.changes.map((c) => [c.seatId, c.kind, c.to, c.on])).toEqual([
      [seats[0]!.id, 'release', 'nominated', '2019-07-01'],
      [seats[2]!.id, 'release', 'programmed', '2019-07-01'],
    ]);
  });
});

describe('dated by the effective date, never by the day of recording (issue #10)', () => {
  const jordan = restrictionVersion({
    id: 'rst_j',
    country: 'JOR',
    kind: 'policy',
    seatPolicy: 'hold',
    from: d('2020-01-15'),
  });
  const blocked = buildEligibilityIndex({
    restrictions: [jordan],
    reliefs: [],
    notifications: [],
  });
  const relieved = buildEligibilityIndex({
    restrictions: [jordan],
    reliefs: [reliefVersion({ id: 'rlf_j', restrictionId: 'rst_j', from: d('2020-05-10') })],
    notifications: [],
  });

  it('a relief from 2020-05-10 returns a held seat whose class starts 2020-06-01, however late it is recorded', () => {
    const seats = [
      seat('2020-06-01', 'held', { country: 'JOR', previousStatus: 'nominated' }),
      seat('2020-05-10', 'held', { country: 'JOR', previousStatus: 'programmed' }),
      seat('2020-05-09', 'held', { country: 'JOR', previousStatus: 'programmed' }),
    ];
    const plan = planCascade(seats, blocked, relieved);
    expect(plan.changes).toEqual([
      {
        kind: 'release',
        seatId: seats[0]!.id,
        from: 'held',
        to: 'nominated',
        on: '2020-05-10',
        restrictionId: null,
        reason:
          'eligible again for IMET from 2020-05-10 (class starts 2020-06-01): returned to nominated',
        penaltyCents: 0,
      },
      expect.objectContaining({ seatId: seats[1]!.id, kind: 'release', on: '2020-05-10' }),
    ]);
  });

  it('a manually held seat eligible before the change is not released by it', () => {
    const plan = planCascade(
      [seat('2020-06-01', 'held', { country: 'JOR', previousStatus: 'nominated' })],
      NONE,
      NONE,
    );
    expect(plan.changes).toEqual([]);
  });

  describe('a suspension from 2020-06-10', () => {
    const suspension = buildEligibilityIndex({
      restrictions: [restrictionVersion({ id: 'rst_s', country: 'JOR', from: d('2020-06-10') })],
      reliefs: [],
      notifications: [],
    });
    const seats = [
      seat('2020-06-01', 'in-training', { country: 'JOR', lengthWeeks: 4 }), // under way
      seat('2020-06-01', 'ito-issued', { country: 'JOR', lengthWeeks: 2 }), // under way, status stale
      seat('2020-05-01', 'in-training', { country: 'JOR', lengthWeeks: 4 }), // ended 2020-05-28
      seat('2020-06-03', 'programmed', { country: 'JOR', lengthWeeks: 1 }), // last day 2020-06-09
      seat('2020-06-10', 'programmed', { country: 'JOR', lengthWeeks: 1 }), // starts on D
      seat('2020-09-01', 'cleared', { country: 'JOR' }),
    ];
    const plan = planCascade(seats, NONE, suspension);

    it('flags every seat whose class is under way on 2020-06-10, never cancels it', () => {
      expect(plan.changes.filter((c) => c.kind === 'flag')).toEqual([
        expect.objectContaining({ seatId: seats[0]!.id, to: 'in-training', on: '2020-06-10' }),
        expect.objectContaining({ seatId: seats[1]!.id, to: 'ito-issued', on: '2020-06-10' }),
      ]);
      expect(plan.changes[0]!.reason).toBe(
        'US decision: policy restriction rst_s blocks IMET from 2020-06-10 (class under way since 2020-06-01); class under way: flagged for a decision',
      );
    });

    it('cancels the seats whose class starts on or after 2020-06-10, dated 2020-06-10, and leaves finished classes alone', () => {
      expect(
        plan.changes.filter((c) => c.kind !== 'flag').map((c) => [c.seatId, c.kind, c.on]),
      ).toEqual([
        [seats[4]!.id, 'cancel', '2020-06-10'],
        [seats[5]!.id, 'cancel', '2020-06-10'],
      ]);
      expect(plan.summary).toMatchObject({ byStatus: { flagged: 2, cancelled: 2 } });
    });
  });
});

describe('the days of a class', () => {
  // Each class is judged to its last day (the day before classEnd), and no further.
  const coup = thaiCoup('rst_c', '2020-03-01');
  const after = buildEligibilityIndex({ restrictions: [coup], reliefs: [], notifications: [] });

  it('flags a class whose last day is the first day blocked, and leaves one that ended the day before', () => {
    const seats = [
      seat('2020-02-03', 'programmed', { country: 'THA' }),
      seat('2020-02-02', 'programmed', { country: 'THA' }),
      seat('2020-03-01', 'programmed', { country: 'THA' }),
      seat('2019-06-01', 'programmed', { country: 'THA' }),
    ];
    const plan = planCascade(seats, NONE, after);
    expect(plan.changes.map((c) => [c.seatId, c.kind, c.on])).toEqual([
      [seats[0]!.id, 'flag', '2020-03-01'],
      [seats[2]!.id, 'hold', '2020-03-01'],
    ]);
  });
});
