// Students in and out of a file: matched by id, else by country, names and birth date; recorded or corrected within the caller's countries.
import { seesCountry } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import { CellReader, rowRefusal, type SheetRow } from '../../core/imports/entity-columns.js';
import type { RowError } from '../../core/imports/import-report.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import type { Student } from '../../core/students/types.js';
import {
  updateStudentIfVersion,
  type StudentChanges,
} from '../../store/entity-import.repository.js';
import type { Executor } from '../../store/database.js';
import { findStudent, listStudents } from '../../store/student.repository.js';
import { countryInScope, studentVisible } from '../access/scope.js';
import { auditRead } from '../audit/audit-read.service.js';
import type { AppContext } from '../context.js';
import {
  applyAddStudent,
  parseStudent,
  visibleStudents,
  type ParsedStudent,
} from '../students/student.service.js';
import type { EntityImporter } from './entity-import.service.js';
import type { ExportFilter } from './entity-import.service.js';
import type { TableRow } from './tabular-file.js';

interface StudentRow {
  /** Blank: matched by country, names and birth date. */
  readonly id: string | null;
  readonly student: ParsedStudent;
}

function parseRow(row: SheetRow): Result<StudentRow, RowError[]> {
  const r = new CellReader(row);
  const student = parseStudent({
    country: r.text('country'),
    familyName: r.text('familyName'),
    givenNames: r.text('givenNames'),
    nameVariants: r.list('nameVariants'),
    birthDate: r.optionalText('birthDate'),
    birthPlace: r.optionalText('birthPlace'),
    service: r.optionalText('service'),
    rank: r.optionalText('rank'),
    usGrade: r.optionalText('usGrade'),
    unit: r.optionalText('unit'),
    contact: r.optionalText('contact'),
    passportNumber: r.optionalText('passportNumber'),
    passportExpiresOn: r.optionalText('passportExpiresOn'),
    serviceNumber: r.optionalText('serviceNumber'),
  });
  if (!student.ok) return err(rowRefusal('students', row.row, student.error));
  return ok({ id: r.optionalText('id'), student: student.value });
}

/** The fields a row sets, as the store names them. */
function changesOf(s: ParsedStudent): Required<StudentChanges> & { nameVariants: string[] } {
  return {
    familyName: s.familyName,
    givenNames: s.givenNames,
    nameVariants: [...s.nameVariants],
    birthDate: s.birthDate,
    birthPlace: s.birthPlace,
    service: s.service,
    rank: s.rank,
    usGrade: s.usGrade,
    unit: s.unit,
    contact: s.contact,
    passportNumber: s.passportNumber,
    passportExpiresOn: s.passportExpiresOn,
    serviceNumber: s.serviceNumber,
  };
}

function sameStudent(before: Student, changes: ReturnType<typeof changesOf>): boolean {
  return Object.entries(changes).every(([key, value]) => {
    const was = before[key as keyof Student];
    return Array.isArray(value)
      ? Array.isArray(was) && was.length === value.length && value.every((v, i) => was[i] === v)
      : was === value;
  });
}

/** The student a row names: by id (seen by the actor), or the one of its names, or none (new). */
async function matchStudent(
  tx: Executor,
  actor: Actor,
  row: StudentRow,
): Promise<Result<Student | undefined>> {
  const s = row.student;
  if (row.id !== null) {
    const found = await findStudent(tx, row.id);
    if (found === undefined || !(await studentVisible(tx, actor, found)))
      return err(notFound('student', row.id, 'id'));
    if (found.country !== s.country)
      return err(
        invalid(
          'country',
          `student ${row.id} is of ${found.country}, not ${s.country}: an import does not move a student to another country`,
        ),
      );
    return ok(found);
  }
  const matches = (await studentsByName(tx, s.country)).get(nameKey(s)) ?? [];
  if (matches.length > 1)
    return err(
      invalid(
        'id',
        `${matches.length} students of ${s.country} have these names and birth date (${matches.map((m) => m.id).join(', ')}): give the id`,
      ),
    );
  return ok(matches[0]);
}

