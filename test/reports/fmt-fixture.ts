// A small Foreign Military Training record, built through the services' write road, whose 2020 report is computed by hand in the tests.
//
// Jordan (not NATO), Estonia (NATO, a committee asked in time) and Poland (NATO, asked too late):
// - course FMT-PME: 40 weeks at school FMT-S1, tuition $50,000 (FY2019) / $52,000 (FY2020), not dedicated;
// - course FMT-SHORT: 4 weeks at school FMT-S2, tuition $10,000 (FY2019) / $10,500 (FY2020), dedicated.
// Jordan FY2019: line L1 (FMT-PME from 2019-08-05, runs into FY2020; 3 seats, allowance $8,000, a
// purpose): Amani and Basel in training, the third seat cancelled at the partner's request 16 days
// before start (50% of $50,000 = $25,000 penalty); line L2 (FMT-SHORT from 2019-03-04; 2 seats,
// allowance $2,000, no purpose): Amani (again: one student, two courses) and Dana completed.
// Jordan FY2020: line L3 (FMT-SHORT from 2020-03-02; 2 seats, allowance $2,100): Dana nominated, one seat open.
// Estonia FY2019: line L4 (FMT-SHORT from 2019-05-06; 1 seat, allowance $1,500): Eero completed.
// Poland FY2019: line L5 (FMT-SHORT from 2019-05-06; 1 seat, allowance $1,500): Piotr completed.
import type { Actor } from '../../src/core/actor.js';
import type { Result } from '../../src/core/result.js';
import { recordCommitteeRequest } from '../../src/services/reports/committee-request.service.js';
import type { AppContext } from '../../src/services/context.js';
import { nominate } from '../../src/services/students/nomination.service.js';
import { recordSchoolEvent } from '../../src/services/students/school-event.service.js';
import { addStudent } from '../../src/services/students/student.service.js';
import { addCourse } from '../../src/services/training/catalog.service.js';
import { addSchool } from '../../src/services/training/school.service.js';
import {
  addLine,
  cancelSeat,
  moveSeat,
  type LineCreated,
} from '../../src/services/training/training.service.js';

/** The day the fixture is recorded by: the report is due on 2020-01-31. */
export const FIXTURE_NOW = '2020-01-10T12:00:00.000Z';

const pm: Actor = { id: 'user:fmt-pm', role: 'program-manager' };

function must<T>(what: string, result: Result<T>): T {
  if (!result.ok) throw new Error(`${what}: ${result.error.message}`);
  return result.value;
}

export interface FmtFixture {
  readonly students: Record<'amani' | 'basel' | 'dana' | 'eero' | 'piotr', string>;
  readonly lines: Record<'l1' | 'l2' | 'l3' | 'l4' | 'l5', LineCreated>;
}

