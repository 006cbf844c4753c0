// Students, their screenings and the participant record, as the domain sees them (DESIGN §4.3).
import type { IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import type {
  NonCompletionCause,
  Prominence,
  Quarters,
  ScreeningKind,
  ScreeningOutcome,
  UnitVettingOutcome,
} from './vocabulary.js';

/** The names a person is known by: as written in the passport, and transliteration variants. */
export interface PersonName {
  readonly familyName: string;
  readonly givenNames: string;
  /** Other spellings or orders, e.g. "Muhammad Ali Khan" for KHAN, Mohammad Ali. */
  readonly nameVariants: readonly string[];
}

export interface Student extends PersonName {
  readonly id: string;
  readonly country: string;
  readonly birthDate: IsoDate | null;
  readonly birthPlace: string | null;
  readonly service: string | null;
  readonly rank: string | null;
  /** US-equivalent pay grade, e.g. O-4. */
  readonly usGrade: string | null;
  readonly unit: string | null;
  readonly contact: string | null;
  readonly passportNumber: string | null;
  readonly passportExpiresOn: IsoDate | null;
  readonly serviceNumber: string | null;
  readonly version: number;
  readonly createdAt: string;
}

export interface Screening {
  readonly id: string;
  readonly studentId: string;
  readonly seatId: string | null;
  readonly kind: ScreeningKind;
  readonly outcome: ScreeningOutcome;
  readonly onDate: IsoDate;
  readonly validUntil: IsoDate | null;
  /** ECL score 0–100. */
  readonly score: number | null;
  /** OPI listening/speaking levels, e.g. 2+/2. */
  readonly level: string | null;
  readonly notes: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

export interface UnitVetting {
  readonly id: string;
  readonly country: string;
  readonly unit: string;
  readonly outcome: UnitVettingOutcome;
  readonly onDate: IsoDate;
  readonly validUntil: IsoDate | null;
  readonly notes: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

export interface Nomination {
  readonly id: string;
  readonly seatId: string;
  readonly studentId: string;
  readonly nominatedOn: IsoDate;
  readonly attacheConsultedOn: IsoDate;
  readonly attacheName: string;
  readonly attacheView: string | null;
  readonly dependentsAuthorised: number;
  readonly quarters: Quarters;
  readonly mess: boolean;
  readonly withdrawnOn: IsoDate | null;
}

/** One course a participant took: the 22 USC 2347g record of instruction. */
export interface TrainingRecord {
  readonly id: string;
  readonly studentId: string;
  readonly seatId: string | null;
  readonly courseId: string;
  readonly courseTitle: string;
  readonly category: string;
  readonly schoolId: string;
  readonly program: ProgramCode | null;
  readonly startedOn: IsoDate | null;
  readonly endedOn: IsoDate | null;
  readonly outcome: 'completed' | 'not-completed' | null;
  readonly cause: NonCompletionCause | null;
  readonly academicReport: string | null;
  readonly chargeCents: number | null;
  readonly allowanceStoppedOn: IsoDate | null;
}

export interface CareerPosition {
  readonly id: string;
  readonly studentId: string;
  readonly title: string;
  readonly rank: string | null;
  readonly usGrade: string | null;
  readonly location: string | null;
  readonly fromDate: IsoDate;
  readonly prominence: Prominence | null;
  readonly recordedAt: string;
}

export interface HumanRightsFinding {
  readonly id: string;
  readonly studentId: string;
  readonly foundOn: IsoDate;
  readonly summary: string;
  readonly source: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
}
