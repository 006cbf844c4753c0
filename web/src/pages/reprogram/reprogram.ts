// The re-programming page's form, kept in the address (`?fy=2018&pool=released&country=PAK`), and
// the words for the optimizer's rules. Pure, so it is tested without a browser.
import type { components, operations } from '../../api/schema.js';

export type Answer = components['schemas']['ReprogramAnswer'];

/** Whether a role sees every country, as a proposal needs: it moves money between them. */
export function mayReprogram(role: string): boolean {
  return role === 'admin' || role === 'program-manager' || role === 'analyst';
}
export type Proposal = NonNullable<Answer['proposal']>;
export type ApplyBody = NonNullable<
  NonNullable<operations['applyReprogramming']['requestBody']>['content']['application/json']
>;

export interface ReprogramForm {
  readonly fy: string;
  readonly pool: 'released' | 'end-of-year';
  readonly country: string;
  readonly on: string;
}

export function readReprogramForm(params: URLSearchParams, thisYear: number): ReprogramForm {
  const pool = params.get('pool');
  return {
    fy: params.get('fy') ?? String(thisYear),
    pool: pool === 'end-of-year' ? 'end-of-year' : 'released',
    country: (params.get('country') ?? '').toUpperCase(),
    on: params.get('on') ?? '',
  };
}

export function writeReprogramForm(form: ReprogramForm): URLSearchParams {
  const params = new URLSearchParams({ fy: form.fy.trim(), pool: form.pool });
  if (form.country.trim() !== '') params.set('country', form.country.trim().toUpperCase());
  if (form.on.trim() !== '') params.set('on', form.on.trim());
  return params;
}

/** The API's query for `form`: only what the user gave. */
export function reprogramQuery(form: ReprogramForm): {
  fy: string;
  pool: ReprogramForm['pool'];
  country?: string;
  on?: string;
} {
  return {
    fy: form.fy.trim(),
    pool: form.pool,
    ...(form.country.trim() === '' ? {} : { country: form.country.trim().toUpperCase() }),
    ...(form.on.trim() === '' ? {} : { on: form.on.trim() }),
  };
}

/** The rules as a program manager names them. */
export const RULE_LABELS: Readonly<Record<string, string>> = {
  POOL: 'The pool',
  PRIORITY_A_WITHIN_ALLOCATION: 'Priority A within the allocation',
  PME_AT_LEAST_HALF: 'PME at least half of the allocation',
  CLASS_CAPACITY: 'Class capacity',
  PRIORITY_B_ONLY: 'Only priority B lines take money',
  END_OF_YEAR_LINES: 'End-of-year money: PME or E-IMET lines only',
  CLASS_STARTED: 'Class already started',
  LINE_ELIGIBLE: 'Not eligible at class start',
  LIST_FAILS: 'The list already fails a check',
  REQUIRED_SEATS: 'Seats held to',
  WITHIN_GAP: 'Left within the solver’s gap',
};

export const ruleLabel = (rule: string) => RULE_LABELS[rule] ?? rule;

/** `1.008×`, or a dash when the baseline found nothing. */
export function ratioText(value: number, baseline: number): string {
  return baseline === 0 ? '—' : `${(value / baseline).toFixed(3)}×`;
}

/** A shadow price per $1,000, as the page shows it. */
export function pricePerThousand(shadowPrice: number, rule: string): string {
  return rule === 'CLASS_CAPACITY'
    ? `${shadowPrice.toFixed(2)} per seat`
    : `${(shadowPrice * 1000).toFixed(3)} per $1,000`;
}

/** The body that applies `proposal`: the question it answered, its basis, its chosen lines. */
export function applyBody(
  asked: ReprogramForm,
  answer: Answer,
  proposal: Proposal,
  notified: string,
): ApplyBody {
  const query = reprogramQuery(asked);
  return {
    fy: Number(query.fy),
    pool: query.pool,
    ...(query.country === undefined ? {} : { country: query.country }),
    ...(query.on === undefined ? {} : { on: query.on }),
    basis: answer.basis,
    lines: proposal.chosen.map((c) => ({ lineId: c.lineId, seats: c.seats })),
    ...(notified.trim() === '' ? {} : { notified: notified.trim() }),
  };
}
