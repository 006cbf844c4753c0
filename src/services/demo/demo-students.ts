// The demo's students (resources/demo/students.json): FY2020 lines with nominees in realistic
// screening states, an FY2019 program trained and reported by the schools, and earlier trainees
// with their instruction, careers and findings.
import { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import {
  SCREENING_KINDS,
  UNIT_VETTING_OUTCOMES,
  PROMINENCE,
  QUARTERS,
  NON_COMPLETION_CAUSES,
  ENGLISH_EXEMPTIONS,
} from '../../core/students/vocabulary.js';
import { PRIORITIES } from '../../core/training.js';
import type { Executor } from '../../store/database.js';
import type { AppContext } from '../context.js';
import { unwrap, type DemoStep } from './demo-replay.js';
import { applyNominate, parseNomination } from '../students/nomination.service.js';
import {
  applyAddCareer,
  applyAddFinding,
  parseCareer,
  parseFinding,
} from '../students/participant.service.js';
import { applyPastTraining, parsePastTraining } from '../students/past-training.service.js';
import { applySchoolEvent, parseSchoolEvent } from '../students/school-event.service.js';
import {
  applyRecordScreening,
  applyRecordUnitVetting,
  applySetEnglishExemption,
  parseEnglishExemption,
  parseScreening,
  parseUnitVetting,
} from '../students/screening.service.js';
import { applyAddStudent, parseStudent } from '../students/student.service.js';
import {
  applyAddLine,
  applyCancelSeat,
  applyMoveSeat,
  parseCancel,
  parseLine,
} from '../training/training.service.js';

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

const Nomination = z.object({
  on: isoDateText,
  attacheConsultedOn: isoDateText,
  attacheName: z.string(),
  quarters: z.enum(QUARTERS),
  mess: z.boolean(),
  dependentsAuthorised: z.number().int().min(0),
});

export const DemoStudents = z.object({
  source: z.string(),
  exemptions: z.array(
    z.object({
      country: z.string().length(3),
      scope: z.enum(ENGLISH_EXEMPTIONS),
      on: isoDateText,
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
      programmedOn: isoDateText,
      classStart: isoDateText,
      seats: z.number().int().positive(),
      priority: z.enum(PRIORITIES),
      allowanceCents: z.number().int().nonnegative(),
      /** The purpose or foreign-policy justification the FMT report gives the line. */
      purpose: z.string().min(1).optional(),
    }),
  ),
  /** Seats of the lines above cancelled by the partner, with the penalty the rules give. */
  cancellations: z
    .array(
      z.object({
        line: z.string(),
        ordinal: z.number().int().positive(),
        reason: z.string(),
        on: isoDateText,
        note: z.string().optional(),
      }),
    )
    .default([]),
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
      nomination: Nomination,
      screenings: z.array(Screening),
    }),
  ),
  alumni: z.array(
    z.object({
      student: Student,
      /**
       * A seat the alumnus held: nominated, cleared, issued an ITO, trained. The seat of `seat`
       * (a line above), else the Pakistan story's next seat of the course and FY.
       */
      seatOf: z
        .object({
          course: z.string(),
          fiscalYear: z.number().int(),
          seat: z.object({ line: z.string(), ordinal: z.number().int().positive() }).optional(),
          nomination: Nomination,
          clearedOn: isoDateText,
          itoIssuedOn: isoDateText,
        })
        .optional(),
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
type NominationData = z.infer<typeof Nomination>;

/** Where the demo's students find their seats: the Pakistan story's, by country, FY and course. */
export type StorySeat = (country: string, fiscalYear: number, course: string) => string;

/** The demo's students as dated steps of the replay, each through a user's apply function. */
export function demoStudentSteps(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  data: DemoStudents,
  storySeat: StorySeat,
): { steps: DemoStep[]; students: number; lines: number; seats: number } {
  const steps: DemoStep[] = [];
  for (const e of data.exemptions) {
    steps.push({
      on: e.on,
      what: `English exemption of ${e.country}`,
      run: (now) => applySetEnglishExemption(tx, now, unwrap(e.country, parseEnglishExemption(e))),
    });
  }
  const seatIds = new Map<string, string[]>();
  for (const line of data.lines) {
    steps.push({
      on: line.programmedOn,
      what: `line ${line.key}`,
      run: async (now) => {
        const parsed = unwrap(line.key, parseLine(line));
        const added = await applyAddLine(tx, ctx, now, parsed);
        if (added.ok)
          seatIds.set(
            line.key,
            added.value.value.seats.map((s) => s.id),
          );
        return added;
      },
    });
  }
  const lineSeat = (seat: { line: string; ordinal: number }): string => {
    const id = seatIds.get(seat.line)?.[seat.ordinal - 1];
    if (id === undefined) throw new Error(`demo students: no seat ${seat.ordinal} on ${seat.line}`);
    return id;
  };
  for (const c of data.cancellations) {
    steps.push({
      on: c.on,
      what: `cancellation of seat ${c.ordinal} on ${c.line}`,
      run: (now, today) =>
        applyCancelSeat(tx, now, lineSeat(c), unwrap(c.line, parseCancel(c, today))),
    });
  }
  const studentIds = new Map<Student, string>();
  const studentId = (s: Student): string => {
    const id = studentIds.get(s);
    if (id === undefined) throw new Error(`demo students: ${s.familyName} is not recorded yet`);
    return id;
  };
  const addStudent = (s: Student, on: string): DemoStep => ({
    on,
    what: `student ${s.familyName}`,
    run: async (now) => {
      const added = await applyAddStudent(tx, ctx, now, unwrap(s.familyName, parseStudent(s)));
      if (added.ok) studentIds.set(s, added.value.value.id);
      return added;
    },
  });
  const nominate = (s: Student, seat: () => string, n: NominationData): DemoStep => ({
    on: n.on,
    what: `nomination of ${s.familyName}`,
    run: (now, today) =>
      applyNominate(
        tx,
        ctx,
        actor,
        now,
        unwrap(s.familyName, parseNomination({ ...n, seat: seat(), student: studentId(s) }, today)),
      ),
  });
  for (const n of data.nominees) {
    const first = [
      n.nomination.on,
      n.nomination.attacheConsultedOn,
      ...n.screenings.map((x) => x.on),
    ].sort()[0]!;
    steps.push(addStudent(n.student, first));
    steps.push(nominate(n.student, () => lineSeat(n.seat), n.nomination));
    for (const x of n.screenings) {
      steps.push({
        on: x.on,
        what: `${x.kind} screening of ${n.student.familyName}`,
        run: (now, today) =>
          applyRecordScreening(
            tx,
            ctx,
            actor,
            now,
            unwrap(x.kind, parseScreening({ ...x, student: studentId(n.student) }, today)),
          ),
      });
    }
  }
  for (const v of data.unitVettings) {
    steps.push({
      on: v.on,
      what: `vetting of ${v.unit}`,
      run: (now, today) =>
        applyRecordUnitVetting(tx, ctx, actor, now, unwrap(v.unit, parseUnitVetting(v, today))),
    });
  }
  for (const a of data.alumni) {
    const name = a.student.familyName;
    const seatOf = a.seatOf;
    const first = [
      ...(seatOf === undefined ? [] : [seatOf.nomination.attacheConsultedOn]),
      ...a.trainings.map((t) => t.startedOn),
    ].sort()[0]!;
    steps.push(addStudent(a.student, first));
    let seatId: string | undefined;
    const seat = (): string =>
      (seatId ??=
        seatOf!.seat === undefined
          ? storySeat(a.student.country, seatOf!.fiscalYear, seatOf!.course)
          : lineSeat(seatOf!.seat));
    if (seatOf !== undefined) {
      steps.push(nominate(a.student, seat, seatOf.nomination));
      for (const [to, on] of [
        ['cleared', seatOf.clearedOn],
        ['ito-issued', seatOf.itoIssuedOn],
      ] as const) {
        steps.push({
          on,
          what: `${name}'s seat ${to}`,
          run: (now) => applyMoveSeat(tx, now, seat(), to),
        });
      }
    }
    for (const t of a.trainings) {
      if (seatOf !== undefined && t.course === seatOf.course) {
        // The school reports the training; its completion writes the training record.
        const report = (event: string, on: string, extra: object): DemoStep => ({
          on,
          what: `${event} of ${name}`,
          run: (now, today) =>
            applySchoolEvent(
              tx,
              ctx,
              actor,
              now,
              unwrap(event, parseSchoolEvent({ seat: seat(), event, on, ...extra }, today)),
            ),
        });
        steps.push(report('in-training', t.startedOn, {}));
        steps.push(
          report(t.outcome, t.endedOn, { cause: t.cause, academicReport: t.academicReport }),
        );
        continue;
      }
      steps.push({
        on: t.endedOn,
        what: `${t.course} of ${name}`,
        run: (now, today) =>
          applyPastTraining(
            tx,
            ctx,
            now,
            unwrap(t.course, parsePastTraining({ ...t, student: studentId(a.student) }, today)),
          ),
      });
    }
    for (const c of a.careers) {
      steps.push({
        on: c.from,
        what: `career of ${name}`,
        run: (now, today) =>
          applyAddCareer(
            tx,
            ctx,
            actor,
            now,
            unwrap(c.title, parseCareer({ ...c, student: studentId(a.student) }, today)),
          ),
      });
    }
    for (const f of a.findings) {
      steps.push({
        on: f.on,
        what: `finding on ${name}`,
        run: (now, today) =>
          applyAddFinding(
            tx,
            ctx,
            actor,
            now,
            unwrap(f.summary, parseFinding({ ...f, student: studentId(a.student) }, today)),
          ),
      });
    }
  }
  return {
    steps,
    students: data.nominees.length + data.alumni.length,
    lines: data.lines.length,
    seats: data.lines.reduce((n, l) => n + l.seats, 0),
  };
}
