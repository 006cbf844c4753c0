// Use cases of restrictions: record, correct (a new version), end (a lift). Nothing is overwritten:
// the previous version is superseded and keeps its transaction time.
import type { Actor } from '../../core/actor.js';
import { daysBetween, type IsoDate } from '../../core/dates.js';
import type { EligibilityRecords } from '../../core/eligibility/decision.js';
import {
  checkLift,
  checkReliefOnRecord,
  endNeedsReport,
  LIFT_RULES,
  proposalOf,
  reachOf,
  type ReliefRefusal,
} from '../../core/eligibility/relief-rules.js';
import { expandScope } from '../../core/programs.js';
import {
  RESTRICTION_KINDS,
  SEAT_POLICIES,
  type CongressionalNotification,
  type DateQuality,
  type RestrictionVersion,
  type SeatPolicy,
} from '../../core/restrictions.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import { applyRecordNotification } from './notification.js';
import { err, invalid, notFound, ok, type DomainError, type Result } from '../../core/result.js';
import type { Executor } from '../../store/database.js';
import {
  listCurrentRestrictions,
  listRestrictionVersions,
  supersedeRestrictionVersion,
} from '../../store/eligibility.repository.js';
import { findCountryRow } from '../../store/reference.repository.js';
import { insertRestriction, insertRestrictionVersion } from '../../store/restriction.repository.js';
import type { AppContext } from '../context.js';
import { cascade, recordsBefore, type Impact } from './cascade.service.js';
import { oneOf, parseDateField, parseOptionalDateField as optionalDate } from '../field-input.js';
import { writeTransaction, type WorkOutcome, type WriteOptions } from '../unit-of-work.js';

/** A restriction as an edge submits it (strings, checked here). */
export interface RestrictionInput {
  readonly country: string;
  readonly kind: string;
  readonly scope: readonly string[];
  readonly from: string;
  readonly until?: string | null | undefined;
  readonly basis: string;
  readonly authority: string;
  readonly source?: string | null | undefined;
  readonly seatPolicy?: string | undefined;
  readonly courseFilter?: string | null | undefined;
  readonly determinedOn?: string | null | undefined;
  readonly description?: string | null | undefined;
}

/** The fields a correction may change; absent fields keep their value. */
export type RestrictionCorrection = {
  readonly [K in Exclude<keyof RestrictionInput, 'country'>]?: RestrictionInput[K] | undefined;
} & { readonly reason: string };

const COURSE_FILTERS = ['E-IMET'] as const;

function required(field: string, text: string, what: string): Result<string> {
  return text.trim() === '' ? err(invalid(field, `${what} is required`)) : ok(text.trim());
}

/** A correction made against a version that is no longer the current one. */
function stale(id: string, expected: number, current: RestrictionVersion): DomainError {
  return {
    code: 'CONFLICT',
    reason: 'RESTRICTION.STALE',
    field: 'version',
    message: `restriction ${id} is at version ${current.version}, not ${expected}: it changed since it was read; read it again and decide on the current version`,
    details: { expected, current: current.version },
  };
}

type Checked = Omit<
  RestrictionVersion,
  | 'id'
  | 'version'
  | 'recordedAt'
  | 'supersededAt'
  | 'recordedBy'
  | 'country'
  | 'dateQuality'
  | 'untilQuality'
  | 'liftNotificationId'
  | 'importRunId'
>;

/** What an import knows of a version beyond its content: how well its dates are known, its file. */
export interface KnownDates {
  readonly dateQuality?: DateQuality | null | undefined;
  readonly untilQuality?: DateQuality | null | undefined;
  readonly importRunId?: string | null | undefined;
}

/**
 * Checks the content of a restriction (not yet against other records). A terrorism designation
 * reaches sales too (its programs always include them), and its end is a rescission reported to
 * Congress: `endReported` says the end comes with that report (restriction end --notified).
 */
