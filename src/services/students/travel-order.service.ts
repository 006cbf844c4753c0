// The gates of a seat and its invitational travel order (DESIGN §4.3): the checklist, issuing the
// order only when no gate is red, and amendments that re-issue it with a new revision.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../../core/actor.js';
import { canonicalJson } from '../../core/audit-chain.js';
import type { IsoDate } from '../../core/dates.js';
import {
  err,
  invalid,
  notFound,
  ok,
  type DomainError,
  type Result,
  refused,
} from '../../core/result.js';
import { findRate, livingAllowance } from '../../core/students/allowance.js';
import { classEnd } from '../../core/seat-rules.js';
import { checkGates, type Checklist } from '../../core/students/gates.js';
import { parseTlaRates, type TlaRates } from '../../core/students/tla-rates.js';
import type { TravelOrder } from '../../core/students/travel-order.js';
import type { Nomination, Student } from '../../core/students/types.js';
import type { Executor } from '../../store/database.js';
import { findCountryRow } from '../../store/reference.repository.js';
import {
  findActiveNomination,
  findEnglishCourse,
  findEnglishExemption,
  findSeatCourse,
  findStudent,
  listScreenings,
  listUnitVettings,
  type SeatCourse,
} from '../../store/student.repository.js';
import { findSeatView, updateSeat } from '../../store/training.repository.js';
import {
  findLatestTravelOrder,
  insertTravelOrder,
  nextTravelOrderSerial,
} from '../../store/travel-order.repository.js';
import { seatVisible } from '../access/scope.js';
import type { AppContext } from '../context.js';
import { today } from '../context.js';
import { stale } from '../training/training.service.js';
import { checkText, parseDateField } from '../field-input.js';
import { RESOURCES_DIR } from '../demo/demo-files.js';
import { writeTransaction } from '../unit-of-work.js';

let rates: TlaRates | undefined;

/** The TLA rate table shipped in resources/reference, read once. */
export function tlaRates(): TlaRates {
  rates ??= parseTlaRates(
    JSON.parse(readFileSync(join(RESOURCES_DIR, 'reference', 'tla-rates.json'), 'utf8')) as unknown,
  );
  return rates;
}

interface SeatFacts {
  readonly course: SeatCourse;
  readonly student: Student | null;
  readonly nomination: Nomination | null;
  readonly checklist: Checklist;
}

/** Everything the gates of a seat look at, and the checklist itself. */
async function seatFacts(
  ctx: AppContext,
  db: Executor,
  seatId: string,
): Promise<SeatFacts | undefined> {
  const course = await findSeatCourse(db, seatId);
  if (course === undefined) return undefined;
  const nomination = (await findActiveNomination(db, seatId)) ?? null;
  const student =
    nomination === null ? null : ((await findStudent(db, nomination.studentId)) ?? null);
  // One after another: inside a write transaction `db` is one connection, which runs one query
  // at a time (node-postgres refuses queued queries from version 9).
  const screenings = student === null ? [] : await listScreenings(db, student.id);
  const unitVettings =
    student?.unit == null ? [] : await listUnitVettings(db, student.country, student.unit);
  const exemption = await findEnglishExemption(db, course.country);
  const englishCourse = await findEnglishCourse(db, course.fiscalYear);
  const checklist = checkGates({
    student,
    seat: {
      id: seatId,
      classStart: course.classStart,
      classEnd: classEnd(course.classStart, course.lengthWeeks),
      courseId: course.courseId,
      eclMin: course.eclMin,
      opiMin: course.opiMin,
    },
    screenings,
    unitVettings,
    englishExemption: exemption?.scope ?? null,
    policy: ctx.screening,
    englishCourse: englishCourse ?? null,
  });
  return { course, student, nomination, checklist };
}

/** The checklist of a seat: each gate green, red or not applicable, with its reason and date. */
export async function seatChecklist(
  ctx: AppContext,
  actor: Actor,
  seatId: string,
): Promise<Result<Checklist>> {
  const facts = await seatFacts(ctx, ctx.store.db, seatId);
  // A seat outside the caller's scope answers as one that does not exist.
  return facts === undefined || !seatVisible(actor, facts.course)
    ? err(notFound('seat', seatId, 'seat'))
    : ok(facts.checklist);
}

