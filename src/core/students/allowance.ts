// The travel and living allowance (TLA) of a student, from a rate table kept as data.
import { daysBetween, type IsoDate } from '../dates.js';
import { formatUsd } from '../money.js';
import type { Quarters } from './vocabulary.js';

/** One installation's rates, per day, in cents. */
export interface AllowanceRate {
  readonly schoolId: string;
  readonly installation: string;
  /** The most paid for lodging per night. */
  readonly lodgingMaxCents: number;
  readonly mealsCents: number;
  /** Meals when the student eats in the government mess. */
  readonly messMealsCents: number;
  /** What lodging costs in government quarters. */
  readonly governmentQuartersCents: number;
}

export interface AllowanceInput {
  readonly rate: AllowanceRate;
  /** The first day paid: the report date. */
  readonly from: IsoDate;
  /** The first day not paid: the day after the course ends, or the day the allowance stopped. */
  readonly until: IsoDate;
  readonly quarters: Quarters;
  readonly mess: boolean;
  readonly dependentsAuthorised: number;
  /**
   * The fraction of a day's locality meals and incidentals paid for each authorised dependent:
   * the rate table's `dependentShare` (0 to 1, at most four decimals).
   */
  readonly dependentShare: number;
}

export interface Allowance {
  readonly installation: string;
  readonly from: IsoDate;
  readonly until: IsoDate;
  readonly days: number;
  readonly perDay: {
    readonly lodgingCents: number;
    readonly mealsCents: number;
    readonly incidentalsCents: number;
  };
  readonly lodgingCents: number;
  readonly mealsCents: number;
  readonly incidentalsCents: number;
  readonly dependentsCents: number;
  readonly totalCents: number;
  /** One sentence per component: the rate applied and why. */
  readonly basis: readonly string[];
}

/** The incidentals paid for every day, whatever the quarters or mess: $11. */
export const INCIDENTALS_CENTS_PER_DAY = 1100;

/** The default rate's school id, used for any school without a rate of its own. */
export const DEFAULT_RATE_SCHOOL_ID = '*';

// The dependent share is applied in basis points so the one rounding is integer arithmetic.
const BASIS_POINTS = 10_000;

/** Whether `share` is a dependent share the allowance takes: 0 to 1, at most four decimals. */
export function isDependentShare(share: number): boolean {
  return (
    share >= 0 &&
    share <= 1 &&
    Math.abs(share * BASIS_POINTS - Math.round(share * BASIS_POINTS)) < 1e-6
  );
}

/**
 * The rate of `schoolId`, else the default rate (schoolId `*`); undefined when there is neither.
 * @example findRate(rates, 'CGSC')?.installation // 'Fort Leavenworth, KS'
 */
export function findRate(
  rates: readonly AllowanceRate[],
  schoolId: string,
): AllowanceRate | undefined {
  return (
    rates.find((r) => r.schoolId === schoolId) ??
    rates.find((r) => r.schoolId === DEFAULT_RATE_SCHOOL_ID)
  );
}

/**
 * The travel and living allowance for each day of `[from, until)`: lodging (the commercial
 * maximum, or the government quarters' charge), meals (the locality rate, or the mess rate),
 * $11 incidentals, and for each authorised dependent `dependentShare` of the locality meals and
 * incidentals. Lodging, meals and incidentals are whole cents times days; the dependents amount
 * is rounded once, half up, on the whole period. Throws a RangeError when `until` is before
 * `from` or the dependents or share are out of range (the services validate inputs first).
 * @example livingAllowance({ rate, from, until, quarters: 'commercial', mess: false,
 *   dependentsAuthorised: 0, dependentShare: 0.5 }).totalCents
 */
export function livingAllowance(input: AllowanceInput): Allowance {
  const { rate, from, until, quarters, mess, dependentsAuthorised, dependentShare } = input;
  const days = daysBetween(from, until);
  if (days < 0) throw new RangeError(`allowance until ${until} is before from ${from}`);
  if (!Number.isSafeInteger(dependentsAuthorised) || dependentsAuthorised < 0) {
    throw new RangeError(
      `dependents authorised must be a whole number >= 0: ${dependentsAuthorised}`,
    );
  }
  if (!isDependentShare(dependentShare)) {
    throw new RangeError(
      `dependent share must be 0 to 1 with at most four decimals: ${dependentShare}`,
    );
  }

  const shareBasisPoints = Math.round(dependentShare * BASIS_POINTS);

  const government = quarters === 'government';
  const perDay = {
    lodgingCents: government ? rate.governmentQuartersCents : rate.lodgingMaxCents,
    mealsCents: mess ? rate.messMealsCents : rate.mealsCents,
    incidentalsCents: INCIDENTALS_CENTS_PER_DAY,
  };
  const lodgingCents = days * perDay.lodgingCents;
  const mealsCents = days * perDay.mealsCents;
  const incidentalsCents = days * perDay.incidentalsCents;
  // Dependents are not fed by the student's mess: their share is of the locality meals rate.
  const dependentBaseCents = rate.mealsCents + INCIDENTALS_CENTS_PER_DAY;
  const dependentsCents = roundHalfUp(
    days * dependentsAuthorised * dependentBaseCents * shareBasisPoints,
    BASIS_POINTS,
  );

  const at = rate.installation;
  const basis = [
    government
      ? `lodging: ${count(days, 'night')} at ${formatUsd(perDay.lodgingCents)} (government quarters charge at ${at})`
      : `lodging: ${count(days, 'night')} at ${formatUsd(perDay.lodgingCents)} (commercial, up to the maximum at ${at})`,
    mess
      ? `meals: ${count(days, 'day')} at ${formatUsd(perDay.mealsCents)} (government mess at ${at})`
      : `meals: ${count(days, 'day')} at ${formatUsd(perDay.mealsCents)} (locality rate at ${at})`,
    `incidentals: ${count(days, 'day')} at ${formatUsd(perDay.incidentalsCents)}`,
    dependentsAuthorised === 0
      ? 'dependents: none authorised'
      : `dependents: ${dependentsAuthorised} authorised for ${count(days, 'day')}, each ${formatPercent(shareBasisPoints)} of ${formatUsd(dependentBaseCents)} a day (locality meals and incidentals): ${formatUsd(dependentsCents)}, rounded once to the cent`,
  ];

  return {
    installation: rate.installation,
    from,
    until,
    days,
    perDay,
    lodgingCents,
    mealsCents,
    incidentalsCents,
    dependentsCents,
    totalCents: lodgingCents + mealsCents + incidentalsCents + dependentsCents,
    basis,
  };
}

/** `numerator / denominator` to the nearest whole number, halves up (both non-negative integers). */
function roundHalfUp(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator)) {
    throw new RangeError(`allowance amount too large to compute exactly: ${numerator}`);
  }
  // The remainder and the exact quotient stay integers; dividing first could round a float.
  const remainder = numerator % denominator;
  const whole = (numerator - remainder) / denominator;
  return 2 * remainder >= denominator ? whole + 1 : whole;
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Basis points as a percentage without trailing zeros: 5000 → `50%`, 3333 → `33.33%`. */
function formatPercent(basisPoints: number): string {
  return `${String(basisPoints / 100)}%`;
}
