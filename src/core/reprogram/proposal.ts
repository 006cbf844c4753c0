// What a solver's answer to the re-programming model means (issue 17): the lines and seats chosen,
// the money each country takes from the pool, the rules that bind with their shadow prices, and for
// every line not (wholly) chosen the rule that kept it out. Also the check every proposal must
// pass, by the same rule functions as the list check, and the greedy baseline it is measured by.
import { formatUsd } from '../money.js';
import {
  pmeAtLeastHalf,
  priorityAWithinAllocation,
  takesEndOfYearMoney,
} from '../program-rules.js';
import {
  classKey,
  keptAllocation,
  perDollar,
  seatValue,
  type Candidate,
  type Exclusion,
  type ExclusionRule,
  type Pool,
  type ReprogramInput,
  type ReprogramModel,
  type RowRule,
} from './model.js';

/** A solver's answer, in the model's columns and rows. */
export type SolverOutcome =
  | {
      readonly status: 'optimal' | 'time-limit';
      /** Each column's value at the best integer solution found. */
      readonly values: readonly number[];
      readonly objective: number;
      /**
       * Relative gap between the solution and the best bound: HiGHS's, or the LP relaxation's when
       * it stopped before proving one (0 when proved optimal).
       */
      readonly gap: number;
      /** Row duals of the LP relaxation (seats may be fractional), in value per row unit. */
      readonly relaxationDuals: readonly number[];
      readonly seconds: number;
    }
  | {
      readonly status: 'infeasible';
      /** Rows of an irreducible infeasible subsystem. */
      readonly conflictRows: readonly number[];
      /** Columns whose bounds take part in it. */
      readonly conflictColumns: readonly number[];
      readonly seconds: number;
    }
  | {
      /** Stopped before any integer solution was found. */
      readonly status: 'no-solution';
      readonly seconds: number;
    };

export interface ChosenLine {
  readonly lineId: string;
  readonly country: string;
  readonly courseId: string;
  readonly classStart: string;
  readonly seats: number;
  /** Seats of the line left unfunded. */
  readonly seatsLeft: number;
  readonly seatCents: number;
  readonly costCents: number;
  readonly value: number;
}

export interface Grant {
  readonly country: string;
  /** Taken from the pool: the least the chosen lines need beyond the country's own room. */
  readonly cents: number;
  /** The country's room within its allocation used first. */
  readonly ownCents: number;
}

export interface Binding {
  readonly rule: RowRule;
  readonly subject: string;
  readonly message: string;
  /**
   * Value one more dollar (a seat, for a class) of this rule would add, from the LP relaxation:
   * seats may be fractional there, so it is a guide, not a promise.
   */
  readonly shadowPrice: number;
}

export interface NotChosen {
  readonly lineId: string;
  readonly country: string;
  /** Seats of the line not funded. */
  readonly seats: number;
  readonly rule: RowRule | ExclusionRule | 'WITHIN_GAP';
  readonly message: string;
  readonly restrictionIds?: readonly string[];
}

export interface Plan {
  readonly chosen: readonly ChosenLine[];
  readonly grants: readonly Grant[];
  readonly value: number;
  readonly usedCents: number;
}

export interface Proposal extends Plan {
  readonly fiscalYear: number;
  readonly pool: Pool;
  readonly poolCents: number;
  readonly leftCents: number;
  readonly status: 'optimal' | 'time-limit';
  readonly gap: number;
  readonly seconds: number;
  readonly binding: readonly Binding[];
  /** How the shadow prices were found. */
  readonly shadowPrices: 'LP relaxation at the proposal';
  readonly notChosen: readonly NotChosen[];
  readonly greedy: Plan;
}

export interface Conflict {
  readonly rule: RowRule | 'REQUIRED_SEATS' | ExclusionRule;
  readonly subject: string;
  readonly message: string;
}

export type ProposalResult =
  | { readonly ok: true; readonly proposal: Proposal }
  | { readonly ok: false; readonly reason: 'infeasible'; readonly conflicts: readonly Conflict[] }
  | { readonly ok: false; readonly reason: 'no-solution'; readonly seconds: number };

/** Whole seats per candidate line, from column values (the solver's are within 1e-6 of whole). */
export function seatsByLine(model: ReprogramModel, values: readonly number[]): Map<string, number> {
  const seats = new Map<string, number>();
  model.columns.forEach((c, i) => {
    if (c.kind === 'seats') seats.set(c.candidate.lineId, Math.round(values[i] ?? 0));
  });
  return seats;
}

