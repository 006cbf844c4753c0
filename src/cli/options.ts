// Option parsers shared by every command: dates, instants and whole numbers are parsed the one way
// the services parse them, and a refusal names the flag and exits 2 before anything is opened.
import type { IsoDate } from '../core/dates.js';
import type { Result } from '../core/result.js';
import {
  FISCAL_YEAR_RANGE,
  checkTextField,
  parseDateField,
  parseInstantField,
  parseWholeNumberField,
  TEXT_LIMIT,
  type WholeNumberBounds,
} from '../services/field-input.js';
import { CliFailure, EXIT } from './output.js';

function orRefuse<T>(flag: string, result: Result<T>): T {
  if (!result.ok) throw new CliFailure(`${flag}: ${result.error.message}`, EXIT.badInput);
  return result.value;
}

/**
 * `--on <date>` and every other calendar date: `YYYY-MM-DD`, a real day, in 1950–2100. With
 * `emptyClears` (a correction's `--until ''`), the empty string passes through to clear the date.
 */
export function dateOption(
  flag: string,
  { emptyClears = false }: { readonly emptyClears?: boolean } = {},
): (value: string) => IsoDate | '' {
  return (value) =>
    emptyClears && value === '' ? '' : orRefuse(flag, parseDateField(flag, value));
}

/** `--known-on <timestamp>`: an ISO 8601 instant with a real date and time, normalised to UTC. */
export function instantOption(flag: string): (value: string) => string {
  return (value) => orRefuse(flag, parseInstantField(flag, value));
}

/** `--limit <n>` and every other count: a whole number within its bounds (from 1 unless told). */
export function wholeNumberOption(
  flag: string,
  bounds: WholeNumberBounds = {},
): (value: string) => number {
  return (value) => orRefuse(flag, parseWholeNumberField(flag, value, bounds));
}

/** A fiscal year, `--fy 2018` or the `<fy>` argument: 1950–2100, as the services check it. */
export function fiscalYearOption(flag: string): (value: string) => number {
  return wholeNumberOption(flag, { min: FISCAL_YEAR_RANGE.first, max: FISCAL_YEAR_RANGE.last });
}

/** One line of a file a command reads (`--names list.txt`): text as the API takes it. */
export function checkFileLine(flag: string, file: string, line: number, text: string): string {
  return orRefuse(`${flag}: ${file} line ${line}`, checkTextField('line', text, TEXT_LIMIT));
}
