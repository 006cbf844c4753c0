// The invitational travel order (ITO): every field it carries, as issued and stored; the PDF is
// rendered from exactly this.
import type { IsoDate } from '../dates.js';
import type { ProgramCode } from '../programs.js';
import type { Allowance } from './allowance.js';

export interface TravelOrderLine {
  readonly courseId: string;
  readonly title: string;
  readonly schoolId: string;
  readonly schoolName: string;
  readonly location: string;
  readonly classStart: IsoDate;
  /** The day after the course ends. */
  readonly classEnd: IsoDate;
  readonly lengthWeeks: number;
  readonly program: ProgramCode;
  readonly fiscalYear: number;
  readonly tuitionCents: number;
}

export interface TravelOrder {
  /** e.g. ITO-PAK-2020-0001; amendments keep the number and raise the revision. */
  readonly number: string;
  readonly revision: number;
  readonly issuedOn: IsoDate;
  /** Why this revision was issued (amendments only). */
  readonly amendmentReason: string | null;
  /**
   * Why the order was issued for a class already started on `issuedOn` (class start before it);
   * null for an order on time. Printed on the order.
   */
  readonly lateReason: string | null;
  readonly seatId: string;
  readonly student: {
    readonly id: string;
    readonly familyName: string;
    readonly givenNames: string;
    readonly country: string;
    readonly countryName: string;
    readonly birthDate: IsoDate | null;
    readonly birthPlace: string | null;
    readonly service: string | null;
    readonly rank: string | null;
    readonly usGrade: string | null;
    readonly serviceNumber: string | null;
    readonly unit: string | null;
    readonly passportNumber: string | null;
    readonly passportExpiresOn: IsoDate | null;
    /** The visa screening: issued on, valid until. */
    readonly visaIssuedOn: IsoDate | null;
    readonly visaValidUntil: IsoDate | null;
  };
  /** Where and when to report: the first line's school, a few days before class start. */
  readonly reportTo: {
    readonly date: IsoDate;
    readonly installation: string;
    readonly school: string;
  };
  readonly lines: readonly TravelOrderLine[];
  readonly tuitionCents: number;
  readonly allowance: Allowance;
  readonly dependentsAuthorised: number;
  readonly dependentsNote: string;
  readonly medicalTerms: string;
  /** English: the score relied on, or the exemption, and the entry test on arrival when one is due. */
  readonly englishNote: string;
  readonly attache: { readonly name: string; readonly consultedOn: IsoDate };
  /** Each gate and how it was met when the order was issued. */
  readonly gates: readonly {
    readonly gate: string;
    readonly status: string;
    readonly reason: string;
  }[];
}