/** `plan` as the model's column values: seats per line, each country's grant. */
export function columnValues(model: ReprogramModel, plan: Plan): number[] {
  const seats = new Map(plan.chosen.map((c) => [c.lineId, c.seats]));
  const grants = new Map(plan.grants.map((g) => [g.country, g.cents / model.moneyUnitCents]));
  return model.columns.map((c) =>
    c.kind === 'seats' ? (seats.get(c.candidate.lineId) ?? 0) : (grants.get(c.country) ?? 0),
  );
}

/** The plan `seats` makes: each country's own room spent first, then the least grant from the pool. */
export function planOf(input: ReprogramInput, seats: ReadonlyMap<string, number>): Plan {
  const chosen: ChosenLine[] = [];
  const spend = new Map<string, number>();
  for (const c of input.candidates) {
    const n = seats.get(c.lineId) ?? 0;
    if (n <= 0) continue;
    chosen.push({
      lineId: c.lineId,
      country: c.country,
      courseId: c.courseId,
      classStart: c.classStart,
      seats: n,
      seatsLeft: c.seats - n,
      seatCents: c.seatCents,
      costCents: n * c.seatCents,
      value: n * seatValue(c, input.weights),
    });
    spend.set(c.country, (spend.get(c.country) ?? 0) + n * c.seatCents);
  }
  const lists = new Map(input.lists.map((l) => [l.country, l]));
  const grants = [...spend]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([country, cents]): Grant => {
      const list = lists.get(country);
      const room = list === undefined ? 0 : Math.max(0, keptAllocation(list) - list.priorityACents);
      return { country, cents: Math.max(0, cents - room), ownCents: Math.min(cents, room) };
    });
  return {
    chosen,
    grants,
    value: chosen.reduce((n, c) => n + c.value, 0),
    usedCents: grants.reduce((n, g) => n + g.cents, 0),
  };
}

/** A country's list as a proposal leaves it, and its checks. */
export interface ListAfter {
  readonly country: string;
  /** The allocation less what it pooled, plus what it was granted. */
  readonly allocationCents: number;
  /** Priority A lines, the funded ones included. */
  readonly priorityACents: number;
  readonly pmeCents: number;
  readonly priorityAWithinAllocation: boolean;
  readonly pmeAtLeastHalf: boolean;
}

/** The lists of the countries `plan` funds a line of, as it leaves them, checked by the list rules. */
export function listsAfter(input: ReprogramInput, plan: Plan): ListAfter[] {
  const granted = new Map(plan.grants.map((g) => [g.country, g.cents]));
  const candidates = new Map(input.candidates.map((c) => [c.lineId, c]));
  const added = new Map<string, number>();
  for (const line of plan.chosen) {
    // From the candidate, not the plan's own sums: this is the check of them.
    const c = candidates.get(line.lineId);
    if (c !== undefined)
      added.set(c.country, (added.get(c.country) ?? 0) + line.seats * c.seatCents);
  }
  return input.lists
    .filter((l) => added.has(l.country))
    .map((list) => {
      const allocationCents = keptAllocation(list) + (granted.get(list.country) ?? 0);
      const priorityACents = list.priorityACents + (added.get(list.country) ?? 0);
      return {
        country: list.country,
        allocationCents,
        priorityACents,
        pmeCents: list.pmeCents,
        priorityAWithinAllocation: priorityAWithinAllocation(priorityACents, allocationCents),
        pmeAtLeastHalf: pmeAtLeastHalf(list.pmeCents, allocationCents),
      };
    });
}

/**
 * Every rule a proposal must keep, checked with the list check's own rule functions on each
 * country's list as the proposal leaves it (funded lines priority A, the allocation less what was
 * pooled plus what was granted): the violations, none for a sound proposal.
 */