function checkContent(
  input: Omit<RestrictionInput, 'country'>,
  endReported = false,
): Result<Checked> {
  const checkedKind = oneOf('kind', input.kind, RESTRICTION_KINDS, 'kind');
  if (!checkedKind.ok) return checkedKind;
  const kind = checkedKind.value;
  const scope = expandScope(input.scope);
  if (input.scope.length === 0) return err(invalid('scope', 'scope names no program'));
  if (!scope.ok) return err(invalid('scope', `unknown program or group ${scope.unknown}`));
  const from = parseDateField('from', input.from);
  if (!from.ok) return from;
  const until = optionalDate('until', input.until);
  if (!until.ok) return until;
  if (until.value !== null && until.value <= from.value) {
    return err(invalid('until', `must be after from (${from.value}); got ${until.value}`));
  }
  if (until.value !== null && endNeedsReport(kind, until.value) && !endReported) {
    return err({
      code: 'RULE.REFUSED',
      reason: 'RESTRICTION.RESCISSION_NOT_REPORTED',
      field: 'until',
      message: `${LIFT_RULES.terrorism.note}: record the designation open, then end it with the date of the report to Congress (restriction end --notified)`,
    });
  }
  const programs = reachOf(kind, scope.programs);
  const determinedOn = optionalDate('determinedOn', input.determinedOn);
  if (!determinedOn.ok) return determinedOn;
  const seatPolicy = input.seatPolicy ?? 'cancel';
  if (!(SEAT_POLICIES as readonly string[]).includes(seatPolicy)) {
    return err(invalid('seatPolicy', `seat policy must be cancel or hold, not ${seatPolicy}`));
  }
  const basis = required('basis', input.basis, 'the basis (the law or decision it rests on)');
  if (!basis.ok) return basis;
  const authority = required('authority', input.authority, 'the authority (who determined it)');
  if (!authority.ok) return authority;
  const courseFilter =
    input.courseFilter === undefined || input.courseFilter === '' ? null : input.courseFilter;
  if (kind === 'proviso' && courseFilter === null) {
    return err(invalid('courseFilter', 'a proviso names the courses it allows (E-IMET)'));
  }
  if (courseFilter !== null && kind !== 'proviso') {
    return err(invalid('courseFilter', 'only a proviso limits a program to some courses'));
  }
  if (courseFilter !== null) {
    const known = oneOf('courseFilter', courseFilter, COURSE_FILTERS, 'course filter');
    if (!known.ok) return known;
  }
  if (kind === 'exclusion' && (scope.programs.length !== 1 || scope.programs[0] !== 'IMET')) {
    return err({
      code: 'RULE.REFUSED',
      reason: 'RESTRICTION.EXCLUSION_SCOPE',
      field: 'scope',
      message:
        'a 22 USC 2347e exclusion applies to grant IMET only (FMS-funded training stays allowed)',
    });
  }
  return ok({
    kind,
    scope: [...input.scope],
    programs,
    courseFilter,
    basis: basis.value,
    authority: authority.value,
    determinedOn: determinedOn.value,
    from: from.value,
    until: until.value,
    seatPolicy: seatPolicy as SeatPolicy,
    source: input.source ?? null,
    description: input.description ?? null,
  });
}

function overlaps(
  a: { from: IsoDate; until: IsoDate | null },
  b: { from: IsoDate; until: IsoDate | null },
): boolean {
  return (a.until === null || b.from < a.until) && (b.until === null || a.from < b.until);
}

/** A current same-kind restriction of the country overlapping in programs and time, if any. */
async function findOverlap(
  tx: Executor,
  country: string,
  candidate: Checked,
  exceptId?: string,
): Promise<DomainError | undefined> {
  const current = await listCurrentRestrictions(tx, country);
  const clash = current.find(
    (r) =>
      r.id !== exceptId &&
      r.kind === candidate.kind &&
      r.programs.some((p) => candidate.programs.includes(p)) &&
      overlaps(r, candidate),
  );
  if (clash === undefined) return undefined;
  return {
    code: 'CONFLICT',
    reason: 'RESTRICTION.OVERLAP',
    field: 'from',
    message: `${clash.id} already restricts ${country} (${clash.kind}, ${clash.programs.join(', ')}) from ${clash.from}${clash.until === null ? '' : ` until ${clash.until}`}: correct it instead`,
    details: { existing: clash.id },
  };
}

/** A recorded version with what it did to seats (in a dry run: what it would do). */
export type RestrictionRecorded = RestrictionVersion & { readonly impact: Impact };

/**
 * A restriction checked for content, ready to record. An import or the demo may name its id and
 * how well its dates are known; a user's restriction gets a fresh id.
 */
