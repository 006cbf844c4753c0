// Use cases of reliefs: record one against a named restriction (from a date, or from a congressional
// notification plus its waiting period), and end one. The kind's relief rules decide what is allowed.
import type { Actor } from '../../core/actor.js';
import { addDays, type IsoDate } from '../../core/dates.js';
import { checkReliefOnRecord } from '../../core/eligibility/relief-rules.js';
import { expandScope, type ProgramCode } from '../../core/programs.js';
import {
  RELIEF_TYPES,
  WAIVER_GROUNDS,
  type CongressionalNotification,
  type ReliefType,
  type DateQuality,
  type ReliefVersion,
  type WaiverGrounds,
} from '../../core/restrictions.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import {
  listReliefVersions,
  listRestrictionVersions,
  listSchoolIds,
  loadCourseFacts,
  supersedeReliefVersion,
} from '../../store/eligibility.repository.js';
import { insertRelief, insertReliefVersion } from '../../store/restriction.repository.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import type { AppContext } from '../context.js';
import { checkWaitDays, oneOf, parseDateField } from '../field-input.js';
import { cascade, recordsBefore, type Impact } from './cascade.service.js';
import { applyRecordNotification } from './notification.js';
import { writeTransaction, type WorkOutcome, type WriteOptions } from '../unit-of-work.js';

export interface ReliefInput {
  readonly type: string;
  readonly grounds?: string | null | undefined;
  readonly programs: readonly string[];
  readonly courses?: readonly string[] | undefined;
  readonly schools?: readonly string[] | undefined;
  /** The date it takes effect; or give `notified` and it takes effect when the waiting period ends. */
  readonly from?: string | undefined;
  readonly notified?: string | undefined;
  readonly waitDays?: number | undefined;
  readonly until?: string | null | undefined;
  readonly authority: string;
  readonly justification: string;
  readonly source?: string | null | undefined;
}

export interface RecordedRelief {
  readonly relief: ReliefVersion;
  readonly notification: CongressionalNotification | null;
  /** What it did to seats (in a dry run: what it would do). */
  readonly impact: Impact;
}

/** A relief checked for content, ready to record against its restriction. */
export interface ParsedRelief {
  readonly type: ReliefType;
  readonly grounds: WaiverGrounds | null;
  readonly programs: readonly ProgramCode[];
  readonly courseIds: string[] | null;
  readonly schoolIds: string[] | null;
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  readonly notifiedOn: IsoDate | null;
  readonly waitDays: number;
  readonly authority: string;
  readonly justification: string;
  readonly source: string | null;
  /** An import or the demo may name the relief's id; a user's relief gets a fresh one. */
  readonly id?: string | undefined;
  /** How well an import's source knows its dates (a user's dates are exact). */
  readonly dateQuality?: DateQuality | null | undefined;
  readonly untilQuality?: DateQuality | null | undefined;
  /** False when the source does not say which programs the relief covers (an import's). */
  readonly scopeStated?: boolean | undefined;
  readonly importRunId?: string | null | undefined;
}

