// The Foreign Military Training report (22 USC 2416): a pure calculation over the seats of two fiscal years and the committees' requests.
//
// What the statute asks and where it is answered here:
// - 2416(a)(1): training "during the previous fiscal year" (actual: FY Y-1) and "proposed for the
//   current fiscal year" (planned: FY Y) for the report due 31 January of Y.
// - 2416(a)(2): NATO members, Australia, Japan and New Zealand left out unless a committee asked,
//   in writing, 90 days before the report is due (fmt-exclusion.ts).
// - 2416(b)(1): per activity, the purpose or foreign-policy justification, the number of students
//   and their units, the location (`activities`).
// - 2416(b)(2): per country, the students trained and the cost (`actual`, `planned`), laid out as
//   the published country summaries: program, training sessions, individual students, course
//   count, dollar value.
import { fiscalYearInterval, type IsoDate } from '../dates.js';
import { PROGRAMS, type ProgramCode } from '../programs.js';
import { proRataCharge } from '../seat-rules.js';
import type { CourseCategory, SeatStatus } from '../training.js';
import {
  countryName,
  fmtExemption,
  fmtReportDueOn,
  fmtReportYearOfRequest,
  fmtRequestDeadline,
} from './fmt-exclusion.js';

/** One seat of a training line of FY Y-1 or FY Y, with its line, course and student, as stored. */
export interface FmtSeat {
  readonly seatId: string;
  readonly lineId: string;
  readonly country: string;
  readonly program: ProgramCode;
  readonly fiscalYear: number;
  readonly classStart: IsoDate;
  readonly courseId: string;
  readonly courseTitle: string;
  readonly category: CourseCategory;
  readonly eImet: boolean;
  readonly lengthWeeks: number;
  readonly schoolName: string;
  readonly location: string;
  /** The line's purpose or foreign-policy justification, when recorded. */
  readonly purpose: string | null;
  readonly status: SeatStatus;
  /** Tuition per seat of the line. */
  readonly tuitionCents: number;
  /** Travel and living allowance per seat of the line. */
  readonly allowanceCents: number;
  /** Cancelled: the cancellation penalty. Not completed: the tuition charged pro rata. */
  readonly penaltyCents: number;
  readonly studentId: string | null;
  readonly unit: string | null;
  /** Not completed: the day the allowance stopped. */
  readonly stoppedOn: IsoDate | null;
}

/** A committee's written request to include a country (22 USC 2416(a)(2)). */
export interface FmtCommitteeRequest {
  readonly id: string;
  readonly country: string;
  readonly committee: string;
  readonly requestedOn: IsoDate;
  readonly source: string | null;
}

export interface FmtInput {
  /** The report year Y: the report due 31 January of Y. */
  readonly year: number;
  readonly seats: readonly FmtSeat[];
  readonly requests: readonly FmtCommitteeRequest[];
  /** The countries the caller may read, when limited (an SCO's); the seats and requests are theirs only. */
  readonly scope?: readonly string[] | null;
}

/** The four measures of the published country summary. */
export interface FmtMeasures {
  /** Enrolments: one student on one class. */
  readonly sessions: number;
  /** Individual students, each counted once. */
  readonly students: number;
  /** Distinct catalog courses. */
  readonly courses: number;
  readonly valueCents: number;
}

/** One row of a country summary: a country's training under one program. */
export interface FmtSummaryRow extends FmtMeasures {
  readonly country: string;
  readonly countryName: string;
  readonly program: ProgramCode;
}

/** One country of the report: its totals in each section (the published "Totals" row). */
export interface FmtCountry {
  readonly country: string;
  readonly countryName: string;
  readonly actual: FmtMeasures;
  readonly planned: FmtMeasures;
}

/** One training activity (a class of a course for a country under a program): 2416(b)(1). */
export interface FmtActivity {
  readonly section: 'actual' | 'planned';
  readonly fiscalYear: number;
  readonly country: string;
  readonly countryName: string;
  readonly program: ProgramCode;
  readonly courseId: string;
  readonly courseTitle: string;
  readonly classStart: IsoDate;
  readonly purpose: string;
  /** False when `purpose` is the fallback: none was recorded on the line. */
  readonly purposeRecorded: boolean;
  readonly school: string;
  readonly location: string;
  readonly students: number;
  /** The students' units, each once, sorted; an unfilled or unrecorded unit is not listed. */
  readonly units: readonly string[];
  /**
   * What the activity cost, its cancellation penalties included, so the activities of a country
   * add up to its dollar value.
   */
  readonly valueCents: number;
  /** Of `valueCents`, the penalties of the line's seats the partner cancelled (actual only). */
  readonly penaltyCents: number;
}

export interface FmtExcluded {
  readonly country: string;
  readonly countryName: string;
  readonly reason: string;
}

