// What the eligibility engine is asked and what it answers (DESIGN §4.1): the public shapes.
import type { IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import type {
  CongressionalNotification,
  ReliefVersion,
  RestrictionVersion,
} from '../restrictions.js';

/** What the engine needs to know about a course a query names. */
export interface CourseFacts {
  readonly id: string;
  readonly schoolId: string;
  readonly eImet: boolean;
}

export interface EligibilityQuery {
  readonly country: string;
  readonly program: ProgramCode;
  readonly on: IsoDate;
  /** Answer from the versions recorded by this instant (ISO 8601, UTC); null: as known now. */
  readonly knownOn?: string | null;
  readonly course?: CourseFacts | null;
}

export interface EligibilityRecords {
  readonly restrictions: readonly RestrictionVersion[];
  readonly reliefs: readonly ReliefVersion[];
  readonly notifications: readonly CongressionalNotification[];
}

export interface DecisionRestriction {
  readonly id: string;
  readonly version: number;
  readonly kind: RestrictionVersion['kind'];
  readonly basis: string;
  readonly authority: string;
  readonly source: string | null;
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  /** How precisely `from` and `until` are known (null: as recorded, taken as exact). */
  readonly fromQuality: RestrictionVersion['dateQuality'];
  readonly untilQuality: RestrictionVersion['untilQuality'];
  /** The report to Congress its end waits on (a terrorism-list rescission), when recorded. */
  readonly liftNotifiedOn: IsoDate | null;
  readonly status: 'blocking' | 'relieved';
  /** What happens to the seats the restriction reaches: cancelled or held. */
  readonly seatPolicy: RestrictionVersion['seatPolicy'];
  readonly reliefId: string | null;
  /** The relief used, with its authority and justification; null when none relieves it. */
  readonly relief: DecisionRelief | null;
  /** One sentence saying why the restriction blocks or is relieved. */
  readonly reason: string;
}

export interface DecisionRelief {
  readonly id: string;
  readonly type: ReliefVersion['type'];
  readonly grounds: ReliefVersion['grounds'];
  readonly authority: string;
  readonly justification: string;
  readonly source: string | null;
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  readonly fromQuality: ReliefVersion['dateQuality'];
  readonly untilQuality: ReliefVersion['untilQuality'];
  readonly notificationId: string | null;
}

export interface PendingRelief {
  readonly reliefId: string;
  readonly restrictionId: string;
  readonly effectiveFrom: IsoDate;
  readonly reason: string;
}

export interface Decision {
  readonly country: string;
  readonly program: ProgramCode;
  readonly on: IsoDate;
  readonly knownOn: string | null;
  /**
   * The record as it stood at this instant: asking again with `knownOn` = `asOf` gives the same
   * answer and reasons, whatever is recorded later. `knownOn` when given, else the last instant
   * anything was recorded or corrected; null when nothing ever was.
   */
  readonly asOf: string | null;
  readonly course: string | null;
  readonly eligible: boolean;
  /** Course or school limits of the reliefs (and provisos) the decision relies on. */
  readonly conditions: readonly string[];
  readonly restrictions: readonly DecisionRestriction[];
  readonly pending: readonly PendingRelief[];
  /**
   * Starts and ends the decision rests on that are known only to the month, the year or roughly:
   * the record cannot say on which side of the day asked they fell. Empty when none.
   */
  readonly precision: readonly string[];
  /**
   * What the recorded history does not cover for this country and date (kinds of restriction
   * whose sources are incomplete then): null when the history is complete there.
   */
  readonly coverage: CoverageNote | null;
}

/** Where the history a decision rests on is partial (DESIGN §4.1, issue #15). */
export interface CoverageNote {
  /** The kinds of restriction whose record is partial for the country on the date. */
  readonly partial: readonly { readonly kind: string; readonly note: string }[];
  /** One sentence for people. */
  readonly note: string;
}
