// The course catalog in and out of a file: a course matched by its id, added or corrected through the catalog's use cases.
import type { Actor } from '../../core/actor.js';
import {
  CellReader,
  centsText,
  rowRefusal,
  type SheetRow,
} from '../../core/imports/entity-columns.js';
import type { RowError } from '../../core/imports/import-report.js';
import { err, ok, type Result } from '../../core/result.js';
import { findCourseRecord, listTuitionRecords } from '../../store/catalog-admin.repository.js';
import type { Executor } from '../../store/database.js';
import type { AppContext } from '../context.js';
import { parseOptionalDateField } from '../field-input.js';
import {
  applyAddCourse,
  applyCorrectCourse,
  courseUnchanged,
  listCourses,
  parseCourse,
  type ParsedCourse,
} from '../training/catalog.service.js';
import { toCourse, type Course } from '../training/course-view.js';
import type { EntityImporter } from './entity-import.service.js';
import type { TableRow } from './tabular-file.js';

interface CourseRow {
  readonly course: ParsedCourse;
  readonly tuitionIllustrative: boolean;
  /** Blank keeps the course's retirement as it is: an import never brings a course back. */
  readonly retiredOn: string | null;
}

function parseRow(row: SheetRow): Result<CourseRow, RowError[]> {
  const r = new CellReader(row);
  const lengthWeeks = r.integer('lengthWeeks');
  const eclMin = r.integer('eclMin');
  const input = {
    id: r.text('id'),
    title: r.text('title'),
    school: r.text('school'),
    category: r.text('category'),
    eImet: r.boolean('eImet'),
    dedicated: r.boolean('dedicated'),
    lengthWeeks: lengthWeeks ?? 0,
    eclMin: eclMin ?? null,
    opiMin: r.optionalText('opiMin'),
    tuition: r.tuition('tuition'),
    source: r.optionalText('source'),
  };
  const tuitionIllustrative = r.boolean('tuitionIllustrative');
  if (r.errors.length > 0) return err(r.errors);
  const retiredOn = parseOptionalDateField('retiredOn', r.optionalText('retiredOn'));
  if (!retiredOn.ok) return err(rowRefusal('courses', row.row, retiredOn.error));
  const course = parseCourse(input);
  if (!course.ok) return err(rowRefusal('courses', row.row, course.error));
  return ok({ course: course.value, tuitionIllustrative, retiredOn: retiredOn.value });
}

async function findCourse(tx: Executor, id: string): Promise<Course | undefined> {
  const record = await findCourseRecord(tx, id);
  return record === undefined ? undefined : toCourse(record, await listTuitionRecords(tx, [id]));
}

/** Whether the row says what the course already says (tuition entries it does not name aside). */
function sameCourse(before: Course, row: CourseRow): boolean {
  const { id: _id, tuition, tuitionIllustrative: _flag, ...content } = row.course;
  return (
    courseUnchanged(before, content, tuition, row.tuitionIllustrative) &&
    (row.retiredOn === null || row.retiredOn === before.retiredOn)
  );
}

export const courseImporter: EntityImporter<CourseRow> = {
  capability: 'catalog.write',
  parseRow,
  async applyRow(tx, _ctx, _actor, _now, row) {
    const { id, tuition, tuitionIllustrative: _ignored, ...content } = row.course;
    const options = {
      tuitionIllustrative: row.tuitionIllustrative,
      ...(row.retiredOn === null ? {} : { retiredOn: row.retiredOn }),
    };
    const before = await findCourse(tx, id);
    if (before === undefined) {
      const added = await applyAddCourse(tx, {
        ...row.course,
        tuitionIllustrative: row.tuitionIllustrative,
      });
      if (!added.ok) return added;
      if (row.retiredOn === null) return ok({ outcome: 'created', audit: added.value.audit });
      const retired = await applyCorrectCourse(
        tx,
        added.value.value,
        content,
        [],
        'retired',
        options,
      );
      if (!retired.ok) return retired;
      return ok({ outcome: 'created', audit: [...added.value.audit, ...retired.value.audit] });
    }
    if (sameCourse(before, row)) return ok({ outcome: 'unchanged', audit: [] });
    const corrected = await applyCorrectCourse(tx, before, content, tuition, 'corrected', options);
    return corrected.ok ? ok({ outcome: 'updated', audit: corrected.value.audit }) : corrected;
  },
};

/** Every course of the catalog, retired ones too, as rows of a course file. */
export async function courseExport(ctx: AppContext, _actor: Actor): Promise<Result<TableRow[]>> {
  const courses = await listCourses(ctx, { includeRetired: true });
  if (!courses.ok) return courses;
  return ok(
    courses.value.map((c) => ({
      id: c.id,
      title: c.title,
      school: c.school,
      category: c.category,
      eImet: c.eImet ? 'yes' : 'no',
      dedicated: c.dedicated ? 'yes' : 'no',
      lengthWeeks: String(c.lengthWeeks),
      eclMin: c.eclMin === null ? '' : String(c.eclMin),
      opiMin: c.opiMin ?? '',
      tuition: c.tuition.map((t) => `${t.fiscalYear}=${centsText(t.cents)}`).join('; '),
      tuitionIllustrative:
        c.tuition.length > 0 && c.tuition.every((t) => t.illustrative) ? 'yes' : 'no',
      retiredOn: c.retiredOn ?? '',
      source: c.source ?? '',
    })),
  );
}