/** Checks a relief as an edge submits it. */
export function parseRelief(input: ReliefInput): Result<ParsedRelief> {
  const checkedType = oneOf('type', input.type, RELIEF_TYPES, 'relief type');
  if (!checkedType.ok) return checkedType;
  const type = checkedType.value;
  let grounds: WaiverGrounds | null = null;
  if (input.grounds != null) {
    const checkedGrounds = oneOf('grounds', input.grounds, WAIVER_GROUNDS, 'grounds');
    if (!checkedGrounds.ok) return checkedGrounds;
    grounds = checkedGrounds.value;
  }
  if (type === 'waiver' && grounds === null) {
    return err(invalid('grounds', `a waiver states its grounds (${WAIVER_GROUNDS.join(', ')})`));
  }
  if (input.programs.length === 0)
    return err(invalid('programs', 'name the programs the relief covers'));
  const programs = expandScope(input.programs);
  if (!programs.ok) return err(invalid('programs', `unknown program or group ${programs.unknown}`));
  if ((input.from === undefined) === (input.notified === undefined)) {
    return err(
      invalid(
        'from',
        'give either the date it takes effect (from) or the notification date (notified)',
      ),
    );
  }
  let from: IsoDate;
  let notifiedOn: IsoDate | null = null;
  const waitDays = input.waitDays ?? 15;
  if (input.notified !== undefined) {
    const wait = checkWaitDays('waitDays', waitDays);
    if (!wait.ok) return wait;
    const notified = parseDateField('notified', input.notified);
    if (!notified.ok) return notified;
    notifiedOn = notified.value;
    from = addDays(notified.value, waitDays);
  } else {
    const parsed = parseDateField('from', input.from ?? '');
    if (!parsed.ok) return parsed;
    from = parsed.value;
  }
  let until: IsoDate | null = null;
  if (input.until !== undefined && input.until !== null && input.until !== '') {
    const parsed = parseDateField('until', input.until);
    if (!parsed.ok) return parsed;
    if (parsed.value <= from)
      return err(invalid('until', `must be after from (${from}); got ${parsed.value}`));
    until = parsed.value;
  }
  if (input.authority.trim() === '')
    return err(invalid('authority', 'the authority (who grants it) is required'));
  if (input.justification.trim() === '')
    return err(invalid('justification', 'the justification (why it is granted) is required'));
  const courseIds =
    input.courses === undefined || input.courses.length === 0 ? null : [...input.courses];
  const schoolIds =
    input.schools === undefined || input.schools.length === 0 ? null : [...input.schools];
  return ok({
    type,
    grounds,
    programs: programs.programs,
    courseIds,
    schoolIds,
    from,
    until,
    notifiedOn,
    waitDays,
    authority: input.authority.trim(),
    justification: input.justification.trim(),
    source: input.source ?? null,
  });
}

/** Records a relief of restriction `restrictionId`, refused unless the kind's rules allow it. */
export async function recordRelief(
  ctx: AppContext,
  actor: Actor,
  restrictionId: string,
  input: ReliefInput,
  options: WriteOptions = {},
): Promise<Result<RecordedRelief>> {
  const parsed = parseRelief(input);
  if (!parsed.ok) return parsed;
  return writeTransaction(
    ctx,
    actor,
    'restrictions.write',
    (tx, now) => applyRecordRelief(tx, ctx, actor, now, restrictionId, parsed.value),
    options,
  );
}

/**
 * Records a relief inside `tx` at `now` (with its congressional notification, if notified),
 * refused unless the kind's rules allow it; runs the cascade it causes.
 */
