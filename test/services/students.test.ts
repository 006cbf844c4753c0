// Students through the services on the demo data: gates, travel orders, school events, the 2347g record.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { nominate } from '../../src/services/students/nomination.service.js';
import {
  addCareer,
  addFinding,
  prominenceList,
  searchRecords,
} from '../../src/services/students/participant.service.js';
import { recordSchoolEvent } from '../../src/services/students/school-event.service.js';
import {
  recordScreening,
  recordUnitVetting,
} from '../../src/services/students/screening.service.js';
import { addStudent, searchStudents } from '../../src/services/students/student.service.js';
import {
  amendTravelOrder,
  getTravelOrder,
  issueTravelOrder,
  seatChecklist,
} from '../../src/services/students/travel-order.service.js';
import { addLine } from '../../src/services/training/training.service.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { systemActor } from '../../src/core/actor.js';

let db: TestDatabase;
const now = '2020-07-01T10:00:00.000Z';
const sco: Actor = { id: 'user:sco-pak', role: 'sco', countries: ['PAK', 'JOR'] };
/** The international student officer of the demo's schools: school events are theirs to report. */
const imso: Actor = {
  id: 'user:imso',
  role: 'imso',
  schools: ['ACSC', 'CGSC', 'DIILS', 'MCOE', 'USCG-TCY'],
};

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: () => now });
});
afterAll(async () => db.close());

/** The demo seat held by the student of that family name. */
async function seatOf(familyName: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    db.ctx.store.db,
    sql`select s.id from seats s join students st on st.id = s.student_id where st.family_name = ${familyName}`,
  );
  if (row === undefined) throw new Error(`no seat for ${familyName}`);
  return row.id;
}

async function studentId(familyName: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    db.ctx.store.db,
    sql`select id from students where family_name = ${familyName}`,
  );
  return row!.id;
}

describe('the demo nominees and their gates', () => {
  it('issues a travel order for a green seat, carrying the entry test of an exempt country', async () => {
    const seat = await seatOf('KHAN');
    const checklist = await seatChecklist(db.ctx, systemActor('test'), seat);
    expect(checklist.ok && checklist.value.clear).toBe(true);
    const order = await issueTravelOrder(db.ctx, sco, seat);
    if (!order.ok) throw new Error(order.error.message);
    expect(order.value.number).toMatch(/^ITO-PAK-2020-\d{4}$/);
    expect(order.value.reportTo.date).toBe('2020-07-27');
    expect(order.value.englishNote).toContain('entry test on arrival');
    expect(order.value.allowance.totalCents).toBeGreaterThan(0);
    const [status] = await queryRows<{ status: string }>(
      db.ctx.store.db,
      sql`select status from seats where id = ${seat}`,
    );
    expect(status?.status).toBe('ito-issued');
    // Issued once: a second issue is refused; an amendment re-issues it with the next revision.
    const again = await issueTravelOrder(db.ctx, sco, seat);
    expect(!again.ok && again.error.reason).toBe('ITO.ALREADY_ISSUED');
    const amended = await amendTravelOrder(
      db.ctx,
      sco,
      seat,
      'report date confirmed by the school',
    );
    expect(amended.ok && [amended.value.number, amended.value.revision]).toEqual([
      order.value.number,
      1,
    ]);
  });

  it('refuses a lapsing Leahy approval with its own code and says to re-vet by a date', async () => {
    const seat = await seatOf('QURESHI');
    const refused = await issueTravelOrder(db.ctx, sco, seat);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.reason).toBe('GATE.LEAHY_PERSON.EXPIRES');
    expect(refused.error.message).toContain('re-vet by 2020-07-27');
    // Re-vetted: the gate turns green and the order is issued.
    const revetted = await recordScreening(db.ctx, sco, {
      student: await studentId('QURESHI'),
      kind: 'leahy-person',
      outcome: 'approved',
      on: '2020-06-30',
    });
    expect(revetted.ok).toBe(true);
    expect((await issueTravelOrder(db.ctx, sco, seat)).ok).toBe(true);
  });

  it.each([
    ['MALIK', 'GATE.LEAHY_UNIT.DENIED'],
    ['HADDAD', 'GATE.ENGLISH.SHORTFALL'],
    ['AL-ZOUBI', 'GATE.VISA.PENDING'],
  ])('refuses %s’s travel order with the red gate’s code %s', async (family, code) => {
    const refused = await issueTravelOrder(db.ctx, sco, await seatOf(family));
    expect(!refused.ok && refused.error.reason).toBe(code);
  });

  it('proposes specialized English training for the shortfall, with weeks and cost', async () => {
    const checklist = await seatChecklist(db.ctx, systemActor('test'), await seatOf('HADDAD'));
    const english = checklist.ok ? checklist.value.gates.find((g) => g.gate === 'english') : null;
    expect(english?.proposal).toMatchObject({ courseId: 'D177002', weeks: 6 });
    expect(english?.proposal?.tuitionCents).toBeGreaterThan(0);
  });
});