/** A country the statute would leave out, in the report because a committee asked in time. */
export interface FmtIncludedOnRequest {
  readonly country: string;
  readonly countryName: string;
  readonly committee: string;
  readonly requestedOn: IsoDate;
  readonly source: string | null;
}

export interface FmtReport {
  readonly year: number;
  /** Null: every country. Else the countries this copy of the report is limited to. */
  readonly scope: readonly string[] | null;
  readonly dueOn: IsoDate;
  /** The last day a committee's request counts for this report. */
  readonly requestDeadline: IsoDate;
  readonly actualPeriod: FmtPeriod;
  readonly plannedPeriod: FmtPeriod;
  readonly actual: readonly FmtSummaryRow[];
  readonly planned: readonly FmtSummaryRow[];
  readonly activities: readonly FmtActivity[];
  readonly excluded: readonly FmtExcluded[];
  readonly includedOnRequest: readonly FmtIncludedOnRequest[];
  /** Every country reported, by name: the contents. */
  readonly countries: readonly FmtCountry[];
  readonly totals: { readonly actual: FmtMeasures; readonly planned: FmtMeasures };
}

/** A fiscal year with its first and last days (inclusive, as a reader takes a date range). */
export interface FmtPeriod {
  readonly fiscalYear: number;
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/**
 * Seat statuses that mean the enrolment took place: the school reported the student in training,
 * and then completed or not. A seat still `ito-issued` (or earlier) when the report is made has no
 * school report behind it, so the record cannot say the training happened; held seats were set
 * aside. Only these count as actual training sessions.
 */
export const TRAINED_STATUSES: ReadonlySet<SeatStatus> = new Set([
  'in-training',
  'completed',
  'not-completed',
]);

/**
 * The report for year Y from the seats of FY Y-1 and FY Y. A course counts in the FY its class
 * starts (a training line's FY is always its class start's, so a course that runs on into the next
 * FY stays in the FY it began).
 *
 * Actual (FY Y-1), for the seats whose enrolment took place (TRAINED_STATUSES):
 * - sessions: the seats; students: the distinct students on them (per country and program);
 *   courses: the distinct catalog courses.
 * - value: tuition and allowance of each seat; a student who did not complete costs the tuition
 *   charged pro rata and the allowance up to the day it stopped, in the same proportion; plus
 *   the penalty of every cancelled seat of the FY (a cancelled seat adds money, never a session:
 *   no one trained on it). Other seats add nothing.
 *
 * Planned (FY Y), every seat not cancelled (a held seat is still proposed: it returns when the
 * restriction is relieved): sessions are the seats; students the distinct named students plus one
 * for each seat no student fills yet; value the programmed tuition and allowance.
 *
 * A country's totals add the programs' sessions, students and value, and count its distinct
 * courses across programs, as the published summaries do (Afghanistan FY2006: 4,926 students is
 * the sum of its programs'; 185 courses is fewer than their sum). Countries left out by
 * 22 USC 2416(a)(2) are in `excluded` with the reason, and nowhere else.
 */
export function calculateFmtReport(input: FmtInput): FmtReport {
  const { year } = input;
  const actualFy = year - 1;
  const included = decideCountries(input);
  const seats = input.seats.filter((s) => !included.excluded.has(s.country));
  const actualSeats = seats.filter((s) => s.fiscalYear === actualFy);
  const plannedSeats = seats.filter((s) => s.fiscalYear === year && s.status !== 'cancelled');
  const actual = summarise(actualSeats, actualEntry);
  const planned = summarise(plannedSeats, plannedEntry);
  const countries = [...new Set([...actual.countries.keys(), ...planned.countries.keys()])]
    .map((country) => ({
      country,
      countryName: countryName(country),
      actual: actual.countries.get(country) ?? NO_MEASURES,
      planned: planned.countries.get(country) ?? NO_MEASURES,
    }))
    .sort(byName);
  return {
    year,
    scope: input.scope ?? null,
    dueOn: fmtReportDueOn(year),
    requestDeadline: fmtRequestDeadline(year),
    actualPeriod: period(actualFy),
    plannedPeriod: period(year),
    actual: actual.rows,
    planned: planned.rows,
    activities: [...activities(actualSeats, 'actual'), ...activities(plannedSeats, 'planned')],
    excluded: [...included.excluded.values()].sort(byName),
    includedOnRequest: included.onRequest.sort(byName),
    countries,
    totals: { actual: actual.total, planned: planned.total },
  };
}

const NO_MEASURES: FmtMeasures = { sessions: 0, students: 0, courses: 0, valueCents: 0 };

function period(fy: number): FmtPeriod {
  const { from } = fiscalYearInterval(fy);
  return { fiscalYear: fy, from, to: `${fy}-09-30` as IsoDate };
}

/** One collator for every comparison: `localeCompare` builds one per call, too slow for a large year. */
const ENGLISH = new Intl.Collator('en');

function byName<T extends { readonly countryName: string; readonly country: string }>(
  a: T,
  b: T,
): number {
  return ENGLISH.compare(a.countryName, b.countryName) || byCode(a.country, b.country);
}

/** Codes and dates in their plain order. */
function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What one seat brings to its row: a session (with its student and course) and money. */
interface Entry {
  readonly session: boolean;
  /** The student's key for de-duplication; a seat without a student counts as its own. */
  readonly student: string | null;
  readonly valueCents: number;
}

function actualEntry(seat: FmtSeat): Entry {
  if (TRAINED_STATUSES.has(seat.status)) {
    return { session: true, student: seat.studentId, valueCents: trainedValue(seat) };
  }
  return {
    session: false,
    student: null,
    valueCents: seat.status === 'cancelled' ? seat.penaltyCents : 0,
  };
}

function plannedEntry(seat: FmtSeat): Entry {
  return {
    session: true,
    student: seat.studentId ?? `seat:${seat.seatId}`,
    valueCents: seat.tuitionCents + seat.allowanceCents,
  };
}

/** What a seat whose training took place cost: see calculateFmtReport. */
function trainedValue(seat: FmtSeat): number {
  if (seat.status !== 'not-completed') return seat.tuitionCents + seat.allowanceCents;
  const allowance =
    seat.stoppedOn === null
      ? seat.allowanceCents
      : proRataCharge(seat.allowanceCents, seat.classStart, seat.lengthWeeks, seat.stoppedOn);
  return seat.penaltyCents + allowance;
}

class Tally {
  sessions = 0;
  valueCents = 0;
  readonly students = new Set<string>();
  readonly courses = new Set<string>();