export function checkPlan(input: ReprogramInput, plan: Plan): string[] {
  const wrong: string[] = [];
  const lists = new Map(input.lists.map((l) => [l.country, l]));
  const candidates = new Map(input.candidates.map((c) => [c.lineId, c]));
  const addedA = new Map<string, number>();
  const perClass = new Map<string, number>();
  for (const line of plan.chosen) {
    const c = candidates.get(line.lineId);
    if (c === undefined) {
      wrong.push(`${line.lineId} is no candidate`);
      continue;
    }
    if (line.seats > c.seats) wrong.push(`${c.lineId}: ${line.seats} seats of ${c.seats}`);
    if (c.priority !== 'B') wrong.push(`${c.lineId}: priority ${c.priority}`);
    if (c.blocking.length > 0) wrong.push(`${c.lineId}: LINE_ELIGIBLE fails at ${c.classStart}`);
    if (c.classStart <= input.on) wrong.push(`${c.lineId}: its class started ${c.classStart}`);
    if (input.pool === 'end-of-year' && !takesEndOfYearMoney(c))
      wrong.push(`${c.lineId}: end-of-year money to a ${c.category} line`);
    addedA.set(c.country, (addedA.get(c.country) ?? 0) + line.seats * c.seatCents);
    const key = classKey(c.courseId, c.classStart);
    perClass.set(key, (perClass.get(key) ?? 0) + line.seats);
  }
  for (const country of addedA.keys())
    if (!lists.has(country)) wrong.push(`${country}: no allocation`);
  for (const after of listsAfter(input, plan)) {
    if (!after.priorityAWithinAllocation)
      wrong.push(`${after.country}: PRIORITY_A_WITHIN_ALLOCATION fails`);
    if (!after.pmeAtLeastHalf) wrong.push(`${after.country}: PME_AT_LEAST_HALF fails`);
  }
  for (const k of input.capacities) {
    const key = classKey(k.courseId, k.classStart);
    if ((perClass.get(key) ?? 0) > k.seats) wrong.push(`${key}: over its ${k.seats} seats`);
  }
  const used = plan.grants.reduce((n, g) => n + g.cents, 0);
  if (used > input.poolCents) wrong.push(`grants ${used} exceed the pool ${input.poolCents}`);
  for (const r of input.required ?? [])
    if ((plan.chosen.find((c) => c.lineId === r.lineId)?.seats ?? 0) < r.seats)
      wrong.push(`${r.lineId}: fewer than the ${r.seats} seats required`);
  return wrong;
}

/** Room each rule has left under `plan`, in cents (seats for a class). */
interface Slack {
  readonly pool: number;
  readonly own: ReadonlyMap<string, number>;
  readonly pme: ReadonlyMap<string, number>;
  readonly classes: ReadonlyMap<string, number>;
}

function slackOf(input: ReprogramInput, plan: Plan): Slack {
  const own = new Map<string, number>();
  const pme = new Map<string, number>();
  const grants = new Map(plan.grants.map((g) => [g.country, g]));
  for (const list of input.lists) {
    const g = grants.get(list.country);
    const room = Math.max(0, keptAllocation(list) - list.priorityACents);
    own.set(list.country, room - (g?.ownCents ?? 0));
    pme.set(list.country, 2 * list.pmeCents - keptAllocation(list) - (g?.cents ?? 0));
  }
  const classes = new Map(
    input.capacities.map((k) => [classKey(k.courseId, k.classStart), k.seats]),
  );
  for (const line of plan.chosen) {
    const key = classKey(line.courseId, line.classStart);
    const left = classes.get(key);
    if (left !== undefined) classes.set(key, left - line.seats);
  }
  return { pool: input.poolCents - plan.usedCents, own, pme, classes };
}

/** The rule that stops one more seat of `c` under `slack`, or WITHIN_GAP when one would fit. */
function stoppedBy(c: Candidate, slack: Slack): Pick<NotChosen, 'rule' | 'message'> {
  const key = classKey(c.courseId, c.classStart);
  const classLeft = slack.classes.get(key);
  if (classLeft !== undefined && classLeft < 1)
    return { rule: 'CLASS_CAPACITY', message: `the class ${key} is full` };
  const own = slack.own.get(c.country) ?? 0;
  const pme = Math.max(0, slack.pme.get(c.country) ?? 0);
  const pool = Math.max(0, slack.pool);
  if (own + Math.min(pool, pme) >= c.seatCents)
    return {
      rule: 'WITHIN_GAP',
      message: 'one more seat fits: the solver stopped within its gap before taking it',
    };
  if (pme <= pool && own + pme < c.seatCents)
    return {
      rule: 'PME_AT_LEAST_HALF',
      message: `a seat costs ${formatUsd(c.seatCents)}; more money would raise ${c.country}'s allocation past twice its PME lines (room ${formatUsd(pme)})`,
    };
  return {
    rule: 'POOL',
    message: `a seat costs ${formatUsd(c.seatCents)}; the pool has ${formatUsd(pool)} left${own > 0 ? ` and ${c.country} ${formatUsd(own)} of its own` : ''}`,
  };
}