describe('a unit denied by Leahy vetting', () => {
  it('flags every nominee from the unit, across programs and years', async () => {
    const country = 'PAK';
    const line = await addLine(db.ctx, sco, {
      country,
      fiscalYear: 2020,
      course: 'P176019',
      seats: 1,
      classStart: '2020-09-14',
      priority: 'B',
    });
    if (!line.ok) throw new Error(line.error.message);
    const student = await addStudent(db.ctx, sco, {
      country,
      familyName: 'DURRANI',
      givenNames: 'Faisal',
      unit: '12th Signals Battalion',
    });
    if (!student.ok) throw new Error(student.error.message);
    const nominated = await nominate(db.ctx, sco, {
      seat: line.value.seats[0]!.id,
      student: student.value.id,
      attacheConsultedOn: '2020-06-20',
      attacheName: 'Col. J. Whitaker',
    });
    expect(nominated.ok).toBe(true);
    const denied = await recordUnitVetting(db.ctx, sco, {
      country,
      unit: ' 12th signals battalion ',
      outcome: 'denied',
      on: '2020-06-25',
    });
    if (!denied.ok) throw new Error(denied.error.message);
    expect(denied.value.flaggedSeats).toEqual([
      { seatId: line.value.seats[0]!.id, studentId: student.value.id },
    ]);
    const [flag] = await queryRows<{ flagged: boolean; reason: string }>(
      db.ctx.store.db,
      sql`select flagged, flag_reason as reason from seats where id = ${line.value.seats[0]!.id}`,
    );
    expect(flag).toEqual({
      flagged: true,
      reason: expect.stringMatching(/unit 12th signals battalion denied/i) as unknown,
    });
  });
});

describe('one seat at a time', () => {
  it('refuses a nomination whose class overlaps a seat the student holds, and takes one that does not', async () => {
    const khan = await studentId('KHAN');
    const lineOn = async (start: string) => {
      const line = await addLine(db.ctx, sco, {
        country: 'PAK',
        fiscalYear: 2020,
        course: 'P176027',
        seats: 1,
        classStart: start,
        priority: 'B',
      });
      if (!line.ok) throw new Error(line.error.message);
      return line.value.seats[0]!.id;
    };
    const nomination = (seat: string) =>
      nominate(db.ctx, sco, {
        seat,
        student: khan,
        attacheConsultedOn: '2020-06-20',
        attacheName: 'Col. J. Whitaker',
      });
    // KHAN holds the CGSC seat from 2020-08-03 for 44 weeks.
    const overlapping = await nomination(await lineOn('2020-09-14'));
    expect(!overlapping.ok && [overlapping.error.reason, overlapping.error.field]).toEqual([
      'NOMINATION.OVERLAP',
      'student',
    ]);
    // P176027 runs 3 weeks: from 2020-07-06 it ends on 2020-07-27, before the CGSC class.
    expect((await nomination(await lineOn('2020-07-06'))).ok).toBe(true);
    // A student of another country is refused.
    const other = await nominate(db.ctx, sco, {
      seat: await lineOn('2020-06-15'),
      student: await studentId('HADDAD'),
      attacheConsultedOn: '2020-06-20',
      attacheName: 'Col. J. Whitaker',
    });
    expect(!other.ok && other.error.reason).toBe('NOMINATION.COUNTRY');
  });
});

