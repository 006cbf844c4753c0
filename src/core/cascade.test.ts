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
    status,
    previousStatus: null,
    studentId: null,
    tuitionCents: 5_000_000,
    allowanceCents: 1_000_000,
    ...overrides,
  };
}

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

  it('cancels every seat with class start on or after 2018-08-01 not yet in training, without penalty', () => {
    const seats = [
      seat('2018-07-16', 'completed'),
      seat('2018-07-31', 'programmed'),
      seat('2018-08-01', 'programmed'),
      seat('2018-08-13', 'nominated', { studentId: 'stu_1' }),
      seat('2018-09-24', 'ito-issued', { studentId: 'stu_2' }),
      seat('2018-08-20', 'cancelled'),
      seat('2018-08-06', 'in-training', { studentId: 'stu_3' }),
    ];
    const plan = planCascade(seats, before, after, d('2018-08-10'));
    expect(
      plan.changes.map((c) => [c.seatId, c.kind, c.to, c.restrictionId, c.penaltyCents]),
    ).toEqual([
      [seats[2]!.id, 'cancel', 'cancelled', 'rst_r', 0],
      [seats[3]!.id, 'cancel', 'cancelled', 'rst_r', 0],
      [seats[4]!.id, 'cancel', 'cancelled', 'rst_r', 0],
      [seats[6]!.id, 'flag', 'in-training', 'rst_r', 0],
    ]);
    expect(plan.summary).toMatchObject({
      seats: 4,
      byStatus: { cancelled: 3, flagged: 1 },
      students: ['stu_1', 'stu_2', 'stu_3'],
      releasedCents: 18_000_000,
      releasedTuitionCents: 15_000_000,
      releasedAllowanceCents: 3_000_000,
      penaltiesCents: 0,
    });
    expect(plan.changes[0]!.reason).toContain(
      'US decision: policy restriction rst_r blocks IMET on 2018-08-01',
    );
  });

  it('leaves FMF-funded and other countries’ seats alone', () => {
    const plan = planCascade(
      [seat('2018-09-01', 'programmed', { country: 'IND' })],
      before,
      after,
      d('2018-08-10'),
    );
    expect(plan.changes).toEqual([]);
  });
});

describe('hold and release', () => {
  const restriction = restrictionVersion({
    id: 'rst_h',
    country: 'THA',
    kind: 'coup',
    seatPolicy: 'hold',
    from: d('2014-05-23'),
  });
  const none = buildEligibilityIndex({ restrictions: [], reliefs: [], notifications: [] });
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
    const plan = planCascade(
      [seat('2015-01-05', 'cleared', { country: 'THA' })],
      none,
      held,
      d('2014-05-24'),
    );
    expect(plan.changes).toMatchObject([
      { kind: 'hold', from: 'cleared', to: 'held', restrictionId: 'rst_h' },
    ]);
    expect(plan.summary).toMatchObject({ heldCents: 6_000_000, releasedCents: 0 });
  });

  it('returns held seats whose class has not started to their previous status when a relief takes effect', () => {
    const seats = [
      seat('2019-09-02', 'held', { country: 'THA', previousStatus: 'nominated' }),
      seat('2019-06-03', 'held', { country: 'THA', previousStatus: 'programmed' }),
      seat('2019-07-15', 'held', { country: 'THA', previousStatus: 'programmed' }),
      seat('2019-09-02', 'cancelled', { country: 'THA' }),
    ];
    const plan = planCascade(seats, held, lifted, d('2019-07-20'));
    expect(plan.changes.map((c) => [c.seatId, c.kind, c.to])).toEqual([
      [seats[0]!.id, 'release', 'nominated'],
    ]);
  });
});