function describeRow(
  input: ReprogramInput,
  rule: RowRule,
  subject: string,
  plan: Plan | undefined,
): string {
  const list = input.lists.find((l) => l.country === subject);
  switch (rule) {
    case 'POOL':
      return `the pool of ${formatUsd(input.poolCents)}${plan === undefined ? '' : `: ${formatUsd(plan.usedCents)} used`}`;
    case 'PRIORITY_A_WITHIN_ALLOCATION':
      return list === undefined
        ? subject
        : `${subject}: priority A lines within the allocation (${formatUsd(keptAllocation(list) - list.priorityACents)} of room before any grant)`;
    case 'PME_AT_LEAST_HALF':
      return list === undefined
        ? subject
        : `${subject}: PME lines (${formatUsd(list.pmeCents)}) at least half of the allocation: at most ${formatUsd(Math.max(0, 2 * list.pmeCents - keptAllocation(list)))} more`;
    case 'CLASS_CAPACITY': {
      const open =
        input.capacities.find((k) => classKey(k.courseId, k.classStart) === subject)?.seats ?? 0;
      const funded = (plan?.chosen ?? [])
        .filter((c) => classKey(c.courseId, c.classStart) === subject)
        .reduce((n, c) => n + c.seats, 0);
      return `the class ${subject}: ${open} international seats open${plan === undefined ? '' : `, ${funded} funded by the proposal`}`;
    }
  }
}

/** Reads `outcome` back into a proposal, with the greedy baseline on the same input. */
export function proposalOf(
  input: ReprogramInput,
  model: ReprogramModel,
  outcome: SolverOutcome,
  greedy: Plan = greedyPlan(input, model),
): ProposalResult {
  const excludedRequired = (input.required ?? []).flatMap((r): Conflict[] => {
    const out = model.excluded.find((e) => e.lineId === r.lineId);
    return out === undefined || r.seats === 0
      ? []
      : [
          {
            rule: out.rule,
            subject: r.lineId,
            message: `${r.lineId} is required but ${out.message}`,
          },
        ];
  });
  if (excludedRequired.length > 0)
    return { ok: false, reason: 'infeasible', conflicts: excludedRequired };
  if (outcome.status === 'no-solution')
    return { ok: false, reason: 'no-solution', seconds: outcome.seconds };
  if (outcome.status === 'infeasible') {
    const conflicts: Conflict[] = outcome.conflictRows.map((i) => {
      const row = model.rows[i]!;
      return {
        rule: row.rule,
        subject: row.subject,
        message: describeRow(input, row.rule, row.subject, undefined),
      };
    });
    for (const i of outcome.conflictColumns) {
      const column = model.columns[i]!;
      if (column.kind !== 'seats' || model.colLower[i] === 0) continue;
      const c = column.candidate;
      conflicts.push({
        rule: 'REQUIRED_SEATS',
        subject: c.lineId,
        message: `${c.lineId} (${c.country}, ${c.courseId} from ${c.classStart}): ${model.colLower[i]} seat${model.colLower[i] === 1 ? '' : 's'} required at ${formatUsd(c.seatCents)} each`,
      });
    }
    return { ok: false, reason: 'infeasible', conflicts };
  }
  const plan = planOf(input, seatsByLine(model, outcome.values));
  const slack = slackOf(input, plan);
  const chosen = new Map(plan.chosen.map((c) => [c.lineId, c.seats]));
  const excluded = new Map<string, Exclusion>(model.excluded.map((e) => [e.lineId, e]));
  const notChosen: NotChosen[] = [];
  for (const c of input.candidates) {
    const seats = c.seats - (chosen.get(c.lineId) ?? 0);
    if (seats <= 0) continue;
    const out = excluded.get(c.lineId);
    notChosen.push(
      out === undefined
        ? { lineId: c.lineId, country: c.country, seats, ...stoppedBy(c, slack) }
        : { ...out, country: c.country, seats },
    );
  }
  const stops = (rule: RowRule, country?: string) =>
    notChosen.some((n) => n.rule === rule && (country === undefined || n.country === country));
  const spent = new Set(plan.grants.map((g) => g.country));
  const binding: Binding[] = [];
  const poolRow = model.rows.findIndex((r) => r.rule === 'POOL');
  const poolPrice = poolRow < 0 ? 0 : Math.abs(outcome.relaxationDuals[poolRow] ?? 0);
  model.rows.forEach((row, i) => {
    // A rule binds when relaxing it would add value (a positive shadow price: a property of the
    // instance, whichever of several equal proposals the solver returns), or when the proposal
    // leaves it no room, or it stops a seat.
    const priced = Math.abs(outcome.relaxationDuals[i] ?? 0) > 1e-12;
    const binds =
      priced ||
      (row.rule === 'POOL'
        ? slack.pool === 0 || stops('POOL')
        : row.rule === 'PRIORITY_A_WITHIN_ALLOCATION'
          ? spent.has(row.subject) && slack.own.get(row.subject) === 0
          : row.rule === 'PME_AT_LEAST_HALF'
            ? slack.pme.get(row.subject) === 0 || stops('PME_AT_LEAST_HALF', row.subject)
            : slack.classes.get(row.subject) === 0);
    // A country's own room is used up whenever it takes a grant, and is then worth what a pool
    // dollar is: named only when it is worth more (the country can take no more from the pool).
    if (
      !binds ||
      (row.rule === 'PRIORITY_A_WITHIN_ALLOCATION' &&
        !(Math.abs(outcome.relaxationDuals[i] ?? 0) > poolPrice + 1e-12))
    )
      return;
    binding.push({
      rule: row.rule,
      subject: row.subject,
      message: describeRow(input, row.rule, row.subject, plan),
      shadowPrice: perDollar(model, i, Math.abs(outcome.relaxationDuals[i] ?? 0)),
    });
  });
  binding.sort((a, b) => b.shadowPrice - a.shadowPrice || (a.subject < b.subject ? -1 : 1));
  return {
    ok: true,
    proposal: {
      fiscalYear: input.fiscalYear,
      pool: input.pool,
      poolCents: input.poolCents,
      ...plan,
      leftCents: input.poolCents - plan.usedCents,
      status: outcome.status,
      gap: outcome.gap,
      seconds: outcome.seconds,
      binding,
      shadowPrices: 'LP relaxation at the proposal',
      notChosen,
      greedy,
    },
  };
}