describe('bad input is refused, nothing written', () => {
  it.each([
    [{ kind: 'ecl', on: '2020-06-01', score: 101 }, 'score'],
    [{ kind: 'ecl', on: '2020-06-01', score: -1 }, 'score'],
    [{ kind: 'medical', outcome: 'passed', on: '2020-07-02' }, 'on'],
    [{ kind: 'medical', outcome: 'approved', on: '2020-06-01' }, 'outcome'],
    [{ kind: 'visa', outcome: 'issued', on: '2020-06-01', validUntil: '2020-05-01' }, 'validUntil'],
    [{ kind: 'opi', on: '2020-06-01', level: '7/2' }, 'level'],
  ])('screening %o: refused naming %s', async (input, field) => {
    const result = await recordScreening(db.ctx, sco, {
      student: await studentId('RAZA'),
      ...input,
    });
    expect(!result.ok && [result.error.code, result.error.field]).toEqual(['INPUT.INVALID', field]);
  });

  it("refuses a screening naming another student's seat, and one naming a seat outside the scope as if it did not exist", async () => {
    const seats = await queryRows<{ seat: string; student: string; country: string }>(
      db.ctx.store.db,
      sql`select s.id as seat, s.student_id as student, st.country_iso3 as country from seats s
          join students st on st.id = s.student_id order by s.id`,
    );
    const raza = await studentId('RAZA');
    const othersSeat = seats.find((r) => r.country === 'PAK' && r.student !== raza)!;
    const jordanian = seats.find((r) => r.country === 'JOR')!;
    const pakOnly: Actor = { id: 'user:sco-pak-only', role: 'sco', countries: ['PAK'] };
    const audit = await countAuditEntries(db.ctx.store.db);
    const screening = { student: raza, kind: 'medical', outcome: 'passed', on: '2020-06-01' };
    const other = await recordScreening(db.ctx, pakOnly, { ...screening, seat: othersSeat.seat });
    expect(!other.ok && [other.error.code, other.error.field]).toEqual(['INPUT.INVALID', 'seat']);
    const hidden = await recordScreening(db.ctx, pakOnly, { ...screening, seat: jordanian.seat });
    const missing = await recordScreening(db.ctx, pakOnly, { ...screening, seat: 'sea_none' });
    expect(!hidden.ok && [hidden.error.code, hidden.error.field]).toEqual(['NOT_FOUND', 'seat']);
    expect(!missing.ok && missing.error.message).toBe(
      !hidden.ok && hidden.error.message.replace(jordanian.seat, 'sea_none'),
    );
    expect(await countAuditEntries(db.ctx.store.db)).toBe(audit);
  });

  it('refuses to nominate to a seat that is not programmed', async () => {
    const result = await nominate(db.ctx, sco, {
      seat: await seatOf('RAZA'),
      student: await studentId('CHAUDHRY'),
      attacheConsultedOn: '2020-06-01',
      attacheName: 'Col. J. Whitaker',
    });
    expect(!result.ok && [result.error.reason, result.error.field]).toEqual([
      'NOMINATION.SEAT_STATUS',
      'seat',
    ]);
  });
});

