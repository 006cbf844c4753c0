// English before a course (DESIGN §4.3): OPI levels, the specialized English training a shortfall
// calls for, and its cost.
import { addDays, type IsoDate } from '../dates.js';

/** ILR levels an OPI reports, in order: 0, 0+, 1, 1+ … 5. */
const ILR_LEVELS = ['0', '0+', '1', '1+', '2', '2+', '3', '3+', '4', '4+', '5'] as const;
const OPI = /^([0-5]\+?)\/([0-5]\+?)$/;

/** Listening and speaking ranks of an OPI result such as `2+/2`; undefined when malformed. */
export function parseOpi(text: string): { listening: number; speaking: number } | undefined {
  const match = OPI.exec(text.trim());
  if (match === null) return undefined;
  const listening = ILR_LEVELS.indexOf(match[1] as (typeof ILR_LEVELS)[number]);
  const speaking = ILR_LEVELS.indexOf(match[2] as (typeof ILR_LEVELS)[number]);
  return listening < 0 || speaking < 0 ? undefined : { listening, speaking };
}

/** Whether an OPI result meets a minimum: both listening and speaking at or above it. */
export function opiMeets(result: string, minimum: string): boolean {
  const got = parseOpi(result);
  const needed = parseOpi(minimum);
  if (got === undefined || needed === undefined) return false;
  return got.listening >= needed.listening && got.speaking >= needed.speaking;
}

/**
 * ECL points a student gains per week of specialized English training: an assumption of this
 * system, not a published figure (DLIELC sets each student's weeks after its own placement test).
 */
export const ECL_POINTS_PER_WEEK = 2;

/** The English course a shortfall is sent to, with its catalog tuition for the year. */
export interface EnglishCourse {
  readonly courseId: string;
  readonly title: string;
  readonly lengthWeeks: number;
  readonly tuitionCents: number;
}

export interface EnglishProposal {
  readonly courseId: string;
  readonly title: string;
  readonly weeks: number;
  /** Tuition for those weeks: the course's tuition pro rata by week. */
  readonly tuitionCents: number;
  /** The training must start by then to end before the student reports for the course. */
  readonly startBy: IsoDate;
  readonly reason: string;
}

/**
 * Specialized English training before the course for a student scoring `score` against a
 * minimum of `minimum`: enough weeks to close the gap, ending by the report date.
 */
export function proposeEnglishTraining(
  score: number,
  minimum: number,
  reportOn: IsoDate,
  course: EnglishCourse,
): EnglishProposal {
  const gap = Math.max(0, minimum - score);
  const weeks = Math.max(1, Math.ceil(gap / ECL_POINTS_PER_WEEK));
  return {
    courseId: course.courseId,
    title: course.title,
    weeks,
    tuitionCents: Math.round((course.tuitionCents * weeks) / course.lengthWeeks),
    startBy: addDays(reportOn, -7 * weeks),
    reason: `ECL ${score} is ${gap} points below the course minimum of ${minimum}: ${weeks} weeks of ${course.title} (${course.courseId}) at about ${ECL_POINTS_PER_WEEK} points a week`,
  };
}
