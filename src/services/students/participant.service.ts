// The 22 USC 2347g participant record: the instruction each person received, their later career,
// human-rights findings (appended, never edited), the positions-of-prominence list of a country,
// and the answer to a State Department list of names or units.
import type { Actor } from '../../core/actor.js';
import type { IsoDate } from '../../core/dates.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import type {
  RecordInstruction as Instruction,
  RecordOfParticipant as ParticipantRecord,
} from '../../core/reports/records-report.js';
import { searchByName } from '../../core/students/names.js';
import type {
  CareerPosition,
  HumanRightsFinding,
  Student,
  TrainingRecord,
} from '../../core/students/types.js';
import { PROMINENCE, type Prominence } from '../../core/students/vocabulary.js';
import type { Executor } from '../../store/database.js';
import { findCountryRow } from '../../store/reference.repository.js';
import {
  findStudent,
  insertCareer,
  insertFinding,
  listCareers,
  listFindings,
  listProminentStudentIds,
  listStudents,
  listStudentsOfUnit,
  listTrainingRecords,
} from '../../store/student.repository.js';
import { visibleStudents } from './student.service.js';
import { guardStudent, inScope, studentVisible } from '../access/scope.js';
import { auditRead } from '../audit/audit-read.service.js';
import type { AppContext } from '../context.js';
import { today } from '../context.js';
import { countryFilter, optionalUsGrade } from './student-input.js';
import { all, checkText, oneOf, optionalText, pastDate } from '../field-input.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';

export interface CareerInput {
  readonly student: string;
  readonly title: string;
  readonly rank?: string | null | undefined;
  readonly usGrade?: string | null | undefined;
  readonly location?: string | null | undefined;
  readonly from: string;
  readonly prominence?: string | null | undefined;
}

/** A later position checked for content, ready to append. */
export type ParsedCareer = Extract<ReturnType<typeof checkCareer>, { ok: true }>['value'] & {
  readonly student: string;
};

function checkCareer(input: CareerInput, todayDate: IsoDate) {
  const prominence =
    input.prominence === undefined || input.prominence === null || input.prominence === ''
      ? ok(null)
      : oneOf(
          'prominence',
          input.prominence,
          Object.keys(PROMINENCE) as Prominence[],
          'prominence',
        );
  return all({
    title: checkText('title', input.title, 200),
    rank: optionalText('rank', input.rank, 100),
    usGrade: optionalUsGrade('usGrade', input.usGrade),
    location: optionalText('location', input.location, 200),
    from: pastDate('from', input.from, todayDate),
    prominence,
  });
}

/** Checks a later position as an edge submits it; its date may not be after `todayDate`. */
export function parseCareer(input: CareerInput, todayDate: IsoDate): Result<ParsedCareer> {
  const checked = checkCareer(input, todayDate);
  if (!checked.ok) return checked;
  return ok({ ...checked.value, student: input.student });
}

/** Records a later position of a participant (title, rank, US-equivalent grade, from a date). */
export async function addCareer(
  ctx: AppContext,
  actor: Actor,
  input: CareerInput,
): Promise<Result<CareerPosition>> {
  const parsed = parseCareer(input, today(ctx));
  if (!parsed.ok) return parsed;
  return writeTransaction(ctx, actor, 'students.write', (tx, now) =>
    inScope([guardStudent(tx, actor, parsed.value.student)], () =>
      applyAddCareer(tx, ctx, actor, now, parsed.value),
    ),
  );
}

/** Appends a later position to a participant's record inside `tx` at `now`. */
export function applyAddCareer(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  parsed: ParsedCareer,
): Promise<Result<WorkOutcome<CareerPosition>>> {
  const { student, from, ...rest } = parsed;
  return appendToRecord(tx, student, 'career.add', () =>
    insertCareer(tx, {
      id: ctx.newId('car'),
      studentId: student,
      ...rest,
      fromDate: from,
      recordedAt: now,
      recordedBy: actor.id,
    }),
  );
}

/**
 * Appends an entry to a participant's record, once the student is found: `action` names it in the
 * audit log.
 */
