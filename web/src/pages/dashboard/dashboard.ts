// The dashboard's view logic, pure: what the URL asks for (program and date), the months the slider
// runs over, and how a decision the API made is coloured and said. The API decides; this only names.
import type { MethodResponse } from 'openapi-fetch';
import type { ApiHttp } from '../../api/client.js';

export type Decisions = MethodResponse<ApiHttp, 'post', '/api/v1/eligibility/batch'>;
export type Decision = Decisions['decisions'][number];
export type Program = Decision['program'];
export type SeatSummary = MethodResponse<ApiHttp, 'get', '/api/v1/seats/summary'>;
export type SeatStatus = keyof SeatSummary['byStatus'];

/** Every program the API knows (its PROGRAMS enum), with its name; the typecheck keeps it whole. */
export const PROGRAM_NAMES: Readonly<Record<Program, string>> = {
  IMET: 'International Military Education and Training',
  FMF: 'Foreign Military Financing',
  PKO: 'Peacekeeping Operations',
  INCLE: 'International Narcotics Control and Law Enforcement',
  NADR: 'Nonproliferation, Anti-terrorism, Demining and Related Programs',
  EDA: 'Excess Defense Articles',
  CTFP: 'Combating Terrorism Fellowship Program',
  FMS: 'Foreign Military Sales',
  DCS: 'Direct Commercial Sales (export licences)',
  SEC333: 'DoD building partner capacity (10 USC 333)',
};
export const PROGRAMS = Object.keys(PROGRAM_NAMES) as Program[];
export const DEFAULT_PROGRAM: Program = 'IMET';

/** The first month the slider offers. */
export const FIRST_MONTH = '2000-01';

/** What the map colours a country by: the API's verdict, or nothing known. */
export type Verdict = 'eligible' | 'relieved' | 'blocked' | 'no-data';

export const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  eligible: 'Eligible',
  relieved: 'Eligible with a relief',
  blocked: 'Restricted',
  'no-data': 'No data',
};

/** The verdict of a decision: blocked, eligible thanks to a relief, or eligible. */
export function verdictOf(decision: Decision | undefined): Verdict {
  if (decision === undefined) return 'no-data';
  if (!decision.eligible) return 'blocked';
  return decision.restrictions.some((r) => r.status === 'relieved') ? 'relieved' : 'eligible';
}

/** The first reason the decision gives for its verdict: a blocking restriction, else a relieved one. */
export function firstReason(decision: Decision | undefined): string | undefined {
  if (decision === undefined) return undefined;
  const wanted = decision.eligible ? 'relieved' : 'blocking';
  return decision.restrictions.find((r) => r.status === wanted)?.reason;
}

export type DecisionRestriction = Decision['restrictions'][number];

/** The restrictions behind the decision's verdict (blocking, or relieved when eligible), in the API's order. */
export function groundsOf(decision: Decision): DecisionRestriction[] {
  const wanted = decision.eligible ? 'relieved' : 'blocking';
  return decision.restrictions.filter((r) => r.status === wanted);
}

/** A restriction's kind as a heading: `child-soldiers` → `Child soldiers`. */
export function kindWords(kind: string): string {
  const words = kind.replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar date YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (match === null) return false;
  const [, y, m, d] = match as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d)
  );
}

export interface DashboardQuery {
  readonly program: Program;
  readonly on: string;
}

/** The program and date the address asks for; what it lacks or gets wrong, the defaults. */
export function readQuery(params: URLSearchParams, today: string): DashboardQuery {
  const program = (params.get('program') ?? '').toUpperCase();
  const on = params.get('on') ?? '';
  return {
    program: (PROGRAMS as string[]).includes(program) ? (program as Program) : DEFAULT_PROGRAM,
    on: isCalendarDate(on) && on >= `${FIRST_MONTH}-01` && on <= today ? on : today,
  };
}

/** Months from FIRST_MONTH to `date`'s month: the slider's position of a date. */
export function monthIndex(date: string): number {
  const [y, m] = FIRST_MONTH.split('-').map(Number) as [number, number];
  return (Number(date.slice(0, 4)) - y) * 12 + (Number(date.slice(5, 7)) - m);
}

/** The first day of the month at slider position `index`, not after `today`. */
export function monthStart(index: number, today: string): string {
  const [y, m] = FIRST_MONTH.split('-').map(Number) as [number, number];
  const months = y * 12 + (m - 1) + index;
  const date = `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}-01`;
  return date > today ? today : date;
}

export interface Tally {
  readonly blocked: readonly Decision[];
  readonly relieved: number;
  readonly eligible: number;
}

/** The decisions counted by verdict; the blocked ones kept, in the order given. */
export function tally(decisions: readonly Decision[]): Tally {
  const blocked: Decision[] = [];
  let relieved = 0;
  let eligible = 0;
  for (const decision of decisions) {
    const verdict = verdictOf(decision);
    if (verdict === 'blocked') blocked.push(decision);
    else if (verdict === 'relieved') relieved += 1;
    else eligible += 1;
  }
  return { blocked, relieved, eligible };
}

/** What the answers for a date cannot settle (issue #15), counted once for the whole map. */
export interface Caveats {
  /** The answers that rest on a start or end known only to the month, the year or roughly. */
  readonly imprecise: readonly Decision[];
  /** How many answers fall where the recorded history is partial. */
  readonly partial: number;
}

/** The answers resting on imprecise dates (in the order given) and the count of partial ones. */
export function caveatsOf(decisions: readonly Decision[]): Caveats {
  return {
    imprecise: decisions.filter((d) => d.precision.length > 0),
    partial: decisions.filter((d) => d.coverage !== null).length,
  };
}

/** Seat statuses as people say them. */
export const STATUS_WORDS: Readonly<Record<SeatStatus, string>> = {
  planned: 'planned',
  programmed: 'programmed',
  nominated: 'nominated',
  cleared: 'cleared',
  'ito-issued': 'travel order issued',
  'in-training': 'in training',
  completed: 'completed',
  'not-completed': 'not completed',
  cancelled: 'cancelled',
  held: 'held',
};
