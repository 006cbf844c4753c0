import { describe, expect, it } from 'vitest';
import { isoDate } from '../dates.js';
import type { ReliefVersion, RestrictionVersion } from '../restrictions.js';
import { buildImpactReport, seatsOfRelief, type ImpactSeat } from './impact-report.js';

const restriction: RestrictionVersion = {
  id: 'rst_1',
  version: 1,
  country: 'PAK',
  kind: 'policy',
  scope: ['security-assistance'],
  programs: ['IMET', 'FMF'],
  courseFilter: null,
  dateQuality: 'exact',
  basis: 'policy',
  authority: 'President',
  determinedOn: null,
  from: isoDate('2018-01-04'),
  until: null,
  seatPolicy: 'cancel',
  source: null,
  description: null,
  untilQuality: null,
  liftNotificationId: null,
  importRunId: null,
  recordedAt: '2018-01-04T00:00:00.000Z',
  supersededAt: null,
  recordedBy: 'user:pm',
};

const relief: ReliefVersion = {
  id: 'rlf_1',
  version: 1,
  restrictionId: 'rst_1',
  type: 'exception',
  grounds: null,
  programs: ['IMET'],
  courseIds: null,
  schoolIds: null,
  notificationId: null,
  dateQuality: null,
  untilQuality: null,
  scopeStated: true,
  importRunId: null,
  from: isoDate('2018-01-04'),
  until: isoDate('2018-08-01'),
  authority: 'Secretary of State',
  justification: 'critical to national security',
  source: null,
  recordedAt: '2018-01-04T00:00:00.000Z',
  supersededAt: null,
  recordedBy: 'user:pm',
};

function seat(id: string, overrides: Partial<ImpactSeat>): ImpactSeat {
  return {
    id,
    fiscalYear: 2018,
    program: 'IMET',
    courseId: 'B171005',
    courseTitle: 'Command and General Staff',
    schoolId: 'CGSC',
    classStart: isoDate('2018-08-06'),
    status: 'cancelled',
    flagged: false,
    cancelledOn: isoDate('2018-08-01'),
    heldOn: null,
    flaggedOn: null,
    restrictionId: 'rst_1',
    studentId: null,
    tuitionCents: 70_000_00,
    allowanceCents: 2_680_00,
    penaltyCents: 0,
    ...overrides,
  };
}

/** Two cancelled CGSC seats (one with a penalty), a flagged AWC seat and a held FMF seat; one student in two seats. */
const seats: ImpactSeat[] = [
  seat('s1', { studentId: 'stu_a' }),
  seat('s2', { penaltyCents: 10_000_00, cancelledOn: isoDate('2018-03-01') }),
  seat('s3', {
    courseId: 'B171801',
    courseTitle: 'War College',
    schoolId: 'AWC',
    status: 'in-training',
    flagged: true,
    cancelledOn: null,
    flaggedOn: isoDate('2018-08-01'),
    classStart: isoDate('2018-07-16'),
    studentId: 'stu_a',
    tuitionCents: 90_000_00,
    allowanceCents: 5_640_00,
  }),
  seat('s4', {
    program: 'FMF',
    status: 'held',
    cancelledOn: null,
    heldOn: isoDate('2018-01-04'),
    studentId: 'stu_b',
  }),
];

describe('buildImpactReport', () => {
  const doc = buildImpactReport(
    { kind: 'restriction', restriction },
    'Pakistan',
    seats,
    isoDate('2026-11-30'),
  );
  const section = (heading: string) => doc.sections.find((s) => s.heading === heading)!;

  it('counts seats, students and money by status; money comes back only from cancellations', () => {
    expect(section('By status').rows).toEqual([
      ['cancelled', 2, 1, 2 * 72_680_00, 72_680_00 + 62_680_00, 10_000_00],
      ['flagged', 1, 1, 95_640_00, 0, 0],
      ['held', 1, 1, 72_680_00, 0, 0],
    ]);
  });

  it('counts a student once in the totals, however many seats they hold', () => {
    expect(section('By status').totals).toEqual([
      'Total',
      4,
      2,
      3 * 72_680_00 + 95_640_00,
      135_360_00,
      10_000_00,
    ]);
    expect(section('By course').totals?.[3]).toBe(2);
  });

  it('groups by course with its title', () => {
    expect(section('By course').rows.map((r) => r.slice(0, 4))).toEqual([
      ['B171005', 'Command and General Staff', 3, 2],
      ['B171801', 'War College', 1, 1],
    ]);
  });

  it('lists every seat with the day the restriction reached it', () => {
    const rows = section('Seats').rows;
    expect(rows).toHaveLength(4);
    expect(rows[2]?.[6]).toEqual({ date: '2018-08-01', quality: 'exact' });
    expect(rows[3]?.[6]).toEqual({ date: '2018-01-04', quality: 'exact' });
    expect(section('Seats').totals?.[9]).toBe(135_360_00);
  });

  it('names the restriction, the country and the day', () => {
    expect(doc.title).toBe('Restriction impact: rst_1');
    expect(doc.subtitle).toContain('Pakistan');
    expect(doc.subtitle).toContain('as of 2026-11-30');
    expect(doc.fileStem).toBe('restriction-impact-rst-1-2026-11-30');
  });
});

describe('seatsOfRelief', () => {
  it('keeps the seats of its programs that its end reached, not those reached on another day', () => {
    expect(seatsOfRelief(relief, seats).map((s) => s.id)).toEqual(['s1', 's3']);
  });

  it('keeps the seats it released when it took effect, and only of its courses when it names them', () => {
    const released = seat('s5', {
      status: 'programmed',
      cancelledOn: null,
      classStart: isoDate('2020-02-01'),
    });
    const open: ReliefVersion = {
      ...relief,
      id: 'rlf_2',
      from: isoDate('2020-01-03'),
      until: null,
    };
    expect(seatsOfRelief(open, [...seats, released]).map((s) => s.id)).toEqual(['s5']);
    expect(seatsOfRelief({ ...open, courseIds: ['B171801'] }, [released])).toEqual([]);
  });

  it('describes the relief and what it relieves', () => {
    const doc = buildImpactReport(
      { kind: 'relief', relief, restriction },
      'Pakistan',
      seatsOfRelief(relief, seats),
      isoDate('2026-11-30'),
    );
    expect(doc.title).toBe('Relief impact: rlf_1');
    expect(doc.subtitle).toContain(
      'exception for IMET from 2018-01-04 until 2018-08-01, relieving rst_1',
    );
    expect(doc.sections[0]?.totals?.[1]).toBe(2);
  });
});

describe('buildImpactReport with dates known only to the month', () => {
  it('never describes a month-only end as a day, nor a relief of unstated scope as stated', () => {
    const monthly: ReliefVersion = { ...relief, untilQuality: 'month', scopeStated: false };
    const doc = buildImpactReport(
      { kind: 'relief', relief: monthly, restriction: { ...restriction, dateQuality: 'month' } },
      'Pakistan',
      [],
      isoDate('2026-11-30'),
    );
    expect(doc.subtitle).toContain(
      'exception for IMET (scope not stated in its source) from 2018-01-04 until 2018-08 (month only)',
    );
    expect(doc.subtitle).not.toContain('2018-08-01');
    expect(doc.subtitle).toMatch(/restriction of .* from \d{4}-\d{2} \(month only\)/);
  });
});
