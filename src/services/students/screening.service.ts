// Screenings before travel (DESIGN §4.3): a student's screenings, the Leahy vetting of units (a
// denial flags every nominee from the unit), and countries' English exemptions.
import type { Actor } from '../../core/actor.js';
import type { IsoDate } from '../../core/dates.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import { parseOpi } from '../../core/students/english.js';
import type { Screening, UnitVetting } from '../../core/students/types.js';
import {
  ENGLISH_EXEMPTIONS,
  SCREENING_KINDS,
  SCREENING_OUTCOMES,
  UNIT_VETTING_OUTCOMES,
  type EnglishExemption,
  type ScreeningOutcome,
  type UnitVettingOutcome,
} from '../../core/students/vocabulary.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import { findCountryRow } from '../../store/reference.repository.js';
import {
  findStudent,
  flagSeats,
  insertScreening,
  insertUnitVetting,
  listSeatsOfUnit,
  setEnglishExemption as storeExemption,
} from '../../store/student.repository.js';
import { findSeatView } from '../../store/training.repository.js';
import { countryInScope, guardSeat, guardStudent, inScope } from '../access/scope.js';
import type { AppContext } from '../context.js';
import { today } from '../context.js';
import {
  all,
  checkText,
  oneOf,
  optionalText,
  parseOptionalDateField,
  pastDate,
} from '../field-input.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';

export interface ScreeningInput {
  readonly student: string;
  readonly kind: string;
  /** Defaults to `scored` for ECL and OPI. */
  readonly outcome?: string | undefined;
  readonly on: string;
  readonly validUntil?: string | null | undefined;
  /** ECL: 0–100. */
  readonly score?: number | null | undefined;
  /** OPI: listening/speaking, e.g. 2+/2. */
  readonly level?: string | null | undefined;
  readonly seat?: string | null | undefined;
  readonly notes?: string | null | undefined;
}

function checkScreening(input: ScreeningInput, todayDate: IsoDate) {
  const kind = oneOf('kind', input.kind, SCREENING_KINDS, 'screening kind');
  if (!kind.ok) return kind;
  const allowed = SCREENING_OUTCOMES[kind.value] as readonly ScreeningOutcome[];
  const outcomeText = input.outcome ?? (allowed.length === 1 ? allowed[0]! : '');
  const checked = all({
    outcome: oneOf('outcome', outcomeText, allowed, `outcome for ${kind.value}`),
    on: pastDate('on', input.on, todayDate),
    validUntil: parseOptionalDateField('validUntil', input.validUntil),
    notes: optionalText('notes', input.notes, 1000),
  });
  if (!checked.ok) return checked;
  const { on, validUntil } = checked.value;
  if (validUntil !== null && validUntil < on)
    return err(invalid('validUntil', `${validUntil} is before the screening date ${on}`));
  let score: number | null = null;
  let level: string | null = null;
  if (kind.value === 'ecl') {
    const s = input.score;
    if (s === undefined || s === null || !Number.isInteger(s) || s < 0 || s > 100)
      return err(
        invalid('score', `an ECL score is a whole number from 0 to 100 (got ${String(s)})`),
      );
    score = s;
  } else if (input.score !== undefined && input.score !== null) {
    return err(invalid('score', `a score is recorded for ECL tests only, not ${kind.value}`));
  }
  if (kind.value === 'opi') {
    const l = input.level?.trim() ?? '';
    if (parseOpi(l) === undefined)
      return err(
        invalid('level', `an OPI result is listening/speaking levels such as 2+/2 (got "${l}")`),
      );
    level = l;
  }
  return ok({ ...checked.value, kind: kind.value, score, level });
}

/** Records one screening of a student (a later one of the same kind supersedes it in the gates). */
export async function recordScreening(
  ctx: AppContext,
  actor: Actor,
  input: ScreeningInput,
): Promise<Result<Screening>> {
  const parsed = parseScreening(input, today(ctx));
  if (!parsed.ok) return parsed;
  return writeTransaction(ctx, actor, 'students.write', (tx, now) =>
    inScope(
      [
        guardStudent(tx, actor, parsed.value.student),
        // A seat outside the scope answers as one that does not exist (its existence stays hidden).
        ...(parsed.value.seat === null ? [] : [guardSeat(tx, actor, parsed.value.seat)]),
      ],
      () => applyRecordScreening(tx, ctx, actor, now, parsed.value),
    ),
  );
}

