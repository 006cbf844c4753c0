// Students and screening vocabulary (DESIGN §4.3): screening kinds and their outcomes, school
// events, causes of non-completion, positions of prominence, English exemptions.

/** What is screened before a student may travel; each kind has its own outcomes. */
export const SCREENING_OUTCOMES = {
  /** Leahy human-rights vetting of the person (22 USC 2378d). */
  'leahy-person': ['approved', 'suspended', 'denied'],
  medical: ['passed', 'failed'],
  dental: ['passed', 'failed'],
  insurance: ['covered', 'not-covered'],
  security: ['cleared', 'refused'],
  passport: ['valid', 'invalid'],
  visa: ['issued', 'pending', 'refused'],
  /** A designation under appropriations section 7031(c): no visa possible. */
  'designation-7031c': ['designated', 'not-designated'],
  /** English Comprehension Level test: a score from 0 to 100. */
  ecl: ['scored'],
  /** Oral Proficiency Interview: a level such as 2/2 (listening/speaking), recorded as a score 0–5. */
  opi: ['scored'],
} as const;
export type ScreeningKind = keyof typeof SCREENING_OUTCOMES;
export const SCREENING_KINDS = Object.keys(SCREENING_OUTCOMES) as ScreeningKind[];
export type ScreeningOutcome = (typeof SCREENING_OUTCOMES)[ScreeningKind][number];
export const ALL_SCREENING_OUTCOMES = [
  ...new Set(Object.values(SCREENING_OUTCOMES).flat()),
] as ScreeningOutcome[];

/** Leahy vetting of a unit: a denial taints every nominee from it. */
export const UNIT_VETTING_OUTCOMES = ['approved', 'suspended', 'denied'] as const;
export type UnitVettingOutcome = (typeof UNIT_VETTING_OUTCOMES)[number];

/** What a school's international student officer reports. */
export const SCHOOL_EVENTS = ['arrival', 'in-training', 'completed', 'not-completed'] as const;
export type SchoolEvent = (typeof SCHOOL_EVENTS)[number];

/** Why a student did not complete: the allowance stops on the day, tuition is charged pro rata. */
export const NON_COMPLETION_CAUSES = ['failed', 'withdrawn', 'awol'] as const;
export type NonCompletionCause = (typeof NON_COMPLETION_CAUSES)[number];

/** Positions of prominence a country's list shows (chiefs of service, general and flag officers, ...). */
export const PROMINENCE = {
  'chief-of-service': 'chief of a military service',
  'general-officer': 'general or flag officer',
  minister: 'minister or deputy minister',
  'attache-major-capital': 'defense attaché in a major capital',
} as const;
export type Prominence = keyof typeof PROMINENCE;

/** A country exempt from English testing: entirely, or only from testing in the country. */
export const ENGLISH_EXEMPTIONS = ['full', 'in-country-testing'] as const;
export type EnglishExemption = (typeof ENGLISH_EXEMPTIONS)[number];

/** Where a student lodges and eats, which reduces the living allowance. */
export const QUARTERS = ['commercial', 'government'] as const;
export type Quarters = (typeof QUARTERS)[number];
