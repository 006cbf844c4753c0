import { describe, expect, it } from 'vitest';
import type { Seat } from './api.js';
import { countByStatus, linesOf } from './training.js';

function seat(lineId: string, status: Seat['status'], ordinal: number): Seat {
  return {
    id: `${lineId}-${ordinal}`,
    lineId,
    ordinal,
    country: 'PAK',
    fiscalYear: 2018,
    program: 'IMET',
    courseId: lineId === 'l1' ? 'B171005' : 'P176019',
    courseTitle: lineId === 'l1' ? 'CGSOC' : 'English',
    schoolId: 'CGSC',
    category: 'PME',
    eImet: false,
    dedicated: false,
    classStart: '2018-08-01',
    priority: 'A',
    status,
    previousStatus: null,
    reason: null,
    cancellationReason: null,
    cancelledOn: null,
    heldOn: null,
    refilled: false,
    penaltyCents: 0,
    penaltyRule: null,
    restrictionId: null,
    flagged: false,
    flagReason: null,
    flaggedOn: null,
    studentId: null,
    tuitionCents: 100,
    allowanceCents: 0,
    version: 1,
    updatedAt: '2018-01-01T00:00:00.000Z',
  };
}

describe('the training list of a year', () => {
  it('counts seats by status along the path a seat takes', () => {
    const seats = [
      seat('l1', 'cancelled', 1),
      seat('l1', 'programmed', 2),
      seat('l1', 'cancelled', 3),
      seat('l2', 'completed', 1),
    ];
    expect(countByStatus(seats)).toEqual([
      ['programmed', 1],
      ['completed', 1],
      ['cancelled', 2],
    ]);
  });

  it('groups seats by their line, in the order listed', () => {
    const lines = linesOf([
      seat('l1', 'cancelled', 1),
      seat('l2', 'held', 1),
      seat('l1', 'held', 2),
    ]);
    expect(lines.map((l) => [l.lineId, l.courseId, l.seats])).toEqual([
      ['l1', 'B171005', 2],
      ['l2', 'P176019', 1],
    ]);
    expect(lines[0]?.byStatus).toEqual([
      ['held', 1],
      ['cancelled', 1],
    ]);
  });
});
