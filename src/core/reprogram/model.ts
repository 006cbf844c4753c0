// Re-programming released money as a mixed-integer program (issue 17). Pure: from a fiscal year's
// money (the pool, and what each country's list may still take within its allocation), the lines
// that may take it and the classes' capacities, it builds the program a solver maximises:
//
//   maximise  Σ value(line) · seats(line)
//   subject to
//     POOL                          Σ_c grant(c) ≤ pool
//     PRIORITY_A_WITHIN_ALLOCATION  for each country c:  Σ_{line of c} cost · seats − grant(c)
//                                                         ≤ allocation(c) − pooled(c) − priority A(c)
//     PME_AT_LEAST_HALF             for each country c:  grant(c) ≤ 2 · PME(c) − (allocation(c) − pooled(c))
//     CLASS_CAPACITY                for each class k:    Σ_{line of k} seats ≤ open seats(k)
//     seats(line) integer in [0, the line's open seats], grant(c) ≥ 0
//
// A funded line becomes priority A, so the country's priority A total grows by what it costs, and
// its allocation by the grant it takes from the pool (`pooled` is what it gave to the pool). PME
// counts the lines of every priority, as the list check does: funding a PME line already in the
// list does not raise it, but a larger allocation raises the floor. Lines that may not take money
// are left out of the program, each with the rule that excludes it: only priority B lines; at the
// year's end only PME or E-IMET ones; no class already started; no line its country is not
// eligible for at class start (naming the restrictions); no country whose list already fails.
//
// Money inside the program is in a unit of the instance's own size: the power of ten (of cents, at
// least a dollar) at or below its dearest seat, so a seat costs between about 0.01 and 10 units.
// In dollars, the rows held coefficients up to 10⁵ against seats of value 1 to 3, and HiGHS's cuts
// did not close the gap: at 200 countries × 50 lines it stopped at 5 s with gaps of 0.4% to 1%
// (bound 3,954 against an optimum of 3,942 after 90 s), and solves the same programs to 0.1% in
// 1.5 to 3 s in this unit. What it chose is
// read back in whole seats, and each grant is then the least whole-cent sum the seats need.
import type { IsoDate } from '../dates.js';
import {
  pmeAtLeastHalf,
  priorityAWithinAllocation,
  takesEndOfYearMoney,
} from '../program-rules.js';
import type { CourseCategory, Priority } from '../training.js';

export const POOLS = ['released', 'end-of-year'] as const;
export type Pool = (typeof POOLS)[number];

/** A country's IMET list for the fiscal year as it stands, in the list check's terms. */
export interface ListPosition {
  readonly country: string;
  readonly allocationCents: number;
  /** Priority A lines' committed money. */
  readonly priorityACents: number;
  /** PME lines' committed money, every priority. */
  readonly pmeCents: number;
  /** This country's money in the pool (released by cancellations; at the year's end, unprogrammed too): it leaves the allocation. */
  readonly pooledCents: number;
}

export interface BlockingRestriction {
  readonly restrictionId: string;
  readonly reason: string;
}

/** A training line that might take money. */
export interface Candidate {
  readonly lineId: string;
  readonly country: string;
  readonly courseId: string;
  readonly category: CourseCategory;
  readonly eImet: boolean;
  readonly priority: Priority;
  readonly classStart: IsoDate;
  /** Seats of the line not cancelled: those the money may fund. */
  readonly seats: number;
  /** Tuition and living allowance of one seat. */
  readonly seatCents: number;
  /** The restrictions blocking the line's program at class start: none when eligible. */
  readonly blocking: readonly BlockingRestriction[];
}

/** Seats a class still has for international students. */
export interface ClassCapacity {
  readonly courseId: string;
  readonly classStart: IsoDate;
  readonly seats: number;
}

/** What one seat is worth: its priority's weight times its course's (an E-IMET course takes the larger of its category's and E-IMET's). */
export interface ValueWeights {
  readonly priority: Readonly<Record<Priority, number>>;
  readonly category: Readonly<Record<CourseCategory, number>>;
  readonly eImet: number;
}

/**
 * The weights Attaché uses unless configured: a seat of professional military education is worth
 * three of a technical or English course, an E-IMET seat two (DESIGN §4.2 asks at least half of
 * every allocation for PME; E-IMET is what end-of-year money may also go to). Priority A and D
 * lines take no money here, so only B's weight counts.
 */
export const DEFAULT_WEIGHTS: ValueWeights = {
  priority: { A: 1, B: 1, D: 0 },
  category: { PME: 3, technical: 1, english: 1, other: 1 },
  eImet: 2,
};

export interface ReprogramInput {
  readonly fiscalYear: number;
  readonly pool: Pool;
  /** The money to re-program, in cents: Σ of the lists' `pooledCents`. */
  readonly poolCents: number;
  /** The day of the proposal: a class that has started takes no new seat. */
  readonly on: IsoDate;
  readonly lists: readonly ListPosition[];
  readonly candidates: readonly Candidate[];
  /** Classes without an entry have no limit but their lines' seats. */
  readonly capacities: readonly ClassCapacity[];
  readonly weights: ValueWeights;
  /** Seats the program manager holds to: at least this many on these lines (the rest is chosen around them). */
  readonly required?: readonly { readonly lineId: string; readonly seats: number }[];
}

