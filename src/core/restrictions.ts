// Restrictions, reliefs and congressional notifications as the domain sees them (DESIGN §4.1).
import type { IsoDate } from './dates.js';
import type { ProgramCode } from './programs.js';

export const RESTRICTION_KINDS = [
  'policy',
  'coup',
  'terrorism',
  'child-soldiers',
  'arrears',
  'human-rights',
  'exclusion',
  'proviso',
] as const;
export type RestrictionKind = (typeof RESTRICTION_KINDS)[number];

export const RELIEF_TYPES = ['exception', 'waiver', 'certification', 'rescission'] as const;
export type ReliefType = (typeof RELIEF_TYPES)[number];

export const WAIVER_GROUNDS = [
  'national-security',
  'national-interest',
  'humanitarian',
  'extraordinary-circumstances',
] as const;
export type WaiverGrounds = (typeof WAIVER_GROUNDS)[number];

export const SEAT_POLICIES = ['cancel', 'hold'] as const;
export type SeatPolicy = (typeof SEAT_POLICIES)[number];

/** How precisely a recorded date is known: `month` means the day was set to the 1st. */
export const DATE_QUALITIES = ['exact', 'month', 'year', 'approx'] as const;
export type DateQuality = (typeof DATE_QUALITIES)[number];

/** One recorded version of a restriction: valid time [from, until), transaction time [recordedAt, supersededAt). */
export interface RestrictionVersion {
  readonly id: string;
  readonly version: number;
  readonly country: string;
  readonly kind: RestrictionKind;
  /** The scope as recorded: program codes and group names. */
  readonly scope: readonly string[];
  /** The scope expanded to programs. */
  readonly programs: readonly ProgramCode[];
  /** A course filter a proviso allows, e.g. `E-IMET`. */
  readonly courseFilter: string | null;
  /** How precisely `from` is known, when the source says. */
  readonly dateQuality: DateQuality | null;
  /** How precisely `until` is known, when the source says. */
  readonly untilQuality: DateQuality | null;
  readonly basis: string;
  readonly authority: string;
  readonly determinedOn: IsoDate | null;
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  readonly seatPolicy: SeatPolicy;
  readonly source: string | null;
  readonly description: string | null;
  /** The report to Congress its end waited on (a terrorism-list rescission, 22 USC 2371(c)). */
  readonly liftNotificationId: string | null;
  /** The import run (file and sha256) that recorded this version, when an import did. */
  readonly importRunId: string | null;
  readonly recordedAt: string;
  readonly supersededAt: string | null;
  readonly recordedBy: string;
}

export interface ReliefVersion {
  readonly id: string;
  readonly version: number;
  readonly restrictionId: string;
  readonly type: ReliefType;
  readonly grounds: WaiverGrounds | null;
  readonly programs: readonly ProgramCode[];
  readonly courseIds: readonly string[] | null;
  readonly schoolIds: readonly string[] | null;
  readonly notificationId: string | null;
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  /** How precisely `from` and `until` are known, when the source says. */
  readonly dateQuality: DateQuality | null;
  readonly untilQuality: DateQuality | null;
  /**
   * False when the source names the relief but not the programs it covers (e.g. a child-soldiers
   * waiver "in part"): it is kept, shown, and never relied on.
   */
  readonly scopeStated: boolean;
  readonly authority: string;
  readonly justification: string;
  readonly source: string | null;
  readonly importRunId: string | null;
  readonly recordedAt: string;
  readonly supersededAt: string | null;
  readonly recordedBy: string;
}

export interface CongressionalNotification {
  readonly id: string;
  readonly country: string;
  readonly subject: string;
  readonly notifiedOn: IsoDate;
  readonly waitDays: number;
  /** The first day the notified action may take effect: notifiedOn + waitDays. */
  readonly windowEndsOn: IsoDate;
  readonly source: string | null;
}