/** A screening checked for content, ready to record. */
export type ParsedScreening = Extract<ReturnType<typeof checkScreening>, { ok: true }>['value'] & {
  readonly student: string;
  readonly seat: string | null;
};

/** Checks a screening as an edge submits it; its date may not be after `todayDate`. */
export function parseScreening(input: ScreeningInput, todayDate: IsoDate): Result<ParsedScreening> {
  const checked = checkScreening(input, todayDate);
  if (!checked.ok) return checked;
  return ok({ ...checked.value, student: input.student, seat: input.seat ?? null });
}

/** Records a screening inside `tx` at `now`. */
export async function applyRecordScreening(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  parsed: ParsedScreening,
): Promise<Result<WorkOutcome<Screening>>> {
  const { student, seat: seatId, ...checked } = parsed;
  if ((await findStudent(tx, student)) === undefined)
    return err(notFound('student', student, 'student'));
  if (seatId !== null) {
    const seat = await findSeatView(tx, seatId);
    if (seat === undefined) return err(notFound('seat', seatId, 'seat'));
    if (seat.studentId !== null && seat.studentId !== student)
      return err(
        invalid(
          'seat',
          `seat ${seatId} is another student's: a screening names a seat of its own student`,
        ),
      );
  }
  const screening = await insertScreening(tx, {
    id: ctx.newId('scr'),
    studentId: student,
    seatId,
    ...checked,
    onDate: checked.on,
    recordedAt: now,
    recordedBy: actor.id,
  });
  return ok({
    value: screening,
    audit: [
      {
        action: `screening.${screening.kind}`,
        entityType: 'student',
        entityId: student,
        after: screening,
      },
    ],
  });
}

export interface UnitVettingInput {
  readonly country: string;
  readonly unit: string;
  readonly outcome: string;
  readonly on: string;
  readonly validUntil?: string | null | undefined;
  readonly notes?: string | null | undefined;
}

export interface UnitVettingRecorded {
  readonly vetting: UnitVetting;
  /** Seats of nominees from the unit flagged by a denial (any program, any year). */
  readonly flaggedSeats: readonly { readonly seatId: string; readonly studentId: string }[];
}

/** Records the Leahy vetting of a unit; a denial flags the seat of every nominee from it. */
export async function recordUnitVetting(
  ctx: AppContext,
  actor: Actor,
  input: UnitVettingInput,
): Promise<Result<UnitVettingRecorded>> {
  const parsed = parseUnitVetting(input, today(ctx));
  if (!parsed.ok) return parsed;
  return writeTransaction(ctx, actor, 'students.write', (tx, now) =>
    inScope([countryInScope(actor, parsed.value.country)], () =>
      applyRecordUnitVetting(tx, ctx, actor, now, parsed.value),
    ),
  );
}

/** A unit vetting checked for content, ready to record. */
export interface ParsedUnitVetting {
  readonly country: string;
  readonly unit: string;
  readonly outcome: UnitVettingOutcome;
  readonly on: IsoDate;
  readonly validUntil: IsoDate | null;
  readonly notes: string | null;
}

/** Checks a unit vetting as an edge submits it; its date may not be after `todayDate`. */
export function parseUnitVetting(
  input: UnitVettingInput,
  todayDate: IsoDate,
): Result<ParsedUnitVetting> {
  const country = input.country.trim().toUpperCase();
  const checked = all({
    unit: checkText('unit', input.unit, 200),
    outcome: oneOf('outcome', input.outcome, UNIT_VETTING_OUTCOMES, 'unit vetting outcome'),
    on: pastDate('on', input.on, todayDate),
    validUntil: parseOptionalDateField('validUntil', input.validUntil),
    notes: optionalText('notes', input.notes, 1000),
  });
  if (!checked.ok) return checked;
  const { unit, outcome, on, validUntil, notes } = checked.value;
  if (validUntil !== null && validUntil < on)
    return err(invalid('validUntil', `${validUntil} is before the vetting date ${on}`));
  return ok({ country, unit, outcome, on, validUntil, notes });
}