/** The rules a row of the program states. */
export type RowRule =
  'POOL' | 'PRIORITY_A_WITHIN_ALLOCATION' | 'PME_AT_LEAST_HALF' | 'CLASS_CAPACITY';

/** The rules that keep a line out of the program altogether. */
export type ExclusionRule =
  'PRIORITY_B_ONLY' | 'END_OF_YEAR_LINES' | 'CLASS_STARTED' | 'LINE_ELIGIBLE' | 'LIST_FAILS';

export interface Exclusion {
  readonly lineId: string;
  readonly rule: ExclusionRule;
  readonly message: string;
  /** LINE_ELIGIBLE: the restrictions blocking the line. */
  readonly restrictionIds?: readonly string[];
}

export type Column =
  | {
      readonly kind: 'seats';
      readonly candidate: Candidate;
      /** Value of one seat. */
      readonly value: number;
    }
  | { readonly kind: 'grant'; readonly country: string };

export interface Row {
  readonly rule: RowRule;
  /** The country (POOL: 'pool'; CLASS_CAPACITY: `course@classStart`). */
  readonly subject: string;
  /** The row's upper bound, in the program's units (`moneyUnitCents`, or seats for a class). */
  readonly upper: number;
}

/** The program in the solver's terms: columns, rows and the matrix by rows (CSR). */
export interface ReprogramModel {
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  readonly colCost: readonly number[];
  readonly colLower: readonly number[];
  readonly colUpper: readonly number[];
  readonly integer: readonly boolean[];
  readonly starts: readonly number[];
  readonly indices: readonly number[];
  readonly values: readonly number[];
  readonly excluded: readonly Exclusion[];
  /** The program's unit of money (rows, grants and their shadow prices), in cents. */
  readonly moneyUnitCents: number;
}

/** The program's unit of money for `input` (see the head of this file). */
export function moneyUnitOf(input: ReprogramInput): number {
  const dearest = input.candidates.reduce((n, c) => Math.max(n, c.seatCents), 0);
  return dearest < 100 ? 100 : 10 ** Math.floor(Math.log10(dearest));
}

/** A row's shadow price per dollar, from its dual in the program's units. */
export function perDollar(model: ReprogramModel, row: number, dual: number): number {
  return model.rows[row]?.rule === 'CLASS_CAPACITY' ? dual : dual / (model.moneyUnitCents / 100);
}

export const classKey = (courseId: string, classStart: string) => `${courseId}@${classStart}`;

/** A seat's value under `weights`. */
export function seatValue(candidate: Candidate, weights: ValueWeights): number {
  const course = Math.max(
    weights.category[candidate.category],
    candidate.eImet ? weights.eImet : 0,
  );
  return weights.priority[candidate.priority] * course;
}

/** The allocation a list keeps once its pooled money has left it. */
export const keptAllocation = (list: ListPosition) => list.allocationCents - list.pooledCents;

/** Why `candidate` may not take money at all, or undefined. */
function exclusionOf(
  input: ReprogramInput,
  candidate: Candidate,
  list: ListPosition | undefined,
): Exclusion | undefined {
  const { lineId } = candidate;
  if (candidate.priority !== 'B')
    return {
      lineId,
      rule: 'PRIORITY_B_ONLY',
      message:
        candidate.priority === 'A'
          ? 'priority A: funded already'
          : 'priority D: to be cleared before it may be funded',
    };
  if (input.pool === 'end-of-year' && !takesEndOfYearMoney(candidate))
    return {
      lineId,
      rule: 'END_OF_YEAR_LINES',
      message: `end-of-year money goes only to PME or E-IMET lines, not to a ${candidate.category} course`,
    };
  if (candidate.classStart <= input.on)
    return {
      lineId,
      rule: 'CLASS_STARTED',
      message: `its class started on ${candidate.classStart}`,
    };
  if (candidate.blocking.length > 0)
    return {
      lineId,
      rule: 'LINE_ELIGIBLE',
      message: `${candidate.country} is not eligible for IMET at class start ${candidate.classStart}: ${candidate.blocking.map((b) => b.reason).join('; ')}`,
      restrictionIds: candidate.blocking.map((b) => b.restrictionId),
    };
  if (list === undefined)
    return {
      lineId,
      rule: 'LIST_FAILS',
      message: `${candidate.country} has no IMET allocation for FY${input.fiscalYear}`,
    };
  const allocation = keptAllocation(list);
  if (!priorityAWithinAllocation(list.priorityACents, allocation))
    return {
      lineId,
      rule: 'LIST_FAILS',
      message: `${candidate.country}'s list already fails PRIORITY_A_WITHIN_ALLOCATION`,
    };
  if (!pmeAtLeastHalf(list.pmeCents, allocation))
    return {
      lineId,
      rule: 'LIST_FAILS',
      message: `${candidate.country}'s list already fails PME_AT_LEAST_HALF`,
    };
  return undefined;
}

