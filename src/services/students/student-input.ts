// Input checks only the student services need: US pay grades and a country filter (the rest is field-input).
import { err, invalid, ok, type Result } from '../../core/result.js';

/** US pay grades: officers O-1…O-10, warrant officers W-1…W-5, enlisted E-1…E-9. */
const US_GRADE = /^(O-(10|[1-9])|W-[1-5]|E-[1-9])$/;

/** An optional US-equivalent pay grade, upper-cased. */
export function optionalUsGrade(
  field: string,
  text: string | null | undefined,
): Result<string | null> {
  if (text === undefined || text === null || text.trim() === '') return ok(null);
  const grade = text.trim().toUpperCase();
  return US_GRADE.test(grade)
    ? ok(grade)
    : err(invalid(field, `a US pay grade such as O-4, W-2 or E-7 (got ${text.trim()})`));
}

/** An optional country filter: blank means any country. */
export function countryFilter(text: string | undefined): string | undefined {
  const value = text?.trim().toUpperCase();
  return value === undefined || value === '' ? undefined : value;
}
