import { describe, expect, it } from 'vitest';
import { isoDate } from '../dates.js';
import type { CareerPosition } from '../students/types.js';
import { buildProminenceReport } from './prominence-report.js';
import { buildRecordsReport, type RecordOfParticipant } from './records-report.js';

const position = (id: string, overrides: Partial<CareerPosition>): CareerPosition => ({
  id,
  studentId: 'stu_a',
  title: 'Corps Commander',
  rank: 'Lieutenant General',
  usGrade: 'O-9',
  location: 'Rawalpindi',
  fromDate: isoDate('2020-01-01'),
  prominence: null,
  recordedAt: '2020-01-01T00:00:00.000Z',
  ...overrides,
});
const chief = position('car_2', {
  title: 'Chief of the Army Staff',
  rank: 'General',
  prominence: 'chief-of-service',
  fromDate: isoDate('2024-11-29'),
});
const akhtar: RecordOfParticipant = {
  studentId: 'stu_a',
  name: 'AKHTAR, Nadeem',
  country: 'PAK',
  unit: '10th Corps',
  rank: 'General',
  usGrade: 'O-10',
  instruction: [
    {
      courseId: 'B171005',
      title: 'CGSOC',
      type: 'PME',
      schoolId: 'CGSC',
      program: 'IMET',
      startedOn: isoDate('2001-08-06'),
      endedOn: isoDate('2002-06-14'),
      completed: true,
      academicReport: null,
    },
    {
      courseId: 'B171801',
      title: 'War College',
      type: 'PME',
      schoolId: 'AWC',
      program: 'IMET',
      startedOn: isoDate('2012-07-16'),
      endedOn: null,
      completed: null,
      academicReport: null,
    },
  ],
  currentPosition: chief,
  positions: [position('car_1', {}), chief],
  findings: [],
};
const khan: RecordOfParticipant = {
  studentId: 'stu_b',
  name: 'KHAN, Imran',
  country: 'PAK',
  unit: '10th Corps',
  rank: 'Major',
  usGrade: 'O-4',
  instruction: [
    {
      courseId: 'D177001',
      title: 'English',
      type: 'english',
      schoolId: 'DLIELC',
      program: 'IMET',
      startedOn: isoDate('2019-01-07'),
      endedOn: isoDate('2019-03-01'),
      completed: false,
      academicReport: null,
    },
  ],
  currentPosition: null,
  positions: [],
  findings: [
    {
      id: 'hrf_1',
      studentId: 'stu_b',
      foundOn: isoDate('2021-05-05'),
      summary: 'unit implicated',
      source: 'State',
      recordedAt: '2021-05-05T00:00:00.000Z',
      recordedBy: 'user:pm',
    },
  ],
};
const about = { country: 'PAK', countryName: 'Pakistan', asked: '2 names asked', listed: true };

describe('buildRecordsReport', () => {
  const doc = buildRecordsReport(
    [
      { query: 'Akhtar', records: [akhtar] },
      { query: 'Nadeem Akhtar', records: [akhtar] },
      { query: 'Khan', records: [khan] },
      { query: 'Nobody', records: [] },
    ],
    about,
    isoDate('2026-11-30'),
  );
  const section = (heading: string) => doc.sections.find((s) => s.heading === heading)!;

  it('counts each participant once however many names found them', () => {
    expect(Object.fromEntries(section('Summary').rows.map((r) => [r[0], r[1]]))).toEqual({
      'Names or units asked': 4,
      'Asked with no participant found': 1,
      Participants: 2,
      'Courses of instruction': 3,
      Completed: 1,
      'Not completed': 1,
      'In training': 1,
      'Participants with a human-rights finding': 1,
      'Participants who held a position of prominence': 1,
    });
    expect(section('Participants').totals).toEqual([
      'Total: 2 participants',
      null,
      null,
      null,
      3,
      1,
      1,
    ]);
  });

  it('names the query that found each row of instruction, with completion and last position', () => {
    const rows = section('Instruction').rows;
    expect(rows.map((r) => r[0])).toEqual([
      'Akhtar',
      'Akhtar',
      'Nadeem Akhtar',
      'Nadeem Akhtar',
      'Khan',
    ]);
    expect(rows[1]?.slice(-2)).toEqual([
      'in training',
      'General, Chief of the Army Staff (from 2024-11-29)',
    ]);
    expect(rows[4]?.[11]).toBe('not completed');
  });

  it('lists later positions and findings', () => {
    expect(section('Later positions').rows.map((r) => r[6])).toEqual([
      null,
      'chief of a military service',
    ]);
    expect(section('Human-rights findings').rows).toEqual([
      ['KHAN, Imran', { date: '2021-05-05', quality: 'exact' }, 'unit implicated', 'State'],
    ]);
  });

  it('leaves out the query rows and column for a whole country', () => {
    const country = buildRecordsReport(
      [{ query: 'PAK', records: [akhtar, khan] }],
      { ...about, listed: false },
      isoDate('2026-11-30'),
    );
    expect(country.sections[0]?.rows.map((r) => r[0])).not.toContain('Names or units asked');
    expect(country.sections[2]?.columns[0]?.header).toBe('Name');
  });
});

describe('buildProminenceReport', () => {
  it('counts participants by category and lists their instruction', () => {
    const doc = buildProminenceReport(
      [{ record: akhtar, position: chief, category: 'chief of a military service' }],
      { iso3: 'PAK', name: 'Pakistan' },
      isoDate('2026-11-30'),
    );
    expect(doc.sections[0]?.rows[0]).toEqual(['chief of a military service', 1]);
    expect(doc.sections[0]?.totals).toEqual(['Total', 1]);
    const [row] = doc.sections[1]!.rows;
    expect(row?.[6]).toBe('yes');
    expect(row?.[8]).toBe('B171005 2001 (completed); B171801 2012 (in training)');
  });
});
