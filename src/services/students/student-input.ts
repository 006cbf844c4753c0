// Input checks shared by the student services: dates not in the future, optional text, one of a list.
import type { IsoDate } from '../../core/dates.js';
import { err, invalid, ok, type Result } from '../../core/result.js';
import { parseDateField } from '../field-input.js';

export { checkText, oneOf } from '../training/catalog-input.js';
export { parseOptionalDateField as optionalDate } from '../field-input.js';

/** A date that has happened by `today`: screenings and school events record the past. */
export function pastDate(field: string, text: string, today: IsoDate): Result<IsoDate> {
  const date = parseDateField(field, text);
  if (!date.ok) return date;
  if (date.value > today)
    return err(invalid(field, `${date.value} is in the future (today is ${today})`));
  return date;
}

/** Optional free text, trimmed; null when absent or blank. */
export function optionalText(
  field: string,
  text: string | null | undefined,
  max = 300,
): Result<string | null> {
  if (text === undefined || text === null || text.trim() === '') return ok(null);
  const value = text.trim();
  return value.length > max ? err(invalid(field, `at most ${max} characters`)) : ok(value);
}

/** Collects the values of checks, or the first refusal. */
export function all<T extends Record<string, Result<unknown>>>(
  checks: T,
): Result<{ [K in keyof T]: T[K] extends Result<infer V> ? V : never }> {
  const out: Record<string, unknown> = {};
  for (const [key, result] of Object.entries(checks)) {
    if (!result.ok) return result;
    out[key] = result.value;
  }
  return ok(out as { [K in keyof T]: T[K] extends Result<infer V> ? V : never });
}

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