export type ParsedRestriction = Checked &
  KnownDates & {
    readonly country: string;
    readonly id?: string | undefined;
  };

/** Checks a restriction as an edge submits it. */
export function parseRestriction(input: RestrictionInput): Result<ParsedRestriction> {
  const content = checkContent(input);
  if (!content.ok) return content;
  return ok({ ...content.value, country: input.country.toUpperCase() });
}

/** Records a new restriction inside `tx` at `now`, with the cascade it causes. */
export async function applyRecordRestriction(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  parsed: ParsedRestriction,
): Promise<Result<WorkOutcome<RestrictionRecorded>>> {
  const { id, dateQuality, untilQuality, importRunId, country, ...content } = parsed;
  if ((await findCountryRow(tx, country)) === undefined)
    return err(notFound('country', country, 'country'));
  const clash = await findOverlap(tx, country, content);
  if (clash !== undefined) return err(clash);
  const version: RestrictionVersion = {
    ...content,
    id: id ?? ctx.newId('rst'),
    version: 1,
    country,
    dateQuality: dateQuality ?? null,
    untilQuality: content.until === null ? null : (untilQuality ?? null),
    liftNotificationId: null,
    importRunId: importRunId ?? null,
    recordedAt: now,
    supersededAt: null,
    recordedBy: actor.id,
  };
  await insertRestriction(tx, version);
  // Before it, the country's records were what they are now but for this restriction (it has no
  // relief yet): not read twice.
  const { impact, audit } = await cascade(
    tx,
    country,
    (after) => ({
      ...after,
      restrictions: after.restrictions.filter((v) => v.id !== version.id),
    }),
    now,
  );
  return ok({
    value: { ...version, impact },
    audit: [
      {
        action: 'restriction.record',
        entityType: 'restriction',
        entityId: version.id,
        after: version,
      },
      ...audit,
    ],
  });
}

/** Records a new restriction. */
export async function recordRestriction(
  ctx: AppContext,
  actor: Actor,
  input: RestrictionInput,
  options: WriteOptions = {},
): Promise<Result<RestrictionRecorded>> {
  const parsed = parseRestriction(input);
  if (!parsed.ok) return parsed;
  return writeTransaction(
    ctx,
    actor,
    'restrictions.write',
    (tx, now) => applyRecordRestriction(tx, ctx, actor, now, parsed.value),
    options,
  );
}

/** The current version of a restriction, or NotFound. */
export async function getRestriction(
  ctx: AppContext,
  id: string,
): Promise<Result<{ current: RestrictionVersion; versions: RestrictionVersion[] }>> {
  const versions = await listRestrictionVersions(ctx.store.db, id);
  const current = versions.find((v) => v.supersededAt === null);
  if (current === undefined) return err(notFound('restriction', id, 'id'));
  return ok({ current, versions });
}

/** Which field of a correction a relief refusal points at: the kind's rules, the scope or the dates. */
const CORRECTION_FIELD: Record<ReliefRefusal['reason'], string> = {
  'RELIEF.TYPE_NOT_ALLOWED': 'kind',
  'RELIEF.GROUNDS_NOT_ALLOWED': 'kind',
  'RELIEF.PROGRAM_NOT_ALLOWED': 'kind',
  'RELIEF.SCHOOLS_REQUIRED': 'kind',
  'RELIEF.NOTICE_REQUIRED': 'kind',
  'RELIEF.LIMIT_EXCEEDED': 'kind',
  'RELIEF.BROADER': 'scope',
  'RELIEF.OUTSIDE': 'from',
  'RELIEF.NOT_YET_AUTHORIZED': 'kind',
};

/**
 * The first current relief of the restriction that its corrected version would no longer allow
 * (its kind's rules, its scope, its dates), as a refusal naming that relief.
 */
function reliefRefusedByCorrection(
  records: EligibilityRecords,
  corrected: RestrictionVersion,
): DomainError | undefined {
  for (const relief of records.reliefs) {
    if (relief.restrictionId !== corrected.id || relief.supersededAt !== null) continue;
    const check = checkReliefOnRecord(
      proposalOf(relief, records.notifications),
      corrected,
      records,
      relief.id,
    );
    if (check.ok) continue;
    const { reason, field, message } = check.refusal;
    return {
      code: 'RULE.REFUSED',
      reason,
      field: reason === 'RELIEF.OUTSIDE' ? field : CORRECTION_FIELD[reason],
      message: `the corrected restriction would no longer allow relief ${relief.id}: ${message}; end or correct the relief first`,
      details: { relief: relief.id },
    };
  }
  return undefined;
}

