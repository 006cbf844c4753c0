// The demo's students (resources/demo/students.json): FY2020 lines with nominees in realistic
// screening states, and earlier trainees with their instruction, careers and findings.
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import { isoDate } from '../core/dates.js';
import {
  SCREENING_KINDS,
  UNIT_VETTING_OUTCOMES,
  PROMINENCE,
  QUARTERS,
  NON_COMPLETION_CAUSES,
  ENGLISH_EXEMPTIONS,
} from '../core/students/vocabulary.js';
import { PRIORITIES } from '../core/training.js';
import type { AuditRecord } from '../store/audit.repository.js';
import type { Executor } from '../store/database.js';
import { queryRows } from '../store/raw-sql.js';
import {
  insertCareer,
  insertFinding,
  insertNomination,
  insertScreening,
  insertStudent,
  insertTrainingRecord,
  insertUnitVetting,
  setEnglishExemption,
} from '../store/student.repository.js';
import { insertTrainingLine, type SeatRow } from '../store/training.repository.js';
import { sql } from 'drizzle-orm';
import type { AppContext } from './context.js';
import { flagNomineesOfUnit } from './screening.service.js';

const isoDateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const optionalText = z.string().nullable().optional();

const Student = z.object({
  country: z.string().length(3),
  familyName: z.string().min(1),
  givenNames: z.string().min(1),
  nameVariants: z.array(z.string()).default([]),
  birthDate: isoDateText.optional(),
  birthPlace: optionalText,
  service: optionalText,
  rank: optionalText,
  usGrade: optionalText,
  unit: optionalText,
  passportNumber: optionalText,
  passportExpiresOn: isoDateText.optional(),
  serviceNumber: optionalText,
});

const Screening = z.object({
  kind: z.enum(SCREENING_KINDS as [string, ...string[]]),
  outcome: z.string().optional(),
  on: isoDateText,
  validUntil: isoDateText.optional(),
  score: z.number().int().min(0).max(100).optional(),
  level: z.string().optional(),
  notes: z.string().optional(),
});

export const DemoStudents = z.object({
  source: z.string(),
  exemptions: z.array(
    z.object({
      country: z.string().length(3),
      scope: z.enum(ENGLISH_EXEMPTIONS),
      basis: z.string(),
    }),
  ),
  lines: z.array(
    z.object({
      key: z.string(),
      country: z.string().length(3),
      fiscalYear: z.number().int(),
      program: z.literal('IMET'),
      course: z.string(),
      classStart: isoDateText,
      seats: z.number().int().positive(),
      priority: z.enum(PRIORITIES),
      allowanceCents: z.number().int().nonnegative(),
    }),
  ),
  unitVettings: z.array(
    z.object({
      country: z.string().length(3),
      unit: z.string(),
      outcome: z.enum(UNIT_VETTING_OUTCOMES),
      on: isoDateText,
      notes: z.string().optional(),
    }),
  ),
  nominees: z.array(
    z.object({
      key: z.string(),
      student: Student,
      seat: z.object({ line: z.string(), ordinal: z.number().int().positive() }),
      nomination: z.object({
        on: isoDateText,
        attacheConsultedOn: isoDateText,
        attacheName: z.string(),
        quarters: z.enum(QUARTERS),
        mess: z.boolean(),
        dependentsAuthorised: z.number().int().min(0),
      }),
      screenings: z.array(Screening),
    }),
  ),
  alumni: z.array(
    z.object({
      student: Student,
      seatOf: z.object({ course: z.string(), fiscalYear: z.number().int() }).optional(),
      trainings: z.array(
        z.object({
          course: z.string(),
          program: z.literal('IMET'),
          startedOn: isoDateText,
          endedOn: isoDateText,
          outcome: z.enum(['completed', 'not-completed']),
          cause: z.enum(NON_COMPLETION_CAUSES).optional(),
          academicReport: z.string(),
        }),
      ),
      careers: z.array(
        z.object({
          title: z.string(),
          rank: z.string(),
          usGrade: z.string(),
          location: z.string(),
          from: isoDateText,
          prominence: z.enum(Object.keys(PROMINENCE) as [string, ...string[]]).optional(),
        }),
      ),
      findings: z
        .array(z.object({ on: isoDateText, summary: z.string(), source: z.string() }))
        .default([]),
    }),
  ),
});
export type DemoStudents = z.infer<typeof DemoStudents>;

