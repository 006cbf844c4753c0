// The country page's state as it lives in the address: the question the explain panel asks
// (program, date, course, as known on) and the fiscal years shown, so a link reopens the same view.
import { isProgram, type Program } from './api.js';

export interface Question {
  readonly program: Program;
  /** The date asked about, YYYY-MM-DD. */
  readonly on: string;
  /** A course id, or undefined for the program as a whole. */
  readonly course: string | undefined;
  /** The record as it stood at this date or instant, as the API takes it; undefined: as known now. */
  readonly knownOn: string | undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The question in the address, with the defaults (IMET, today, as known now) for what it lacks. */
export function questionOf(params: URLSearchParams, today: string): Question {
  const program = params.get('program')?.toUpperCase() ?? null;
  const on = params.get('on');
  const course = params.get('course');
  const knownOn = params.get('knownOn');
  return {
    program: isProgram(program) ? program : 'IMET',
    on: on !== null && on !== '' ? on : today,
    course: course !== null && course !== '' ? course : undefined,
    knownOn: knownOn !== null && knownOn !== '' ? knownOn : undefined,
  };
}

/** The address's parameters with the question written in; other parameters (the FY) are kept. */
export function withQuestion(params: URLSearchParams, question: Question): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set('program', question.program);
  next.set('on', question.on);
  for (const key of ['course', 'knownOn'] as const) {
    const value = question[key];
    if (value === undefined) next.delete(key);
    else next.set(key, value);
  }
  return next;
}

/** A whole number parameter (a fiscal year), or undefined. */
export function yearOf(params: URLSearchParams, key: string): number | undefined {
  const value = params.get(key);
  if (value === null || !/^\d{4}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * "As known on" split for the form: the date and, when one was given, the UTC time of day.
 * `2019-12-01` → { date: '2019-12-01', time: '' }; `2019-12-01T14:30:00Z` → time '14:30'.
 */
export function splitKnownOn(knownOn: string | undefined): { date: string; time: string } {
  if (knownOn === undefined) return { date: '', time: '' };
  const match = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}))?/.exec(knownOn);
  if (match === null) return { date: knownOn, time: '' };
  return { date: match[1] ?? '', time: match[2] ?? '' };
}

/** The form's date and optional UTC time as the instant the API takes (a bare date: its start, UTC). */
export function joinKnownOn(date: string, time: string): string {
  if (time === '' || !DATE.test(date)) return date;
  return `${date}T${time}:00Z`;
}

/** An instant the API answered (`asOf`) as people read it: `1 Dec 2019, 00:00 UTC`. */
export function formatInstant(instant: string, formatDate: (date: string) => string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(instant);
  if (match === null) return instant;
  return `${formatDate(match[1] ?? '')}, ${match[2] ?? ''} UTC`;
}
