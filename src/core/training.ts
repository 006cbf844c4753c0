// Catalog and training-program vocabulary (DESIGN §3, §4.2): categories, departments, priorities, seat statuses.

export const COURSE_CATEGORIES = ['PME', 'technical', 'english', 'other'] as const;
export type CourseCategory = (typeof COURSE_CATEGORIES)[number];

/** The departments a school may belong to, in their canonical spelling. */
export const MILITARY_DEPARTMENTS = [
  'Army',
  'Navy',
  'Air Force',
  'Marine Corps',
  'Coast Guard',
  'DoD',
] as const;

export const PRIORITIES = ['A', 'B', 'D'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const SEAT_STATUSES = [
  'planned',
  'programmed',
  'nominated',
  'cleared',
  'ito-issued',
  'in-training',
  'completed',
  'not-completed',
  'cancelled',
  'held',
] as const;
export type SeatStatus = (typeof SEAT_STATUSES)[number];
