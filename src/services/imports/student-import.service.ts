// Students in and out of a file: matched by id, else by country, names and birth date; recorded or corrected within the caller's countries.
import { seesCountry } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import { CellReader, rowRefusal, type SheetRow } from '../../core/imports/entity-columns.js';
import type { RowError } from '../../core/imports/import-report.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import type { Student } from '../../core/students/types.js';
import {
  findStudentIdsByNames,
  updateStudentIfVersion,
  type StudentChanges,
} from '../../store/entity-import.repository.js';
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
  tx: Parameters<EntityImporter<StudentRow>['applyRow']>[0],
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
  const ids = await findStudentIdsByNames(tx, s.country, s.familyName, s.givenNames, s.birthDate);
  if (ids.length > 1)
    return err(
      invalid(
        'id',
        `${ids.length} students of ${s.country} have these names and birth date (${ids.join(', ')}): give the id`,
      ),
    );
  return ok(ids[0] === undefined ? undefined : await findStudent(tx, ids[0]));
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
    if (before === undefined) {
      const added = await applyAddStudent(tx, ctx, now, row.student);
      return added.ok ? ok({ outcome: 'created', audit: added.value.audit }) : added;
    }
    const changes = changesOf(row.student);
    if (sameStudent(before, changes)) return ok({ outcome: 'unchanged', audit: [] });
    if ((await updateStudentIfVersion(tx, before.id, before.version, changes)) === 0)
      throw new Error(`student ${before.id} changed inside the import's own transaction`);
    const after = (await findStudent(tx, before.id))!;
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