describe('a travel order for a class already started (issue #10)', () => {
  const travelOrders = async (seat: string) =>
    queryRows<{ n: number }>(
      db.ctx.store.db,
      sql`select count(*)::int as n from travel_orders where seat_id = ${seat}`,
    );
  const seatRow = async (seat: string) =>
    queryRows<{ status: string; version: number }>(
      db.ctx.store.db,
      sql`select status, version from seats where id = ${seat}`,
    );

  it('is refused with ITO.CLASS_STARTED without a late reason, and bad input is refused naming its field, nothing written', async () => {
    // RAZA's class started 2020-06-08; today is 2020-07-01.
    const seat = await seatOf('RAZA');
    const before = await seatRow(seat);
    const audit = await countAuditEntries(db.ctx.store.db);
    const late = await issueTravelOrder(db.ctx, sco, seat);
    expect(!late.ok && [late.error.code, late.error.reason, late.error.field]).toEqual([
      'RULE.REFUSED',
      'ITO.CLASS_STARTED',
      'lateReason',
    ]);
    expect(!late.ok && late.error.message).toContain('2020-06-08');
    for (const [input, field] of [
      [{ on: '2020-06-31' }, 'on'],
      [{ on: 'tomorrow', lateReason: 'x' }, 'on'],
      [{ on: '2020-06-01', lateReason: 'visa late' }, 'lateReason'],
      [{ lateReason: '   ' }, 'lateReason'],
    ] as const) {
      const refused = await issueTravelOrder(db.ctx, sco, seat, input);
      expect(!refused.ok && [refused.error.code, refused.error.field]).toEqual([
        'INPUT.INVALID',
        field,
      ]);
    }
    expect(await travelOrders(seat)).toEqual([{ n: 0 }]);
    expect(await seatRow(seat)).toEqual(before);
    expect(await countAuditEntries(db.ctx.store.db)).toBe(audit);
  });

  it('is issued with a late reason, dated its day, the reason on the order and in the audit', async () => {
    const seat = await seatOf('RAZA');
    const reason = 'visa issued 2020-06-05; the school agreed to a late arrival';
    const order = await issueTravelOrder(db.ctx, sco, seat, { lateReason: reason });
    if (!order.ok) throw new Error(order.error.message);
    expect(order.value).toMatchObject({ issuedOn: '2020-07-01', lateReason: reason, revision: 0 });
    const stored = await getTravelOrder(db.ctx, systemActor('test'), seat);
    expect(stored.ok && stored.value.lateReason).toBe(reason);
    const [entry] = await queryRows<{ reason: string | null }>(
      db.ctx.store.db,
      sql`select reason from audit_log where action = 'ito.issue' and entity_id = ${order.value.number}`,
    );
    expect(entry?.reason).toBe(`issued late: ${reason}`);
  });

  it('is dated the day given: an order dated before the class started needs no reason', async () => {
    // An order dated 2020-06-02 for the class of 2020-06-01: started the day before.
    const seat = await seatOf('AL-MAJALI');
    const late = await issueTravelOrder(db.ctx, sco, seat, { on: '2020-06-02' });
    expect(!late.ok && late.error.reason).toBe('ITO.CLASS_STARTED');
    expect(await travelOrders(seat)).toEqual([{ n: 0 }]);
  });
});

describe('what the school reports', () => {
  it('stops the allowance on the day of an absence and charges tuition pro rata', async () => {
    const seat = await seatOf('AL-MAJALI');
    // Issued before the class started on 2020-06-01 (issue #10: judged on the order's day).
    const issued = await issueTravelOrder(db.ctx, sco, seat, { on: '2020-05-20' });
    expect(issued.ok && [issued.value.issuedOn, issued.value.lateReason]).toEqual([
      '2020-05-20',
      null,
    ]);
    expect(issued.ok).toBe(true);
    const outOfOrder = await recordSchoolEvent(db.ctx, imso, {
      seat,
      event: 'completed',
      on: '2020-06-20',
      academicReport: 'x',
    });
    expect(!outOfOrder.ok && outOfOrder.error.reason).toBe('EVENT.SEAT_STATUS');
    expect(
      (await recordSchoolEvent(db.ctx, imso, { seat, event: 'arrival', on: '2020-05-25' })).ok,
    ).toBe(true);
    const before = await recordSchoolEvent(db.ctx, imso, {
      seat,
      event: 'in-training',
      on: '2020-05-20',
    });
    expect(!before.ok && before.error.field).toBe('on');
    expect(
      (await recordSchoolEvent(db.ctx, imso, { seat, event: 'in-training', on: '2020-06-01' })).ok,
    ).toBe(true);
    const awol = await recordSchoolEvent(db.ctx, imso, {
      seat,
      event: 'not-completed',
      cause: 'awol',
      on: '2020-06-29',
    });
    if (!awol.ok) throw new Error(awol.error.message);
    // 28 of the course's 154 days attended (B171301: 22 weeks).
    const tuition = issued.ok ? issued.value.tuitionCents : 0;
    expect(awol.value.chargeCents).toBe(Math.round((tuition * 28) / 154));
    expect(awol.value.allowance?.until).toBe('2020-06-29');
    expect(awol.value.allowance?.days).toBe(35);
    expect(awol.value.seat).toMatchObject({
      status: 'not-completed',
      penaltyCents: awol.value.chargeCents,
    });
    const records = await searchRecords(db.ctx, systemActor('test'), { names: ['Omar Al Majali'] });
    const instruction = records.ok ? records.value.results[0]?.records[0]?.instruction : undefined;
    expect(instruction).toEqual([
      expect.objectContaining({ courseId: 'B171301', completed: false, endedOn: '2020-06-29' }),
    ]);
  });
});