async function appendToRecord<T>(
  tx: Executor,
  student: string,
  action: string,
  insert: () => Promise<T>,
): Promise<Result<WorkOutcome<T>>> {
  if ((await findStudent(tx, student)) === undefined)
    return err(notFound('student', student, 'student'));
  const entry = await insert();
  return ok({
    value: entry,
    audit: [{ action, entityType: 'student', entityId: student, after: entry }],
  });
}

export interface FindingInput {
  readonly student: string;
  readonly on: string;
  readonly summary: string;
  readonly source: string;
}

/** A human-rights finding checked for content, ready to append. */
export interface ParsedFinding {
  readonly student: string;
  readonly on: IsoDate;
  readonly summary: string;
  readonly source: string;
}

/** Checks a finding as an edge submits it; its date may not be after `todayDate`. */
export function parseFinding(input: FindingInput, todayDate: IsoDate): Result<ParsedFinding> {
  const checked = all({
    on: pastDate('on', input.on, todayDate),
    summary: checkText('summary', input.summary, 4000),
    source: checkText('source', input.source, 500),
  });
  if (!checked.ok) return checked;
  return ok({ ...checked.value, student: input.student });
}

/** Appends a human-rights finding to a participant's record (22 USC 2347g(c)); it cannot be edited. */
export async function addFinding(
  ctx: AppContext,
  actor: Actor,
  input: FindingInput,
): Promise<Result<HumanRightsFinding>> {
  const parsed = parseFinding(input, today(ctx));
  if (!parsed.ok) return parsed;
  return writeTransaction(ctx, actor, 'students.write', (tx, now) =>
    inScope([guardStudent(tx, actor, parsed.value.student)], () =>
      applyAddFinding(tx, ctx, actor, now, parsed.value),
    ),
  );
}

/** Appends a human-rights finding inside `tx` at `now`. */
export function applyAddFinding(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  parsed: ParsedFinding,
): Promise<Result<WorkOutcome<HumanRightsFinding>>> {
  return appendToRecord(tx, parsed.student, 'finding.add', () =>
    insertFinding(tx, {
      id: ctx.newId('hrf'),
      studentId: parsed.student,
      foundOn: parsed.on,
      summary: parsed.summary,
      source: parsed.source,
      recordedAt: now,
      recordedBy: actor.id,
    }),
  );
}

/** One course of instruction and the participant record, as core's records report reads them. */
export type {
  RecordInstruction as Instruction,
  RecordOfParticipant as ParticipantRecord,
} from '../../core/reports/records-report.js';

function instructionOf(r: TrainingRecord): Instruction {
  return {
    courseId: r.courseId,
    title: r.courseTitle,
    type: r.category,
    schoolId: r.schoolId,
    program: r.program,
    startedOn: r.startedOn,
    endedOn: r.endedOn,
    completed: r.outcome === null ? null : r.outcome === 'completed',
    academicReport: r.academicReport,
  };
}

/** The participant records of `people`, in their order; only people with instruction on record. */
async function recordsOf(
  ctx: AppContext,
  people: readonly Student[],
): Promise<ParticipantRecord[]> {
  const ids = people.map((p) => p.id);
  const [trainings, careers, findings] = await Promise.all([
    listTrainingRecords(ctx.store.db, ids),
    listCareers(ctx.store.db, ids),
    listFindings(ctx.store.db, ids),
  ]);
  return people.flatMap((p): ParticipantRecord[] => {
    const instruction = trainings.filter((t) => t.studentId === p.id).map(instructionOf);
    if (instruction.length === 0) return [];
    const positions = careers.filter((c) => c.studentId === p.id);
    return [
      {
        studentId: p.id,
        name: `${p.familyName}, ${p.givenNames}`,
        country: p.country,
        unit: p.unit,
        rank: p.rank,
        usGrade: p.usGrade,
        instruction,
        currentPosition: positions.at(-1) ?? null,
        positions,
        findings: findings.filter((f) => f.studentId === p.id),
      },
    ];
  });
}

