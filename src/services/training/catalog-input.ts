// Checks of catalog input as the edges submit it (ids, text, course content, tuition, versions).
import { err, invalid, ok, type Result } from '../../core/result.js';
import { COURSE_CATEGORIES } from '../../core/training.js';
import type { CourseRecord } from '../../store/catalog-admin.repository.js';
import { checkFiscalYear, checkText, oneOf } from '../field-input.js';

export interface TuitionInput {
  readonly fiscalYear: number;
  readonly cents: number;
}
/** A course as an edge submits it (checked here). */
export interface CourseInput {
  readonly id: string;
  readonly title: string;
  readonly school: string;
  readonly category: string;
  readonly eImet?: boolean | undefined;
  readonly dedicated?: boolean | undefined;
  readonly lengthWeeks: number;
  readonly eclMin?: number | null | undefined;
  readonly opiMin?: string | null | undefined;
  readonly tuition?: readonly TuitionInput[] | undefined;
  readonly source?: string | null | undefined;
}
/** The fields a correction may change (absent ones keep their value); tuition entries are per FY. */
export type CourseCorrection = {
  readonly [K in Exclude<keyof CourseInput, 'id'>]?: CourseInput[K] | undefined;
} & { readonly reason: string };

const ID = /^[A-Z0-9][A-Z0-9-]{1,19}$/;
const OPI = /^[0-5]\+?\/[0-5]\+?$/;
const MAX_WEEKS = 260;

/** An id as stored: trimmed, upper case. */
export const normalizeId = (text: string) => text.trim().toUpperCase();

/** A catalog id (school or course), normalized. */
export function checkId(field: string, text: string): Result<string> {
  const id = normalizeId(text);
  return ID.test(id)
    ? ok(id)
    : err(invalid(field, `an id is 2–20 letters, digits or dashes (got "${text}")`));
}

/** A course's checked content: what a correction may change. */
export type CourseContent = Omit<
  CourseRecord,
  'id' | 'version' | 'retiredOn' | 'schoolName' | 'location' | 'department'
>;

/** Checks the content of a course (not yet against other records). */
export function checkContent(input: Omit<CourseInput, 'id' | 'tuition'>): Result<CourseContent> {
  const title = checkText('title', input.title);
  if (!title.ok) return title;
  const schoolId = checkId('school', input.school);
  if (!schoolId.ok) return schoolId;
  const category = oneOf('category', input.category, COURSE_CATEGORIES, 'category');
  if (!category.ok) return category;
  const weeks = input.lengthWeeks;
  if (!Number.isInteger(weeks) || weeks <= 0 || weeks > MAX_WEEKS) {
    return err(invalid('lengthWeeks', `a whole number of weeks, 1–${MAX_WEEKS} (got ${weeks})`));
  }
  const eclMin = input.eclMin ?? null;
  if (eclMin !== null && (!Number.isInteger(eclMin) || eclMin < 0 || eclMin > 100)) {
    return err(invalid('eclMin', `an ECL score is a whole number 0–100 (got ${eclMin})`));
  }
  const opiMin = input.opiMin === undefined || input.opiMin === '' ? null : input.opiMin;
  if (opiMin !== null && !OPI.test(opiMin)) {
    return err(
      invalid('opiMin', `an OPI minimum is listening/speaking levels, e.g. 2/2 (got ${opiMin})`),
    );
  }
  return ok({
    title: title.value,
    schoolId: schoolId.value,
    category: category.value,
    eImet: input.eImet ?? false,
    dedicated: input.dedicated ?? false,
    lengthWeeks: weeks,
    eclMin,
    opiMin,
    source: input.source === undefined || input.source === '' ? null : input.source,
  });
}

/** Tuition entries: one per fiscal year, whole cents, not negative. */
export function checkTuition(entries: readonly TuitionInput[]): Result<readonly TuitionInput[]> {
  const seen = new Set<number>();
  for (const { fiscalYear, cents } of entries) {
    const fy = checkFiscalYear('tuition', fiscalYear);
    if (!fy.ok) return fy;
    if (seen.has(fiscalYear)) return err(invalid('tuition', `FY${fiscalYear} is given twice`));
    seen.add(fiscalYear);
    if (!Number.isSafeInteger(cents) || cents < 0)
      return err(
        invalid(
          'tuition',
          `tuition for FY${fiscalYear} is whole cents, not negative (got ${cents})`,
        ),
      );
  }
  return ok(entries);
}

/** An expected version (optimistic concurrency): absent, or a whole number from 1. */
export function checkVersion(version: number | undefined): Result<number | undefined> {
  return version === undefined || (Number.isInteger(version) && version > 0)
    ? ok(version)
    : err(invalid('version', `a version is a whole number from 1 (got ${version})`));
}