describe('the 2347g participant record', () => {
  it('answers a list of names, in any spelling or order, with the fields the law asks', async () => {
    const answer = await searchRecords(db.ctx, systemActor('test'), {
      names: ['Nadim Akhtar', 'Muhammad Ali Khan'],
    });
    if (!answer.ok) throw new Error(answer.error.message);
    const [akhtar, khan] = answer.value.results;
    expect(akhtar?.records[0]).toMatchObject({
      name: 'AKHTAR, Nadeem Raza',
      currentPosition: { title: 'Chief of the Army Staff', usGrade: 'O-10' },
    });
    expect(akhtar?.records[0]?.instruction.map((i) => [i.courseId, i.type, i.completed])).toEqual([
      ['B171005', 'PME', true],
      ['B171801', 'PME', true],
    ]);
    // KHAN is a nominee, not yet a participant: no instruction, so no record.
    expect(khan?.records).toEqual([]);
  });

  it('answers a unit with its trainees', async () => {
    const answer = await searchRecords(db.ctx, systemActor('test'), { unit: 'punjab regiment' });
    const names = answer.ok ? answer.value.results[0]?.records.map((r) => r.name) : [];
    expect(names).toEqual(['HUSSAIN, Tariq Mehmood']);
  });

  it('puts a graduate who becomes chief of the army on the prominence list', async () => {
    const chaudhry = await studentId('CHAUDHRY');
    const career = await addCareer(db.ctx, sco, {
      student: chaudhry,
      title: 'Chief of the Naval Staff',
      rank: 'Admiral',
      usGrade: 'O-10',
      from: '2020-06-01',
      prominence: 'chief-of-service',
    });
    expect(career.ok).toBe(true);
    const list = await prominenceList(db.ctx, systemActor('test'), 'PAK');
    const names = list.ok ? list.value.map((p) => [p.record.name, p.position.prominence]) : [];
    expect(names).toEqual([
      ['AKHTAR, Nadeem Raza', 'chief-of-service'],
      ['CHAUDHRY, Bilal', 'chief-of-service'],
      ['HUSSAIN, Tariq Mehmood', 'attache-major-capital'],
    ]);
  });

  it('appends findings and never lets them be edited or removed', async () => {
    const student = await studentId('SIDDIQUI');
    const finding = await addFinding(db.ctx, sco, {
      student,
      on: '2020-06-15',
      summary: 'test finding',
      source: 'test',
    });
    expect(finding.ok).toBe(true);
    const refusal = async (statement: ReturnType<typeof sql>) => {
      try {
        await db.ctx.store.db.execute(statement);
        return 'allowed';
      } catch (error) {
        const cause = (error as { cause?: { message?: string } }).cause;
        return cause?.message ?? (error as Error).message;
      }
    };
    expect(
      await refusal(
        sql`update human_rights_findings set summary = 'edited' where student_id = ${student}`,
      ),
    ).toMatch(/append-only \(UPDATE refused\)/);
    expect(
      await refusal(sql`delete from human_rights_findings where student_id = ${student}`),
    ).toMatch(/append-only \(DELETE refused\)/);
  });

  it('finds students by a transliterated name in another order', async () => {
    const found = await searchStudents(db.ctx, systemActor('test'), { name: 'Muhammad Ali Khan' });
    expect(found.ok && found.value.map((s) => s.familyName)).toEqual(['KHAN']);
  });
});