  add(seat: FmtSeat, entry: Entry): void {
    this.valueCents += entry.valueCents;
    if (!entry.session) return;
    this.sessions += 1;
    this.students.add(entry.student ?? `seat:${seat.seatId}`);
    this.courses.add(seat.courseId);
  }

  measures(students = this.students.size): FmtMeasures {
    return {
      sessions: this.sessions,
      students,
      courses: this.courses.size,
      valueCents: this.valueCents,
    };
  }
}

/** Rows by country and program, each country's totals and the report's, from one section's seats. */
function summarise(seats: readonly FmtSeat[], entryOf: (seat: FmtSeat) => Entry) {
  const rows = new Map<string, Tally>();
  const countries = new Map<string, Tally>();
  const total = new Tally();
  for (const seat of seats) {
    const entry = entryOf(seat);
    const key = `${seat.country}\u0000${seat.program}`;
    let row = rows.get(key);
    if (row === undefined) rows.set(key, (row = new Tally()));
    row.add(seat, entry);
    let country = countries.get(seat.country);
    if (country === undefined) countries.set(seat.country, (country = new Tally()));
    country.add(seat, entry);
    total.add(seat, entry);
  }
  const summary: FmtSummaryRow[] = [];
  const studentsOf = new Map<string, number>();
  for (const [key, tally] of rows) {
    // A row with nothing to report (seats that neither trained nor cost anything) is left out.
    if (tally.sessions === 0 && tally.valueCents === 0) continue;
    const [country, program] = key.split('\u0000') as [string, ProgramCode];
    const measures = tally.measures();
    studentsOf.set(country, (studentsOf.get(country) ?? 0) + measures.students);
    summary.push({ country, countryName: countryName(country), program, ...measures });
  }
  summary.sort((a, b) => byName(a, b) || PROGRAMS.indexOf(a.program) - PROGRAMS.indexOf(b.program));
  const countryMeasures = new Map<string, FmtMeasures>();
  for (const [country, tally] of countries) {
    const students = studentsOf.get(country);
    if (students === undefined) continue;
    countryMeasures.set(country, tally.measures(students));
  }
  let students = 0;
  for (const n of studentsOf.values()) students += n;
  return { rows: summary, countries: countryMeasures, total: total.measures(students) };
}

/**
 * The training activities of one section: one per training line with something to report. In
 * the actual section that is a line with a seat trained or a seat cancelled with a penalty: a
 * class the partner withdrew from still cost its penalty, and is listed (with the students who
 * did attend, perhaps none) so that the activities add up to the country's value.
 */
function activities(seats: readonly FmtSeat[], section: 'actual' | 'planned'): FmtActivity[] {
  const byLine = new Map<string, FmtSeat[]>();
  for (const seat of seats) {
    if (
      section === 'actual' &&
      !TRAINED_STATUSES.has(seat.status) &&
      !(seat.status === 'cancelled' && seat.penaltyCents > 0)
    )
      continue;
    const list = byLine.get(seat.lineId);
    if (list === undefined) byLine.set(seat.lineId, [seat]);
    else list.push(seat);
  }
  const result: FmtActivity[] = [];
  for (const lineSeats of byLine.values()) {
    const first = lineSeats[0]!;
    const entryOf = section === 'actual' ? actualEntry : plannedEntry;
    const students = new Set<string>();
    const units = new Set<string>();
    let valueCents = 0;
    let penaltyCents = 0;
    for (const seat of lineSeats) {
      const entry = entryOf(seat);
      valueCents += entry.valueCents;
      if (!entry.session) {
        penaltyCents += entry.valueCents;
        continue;
      }
      students.add(entry.student ?? `seat:${seat.seatId}`);
      if (seat.unit !== null && seat.unit.trim() !== '') units.add(seat.unit.trim());
    }
    const recorded = first.purpose !== null && first.purpose.trim() !== '';
    result.push({
      section,
      fiscalYear: first.fiscalYear,
      country: first.country,
      countryName: countryName(first.country),
      program: first.program,
      courseId: first.courseId,
      courseTitle: first.courseTitle,
      classStart: first.classStart,
      purpose: recorded ? first.purpose.trim() : fallbackPurpose(first),
      purposeRecorded: recorded,
      school: first.schoolName,
      location: first.location,
      students: students.size,
      units: [...units].sort(ENGLISH.compare),
      valueCents,
      penaltyCents,
    });
  }
  return result.sort(
    (a, b) =>
      byName(a, b) ||
      PROGRAMS.indexOf(a.program) - PROGRAMS.indexOf(b.program) ||
      byCode(a.classStart, b.classStart) ||
      byCode(a.courseId, b.courseId),
  );
}

/** What a course of each category is for, when the line records no purpose of its own. */
const CATEGORY_PURPOSES: Readonly<Record<CourseCategory, string>> = {
  PME: 'Professional military education',
  technical: 'Technical and professional military training',
  english: 'English-language training for further US military education',
  other: 'Orientation and specialised training',
};

/**
 * The fallback purpose: the course's kind and the program, marked as not recorded, so a
 * reader never takes it for a stated justification. E-IMET courses carry the purposes 22 USC
 * 2347(a) gives for them.
 */
export function fallbackPurpose(seat: Pick<FmtSeat, 'category' | 'eImet' | 'program'>): string {
  const kind = seat.eImet
    ? 'Expanded IMET: defense resource management, civilian control of the military, military justice and human rights (22 U.S.C. 2347(a))'
    : CATEGORY_PURPOSES[seat.category];
  return `${kind}, ${seat.program}; purpose not recorded for this activity`;
}

/** Which countries are left out, and which are in only because a committee asked in time. */
function decideCountries(input: FmtInput): {
  excluded: Map<string, FmtExcluded>;
  onRequest: FmtIncludedOnRequest[];
} {
  const { year } = input;
  const deadline = fmtRequestDeadline(year);
  const excluded = new Map<string, FmtExcluded>();
  const onRequest: FmtIncludedOnRequest[] = [];
  const present = new Set(
    input.seats
      .filter((s) => s.fiscalYear === year - 1 || s.fiscalYear === year)
      .map((s) => s.country),
  );
  for (const country of present) {
    const exemption = fmtExemption(country, year);
    if (exemption === undefined) continue;
    const requests = input.requests
      .filter((r) => r.country === country)
      .sort((a, b) => a.requestedOn.localeCompare(b.requestedOn));
    const timely = requests.find((r) => fmtReportYearOfRequest(r.requestedOn) === year);
    const name = countryName(country);
    if (timely !== undefined) {
      onRequest.push({
        country,
        countryName: name,
        committee: timely.committee,
        requestedOn: timely.requestedOn,
        source: timely.source,
      });
      continue;
    }
    const late = requests.find(
      (r) => r.requestedOn > deadline && fmtReportYearOfRequest(r.requestedOn) === year + 1,
    );
    const earlier = requests.filter((r) => fmtReportYearOfRequest(r.requestedOn) < year).at(-1);
    let reason = `${exemption.text} (22 U.S.C. 2416(a)(2)); no committee request recorded by ${deadline}, 90 days before the report is due on ${fmtReportDueOn(year)}`;
    if (late !== undefined)
      reason += `; the request of the ${late.committee} on ${late.requestedOn} came after that day and counts for the ${year + 1} report`;
    else if (earlier !== undefined)
      reason += `; the request of the ${earlier.committee} on ${earlier.requestedOn} counted for the ${fmtReportYearOfRequest(earlier.requestedOn)} report`;
    excluded.set(country, { country, countryName: name, reason });
  }
  return { excluded, onRequest };
}
