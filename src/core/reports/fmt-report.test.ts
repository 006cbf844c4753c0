import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../dates.js';
import { fmtExemption, fmtReportYearOfRequest, fmtRequestDeadline } from './fmt-exclusion.js';
import { calculateFmtReport, fallbackPurpose, type FmtSeat } from './fmt-report.js';

let n = 0;
/** A seat of a 10-week IMET PME course, $10,000 tuition and $2,000 allowance, unless told. */
function seat(over: Partial<FmtSeat>): FmtSeat {
  n += 1;
  return {
    seatId: `seat${n}`,
    lineId: 'line1',
    country: 'JOR',
    program: 'IMET',
    fiscalYear: 2019,
    classStart: '2019-03-04' as IsoDate,
    courseId: 'C1',
    courseTitle: 'Course one',
    category: 'PME',
    eImet: false,
    lengthWeeks: 10,
    schoolName: 'School',
    location: 'Somewhere, VA',
    purpose: null,
    status: 'completed',
    tuitionCents: 1_000_000,
    allowanceCents: 200_000,
    penaltyCents: 0,
    studentId: `stu${n}`,
    unit: null,
    stoppedOn: null,
    ...over,
  };
}

describe('the request deadline and the report a request counts for', () => {
  it.each([
    [2020, '2019-11-02'],
    [2021, '2020-11-02'],
    [2024, '2023-11-02'],
  ])('report %i: requests count up to %s', (year, deadline) => {
    expect(fmtRequestDeadline(year)).toBe(deadline);
  });

  it.each([
    ['2019-11-02', 2020],
    ['2019-11-03', 2021],
    ['2019-01-15', 2020],
    ['2018-11-03', 2020],
    ['2018-11-02', 2019],
  ])('a request of %s counts for the %i report', (on, year) => {
    expect(fmtReportYearOfRequest(on as IsoDate)).toBe(year);
  });
});

describe('fmtExemption', () => {
  it.each([
    ['POL', 2020, 'nato'],
    ['MKD', 2020, undefined], // acceded 2020-03-27, after the 2020 report was due
    ['MKD', 2021, 'nato'],
    ['SWE', 2024, undefined],
    ['SWE', 2025, 'nato'],
    ['JPN', 2020, 'named'],
    ['NZL', 1990, 'named'],
    ['PAK', 2020, undefined],
  ])('%s in the %i report: %s', (iso3, year, basis) => {
    expect(fmtExemption(iso3, year)?.basis).toBe(basis);
  });
});

describe('calculateFmtReport', () => {
  it('counts trained seats as sessions, students once, and cancelled seats by their penalty only', () => {
    const report = calculateFmtReport({
      year: 2020,
      requests: [],
      seats: [
        seat({ studentId: 'a', courseId: 'C1', lineId: 'l1' }),
        seat({ studentId: 'a', courseId: 'C2', lineId: 'l2', status: 'in-training' }),
        seat({ studentId: 'b', courseId: 'C1', lineId: 'l1' }),
        seat({ status: 'cancelled', penaltyCents: 500_000, studentId: null }),
        seat({ status: 'ito-issued', studentId: 'c' }),
      ],
    });
    // sessions 3; students a, b; courses C1, C2; value 3 × 1,200,000 + 500,000 penalty
    expect(report.actual).toEqual([
      {
        country: 'JOR',
        countryName: 'Jordan',
        program: 'IMET',
        sessions: 3,
        students: 2,
        courses: 2,
        valueCents: 4_100_000,
      },
    ]);
    // The cancelled seat's class is listed with no student and its penalty, so the activities
    // add up to the country's value.
    expect(report.activities.map((a) => [a.courseId, a.students, a.penaltyCents])).toEqual([
      ['C1', 2, 0],
      ['C1', 0, 500_000],
      ['C2', 1, 0],
    ]);
    expect(report.activities.reduce((sum, a) => sum + a.valueCents, 0)).toBe(4_100_000);
  });

  it('costs a student who did not complete at the tuition charged and the allowance pro rata', () => {
    // 10 weeks = 70 days; stopped after 35: allowance 200,000 × 35/70 = 100,000; tuition charged 500,000
    const report = calculateFmtReport({
      year: 2020,
      requests: [],
      seats: [
        seat({
          status: 'not-completed',
          penaltyCents: 500_000,
          stoppedOn: '2019-04-08' as IsoDate,
        }),
      ],
    });
    expect(report.actual[0]).toMatchObject({ sessions: 1, students: 1, valueCents: 600_000 });
  });

  it('plans every seat not cancelled; an unfilled seat is a student to come', () => {
    const report = calculateFmtReport({
      year: 2020,
      requests: [],
      seats: [
        seat({ fiscalYear: 2020, status: 'nominated', studentId: 'x' }),
        seat({ fiscalYear: 2020, status: 'programmed', studentId: null }),
        seat({ fiscalYear: 2020, status: 'held', studentId: null }),
        seat({ fiscalYear: 2020, status: 'cancelled', studentId: null, penaltyCents: 9 }),
      ],
    });
    expect(report.actual).toEqual([]);
    expect(report.planned[0]).toMatchObject({
      sessions: 3,
      students: 3,
      courses: 1,
      valueCents: 3_600_000,
    });
  });

  it('leaves out a NATO member without a timely request, with the reason, and keeps one with', () => {
    const report = calculateFmtReport({
      year: 2020,
      requests: [
        {
          id: 'r1',
          country: 'EST',
          committee: 'Senate Committee on Foreign Relations',
          requestedOn: '2019-12-01' as IsoDate,
          source: null,
        },
        {
          id: 'r2',
          country: 'POL',
          committee: 'House Committee on Appropriations',
          requestedOn: '2019-10-01' as IsoDate,
          source: 'letter',
        },
      ],
      seats: [seat({ country: 'EST' }), seat({ country: 'POL' }), seat({ country: 'JPN' })],
    });
    expect(report.actual.map((r) => r.country)).toEqual(['POL']);
    expect(report.excluded.map((e) => e.country)).toEqual(['EST', 'JPN']);
    expect(report.excluded[0]!.reason).toContain(
      'came after that day and counts for the 2021 report',
    );
    expect(report.includedOnRequest).toMatchObject([{ country: 'POL', requestedOn: '2019-10-01' }]);
    expect(report.activities.every((a) => a.country === 'POL')).toBe(true);
  });

  it('adds programs up for a country, counting its courses once', () => {
    const report = calculateFmtReport({
      year: 2020,
      requests: [],
      seats: [
        seat({ studentId: 'a', courseId: 'C1' }),
        seat({ studentId: 'a', courseId: 'C1', program: 'FMF', lineId: 'l2' }),
      ],
    });
    expect(report.actual).toHaveLength(2);
    expect(report.countries[0]!.actual).toEqual({
      sessions: 2,
      students: 2,
      courses: 1,
      valueCents: 2_400_000,
    });
    expect(report.totals.actual).toEqual(report.countries[0]!.actual);
  });

  it('falls back to a marked purpose when the line records none', () => {
    expect(fallbackPurpose({ category: 'PME', eImet: false, program: 'IMET' })).toMatch(
      /^Professional military education, IMET; purpose not recorded/,
    );
    const report = calculateFmtReport({
      year: 2020,
      requests: [],
      seats: [seat({ purpose: ' Build ties ' })],
    });
    expect(report.activities[0]).toMatchObject({ purpose: 'Build ties', purposeRecorded: true });
  });
});