/** How a correction is made: the checks it passes and what it records beyond the content. */
export interface CorrectionOptions extends KnownDates {
  readonly checkReliefs?: boolean;
  readonly action?: string;
  /** The version the correction was made against (If-Match): refused when it is stale. */
  readonly expectedVersion?: number | undefined;
  /** The end comes with its report to Congress (a rescission): that notification's id. */
  readonly liftNotificationId?: string | null | undefined;
}

/**
 * Records a corrected version of a restriction; the previous version is superseded, not changed.
 * Refused when the correction would leave one of its reliefs outside the restriction or its
 * kind's rules (a policy suspension corrected into an exclusion keeps no exception).
 */
export async function correctRestriction(
  ctx: AppContext,
  actor: Actor,
  id: string,
  correction: RestrictionCorrection,
  options: WriteOptions & CorrectionOptions = {},
): Promise<Result<RestrictionRecorded>> {
  const reason = correction.reason.trim();
  if (reason === '') return err(invalid('reason', 'a correction states its reason'));
  return writeTransaction(
    ctx,
    actor,
    'restrictions.write',
    (tx, now) => applyCorrectRestriction(tx, ctx, actor, now, id, correction, options),
    options,
  );
}

/** Records a corrected version of restriction `id` inside `tx` at `now`, with its cascade. */
export async function applyCorrectRestriction(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  id: string,
  correction: RestrictionCorrection,
  options: CorrectionOptions = {},
): Promise<Result<WorkOutcome<RestrictionRecorded>>> {
  const reason = correction.reason.trim();
  if (reason === '') return err(invalid('reason', 'a correction states its reason'));
  const versions = await listRestrictionVersions(tx, id);
  const before = versions.find((v) => v.supersededAt === null);
  if (before === undefined) return err(notFound('restriction', id, 'id'));
  if (options.expectedVersion !== undefined && options.expectedVersion !== before.version)
    return err(stale(id, options.expectedVersion, before));
  const until = correction.until === undefined ? before.until : correction.until;
  // A terrorism designation keeps the report its end waited on, unless the end itself changes.
  const liftNotificationId =
    options.liftNotificationId !== undefined
      ? options.liftNotificationId
      : until === before.until
        ? before.liftNotificationId
        : null;
  const content = checkContent(
    {
      kind: correction.kind ?? before.kind,
      scope: correction.scope ?? before.scope,
      from: correction.from ?? before.from,
      until,
      basis: correction.basis ?? before.basis,
      authority: correction.authority ?? before.authority,
      source: correction.source === undefined ? before.source : correction.source,
      seatPolicy: correction.seatPolicy ?? before.seatPolicy,
      courseFilter:
        correction.courseFilter === undefined ? before.courseFilter : correction.courseFilter,
      determinedOn:
        correction.determinedOn === undefined ? before.determinedOn : correction.determinedOn,
      description:
        correction.description === undefined ? before.description : correction.description,
    },
    liftNotificationId !== null,
  );
  if (!content.ok) return content;
  const clash = await findOverlap(tx, before.country, content.value, id);
  if (clash !== undefined) return err(clash);
  const records = await recordsBefore(tx, before.country);
  if (options.checkReliefs !== false) {
    const refused = reliefRefusedByCorrection(records, { ...before, ...content.value });
    if (refused !== undefined) return err(refused);
  }
  const after: RestrictionVersion = {
    ...before,
    ...content.value,
    // A start the correction moves is the corrector's day (exact) unless an import says otherwise.
    dateQuality:
      options.dateQuality !== undefined
        ? options.dateQuality
        : content.value.from === before.from
          ? before.dateQuality
          : null,
    untilQuality:
      content.value.until === null
        ? null
        : options.untilQuality !== undefined
          ? options.untilQuality
          : content.value.until === before.until
            ? before.untilQuality
            : null,
    liftNotificationId,
    importRunId: options.importRunId ?? null,
    version: before.version + 1,
    recordedAt: now,
    supersededAt: null,
    recordedBy: actor.id,
  };
  await supersedeRestrictionVersion(tx, id, before.version, now);
  await insertRestrictionVersion(tx, after);
  const { impact, audit } = await cascade(tx, before.country, records, now);
  return ok({
    value: { ...after, impact },
    audit: [
      {
        action: options.action ?? 'restriction.correct',
        entityType: 'restriction',
        entityId: id,
        before,
        after,
        reason,
      },
      ...audit,
    ],
  });
}

