// Allocation rules (DESIGN §3): the version in force on a date; changes exempt from notification.
import type { IsoDate } from './dates.js';
import type { ProgramCode } from './programs.js';

/** IMET reprogrammings below this (in cents: $25,000) for an already-justified country are exempt. */
export const IMET_EXEMPT_BELOW_CENTS = 2_500_000;
/** The congressional waiting period when the caller names none. */
export const DEFAULT_WAIT_DAYS = 15;

/** Why a change needed no congressional notification. */
export type NotificationExemption = 'first-allocation' | 'imet-under-25000' | 'unchanged';

/** What `versionInForce` needs of an allocation version. */
export interface DatedVersion {
  readonly effectiveFrom: IsoDate;
  /** When a later change replaced it; null while it is current. */
  readonly supersededAt: string | null;
}

/**
 * The current version in force on `on`: the one with the latest effective date on or before it.
 * Superseded versions and versions taking effect after `on` are ignored.
 * @example versionInForce(history, isoDate('2018-06-30'))?.amountCents // null when none is yet
 */
export function versionInForce<T extends DatedVersion>(
  versions: readonly T[],
  on: IsoDate,
): T | undefined {
  let found: T | undefined;
  for (const v of versions) {
    if (v.supersededAt !== null || v.effectiveFrom > on) continue;
    if (found === undefined || v.effectiveFrom > found.effectiveFrom) found = v;
  }
  return found;
}

/**
 * Whether a change needs a congressional notification (DESIGN §3); when it does not, why.
 * - The first allocation of a country, program and FY is the appropriation itself, justified to
 *   Congress in the budget request: it takes effect at once, with no notification.
 * - An IMET change of less than $25,000 (up or down) is exempt when the country is already
 *   justified for that FY, i.e. an IMET allocation of that FY is in force on the day of the change.
 * - Leaving the amount in force unchanged reprograms nothing.
 * Every other change needs one. Each change is judged against the amount in force that day, so
 * successive small changes are each exempt; cumulative limits are not modelled.
 */
export function notificationExemption(change: {
  readonly program: ProgramCode;
  /** Whether any current version (in force or pending) exists for the FY. */
  readonly hasVersions: boolean;
  /** The amount in force on the day of the change, or null. */
  readonly inForceCents: number | null;
  readonly amountCents: number;
}): NotificationExemption | null {
  if (!change.hasVersions) return 'first-allocation';
  if (change.inForceCents === null) return null;
  const delta = Math.abs(change.amountCents - change.inForceCents);
  if (delta === 0) return 'unchanged';
  if (change.program === 'IMET' && delta < IMET_EXEMPT_BELOW_CENTS) return 'imet-under-25000';
  return null;
}