export async function applyRecordRelief(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  restrictionId: string,
  parsed: ParsedRelief,
): Promise<Result<WorkOutcome<RecordedRelief>>> {
  const { type, grounds, courseIds, schoolIds, from, until, notifiedOn, waitDays } = parsed;
  const restriction = (await listRestrictionVersions(tx, restrictionId)).find(
    (v) => v.supersededAt === null,
  );
  if (restriction === undefined) return err(notFound('restriction', restrictionId, 'restriction'));
  if (courseIds !== null) {
    const courses = await loadCourseFacts(tx);
    const unknown = courseIds.find((c) => !courses.has(c));
    if (unknown !== undefined) return err(notFound('course', unknown, 'courses'));
  }
  if (schoolIds !== null) {
    const schools = await listSchoolIds(tx);
    const unknown = schoolIds.find((s) => !schools.has(s));
    if (unknown !== undefined) return err(notFound('school', unknown, 'schools'));
  }
  // The country's records before the relief: for the same-rule limit here, and the cascade below.
  const records = await recordsBefore(tx, restriction.country);
  const check = checkReliefOnRecord(
    {
      type,
      grounds,
      programs: parsed.programs,
      courseIds,
      schoolIds,
      from,
      until,
      noticeDays: notifiedOn === null ? null : waitDays,
    },
    restriction,
    records,
  );
  if (!check.ok) return err({ code: 'RULE.REFUSED', ...check.refusal });
  let notification: CongressionalNotification | null = null;
  const id = parsed.id ?? ctx.newId('rlf');
  const audit: AuditRecord[] = [];
  if (notifiedOn !== null) {
    notification = {
      id: ctx.newId('cn'),
      country: restriction.country,
      subject: `${type} ${id} of ${restriction.id} for ${parsed.programs.join(', ')}`,
      notifiedOn,
      waitDays,
      windowEndsOn: from,
      source: parsed.source,
    };
    audit.push(await applyRecordNotification(tx, actor, now, notification));
  }
  const relief: ReliefVersion = {
    id,
    version: 1,
    restrictionId: restriction.id,
    type,
    grounds,
    // A whole-scope relief (certification, rescission) ends the restriction for all its programs.
    programs: check.rule.wholeScope === true ? restriction.programs : parsed.programs,
    courseIds,
    schoolIds,
    notificationId: notification?.id ?? null,
    from,
    until,
    dateQuality: parsed.dateQuality ?? null,
    untilQuality: until === null ? null : (parsed.untilQuality ?? null),
    scopeStated: parsed.scopeStated ?? true,
    authority: parsed.authority,
    justification: parsed.justification,
    source: parsed.source,
    importRunId: parsed.importRunId ?? null,
    recordedAt: now,
    supersededAt: null,
    recordedBy: actor.id,
  };
  await insertRelief(tx, relief);
  audit.push({ action: 'relief.record', entityType: 'relief', entityId: id, after: relief });
  const { impact, audit: seatAudit } = await cascade(tx, restriction.country, records, now);
  return ok({ value: { relief, notification, impact }, audit: [...audit, ...seatAudit] });
}

/** Ends a relief at a date: a new version whose `until` is that date. */
export async function endRelief(
  ctx: AppContext,
  actor: Actor,
  reliefId: string,
  on: string,
  reason = 'ended',
  options: WriteOptions = {},
): Promise<Result<ReliefVersion & { readonly impact: Impact }>> {
  const date = parseDateField('on', on);
  if (!date.ok) return date;
  return writeTransaction(
    ctx,
    actor,
    'restrictions.write',
    (tx, now) => applyEndRelief(tx, actor, now, reliefId, date.value, reason),
    options,
  );
}

/** Ends a relief from `on` inside `tx` at `now`, with the cascade it causes. */
export async function applyEndRelief(
  tx: Executor,
  actor: Actor,
  now: string,
  reliefId: string,
  on: IsoDate,
  reason: string,
  known: { readonly untilQuality?: DateQuality | null; readonly importRunId?: string | null } = {},
): Promise<Result<WorkOutcome<ReliefVersion & { readonly impact: Impact }>>> {
  const before = (await listReliefVersions(tx, reliefId)).find((v) => v.supersededAt === null);
  if (before === undefined) return err(notFound('relief', reliefId, 'id'));
  if (on <= before.from) {
    return err(invalid('on', `the end (${on}) must be after the relief's start (${before.from})`));
  }
  if (before.until !== null && before.until <= on) {
    return err({
      code: 'CONFLICT',
      reason: 'RELIEF.ALREADY_ENDED',
      field: 'on',
      message: `${reliefId} already ended ${before.until}`,
    });
  }
  const after: ReliefVersion = {
    ...before,
    version: before.version + 1,
    until: on,
    untilQuality: known.untilQuality ?? null,
    importRunId: known.importRunId ?? null,
    recordedAt: now,
    supersededAt: null,
    recordedBy: actor.id,
  };
  const restriction = (await listRestrictionVersions(tx, before.restrictionId))[0];
  if (restriction === undefined) throw new Error(`relief ${reliefId} names no restriction`);
  const records = await recordsBefore(tx, restriction.country);
  await supersedeReliefVersion(tx, reliefId, before.version, now);
  await insertReliefVersion(tx, after);
  const { impact, audit } = await cascade(tx, restriction.country, records, now);
  return ok({
    value: { ...after, impact },
    audit: [
      { action: 'relief.end', entityType: 'relief', entityId: reliefId, before, after, reason },
      ...audit,
    ],
  });
}
