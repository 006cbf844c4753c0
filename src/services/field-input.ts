// The values people type at every edge (CLI flags, API fields, imported files), parsed one way:
// text the database stores as given, calendar dates within 1950–2100, fiscal years, instants with
// a real calendar, whole numbers, waiting periods, values from a fixed list. Each refusal names
// its field. Services check their input with these, never with copies of their own.
import { Temporal } from 'temporal-polyfill';
import { parseIsoDate, type IsoDate } from '../core/dates.js';
import { PROGRAMS, type ProgramCode } from '../core/programs.js';
import { err, invalid, ok, type Result } from '../core/result.js';

/**
 * The dates a person may type. The range lives here, at the edge, not in core `parseIsoDate`:
 * core stays a calendar (its properties range over any date), and records the system itself
 * derives (interval arithmetic, fiscal-year bounds) may step outside what anyone types.
 */
export const DATE_RANGE = { first: '1950-01-01', last: '2100-12-31', text: '1950–2100' } as const;

/** A calendar date a person typed: `YYYY-MM-DD`, a real day, in 1950–2100. */
export function parseDateField(field: string, text: string): Result<IsoDate> {
  const date = parseIsoDate(text);
  if (date === undefined)
    return err(invalid(field, `not a calendar date YYYY-MM-DD (${DATE_RANGE.text}): ${text}`));
  if (date < DATE_RANGE.first || date > DATE_RANGE.last)
    return err(invalid(field, `${date} is outside ${DATE_RANGE.text}`));
  return ok(date);
}

/** A date that may be left out: absent, null or empty is null. */
export function parseOptionalDateField(
  field: string,
  text: string | null | undefined,
): Result<IsoDate | null> {
  return text === undefined || text === null || text === ''
    ? ok(null)
    : parseDateField(field, text);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Normalises an ISO 8601 timestamp to UTC with milliseconds; a bare date means its start (UTC).
 * Impossible parts (30 February, hour 25, month 13) are refused, never rolled over.
 */
export function parseInstant(text: string): string | undefined {
  const withTime = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  if (!INSTANT.test(withTime)) return undefined;
  try {
    return new Date(Temporal.Instant.from(withTime).epochMilliseconds).toISOString();
  } catch {
    return undefined;
  }
}

/** An instant a person typed, normalised as parseInstant does. */
export function parseInstantField(field: string, text: string): Result<string> {
  const instant = parseInstant(text);
  return instant === undefined
    ? err(
        invalid(
          field,
          `not an ISO 8601 timestamp with a real date and time (e.g. 2020-01-02T12:00:00Z): ${text}`,
        ),
      )
    : ok(instant);
}

/**
 * A "known on" instant as asked: normalised to UTC, refused when malformed or still to come (the
 * record cannot say yet what it will say then). Null when not asked: as known now.
 */
export function parseKnownOn(
  field: string,
  text: string | undefined,
  clock: () => string,
): Result<string | null> {
  if (text === undefined || text === '') return ok(null);
  const parsed = parseInstantField(field, text);
  if (!parsed.ok) return parsed;
  const now = clock();
  if (parsed.value > now)
    return err(
      invalid(
        field,
        `${parsed.value} is in the future (now ${now}): ask as known on a past instant`,
      ),
    );
  return parsed;
}

/** The bounds of a whole number; `min` defaults to 1 (a count of nothing is rarely meant). */
export interface WholeNumberBounds {
  readonly min?: number;
  readonly max?: number;
}

/** A whole number a person typed (`5`, not `5x`, `2.5`, `1e3` or `0x10`), within its bounds. */
export function parseWholeNumberField(
  field: string,
  text: string,
  { min = 1, max }: WholeNumberBounds = {},
): Result<number> {
  const bounds = max === undefined ? `from ${min}` : `from ${min} to ${max}`;
  const trimmed = text.trim();
  const value = /^-?\d{1,15}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (Number.isNaN(value)) return err(invalid(field, `a whole number ${bounds} (got ${text})`));
  if (value < min || (max !== undefined && value > max))
    return err(invalid(field, `a whole number ${bounds} (got ${text})`));
  return ok(value);
}

/** The fiscal years a person may name: those of the dates they may type. */
export const FISCAL_YEAR_RANGE = { first: 1950, last: 2100 } as const;

/** A US federal fiscal year given as a number (a JSON field). */
export function checkFiscalYear(field: string, fy: number): Result<number> {
  return Number.isInteger(fy) && fy >= FISCAL_YEAR_RANGE.first && fy <= FISCAL_YEAR_RANGE.last
    ? ok(fy)
    : err(
        invalid(
          field,
          `a fiscal year from ${FISCAL_YEAR_RANGE.first} to ${FISCAL_YEAR_RANGE.last} (got ${fy})`,
        ),
      );
}

/** A fiscal year typed as text (`2018`; a query parameter or a flag). */
export function parseFiscalYearField(field: string, text: string): Result<number> {
  const fy = checkFiscalYear(field, /^\d{4}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN);
  return fy.ok
    ? fy
    : err(
        invalid(
          field,
          `a fiscal year from ${FISCAL_YEAR_RANGE.first} to ${FISCAL_YEAR_RANGE.last} (got ${text})`,
        ),
      );
}

/** The longest waiting period after a congressional notification anyone records, in days. */
export const MAX_WAIT_DAYS = 365;

/** A waiting period after a notification: whole days from 0 to MAX_WAIT_DAYS. */
export function checkWaitDays(field: string, days: number): Result<number> {
  return Number.isInteger(days) && days >= 0 && days <= MAX_WAIT_DAYS
    ? ok(days)
    : err(
        invalid(
          field,
          `the waiting period is a whole number of days from 0 to ${MAX_WAIT_DAYS} (got ${days})`,
        ),
      );
}

/** Case-insensitive match against a fixed list, answering its canonical spelling. */
export function oneOf<T extends string>(
  field: string,
  text: string,
  values: readonly T[],
  what: string,
): Result<T> {
  const found = values.find((v) => v.toLowerCase() === text.trim().toLowerCase());
  return found === undefined
    ? err(invalid(field, `unknown ${what} ${text} (one of ${values.join(', ')})`))
    : ok(found);
}

/** A security-assistance program by its code (`IMET`, `FMF`, …). */
export function parseProgramField(field: string, text: string): Result<ProgramCode> {
  return oneOf(field, text, PROGRAMS, 'program');
}

/** Required free text, trimmed, of at most `max` characters. */
export function checkText(field: string, text: string, max = 300): Result<string> {
  const value = text.trim();
  if (value === '') return err(invalid(field, 'is required'));
  if (value.length > max) return err(invalid(field, `at most ${max} characters`));
  return ok(value);
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

/** A date that has happened by `today`: screenings, school events and past training record the past. */
export function pastDate(field: string, text: string, today: IsoDate): Result<IsoDate> {
  const date = parseDateField(field, text);
  if (!date.ok) return date;
  if (date.value > today)
    return err(invalid(field, `${date.value} is in the future (today is ${today})`));
  return date;
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

export {
  checkTextField,
  checkTextTree,
  FIELD_TEXT_LIMITS,
  TEXT_LIMIT,
  textLimitOf,
} from './text-input.js';