type Student = z.infer<typeof Student>;

async function addStudent(
  tx: Executor,
  ctx: AppContext,
  s: Student,
  now: string,
  audit: AuditRecord[],
): Promise<string> {
  const id = ctx.newId('stu');
  const row = {
    id,
    countryIso3: s.country,
    familyName: s.familyName,
    givenNames: s.givenNames,
    nameVariants: s.nameVariants,
    birthDate: s.birthDate ?? null,
    birthPlace: s.birthPlace ?? null,
    service: s.service ?? null,
    rank: s.rank ?? null,
    usGrade: s.usGrade ?? null,
    unit: s.unit ?? null,
    contact: null,
    passportNumber: s.passportNumber ?? null,
    passportExpiresOn: s.passportExpiresOn ?? null,
    serviceNumber: s.serviceNumber ?? null,
    createdAt: now,
  };
  await insertStudent(tx, row);
  audit.push({ action: 'student.add', entityType: 'student', entityId: id, after: row });
  return id;
}

/** Loads the demo's students into the demo's transaction; returns how many were recorded. */
export async function loadDemoStudents(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  data: DemoStudents,
  tuition: (course: string, fy: number) => Promise<number>,
  audit: AuditRecord[],
): Promise<{ students: number; lines: number; seats: number }> {
  for (const e of data.exemptions) {
    await setEnglishExemption(tx, e.country, e.scope, e.basis, now);
    audit.push({
      action: 'english-exemption.set',
      entityType: 'country',
      entityId: e.country,
      after: e,
    });
  }
  const seatIds = new Map<string, string[]>();
  let seats = 0;
  for (const line of data.lines) {
    const lineId = ctx.newId('tl');
    const row = {
      id: lineId,
      countryIso3: line.country,
      fiscalYear: line.fiscalYear,
      courseId: line.course,
      programCode: line.program,
      seatCount: line.seats,
      classStart: line.classStart,
      priority: line.priority,
      unitTuitionCents: await tuition(line.course, line.fiscalYear),
      allowanceCents: line.allowanceCents,
      createdAt: now,
    };
    const lineSeats: SeatRow[] = Array.from({ length: line.seats }, (_, i) => ({
      id: ctx.newId('seat'),
      lineId,
      ordinal: i + 1,
      status: 'programmed',
      updatedAt: now,
    }));
    await insertTrainingLine(tx, row, lineSeats);
    seatIds.set(
      line.key,
      lineSeats.map((s) => s.id),
    );
    audit.push({ action: 'line.add', entityType: 'training-line', entityId: lineId, after: row });
    seats += lineSeats.length;
  }
  let students = 0;
  for (const n of data.nominees) {
    const studentId = await addStudent(tx, ctx, n.student, now, audit);
    students++;
    const seatId = seatIds.get(n.seat.line)?.[n.seat.ordinal - 1];
    if (seatId === undefined)
      throw new Error(`demo students: no seat ${n.seat.ordinal} on ${n.seat.line}`);
    const nomination = await insertNomination(tx, {
      id: ctx.newId('nom'),
      seatId,
      studentId,
      nominatedOn: n.nomination.on,
      attacheConsultedOn: n.nomination.attacheConsultedOn,
      attacheName: n.nomination.attacheName,
      dependentsAuthorised: n.nomination.dependentsAuthorised,
      quarters: n.nomination.quarters,
      mess: n.nomination.mess,
      recordedAt: now,
      recordedBy: actor.id,
    });
    await tx.execute(
      sql`update seats set status = 'nominated', student_id = ${studentId}, version = version + 1 where id = ${seatId}`,
    );
    audit.push({
      action: 'seat.nominate',
      entityType: 'seat',
      entityId: seatId,
      after: nomination,
    });
    for (const s of n.screenings) {
      const screening = await insertScreening(tx, {
        id: ctx.newId('scr'),
        studentId,
        seatId: null,
        kind: s.kind,
        outcome: s.outcome ?? (s.kind === 'ecl' || s.kind === 'opi' ? 'scored' : ''),
        onDate: s.on,
        validUntil: s.validUntil ?? null,
        score: s.score ?? null,
        level: s.level ?? null,
        notes: s.notes ?? null,
        recordedAt: now,
        recordedBy: actor.id,
      });
      audit.push({
        action: `screening.${s.kind}`,
        entityType: 'student',
        entityId: studentId,
        after: screening,
      });
    }
  }
  for (const v of data.unitVettings) {
    const vetting = await insertUnitVetting(tx, {
      id: ctx.newId('uv'),
      countryIso3: v.country,
      unit: v.unit,
      outcome: v.outcome,
      onDate: v.on,
      notes: v.notes ?? null,
      recordedAt: now,
      recordedBy: actor.id,
    });
    audit.push({
      action: `unit-vetting.${v.outcome}`,
      entityType: 'unit',
      entityId: `${v.country}:${v.unit}`,
      after: vetting,
    });
    if (v.outcome === 'denied') {
      const flagged = await flagNomineesOfUnit(tx, v.country, v.unit, isoDate(v.on), now);
      audit.push(...flagged.audit);
    }
  }
  for (const a of data.alumni) {
    const studentId = await addStudent(tx, ctx, a.student, now, audit);
    students++;
    const seatId =
      a.seatOf === undefined
        ? null
        : await claimCompletedSeat(tx, a.student.country, a.seatOf, studentId);
    for (const t of a.trainings) {
      const record = {
        id: ctx.newId('trn'),
        studentId,
        seatId: seatId !== null && t.course === a.seatOf?.course ? seatId : null,
        courseId: t.course,
        programCode: t.program,
        startedOn: t.startedOn,
        endedOn: t.endedOn,
        outcome: t.outcome,
        cause: t.cause ?? null,
        academicReport: t.academicReport,
        recordedAt: now,
      };
      await insertTrainingRecord(tx, record);
      audit.push({
        action: 'training-record.add',
        entityType: 'student',
        entityId: studentId,
        after: record,
      });
    }
    for (const c of a.careers) {
      const career = await insertCareer(tx, {
        id: ctx.newId('car'),
        studentId,
        title: c.title,
        rank: c.rank,
        usGrade: c.usGrade,
        location: c.location,
        fromDate: isoDate(c.from),
        prominence: c.prominence ?? null,
        recordedAt: now,
        recordedBy: actor.id,
      });
      audit.push({
        action: 'career.add',
        entityType: 'student',
        entityId: studentId,
        after: career,
      });
    }
    for (const f of a.findings) {
      const finding = await insertFinding(tx, {
        id: ctx.newId('hrf'),
        studentId,
        foundOn: f.on,
        summary: f.summary,
        source: f.source,
        recordedAt: now,
        recordedBy: actor.id,
      });
      audit.push({
        action: 'finding.add',
        entityType: 'student',
        entityId: studentId,
        after: finding,
      });
    }
  }
  return { students, lines: data.lines.length, seats };
}

/** Gives a completed seat of the story (no student yet) to an alumnus; its id. */
async function claimCompletedSeat(
  tx: Executor,
  country: string,
  seatOf: { course: string; fiscalYear: number },
  studentId: string,
): Promise<string> {
  const [seat] = await queryRows<{ id: string }>(
    tx,
    sql`select s.id from seats s join training_lines l on l.id = s.line_id
        where l.country_iso3 = ${country} and l.fiscal_year = ${seatOf.fiscalYear} and l.course_id = ${seatOf.course}
          and s.status = 'completed' and s.student_id is null
        order by s.ordinal limit 1`,
  );
  if (seat === undefined)
    throw new Error(
      `demo students: no completed ${seatOf.course} seat of FY${seatOf.fiscalYear} left`,
    );
  await tx.execute(sql`update seats set student_id = ${studentId} where id = ${seat.id}`);
  return seat.id;
}
