import { describe, expect, it } from 'vitest';
import { isoDate, type IsoDate } from '../dates.js';
import { checkGates, DEFAULT_SCREENING_POLICY, GATES, type GateInput } from './gates.js';
import type { Screening, Student, UnitVetting } from './types.js';
import type { ScreeningKind, ScreeningOutcome } from './vocabulary.js';

const student: Student = {
  id: 'stu_1',
  country: 'PAK',
  familyName: 'KHAN',
  givenNames: 'Mohammad Ali',
  nameVariants: [],
  birthDate: isoDate('1984-03-02'),
  birthPlace: 'Lahore',
  service: 'Army',
  rank: 'Major',
  usGrade: 'O-4',
  unit: '11th Infantry Brigade',
  contact: null,
  passportNumber: 'AB1234567',
  passportExpiresOn: isoDate('2025-01-01'),
  serviceNumber: 'PA-12345',
  version: 1,
  createdAt: '2020-01-01T00:00:00.000Z',
};

let serial = 0;
function screening(
  kind: ScreeningKind,
  outcome: ScreeningOutcome,
  onDate: string,
  extra: Partial<Screening> = {},
): Screening {
  serial += 1;
  return {
    id: `scr_${serial}`,
    studentId: student.id,
    seatId: null,
    kind,
    outcome,
    onDate: isoDate(onDate),
    validUntil: null,
    score: null,
    level: null,
    notes: null,
    recordedAt: `${onDate}T12:00:00.000Z`,
    recordedBy: 'test',
    ...extra,
  };
}

const unitApproved: UnitVetting = {
  id: 'uv_1',
  country: 'PAK',
  unit: student.unit!,
  outcome: 'approved',
  onDate: isoDate('2020-02-01'),
  validUntil: null,
  notes: null,
  recordedAt: '2020-02-01T12:00:00.000Z',
  recordedBy: 'test',
};

const allGreen = [
  screening('leahy-person', 'approved', '2020-02-01'),
  screening('medical', 'passed', '2020-03-01'),
  screening('dental', 'passed', '2020-03-01'),
  screening('insurance', 'covered', '2020-03-01'),
  screening('security', 'cleared', '2020-03-01'),
  screening('passport', 'valid', '2020-03-01'),
  screening('visa', 'issued', '2020-05-01'),
  screening('ecl', 'scored', '2020-04-01', { score: 85 }),
  screening('opi', 'scored', '2020-04-01', { level: '2+/2' }),
];

function input(overrides: Partial<GateInput> = {}): GateInput {
  return {
    student,
    seat: {
      id: 'seat_1',
      classStart: isoDate('2020-08-03'),
      classEnd: isoDate('2021-06-07'),
      courseId: 'B171005',
      eclMin: 80,
      opiMin: '2/2',
    },
    screenings: allGreen,
    unitVettings: [unitApproved],
    englishExemption: null,
    policy: DEFAULT_SCREENING_POLICY,
    englishCourse: {
      courseId: 'D177002',
      title: 'Specialized English Training',
      lengthWeeks: 6,
      tuitionCents: 600_000,
    },
    ...overrides,
  };
}

const gate = (i: GateInput, name: string) => checkGates(i).gates.find((g) => g.gate === name)!;
const replacing = (kind: ScreeningKind, replacement: Screening[]) => [
  ...allGreen.filter((s) => s.kind !== kind),
  ...replacement,
];

