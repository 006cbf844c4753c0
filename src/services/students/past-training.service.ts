// Instruction a participant received before their seat was kept in Attaché (22 USC 2347g asks for
// every course, not only those programmed here): appended to the record, never edited.
import type { Actor } from '../../core/actor.js';
import type { IsoDate } from '../../core/dates.js';
import { type ProgramCode } from '../../core/programs.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import { NON_COMPLETION_CAUSES, type NonCompletionCause } from '../../core/students/vocabulary.js';
import { findCourseRecord } from '../../store/catalog-admin.repository.js';
import type { Executor } from '../../store/database.js';
import { findStudent, insertTrainingRecord } from '../../store/student.repository.js';
import { guardStudent, inScope } from '../access/scope.js';
import type { AppContext } from '../context.js';
import { today } from '../context.js';
import { all, oneOf, optionalText, parseProgramField, pastDate } from '../field-input.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';

export interface PastTrainingInput {
  readonly student: string;
  readonly course: string;
  readonly program?: string | undefined;
  readonly startedOn: string;
  readonly endedOn: string;
  readonly outcome: string;
  readonly cause?: string | null | undefined;
  readonly academicReport?: string | null | undefined;
}

/** Past instruction checked for content, ready to append. */
export interface ParsedPastTraining {
  readonly student: string;
  readonly course: string;
  readonly program: ProgramCode;
  readonly startedOn: IsoDate;
  readonly endedOn: IsoDate;
  readonly outcome: 'completed' | 'not-completed';
  readonly cause: NonCompletionCause | null;
  readonly academicReport: string | null;
}

export interface PastTrainingRecorded extends ParsedPastTraining {
  readonly id: string;
}

/** Checks past instruction as an edge submits it; its dates may not be after `todayDate`. */
export function parsePastTraining(
  input: PastTrainingInput,
  todayDate: IsoDate,
): Result<ParsedPastTraining> {
  const checkedProgram = parseProgramField('program', input.program ?? 'IMET');
  if (!checkedProgram.ok) return checkedProgram;
  const program = checkedProgram.value;
  const checked = all({
    startedOn: pastDate('startedOn', input.startedOn, todayDate),
    endedOn: pastDate('endedOn', input.endedOn, todayDate),
    outcome: oneOf('outcome', input.outcome, ['completed', 'not-completed'] as const, 'outcome'),
    academicReport: optionalText('academicReport', input.academicReport, 4000),
  });
  if (!checked.ok) return checked;
  const { startedOn, endedOn, outcome } = checked.value;
  if (endedOn < startedOn)
    return err(invalid('endedOn', `${endedOn} is before the start (${startedOn})`));
  let cause: NonCompletionCause | null = null;
  if (outcome === 'not-completed') {
    const c = oneOf('cause', input.cause ?? '', NON_COMPLETION_CAUSES, 'cause of non-completion');
    if (!c.ok) return c;
    cause = c.value;
  } else if (input.cause !== undefined && input.cause !== null && input.cause !== '') {
    return err(invalid('cause', 'a cause is recorded with not-completed only'));
  }
  return ok({ ...checked.value, student: input.student, course: input.course, program, cause });
}

/** Appends instruction a participant received before Attaché kept their seat. */
export async function recordPastTraining(
  ctx: AppContext,
  actor: Actor,
  input: PastTrainingInput,
): Promise<Result<PastTrainingRecorded>> {
  const parsed = parsePastTraining(input, today(ctx));
  if (!parsed.ok) return parsed;
  return writeTransaction(ctx, actor, 'students.write', (tx, now) =>
    inScope([guardStudent(tx, actor, parsed.value.student)], () =>
      applyPastTraining(tx, ctx, now, parsed.value),
    ),
  );
}

/** Appends past instruction inside `tx` at `now`. */
export async function applyPastTraining(
  tx: Executor,
  ctx: AppContext,
  now: string,
  parsed: ParsedPastTraining,
): Promise<Result<WorkOutcome<PastTrainingRecorded>>> {
  if ((await findStudent(tx, parsed.student)) === undefined)
    return err(notFound('student', parsed.student, 'student'));
  if ((await findCourseRecord(tx, parsed.course)) === undefined)
    return err(notFound('course', parsed.course, 'course'));
  const id = ctx.newId('trn');
  await insertTrainingRecord(tx, {
    id,
    studentId: parsed.student,
    seatId: null,
    courseId: parsed.course,
    programCode: parsed.program,
    startedOn: parsed.startedOn,
    endedOn: parsed.endedOn,
    outcome: parsed.outcome,
    cause: parsed.cause,
    academicReport: parsed.academicReport,
    recordedAt: now,
  });
  const value = { id, ...parsed };
  return ok({
    value,
    audit: [
      {
        action: 'training-record.add',
        entityType: 'student',
        entityId: parsed.student,
        after: value,
      },
    ],
  });
}