export async function buildFmtFixture(ctx: AppContext): Promise<FmtFixture> {
  for (const [id, name, location] of [
    ['FMT-S1', 'Fixture Staff College', 'Fort Example, KS'],
    ['FMT-S2', 'Fixture Institute of Law', 'Newport, RI'],
  ] as const) {
    must(id, await addSchool(ctx, pm, { id, name, location, department: 'Army' }));
  }
  must(
    'FMT-PME',
    await addCourse(ctx, pm, {
      id: 'FMT-PME',
      title: 'Fixture Command and Staff Course',
      school: 'FMT-S1',
      category: 'PME',
      lengthWeeks: 40,
      tuition: [
        { fiscalYear: 2019, cents: 5_000_000 },
        { fiscalYear: 2020, cents: 5_200_000 },
      ],
    }),
  );
  must(
    'FMT-SHORT',
    await addCourse(ctx, pm, {
      id: 'FMT-SHORT',
      title: 'Fixture Military Justice',
      school: 'FMT-S2',
      category: 'other',
      eImet: true,
      dedicated: true,
      lengthWeeks: 4,
      tuition: [
        { fiscalYear: 2019, cents: 1_000_000 },
        { fiscalYear: 2020, cents: 1_050_000 },
      ],
    }),
  );

  const student = async (country: string, familyName: string, unit: string) =>
    must(familyName, await addStudent(ctx, pm, { country, familyName, givenNames: 'Test', unit }))
      .id;
  const students = {
    amani: await student('JOR', 'AMANI', '1st Brigade'),
    basel: await student('JOR', 'BASEL', '2nd Brigade'),
    dana: await student('JOR', 'DANA', '1st Brigade'),
    eero: await student('EST', 'EERO', 'Baltic Defence College staff'),
    piotr: await student('POL', 'PIOTR', '12th Mechanised Division'),
  };

  const line = async (
    country: string,
    fiscalYear: number,
    course: string,
    seats: number,
    classStart: string,
    allowanceCents: number,
    purpose?: string,
  ) =>
    must(
      `${country} ${course}`,
      await addLine(ctx, pm, {
        country,
        fiscalYear,
        course,
        seats,
        classStart,
        priority: 'A',
        allowanceCents,
        purpose,
      }),
    );
  const lines = {
    l1: await line(
      'JOR',
      2019,
      'FMT-PME',
      3,
      '2019-08-05',
      800_000,
      'Develop staff officers for combined operations with US forces',
    ),
    l2: await line('JOR', 2019, 'FMT-SHORT', 2, '2019-03-04', 200_000),
    l3: await line('JOR', 2020, 'FMT-SHORT', 2, '2020-03-02', 210_000),
    l4: await line('EST', 2019, 'FMT-SHORT', 1, '2019-05-06', 150_000),
    l5: await line('POL', 2019, 'FMT-SHORT', 1, '2019-05-06', 150_000),
  };

  /**
   * Nominates (on 2019-01-15), clears, issues the order; the school reports training from `start`
   * (and completion on `ended`).
   */
  const train = async (seat: string, studentId: string, start: string, ended?: string) => {
    const nominatedOn = '2019-01-15';
    must(
      'nominate',
      await nominate(ctx, pm, {
        seat,
        student: studentId,
        attacheConsultedOn: nominatedOn,
        attacheName: 'Col. Fixture',
        on: nominatedOn,
      }),
    );
    for (const to of ['cleared', 'ito-issued'] as const)
      must(to, await moveSeat(ctx, pm, seat, to));
    must(
      'in-training',
      await recordSchoolEvent(ctx, pm, { seat, event: 'in-training', on: start }),
    );
    if (ended !== undefined)
      must(
        'completed',
        await recordSchoolEvent(ctx, pm, {
          seat,
          event: 'completed',
          on: ended,
          academicReport: 'Graduated',
        }),
      );
  };
  const seat = (l: LineCreated, i: number) => l.seats[i]!.id;
  await train(seat(lines.l2, 0), students.amani, '2019-03-04', '2019-03-29');
  await train(seat(lines.l2, 1), students.dana, '2019-03-04', '2019-03-29');
  await train(seat(lines.l1, 0), students.amani, '2019-08-05');
  await train(seat(lines.l1, 1), students.basel, '2019-08-05');
  must(
    'cancel',
    await cancelSeat(ctx, pm, seat(lines.l1, 2), { reason: 'partner-request', on: '2019-07-20' }),
  );
  await train(seat(lines.l4, 0), students.eero, '2019-05-06', '2019-05-31');
  await train(seat(lines.l5, 0), students.piotr, '2019-05-06', '2019-05-31');
  must(
    'nominate Dana for FY2020',
    await nominate(ctx, pm, {
      seat: seat(lines.l3, 0),
      student: students.dana,
      attacheConsultedOn: '2020-01-06',
      attacheName: 'Col. Fixture',
      on: '2020-01-06',
    }),
  );

  must(
    'EST request',
    await recordCommitteeRequest(ctx, pm, {
      country: 'EST',
      committee: 'SFRC',
      requestedOn: '2019-10-15',
      source: 'letter of 15 October 2019',
    }),
  );
  must(
    'POL request',
    await recordCommitteeRequest(ctx, pm, {
      country: 'POL',
      committee: 'House Committee on Appropriations',
      requestedOn: '2019-12-01',
    }),
  );
  return { students, lines };
}