describe('the gates before a travel order', () => {
  it('lists every gate in order, all green when every screening is in order', () => {
    const list = checkGates(input());
    expect(list.gates.map((g) => g.gate)).toEqual([...GATES]);
    expect(list.gates.map((g) => g.status)).toEqual(GATES.map(() => 'green'));
    expect(list.clear).toBe(true);
    expect(list.reportOn).toBe('2020-07-27');
  });

  it.each([
    ['leahy-person', 'MISSING', replacing('leahy-person', [])],
    [
      'leahy-person',
      'DENIED',
      replacing('leahy-person', [screening('leahy-person', 'denied', '2020-02-01')]),
    ],
    [
      'leahy-person',
      'SUSPENDED',
      replacing('leahy-person', [screening('leahy-person', 'suspended', '2020-02-01')]),
    ],
    ['medical', 'MISSING', replacing('medical', [])],
    ['medical', 'FAILED', replacing('medical', [screening('medical', 'failed', '2020-03-01')])],
    ['dental', 'FAILED', replacing('dental', [screening('dental', 'failed', '2020-03-01')])],
    [
      'insurance',
      'NOT_COVERED',
      replacing('insurance', [screening('insurance', 'not-covered', '2020-03-01')]),
    ],
    [
      'security',
      'REFUSED',
      replacing('security', [screening('security', 'refused', '2020-03-01')]),
    ],
    [
      'passport',
      'INVALID',
      replacing('passport', [screening('passport', 'invalid', '2020-03-01')]),
    ],
    ['visa', 'MISSING', replacing('visa', [])],
    ['visa', 'PENDING', replacing('visa', [screening('visa', 'pending', '2020-05-01')])],
    [
      'visa',
      'DESIGNATED_7031C',
      [...allGreen, screening('designation-7031c', 'designated', '2020-05-02')],
    ],
    ['english', 'MISSING', replacing('ecl', [])],
    [
      'english',
      'EXPIRED',
      replacing('ecl', [screening('ecl', 'scored', '2019-12-01', { score: 90 })]),
    ],
    [
      'english',
      'SHORTFALL',
      replacing('ecl', [screening('ecl', 'scored', '2020-04-01', { score: 71 })]),
    ],
    [
      'opi',
      'SHORTFALL',
      replacing('opi', [screening('opi', 'scored', '2020-04-01', { level: '2/1+' })]),
    ],
  ])('%s is red with code %s, and only that gate', (name, problem, screenings) => {
    const list = checkGates(input({ screenings }));
    const reds = list.gates.filter((g) => g.status === 'red');
    expect(reds.map((g) => g.code)).toEqual([
      `GATE.${name.toUpperCase().replace(/-/g, '_')}.${problem}`,
    ]);
    expect(list.clear).toBe(false);
  });

  it('refuses a Leahy approval that lapses before the class starts, and says to re-vet by a date', () => {
    const old = replacing('leahy-person', [screening('leahy-person', 'approved', '2019-07-15')]);
    const g = gate(input({ screenings: old }), 'leahy-person');
    expect(g).toMatchObject({
      status: 'red',
      code: 'GATE.LEAHY_PERSON.EXPIRES',
      reVetBy: '2020-07-27',
    });
    expect(g.reason).toContain(
      'expires 2020-07-15, before the class starts 2020-08-03: re-vet by 2020-07-27',
    );
    // One day later the approval still covers the class start: green.
    const inDate = replacing('leahy-person', [screening('leahy-person', 'approved', '2019-08-04')]);
    expect(gate(input({ screenings: inDate }), 'leahy-person').status).toBe('green');
  });

  it('counts Leahy validity with the configured period', () => {
    const policy = { ...DEFAULT_SCREENING_POLICY, leahyValidMonths: 3 };
    expect(gate(input({ policy }), 'leahy-person').code).toBe('GATE.LEAHY_PERSON.EXPIRES');
  });

  it('is red for a denied unit, whatever the person’s own vetting says', () => {
    const denied = {
      ...unitApproved,
      id: 'uv_2',
      outcome: 'denied' as const,
      onDate: isoDate('2020-03-01'),
    };
    const g = gate(input({ unitVettings: [unitApproved, denied] }), 'leahy-unit');
    expect(g).toMatchObject({ status: 'red', code: 'GATE.LEAHY_UNIT.DENIED' });
    expect(g.reason).toContain('unit 11th Infantry Brigade');
    expect(gate(input({ unitVettings: [] }), 'leahy-unit').code).toBe('GATE.LEAHY_UNIT.MISSING');
    expect(gate(input({ student: { ...student, unit: null } }), 'leahy-unit').code).toBe(
      'GATE.LEAHY_UNIT.NO_UNIT',
    );
  });

  it('proposes specialized English training for a shortfall, with its weeks and cost', () => {
    const low = replacing('ecl', [screening('ecl', 'scored', '2020-04-01', { score: 71 })]);
    const g = gate(input({ screenings: low }), 'english');
    expect(g.proposal).toEqual({
      courseId: 'D177002',
      title: 'Specialized English Training',
      weeks: 5,
      tuitionCents: 500_000,
      startBy: '2020-06-22',
      reason: expect.stringContaining('9 points below the course minimum of 80') as unknown,
    });
  });

  it('notes the entry test on arrival for a country exempt from in-country testing', () => {
    const g = gate(
      input({ screenings: replacing('ecl', []), englishExemption: 'in-country-testing' }),
      'english',
    );
    expect(g).toMatchObject({ status: 'green', code: 'GATE.ENGLISH.OK' });
    expect(g.reason).toContain('entry test on arrival');
  });

  it('leaves English and OPI out for a fully exempt country or a course without minimums', () => {
    const exempt = checkGates(
      input({ screenings: replacing('ecl', []), englishExemption: 'full' }),
    );
    expect(exempt.gates.filter((g) => g.status === 'not-applicable').map((g) => g.gate)).toEqual([
      'english',
      'opi',
    ]);
    const none = input({ seat: { ...input().seat, eclMin: null, opiMin: null } });
    expect(gate(none, 'english').status).toBe('not-applicable');
    expect(gate(none, 'opi').status).toBe('not-applicable');
  });

  it('needs a passport valid until the course ends', () => {
    const short = input({ student: { ...student, passportExpiresOn: isoDate('2021-01-01') } });
    expect(gate(short, 'passport').code).toBe('GATE.PASSPORT.EXPIRES');
  });

  it('relies on the latest screening of each kind', () => {
    const redone = [...allGreen, screening('medical', 'failed', '2020-06-01')];
    expect(gate(input({ screenings: redone }), 'medical').status).toBe('red');
    const cured = [...redone, screening('medical', 'passed', '2020-06-15')];
    expect(gate(input({ screenings: cured }), 'medical').status).toBe('green');
    expect(gate(input({ screenings: cured }), 'medical').date).toBe('2020-06-15' as IsoDate);
  });

  it('shows every person gate red on a seat nobody is nominated to', () => {
    const list = checkGates(input({ student: null, screenings: [], unitVettings: [] }));
    expect(list.clear).toBe(false);
    expect(list.studentId).toBeNull();
    expect(list.gates.filter((g) => g.status === 'red').map((g) => g.code)).toEqual(
      GATES.filter((g) => g !== 'english' && g !== 'opi')
        .map((g) => `GATE.${g.toUpperCase().replace(/-/g, '_')}.NO_NOMINEE`)
        .concat(['GATE.ENGLISH.NO_NOMINEE', 'GATE.OPI.NO_NOMINEE']),
    );
  });
});