/** Refused because of red gates: the first red gate's code is the error's reason. */
function gatesRed(checklist: Checklist): DomainError {
  const reds = checklist.gates.filter((g) => g.status === 'red');
  return {
    code: 'RULE.REFUSED',
    reason: reds[0]!.code,
    field: 'gates',
    message: `no travel order while a gate is red: ${reds.map((g) => `${g.gate} (${g.reason})`).join('; ')}`,
    details: { red: reds },
  };
}

function buildOrder(
  facts: SeatFacts & { student: Student; nomination: Nomination },
  countryName: string,
  header: Pick<TravelOrder, 'number' | 'revision' | 'issuedOn' | 'amendmentReason' | 'lateReason'>,
  visa: { issuedOn: IsoDate | null; validUntil: IsoDate | null },
): TravelOrder {
  const { course, student, nomination, checklist } = facts;
  const ends = classEnd(course.classStart, course.lengthWeeks);
  const table = tlaRates();
  const rate = findRate(table.rates, course.schoolId);
  if (rate === undefined)
    throw new Error(`no TLA rate for school ${course.schoolId} nor a default`);
  const allowance = livingAllowance({
    rate,
    from: checklist.reportOn,
    until: ends,
    quarters: nomination.quarters,
    mess: nomination.mess,
    dependentsAuthorised: nomination.dependentsAuthorised,
    dependentShare: table.dependentShare,
  });
  const english = checklist.gates.find((g) => g.gate === 'english')!;
  return {
    ...header,
    seatId: course.seatId,
    student: {
      id: student.id,
      familyName: student.familyName,
      givenNames: student.givenNames,
      country: student.country,
      countryName,
      birthDate: student.birthDate,
      birthPlace: student.birthPlace,
      service: student.service,
      rank: student.rank,
      usGrade: student.usGrade,
      serviceNumber: student.serviceNumber,
      unit: student.unit,
      passportNumber: student.passportNumber,
      passportExpiresOn: student.passportExpiresOn,
      visaIssuedOn: visa.issuedOn,
      visaValidUntil: visa.validUntil,
    },
    reportTo: {
      date: checklist.reportOn,
      installation: rate.installation,
      school: course.schoolName,
    },
    lines: [
      {
        courseId: course.courseId,
        title: course.title,
        schoolId: course.schoolId,
        schoolName: course.schoolName,
        location: course.location,
        classStart: course.classStart,
        classEnd: ends,
        lengthWeeks: course.lengthWeeks,
        program: course.program,
        fiscalYear: course.fiscalYear,
        tuitionCents: course.tuitionCents,
      },
    ],
    tuitionCents: course.tuitionCents,
    allowance,
    dependentsAuthorised: nomination.dependentsAuthorised,
    dependentsNote:
      nomination.dependentsAuthorised === 0
        ? 'Dependents are not authorised to accompany the student at US Government expense.'
        : `${nomination.dependentsAuthorised} dependent(s) authorised; their allowance is included above.`,
    medicalTerms:
      'The student must hold the health insurance recorded at screening for the whole stay. Only emergency care is provided at US Government expense; routine, dental and pre-existing conditions are the student’s or the sponsoring government’s charge.',
    englishNote:
      english.status === 'not-applicable'
        ? `English: ${english.reason}.`
        : english.reason.includes('entry test on arrival')
          ? `English: ${english.reason}. The student takes the ECL entry test on arrival; a shortfall may require English training before the course.`
          : `English: ${english.reason}.`,
    attache: { name: nomination.attacheName, consultedOn: nomination.attacheConsultedOn },
    gates: checklist.gates.map((g) => ({ gate: g.gate, status: g.status, reason: g.reason })),
  };
}

async function visaOf(db: Executor, studentId: string) {
  const visas = (await listScreenings(db, studentId)).filter(
    (s) => s.kind === 'visa' && s.outcome === 'issued',
  );
  const visa = visas.at(-1);
  return { issuedOn: visa?.onDate ?? null, validUntil: visa?.validUntil ?? null };
}