/** A participant's record. */
export async function getParticipantRecord(
  ctx: AppContext,
  actor: Actor,
  studentId: string,
): Promise<Result<ParticipantRecord>> {
  const student = await findStudent(ctx.store.db, studentId);
  if (student === undefined || !(await studentVisible(ctx.store.db, actor, student)))
    return err(notFound('student', studentId, 'student'));
  const [record] = await recordsOf(ctx, [student]);
  if (record !== undefined)
    await auditRead(ctx, actor, {
      entityType: 'student',
      entityId: studentId,
      reason: 'participant record (22 USC 2347g)',
    });
  return record === undefined
    ? err(notFound('participant-record', studentId, 'student'))
    : ok(record);
}

export interface RecordsQuery {
  /** Names as the State Department lists them, any order or spelling. */
  readonly names?: readonly string[] | undefined;
  readonly unit?: string | undefined;
  readonly country?: string | undefined;
}

export interface RecordsAnswer {
  /** Per name asked (a unit query has one entry, the unit), the records found. */
  readonly results: readonly {
    readonly query: string;
    readonly records: readonly ParticipantRecord[];
  }[];
}

/** Answers a list of names or a unit with the 2347g records of the participants found. */
export async function searchRecords(
  ctx: AppContext,
  actor: Actor,
  query: RecordsQuery,
): Promise<Result<RecordsAnswer>> {
  const names = (query.names ?? []).map((n) => n.trim()).filter((n) => n !== '');
  const unit = query.unit?.trim() ?? '';
  if ((names.length === 0) === (unit === ''))
    return err(invalid('names', 'ask for a list of names or for a unit (one of the two)'));
  if (names.length > 10_000) return err(invalid('names', 'at most 10,000 names per list'));
  const country = countryFilter(query.country);
  if (country !== undefined && (await findCountryRow(ctx.store.db, country)) === undefined)
    return err(notFound('country', query.country ?? '', 'country'));
  if (unit !== '') {
    const people = await visibleStudents(
      ctx,
      actor,
      await listStudentsOfUnit(ctx.store.db, unit, country),
    );
    return ok({ results: [{ query: unit, records: await recordsOf(ctx, people) }] });
  }
  const everyone = await visibleStudents(ctx, actor, await listStudents(ctx.store.db, country));
  const results = [];
  for (const name of names)
    results.push({ query: name, records: await recordsOf(ctx, searchByName(name, everyone)) });
  return ok({ results });
}

/** Every participant record of a country, of the participants the actor sees (the 2347g export). */
export async function countryRecords(
  ctx: AppContext,
  actor: Actor,
  country: string,
): Promise<Result<ParticipantRecord[]>> {
  const iso3 = country.trim().toUpperCase();
  if ((await findCountryRow(ctx.store.db, iso3)) === undefined)
    return err(notFound('country', country, 'country'));
  const people = await visibleStudents(ctx, actor, await listStudents(ctx.store.db, iso3));
  return ok(await recordsOf(ctx, people));
}

export interface ProminentPerson {
  readonly record: ParticipantRecord;
  /** The latest position of prominence held. */
  readonly position: CareerPosition;
  readonly category: string;
}

/** A country's positions-of-prominence list: participants who hold or held such a position. */
export async function prominenceList(
  ctx: AppContext,
  actor: Actor,
  country: string,
): Promise<Result<ProminentPerson[]>> {
  const iso3 = country.trim().toUpperCase();
  if ((await findCountryRow(ctx.store.db, iso3)) === undefined)
    return err(notFound('country', country, 'country'));
  const ids = await listProminentStudentIds(ctx.store.db, iso3);
  const found = (await Promise.all(ids.map((id) => findStudent(ctx.store.db, id)))).filter(
    (p): p is Student => p !== undefined,
  );
  const people = await visibleStudents(ctx, actor, found);
  const order = Object.keys(PROMINENCE);
  return ok(
    (await recordsOf(ctx, people))
      .map((record) => {
        const position = record.positions.filter((p) => p.prominence !== null).at(-1)!;
        return { record, position, category: PROMINENCE[position.prominence!] };
      })
      .sort(
        (a, b) =>
          order.indexOf(a.position.prominence!) - order.indexOf(b.position.prominence!) ||
          a.record.name.localeCompare(b.record.name),
      ),
  );
}