/**
 * The baseline: lines in order of value per dollar (then in the input's order), each given as many seats as its
 * class, its country's room and the pool allow, required seats first.
 */
export function greedyPlan(input: ReprogramInput, model: ReprogramModel): Plan {
  const allowed = model.columns.flatMap((c) => (c.kind === 'seats' ? [c] : []));
  const required = new Map((input.required ?? []).map((r) => [r.lineId, r.seats]));
  // Ties keep the input's order (a stable sort): the same input, the same baseline.
  const order = [...allowed].sort(
    (a, b) =>
      Number(required.has(b.candidate.lineId)) - Number(required.has(a.candidate.lineId)) ||
      b.value / Math.max(1, b.candidate.seatCents) - a.value / Math.max(1, a.candidate.seatCents),
  );
  const slack = slackOf(input, { chosen: [], grants: [], value: 0, usedCents: 0 });
  const own = new Map(slack.own);
  const pme = new Map(slack.pme);
  const classes = new Map(slack.classes);
  let pool = slack.pool;
  const seats = new Map<string, number>();
  for (const { candidate: c } of order) {
    const key = classKey(c.courseId, c.classStart);
    const money = (own.get(c.country) ?? 0) + Math.min(pool, Math.max(0, pme.get(c.country) ?? 0));
    const n = Math.min(
      c.seats,
      classes.get(key) ?? c.seats,
      c.seatCents === 0 ? c.seats : Math.floor(money / c.seatCents),
    );
    if (n <= 0) continue;
    seats.set(c.lineId, n);
    const cost = n * c.seatCents;
    const fromOwn = Math.min(cost, own.get(c.country) ?? 0);
    own.set(c.country, (own.get(c.country) ?? 0) - fromOwn);
    pool -= cost - fromOwn;
    pme.set(c.country, (pme.get(c.country) ?? 0) - (cost - fromOwn));
    if (classes.has(key)) classes.set(key, classes.get(key)! - n);
  }
  return planOf(input, seats);
}