/** A travel order with the seat's facts ready: gates clear and a nominee. */
async function clearedFacts(
  ctx: AppContext,
  tx: Executor,
  seatId: string,
): Promise<Result<SeatFacts & { student: Student; nomination: Nomination }>> {
  const facts = await seatFacts(ctx, tx, seatId);
  if (facts === undefined) return err(notFound('seat', seatId, 'seat'));
  if (!facts.checklist.clear) return err(gatesRed(facts.checklist));
  return ok(facts as SeatFacts & { student: Student; nomination: Nomination });
}

export interface IssueInput {
  /** The day of the order, YYYY-MM-DD (default today): its rules are judged on it. */
  readonly on?: string | undefined;
  /** Why an order is issued for a class already started on `on`; printed on the order and audited. */
  readonly lateReason?: string | undefined;
}

/**
 * Parses the day of an order (default today) and its late reason, refusing each naming its field;
 * whether the order is late is known only with its seat (see checkLate).
 */
function parseIssue(
  ctx: AppContext,
  input: IssueInput,
): Result<{ on: IsoDate; late: string | null }> {
  const on = input.on === undefined ? ok(today(ctx)) : parseDateField('on', input.on);
  if (!on.ok) return on;
  if (input.lateReason === undefined) return ok({ on: on.value, late: null });
  const late = checkText('lateReason', input.lateReason, 500);
  if (!late.ok) return late;
  return ok({ on: on.value, late: late.value });
}

/**
 * A class has already started on `on` when it started before that day (a class starting on `on`
 * has not): its order is refused with ITO.CLASS_STARTED unless a late reason is given, which is
 * printed on the order. A late reason on an order that is not late is refused too.
 */
function checkLate(classStart: IsoDate, on: IsoDate, late: string | null): Result<string | null> {
  if (classStart < on) {
    if (late !== null) return ok(late);
    return err(
      refused(
        'ITO.CLASS_STARTED',
        'lateReason',
        `the class started on ${classStart}, before the order's date ${on}: give the reason it is issued late`,
      ),
    );
  }
  if (late !== null)
    return err(
      invalid(
        'lateReason',
        `the class starts on ${classStart}, not before the order's date ${on}: an order on time takes no late reason`,
      ),
    );
  return ok(null);
}

/**
 * Issues the travel order of a nominated seat whose gates are all green, dated `on` (default
 * today); the seat becomes ito-issued. Refused for a class already started on that day unless a
 * late reason is given.
 */
export async function issueTravelOrder(
  ctx: AppContext,
  actor: Actor,
  seatId: string,
  input: IssueInput = {},
): Promise<Result<TravelOrder>> {
  const parsed = parseIssue(ctx, input);
  if (!parsed.ok) return parsed;
  const { on } = parsed.value;
  return writeTransaction(ctx, actor, 'students.write', async (tx, now) => {
    const seat = await findSeatView(tx, seatId);
    if (seat === undefined || !seatVisible(actor, seat))
      return err(notFound('seat', seatId, 'seat'));
    if (seat.status === 'ito-issued' || (await findLatestTravelOrder(tx, seatId)) !== undefined) {
      return err(
        refused(
          'ITO.ALREADY_ISSUED',
          'seat',
          `seat ${seatId} already has a travel order: amend it instead`,
        ),
      );
    }
    if (seat.status !== 'nominated' && seat.status !== 'cleared') {
      return err(
        refused(
          'ITO.SEAT_STATUS',
          'seat',
          `seat ${seatId} is ${seat.status}: a travel order needs a nominated seat`,
        ),
      );
    }
    // Red gates first: a late reason excuses the day of the order, never a gate.
    const facts = await clearedFacts(ctx, tx, seatId);
    if (!facts.ok) return facts;
    const late = checkLate(seat.classStart, on, parsed.value.late);
    if (!late.ok) return late;
    const country = (await findCountryRow(tx, seat.country))!;
    const serial = await nextTravelOrderSerial(tx, seat.country, seat.fiscalYear);
    const order = buildOrder(
      facts.value,
      country.name,
      {
        number: `ITO-${seat.country}-${seat.fiscalYear}-${String(serial).padStart(4, '0')}`,
        revision: 0,
        issuedOn: on,
        amendmentReason: null,
        lateReason: late.value,
      },
      await visaOf(tx, facts.value.student.id),
    );
    await insertTravelOrder(tx, order, canonicalJson(order), now, actor.id);
    let version = seat.version;
    if (seat.status === 'nominated') {
      const cleared = await updateSeat(tx, seatId, version, { status: 'cleared' }, now);
      if (!cleared.ok) return err(stale(seat, seat.version));
      version = cleared.value;
    }
    const issued = await updateSeat(tx, seatId, version, { status: 'ito-issued' }, now);
    if (!issued.ok) return err(stale(seat, seat.version));
    return ok({
      value: order,
      audit: [
        ...(seat.status === 'nominated'
          ? [
              {
                action: 'seat.cleared',
                entityType: 'seat',
                entityId: seatId,
                before: { status: 'nominated' },
                after: { status: 'cleared' },
              },
            ]
          : []),
        {
          action: 'seat.ito-issued',
          entityType: 'seat',
          entityId: seatId,
          before: { status: 'cleared' },
          after: { status: 'ito-issued', ito: order.number },
        },
        {
          action: 'ito.issue',
          entityType: 'travel-order',
          entityId: order.number,
          after: order,
          ...(order.lateReason === null ? {} : { reason: `issued late: ${order.lateReason}` }),
        },
      ],
    });
  });
}