/** How a restriction ends: for a terrorism designation, with the report to Congress it waited on. */
export interface LiftInput extends KnownDates {
  /** The day the report to Congress was submitted (22 USC 2371(c)). */
  readonly notified?: string | null | undefined;
  /** The report certifies a fundamental change of leadership and policies (2371(c)(1)). */
  readonly fundamentalChange?: boolean | undefined;
  readonly source?: string | null | undefined;
}

/** Ends (lifts) a restriction from a date: a new version whose `until` is that date. */
export async function endRestriction(
  ctx: AppContext,
  actor: Actor,
  id: string,
  on: string,
  reason = 'lifted',
  options: WriteOptions & { readonly expectedVersion?: number | undefined } & LiftInput = {},
): Promise<Result<RestrictionRecorded>> {
  const date = parseDateField('on', on);
  if (!date.ok) return date;
  const notified = optionalDate('notified', options.notified);
  if (!notified.ok) return notified;
  return writeTransaction(
    ctx,
    actor,
    'restrictions.write',
    (tx, now) =>
      applyEndRestriction(tx, ctx, actor, now, id, date.value, reason, {
        ...options,
        notified: notified.value,
      }),
    options,
  );
}

/**
 * Ends restriction `id` from `on` inside `tx` at `now`. A terrorism designation ends only by a
 * rescission reported to Congress, taking effect no earlier than the statute allows (LIFT_RULES).
 */
export async function applyEndRestriction(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  id: string,
  on: IsoDate,
  reason: string,
  lift: LiftInput & { readonly expectedVersion?: number | undefined } = {},
): Promise<Result<WorkOutcome<RestrictionRecorded>>> {
  const current = (await listRestrictionVersions(tx, id)).find((v) => v.supersededAt === null);
  if (current === undefined) return err(notFound('restriction', id, 'id'));
  if (lift.expectedVersion !== undefined && lift.expectedVersion !== current.version)
    return err(stale(id, lift.expectedVersion, current));
  if (on <= current.from) {
    return err(
      invalid('on', `the end (${on}) must be after the restriction's start (${current.from})`),
    );
  }
  if (current.until !== null && current.until <= on) {
    return err({
      code: 'CONFLICT',
      reason: 'RESTRICTION.ALREADY_ENDED',
      field: 'on',
      message: `${id} already ended ${current.until}`,
    });
  }
  const notifiedOn = lift.notified === undefined || lift.notified === null ? null : lift.notified;
  const refused = checkLift(current.kind, on, {
    notifiedOn: notifiedOn === null ? null : (notifiedOn as IsoDate),
    fundamentalChange: lift.fundamentalChange === true,
  });
  if (refused !== undefined) return err({ code: 'RULE.REFUSED', ...refused });
  const audit: AuditRecord[] = [];
  let liftNotificationId: string | null = null;
  if (notifiedOn !== null) {
    const notifiedDate = notifiedOn as IsoDate;
    const notification: CongressionalNotification = {
      id: ctx.newId('cn'),
      country: current.country,
      subject: `rescission of ${current.kind} restriction ${id}`,
      notifiedOn: notifiedDate,
      waitDays: daysBetween(notifiedDate, on),
      windowEndsOn: on,
      source: lift.source ?? current.source,
    };
    audit.push(await applyRecordNotification(tx, actor, now, notification));
    liftNotificationId = notification.id;
  }
  const ended = await applyCorrectRestriction(
    tx,
    ctx,
    actor,
    now,
    id,
    { until: on, reason },
    {
      checkReliefs: false,
      action: 'restriction.end',
      liftNotificationId,
      untilQuality: lift.untilQuality ?? null,
      importRunId: lift.importRunId ?? null,
    },
  );
  if (!ended.ok) return ended;
  return ok({ value: ended.value.value, audit: [...audit, ...ended.value.audit] });
}
