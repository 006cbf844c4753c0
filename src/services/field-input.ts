// The values people type at every edge (CLI flags, API fields, imported files), parsed one way:
// text the database stores as given, calendar dates within 1950–2100, instants with a real
// calendar, whole numbers. Each refusal names its field.
import { Temporal } from 'temporal-polyfill';
import { parseIsoDate, type IsoDate } from '../core/dates.js';
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

export {
  checkTextField,
  checkTextTree,
  FIELD_TEXT_LIMITS,
  TEXT_LIMIT,
  textLimitOf,
} from './text-input.js';