function checkInput(input: ReprogramInput): void {
  const whole = (what: string, n: number) => {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new Error(`${what} must be a whole number ≥ 0: ${n}`);
  };
  whole('poolCents', input.poolCents);
  for (const l of input.lists) {
    whole(`${l.country} allocationCents`, l.allocationCents);
    whole(`${l.country} priorityACents`, l.priorityACents);
    whole(`${l.country} pmeCents`, l.pmeCents);
    whole(`${l.country} pooledCents`, l.pooledCents);
  }
  for (const c of input.candidates) {
    whole(`${c.lineId} seats`, c.seats);
    whole(`${c.lineId} seatCents`, c.seatCents);
  }
  for (const k of input.capacities) whole(`${classKey(k.courseId, k.classStart)} seats`, k.seats);
  const lineIds = new Set(input.candidates.map((c) => c.lineId));
  if (lineIds.size !== input.candidates.length) throw new Error('a line is a candidate twice');
  for (const r of input.required ?? []) {
    whole(`${r.lineId} required seats`, r.seats);
    if (!lineIds.has(r.lineId)) throw new Error(`required line ${r.lineId} is no candidate`);
  }
}

/** Builds the program of `input` (see the head of this file). */
export function buildModel(input: ReprogramInput): ReprogramModel {
  checkInput(input);
  const moneyUnitCents = moneyUnitOf(input);
  const units = (cents: number) => cents / moneyUnitCents;
  const lists = new Map(input.lists.map((l) => [l.country, l]));
  const excluded: Exclusion[] = [];
  const columns: Column[] = [];
  for (const candidate of input.candidates) {
    const out = exclusionOf(input, candidate, lists.get(candidate.country));
    if (out !== undefined) excluded.push(out);
    else if (candidate.seats > 0)
      columns.push({ kind: 'seats', candidate, value: seatValue(candidate, input.weights) });
  }
  const seatColumns = columns.length;
  const countries = [
    ...new Set(columns.map((c) => (c.kind === 'seats' ? c.candidate.country : ''))),
  ].sort();
  const grantOf = new Map<string, number>();
  for (const country of countries) {
    grantOf.set(country, columns.length);
    columns.push({ kind: 'grant', country });
  }

  const rows: Row[] = [];
  const byRow: { index: number; value: number }[][] = [];
  const addRow = (row: Row, entries: { index: number; value: number }[]) => {
    rows.push(row);
    byRow.push(entries);
  };
  if (countries.length > 0)
    addRow(
      { rule: 'POOL', subject: 'pool', upper: units(input.poolCents) },
      countries.map((c) => ({ index: grantOf.get(c)!, value: 1 })),
    );
  for (const country of countries) {
    const list = lists.get(country)!;
    const grant = grantOf.get(country)!;
    const lines = columns
      .slice(0, seatColumns)
      .map((c, index) => ({ c, index }))
      .filter(({ c }) => c.kind === 'seats' && c.candidate.country === country);
    addRow(
      {
        rule: 'PRIORITY_A_WITHIN_ALLOCATION',
        subject: country,
        upper: units(keptAllocation(list) - list.priorityACents),
      },
      [
        ...lines.map(({ c, index }) => ({
          index,
          value: c.kind === 'seats' ? units(c.candidate.seatCents) : 0,
        })),
        { index: grant, value: -1 },
      ],
    );
    addRow(
      {
        rule: 'PME_AT_LEAST_HALF',
        subject: country,
        upper: units(2 * list.pmeCents - keptAllocation(list)),
      },
      [{ index: grant, value: 1 }],
    );
  }
  const capacity = new Map(input.capacities.map((k) => [classKey(k.courseId, k.classStart), k]));
  const byClass = new Map<string, number[]>();
  for (let index = 0; index < seatColumns; index++) {
    const c = columns[index]!;
    if (c.kind !== 'seats') continue;
    const key = classKey(c.candidate.courseId, c.candidate.classStart);
    if (capacity.has(key)) byClass.set(key, [...(byClass.get(key) ?? []), index]);
  }
  for (const [key, indices] of [...byClass].sort(([a], [b]) => (a < b ? -1 : 1)))
    addRow(
      { rule: 'CLASS_CAPACITY', subject: key, upper: capacity.get(key)!.seats },
      indices.map((index) => ({ index, value: 1 })),
    );

  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const entries of byRow) {
    for (const e of entries) {
      indices.push(e.index);
      values.push(e.value);
    }
    starts.push(indices.length);
  }
  const required = new Map((input.required ?? []).map((r) => [r.lineId, r.seats]));
  return {
    columns,
    rows,
    colCost: columns.map((c) => (c.kind === 'seats' ? c.value : 0)),
    // More than the line has is left to the solver to find infeasible, with the bound it breaks.
    colLower: columns.map((c) =>
      c.kind === 'seats' ? (required.get(c.candidate.lineId) ?? 0) : 0,
    ),
    colUpper: columns.map((c) => (c.kind === 'seats' ? c.candidate.seats : Infinity)),
    integer: columns.map((c) => c.kind === 'seats'),
    starts,
    indices,
    values,
    excluded,
    moneyUnitCents,
  };
}