/** Records the Leahy vetting of a unit inside `tx` at `now`; a denial flags its nominees' seats. */
export async function applyRecordUnitVetting(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  parsed: ParsedUnitVetting,
): Promise<Result<WorkOutcome<UnitVettingRecorded>>> {
  const { country, unit, outcome, on, validUntil, notes } = parsed;
  if ((await findCountryRow(tx, country)) === undefined)
    return err(notFound('country', country, 'country'));
  const vetting = await insertUnitVetting(tx, {
    id: ctx.newId('uv'),
    countryIso3: country,
    unit,
    outcome,
    onDate: on,
    validUntil,
    notes,
    recordedAt: now,
    recordedBy: actor.id,
  });
  const flagged =
    outcome === 'denied'
      ? await flagNomineesOfUnit(tx, country, unit, on, now)
      : { seats: [], audit: [] };
  return ok({
    value: { vetting, flaggedSeats: flagged.seats },
    audit: [
      {
        action: `unit-vetting.${outcome}`,
        entityType: 'unit',
        entityId: `${country}:${unit}`,
        after: vetting,
      },
      ...flagged.audit,
    ],
  });
}

/**
 * A unit denied on `on`: flags the seat of every nominee from it (any program, any year) and
 * returns those seats with their audit entries.
 */
export async function flagNomineesOfUnit(
  tx: Executor,
  country: string,
  unit: string,
  on: IsoDate,
  now: string,
): Promise<{ seats: UnitVettingRecorded['flaggedSeats']; audit: AuditRecord[] }> {
  const affected = await listSeatsOfUnit(tx, country, unit);
  const reason = `unit ${unit} denied by Leahy vetting on ${on}: nominee from the unit`;
  await flagSeats(
    tx,
    affected.map((s) => s.seatId),
    reason,
    on,
    now,
  );
  return {
    seats: affected.map(({ seatId, studentId }) => ({ seatId, studentId })),
    audit: affected.map((s) => ({
      action: 'seat.flag',
      entityType: 'seat',
      entityId: s.seatId,
      after: { flagged: true, studentId: s.studentId },
      reason,
    })),
  };
}

/** A country's English exemption as set: a null scope removes it. */
export interface EnglishExemptionSet {
  readonly country: string;
  readonly scope: EnglishExemption | null;
  readonly basis: string;
}

/** Sets (or with `none`, removes) a country's English exemption. */
export async function setEnglishExemption(
  ctx: AppContext,
  actor: Actor,
  input: { readonly country: string; readonly scope: string; readonly basis: string },
): Promise<Result<EnglishExemptionSet>> {
  const parsed = parseEnglishExemption(input);
  if (!parsed.ok) return parsed;
  return writeTransaction(ctx, actor, 'students.write', (tx, now) =>
    inScope([countryInScope(actor, parsed.value.country)], () =>
      applySetEnglishExemption(tx, now, parsed.value),
    ),
  );
}

/** Checks an English exemption as an edge submits it. */
export function parseEnglishExemption(input: {
  readonly country: string;
  readonly scope: string;
  readonly basis: string;
}): Result<EnglishExemptionSet> {
  const country = input.country.trim().toUpperCase();
  const checked = all({
    scope: oneOf<EnglishExemption | 'none'>(
      'scope',
      input.scope,
      [...ENGLISH_EXEMPTIONS, 'none'],
      'English exemption',
    ),
    basis: checkText('basis', input.basis, 500),
  });
  if (!checked.ok) return checked;
  const scope = checked.value.scope === 'none' ? null : checked.value.scope;
  return ok({ country, scope, basis: checked.value.basis });
}

/** Sets (or with a null scope, removes) a country's English exemption inside `tx` at `now`. */
export async function applySetEnglishExemption(
  tx: Executor,
  now: string,
  parsed: EnglishExemptionSet,
): Promise<Result<WorkOutcome<EnglishExemptionSet>>> {
  const { country, scope, basis } = parsed;
  if ((await findCountryRow(tx, country)) === undefined)
    return err(notFound('country', country, 'country'));
  await storeExemption(tx, country, scope, basis, now);
  const value = { country, scope, basis };
  return ok({
    value,
    audit: [
      { action: 'english-exemption.set', entityType: 'country', entityId: country, after: value },
    ],
  });
}
