// A course as the edges see it (tuition by FY, retirement, version, history), built from store records.
import type { IsoDate } from '../../core/dates.js';
import type { CourseCategory } from '../../core/training.js';
import type {
  CourseRecord,
  EntityAuditEntry,
  TuitionRecord,
} from '../../store/catalog-admin.repository.js';
import type { TuitionInput } from './catalog-input.js';

export interface Tuition extends TuitionInput {
  readonly currency: 'USD';
  /** An estimate, not a published IMET rate (demo data). */
  readonly illustrative: boolean;
}

export interface Course {
  readonly id: string;
  readonly title: string;
  readonly school: string;
  readonly schoolName: string;
  readonly location: string;
  readonly department: string;
  readonly category: CourseCategory;
  readonly eImet: boolean;
  readonly dedicated: boolean;
  readonly lengthWeeks: number;
  readonly eclMin: number | null;
  readonly opiMin: string | null;
  readonly tuition: readonly Tuition[];
  readonly retired: boolean;
  /** The first day the course is no longer offered. */
  readonly retiredOn: IsoDate | null;
  readonly source: string | null;
  readonly version: number;
}
export type CourseHistoryEntry = EntityAuditEntry;
export interface CourseDetail extends Course {
  /** Every audited write of the course, oldest first. */
  readonly history: readonly CourseHistoryEntry[];
}

/** The course of a store record, with its own entries of `tuition` (others are ignored). */
export function toCourse(record: CourseRecord, tuition: readonly TuitionRecord[]): Course {
  return {
    id: record.id,
    title: record.title,
    school: record.schoolId,
    schoolName: record.schoolName,
    location: record.location,
    department: record.department,
    category: record.category as CourseCategory,
    eImet: record.eImet,
    dedicated: record.dedicated,
    lengthWeeks: record.lengthWeeks,
    eclMin: record.eclMin,
    opiMin: record.opiMin,
    tuition: tuition
      .filter((t) => t.courseId === record.id)
      .map((t) => ({
        fiscalYear: t.fiscalYear,
        cents: t.tuitionCents,
        currency: 'USD' as const,
        illustrative: t.illustrative,
      })),
    retired: record.retiredOn !== null,
    retiredOn: record.retiredOn as IsoDate | null,
    source: record.source,
    version: record.version,
  };
}