/** Re-issues a seat's travel order with the facts as they are now, under the next revision. */
export async function amendTravelOrder(
  ctx: AppContext,
  actor: Actor,
  seatId: string,
  reason: string,
): Promise<Result<TravelOrder>> {
  const why = checkText('reason', reason, 500);
  if (!why.ok) return why;
  return writeTransaction(ctx, actor, 'students.write', async (tx, now) => {
    const seat = await findSeatView(tx, seatId);
    if (seat === undefined || !seatVisible(actor, seat))
      return err(notFound('seat', seatId, 'seat'));
    const latest = await findLatestTravelOrder(tx, seatId);
    if (latest === undefined) {
      return err(
        refused('ITO.NONE', 'seat', `seat ${seatId} has no travel order to amend: issue one first`),
      );
    }
    if (seat.status !== 'ito-issued') {
      return err(
        refused(
          'ITO.SEAT_STATUS',
          'seat',
          `seat ${seatId} is ${seat.status}: only an order not yet travelled on is amended`,
        ),
      );
    }
    const facts = await clearedFacts(ctx, tx, seatId);
    if (!facts.ok) return facts;
    const country = (await findCountryRow(tx, seat.country))!;
    const order = buildOrder(
      facts.value,
      country.name,
      {
        number: latest.number,
        revision: latest.revision + 1,
        issuedOn: today(ctx),
        amendmentReason: why.value,
        // An amendment re-issues the order: a late order stays late, with its reason.
        lateReason: latest.lateReason,
      },
      await visaOf(tx, facts.value.student.id),
    );
    await insertTravelOrder(tx, order, canonicalJson(order), now, actor.id);
    return ok({
      value: order,
      audit: [
        {
          action: 'ito.amend',
          entityType: 'travel-order',
          entityId: order.number,
          before: { revision: latest.revision },
          after: order,
          reason: why.value,
        },
      ],
    });
  });
}

/** A seat's travel order: the latest revision, or the one asked for. */
export async function getTravelOrder(
  ctx: AppContext,
  actor: Actor,
  seatId: string,
  revision?: number,
): Promise<Result<TravelOrder>> {
  if (revision !== undefined && (!Number.isInteger(revision) || revision < 0))
    return err(invalid('revision', `a revision is a whole number from 0 (got ${revision})`));
  const seat = await findSeatView(ctx.store.db, seatId);
  if (seat === undefined || !seatVisible(actor, seat))
    return err(notFound('travel-order', seatId, 'seat'));
  const order = await findLatestTravelOrder(ctx.store.db, seatId, revision);
  if (order === undefined) return err(notFound('travel-order', seatId, 'seat'));
  return ok(order);
}