/**
 * A country's students by names and birth date, loaded once per import transaction (a query per
 * row would read the country's students once per row) and kept current by the import's writes.
 */
const byName = new WeakMap<Executor, Map<string, Map<string, Student[]>>>();

const folded = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');
const nameKey = (s: Pick<Student, 'familyName' | 'givenNames' | 'birthDate'>) =>
  `${folded(s.familyName)}|${folded(s.givenNames)}|${s.birthDate ?? ''}`;

async function studentsByName(tx: Executor, country: string): Promise<Map<string, Student[]>> {
  let countries = byName.get(tx);
  if (countries === undefined)
    byName.set(tx, (countries = new Map<string, Map<string, Student[]>>()));
  let names = countries.get(country);
  if (names === undefined) {
    names = new Map();
    for (const student of await listStudents(tx, country)) remember(names, student);
    countries.set(country, names);
  }
  return names;
}

function remember(names: Map<string, Student[]>, student: Student, was?: Student): void {
  if (was !== undefined) {
    const list = names.get(nameKey(was)) ?? [];
    names.set(
      nameKey(was),
      list.filter((s) => s.id !== was.id),
    );
  }
  names.set(nameKey(student), [...(names.get(nameKey(student)) ?? []), student]);
}

export const studentImporter: EntityImporter<StudentRow> = {
  capability: 'students.write',
  parseRow,
  async applyRow(tx, ctx, actor, now, row) {
    const scope = countryInScope(actor, row.student.country);
    if (!scope.ok) return scope;
    const matched = await matchStudent(tx, actor, row);
    if (!matched.ok) return matched;
    const before = matched.value;
    const names = await studentsByName(tx, row.student.country);
    if (before === undefined) {
      const added = await applyAddStudent(tx, ctx, now, row.student);
      if (!added.ok) return added;
      remember(names, added.value.value);
      return ok({ outcome: 'created', audit: added.value.audit });
    }
    const changes = changesOf(row.student);
    if (sameStudent(before, changes)) return ok({ outcome: 'unchanged', audit: [] });
    if ((await updateStudentIfVersion(tx, before.id, before.version, changes)) === 0)
      throw new Error(`student ${before.id} changed inside the import's own transaction`);
    const after = (await findStudent(tx, before.id))!;
    remember(names, after, before);
    return ok({
      outcome: 'updated',
      audit: [
        {
          action: 'student.correct',
          entityType: 'student',
          entityId: before.id,
          before,
          after,
          reason: 'corrected',
        },
      ],
    });
  },
};

/**
 * The students the actor sees (of one country when asked) as rows of a student file. Like
 * reading a student's record, the export is on the audit chain: who took which officers' data.
 */
export async function studentExport(
  ctx: AppContext,
  actor: Actor,
  filter: ExportFilter,
): Promise<Result<TableRow[]>> {
  const country = filter.country;
  if (country !== undefined && actor.role === 'sco' && !seesCountry(actor, country))
    return err(notFound('country', country, 'country'));
  const students = await visibleStudents(ctx, actor, await listStudents(ctx.store.db, country));
  await auditRead(ctx, actor, {
    entityType: 'student',
    entityId: `export:${country ?? 'all'}`,
    reason: `export of ${students.length} students`,
  });
  return ok(
    students
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((s) => ({
        id: s.id,
        country: s.country,
        familyName: s.familyName,
        givenNames: s.givenNames,
        nameVariants: s.nameVariants.join('; '),
        birthDate: s.birthDate ?? '',
        birthPlace: s.birthPlace ?? '',
        service: s.service ?? '',
        rank: s.rank ?? '',
        usGrade: s.usGrade ?? '',
        unit: s.unit ?? '',
        contact: s.contact ?? '',
        passportNumber: s.passportNumber ?? '',
        passportExpiresOn: s.passportExpiresOn ?? '',
        serviceNumber: s.serviceNumber ?? '',
      })),
  );
}
