// Use cases of allocations (country × program × FY): set or adjust one with a reason, held until a
// congressional notification's waiting period ends when the change needs one (DESIGN §3); and read
// them: the amount in force on a date, the changes pending, every version recorded.
import type { Actor } from '../../core/actor.js';
import {
  DEFAULT_WAIT_DAYS,
  IMET_EXEMPT_BELOW_CENTS,
  notificationExemption,
  versionInForce,
  type NotificationExemption,
} from '../../core/allocation-rules.js';
import { addDays, dateOfInstant, type IsoDate } from '../../core/dates.js';
import { formatUsd } from '../../core/money.js';
import { type ProgramCode } from '../../core/programs.js';
import type { CongressionalNotification } from '../../core/restrictions.js';
import { err, invalid, notFound, ok, type DomainError, type Result } from '../../core/result.js';
import {
  insertAllocations,
  listAllocationHistory,
  lockAllocation,
  supersedeAllocations,
  type AllocationVersion,
  type AllocationVersionWithNotice,
} from '../../store/allocation.repository.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import { findCountryRow } from '../../store/reference.repository.js';
import { applyRecordNotification } from '../eligibility/notification.js';
import { today, type AppContext } from '../context.js';
import {
  checkFiscalYear,
  checkWaitDays,
  parseDateField,
  parseFiscalYearField,
  parseProgramField,
} from '../field-input.js';
import type { Executor } from '../../store/database.js';
import { writeTransaction, type WorkOutcome } from '../unit-of-work.js';

export type { AllocationVersion, AllocationVersionWithNotice };

/** A change as an edge submits it (checked here). */
export interface AllocationInput {
  readonly country: string;
  readonly program: string;
  readonly fiscalYear: number;
  /** The new amount, whole US cents. */
  readonly amountCents: number;
  readonly reason: string;
  /** The day Congress was notified: the change takes effect when the waiting period ends. */
  readonly notified?: string | undefined;
  readonly waitDays?: number | undefined;
  readonly source?: string | null | undefined;
}

export interface AllocationChange {
  readonly allocation: AllocationVersionWithNotice;
  /** True while the notification's waiting period runs: the amount is not in force yet. */
  readonly pending: boolean;
  /** The amount in force on the day the change takes effect, as known before it (null: none). */
  readonly previousAmountCents: number | null;
  readonly notification: CongressionalNotification | null;
  /** Why no notification was needed; null when the change needed one. */
  readonly exemption: NotificationExemption | null;
  /** Ids of the versions this change replaced (those taking effect on or after its date). */
  readonly superseded: readonly string[];
}

export interface AllocationYear {
  readonly fiscalYear: number;
  /** The version in force on the view's date; null when none is yet. */
  readonly inForce: AllocationVersionWithNotice | null;
  /** Changes recorded to take effect after the view's date, soonest first. */
  readonly pending: readonly AllocationVersionWithNotice[];
  /** Every version recorded, superseded ones included, oldest first. */
  readonly history: readonly AllocationVersionWithNotice[];
}

export interface AllocationView {
  readonly country: string;
  readonly program: ProgramCode;
  /** The date "in force" and "pending" were judged on. */
  readonly asOf: IsoDate;
  readonly fiscalYears: readonly AllocationYear[];
}

export interface AllocationQuery {
  readonly country: string;
  readonly program: string;
  /** One fiscal year, e.g. `2018`; all when absent. */
  readonly fy?: string | undefined;
  /** Judge "in force" on this date (YYYY-MM-DD); today when absent. */
  readonly on?: string | undefined;
}

interface AllocationKey {
  readonly country: string;
  readonly program: ProgramCode;
}

function parseKey(countryText: string, programText: string): Result<AllocationKey> {
  const country = countryText.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(country)) return err(notFound('country', countryText, 'country'));
  const program = parseProgramField('program', programText);
  if (!program.ok) return program;
  return ok({ country, program: program.value });
}

function notificationRequired(
  key: AllocationKey,
  fiscalYear: number,
  fromCents: number | null,
  toCents: number,
): DomainError {
  const what = `${key.country} ${key.program} FY${fiscalYear} (${fromCents === null ? 'none in force' : formatUsd(fromCents)} → ${formatUsd(toCents)})`;
  const why =
    key.program !== 'IMET'
      ? `every ${key.program} change after the first allocation is notified to Congress`
      : fromCents === null
        ? `${key.country} has no IMET allocation in force for FY${fiscalYear} yet (not justified)`
        : `an IMET change of ${formatUsd(IMET_EXEMPT_BELOW_CENTS)} or more is notified to Congress`;
  return {
    code: 'RULE.REFUSED',
    reason: 'ALLOCATION.NOTIFICATION_REQUIRED',
    field: 'notified',
    message: `${what}: ${why}; give the notification date (notified) and its waiting period (waitDays, default ${DEFAULT_WAIT_DAYS})`,
    details: {
      program: key.program,
      fiscalYear,
      fromCents,
      toCents,
      changeCents: toCents - (fromCents ?? 0),
      ...(key.program === 'IMET' ? { exemptBelowCents: IMET_EXEMPT_BELOW_CENTS } : {}),
    },
  };
}

/**
 * Sets or adjusts an allocation: a new version taking effect today, or when the notification's
 * waiting period ends. The new version replaces every current version taking effect on or after its
 * date (they are superseded, not changed); earlier ones stay in force until it. Refused with
 * ALLOCATION.NOTIFICATION_REQUIRED when the change needs a notification and none is given.
 */
export async function setAllocation(
  ctx: AppContext,
  actor: Actor,
  input: AllocationInput,
): Promise<Result<AllocationChange>> {
  const parsed = parseAllocation(input);
  if (!parsed.ok) return parsed;
  return writeTransaction(ctx, actor, 'allocations.write', (tx, now) =>
    applySetAllocation(tx, ctx, actor, now, parsed.value),
  );
}

/** An allocation change, checked (not yet against the records). */
export interface ParsedAllocation {
  readonly key: AllocationKey;
  /** The country as it was typed, for a "not found" that names it. */
  readonly countryText: string;
  readonly fiscalYear: number;
  readonly amountCents: number;
  readonly reason: string;
  readonly notifiedOn: IsoDate | null;
  readonly waitDays: number;
  readonly source: string | null;
}

/** Checks an allocation change as an edge submits it. */
export function parseAllocation(input: AllocationInput): Result<ParsedAllocation> {
  const key = parseKey(input.country, input.program);
  if (!key.ok) return key;
  const fy = checkFiscalYear('fiscalYear', input.fiscalYear);
  if (!fy.ok) return fy;
  const amountCents = input.amountCents;
  if (!Number.isSafeInteger(amountCents) || amountCents < 0) {
    return err(invalid('amountCents', `whole US cents, 0 or more (got ${amountCents})`));
  }
  const reason = input.reason.trim();
  if (reason === '') return err(invalid('reason', 'a change of allocation states its reason'));
  let notifiedOn: IsoDate | null = null;
  const waitDays = input.waitDays ?? DEFAULT_WAIT_DAYS;
  if (input.notified === undefined || input.notified === '') {
    if (input.waitDays !== undefined)
      return err(invalid('waitDays', 'a waiting period goes with a notification date (notified)'));
  } else {
    const notified = parseDateField('notified', input.notified);
    if (!notified.ok) return notified;
    notifiedOn = notified.value;
    const wait = checkWaitDays('waitDays', waitDays);
    if (!wait.ok) return wait;
  }
  const sourceText = input.source?.trim() ?? '';
  return ok({
    key: key.value,
    countryText: input.country,
    fiscalYear: fy.value,
    amountCents,
    reason,
    notifiedOn,
    waitDays,
    source: sourceText === '' ? null : sourceText,
  });
}

/** Records a checked allocation change inside a write transaction (see setAllocation). */
export async function applySetAllocation(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  parsed: ParsedAllocation,
): Promise<Result<WorkOutcome<AllocationChange>>> {
  const { key, fiscalYear, amountCents, reason, notifiedOn, waitDays, source } = parsed;
  const { country, program } = key;
  if ((await findCountryRow(tx, country)) === undefined)
    return err(notFound('country', parsed.countryText, 'country'));
  await lockAllocation(tx, country, program, fiscalYear);
  const changedOn = dateOfInstant(now);
  const current = (await listAllocationHistory(tx, country, program, fiscalYear)).filter(
    (v) => v.supersededAt === null,
  );
  const inForceCents = versionInForce(current, changedOn)?.amountCents ?? null;
  const exemption = notificationExemption({
    program,
    hasVersions: current.length > 0,
    inForceCents,
    amountCents,
  });
  if (exemption === null && notifiedOn === null)
    return err(notificationRequired(key, fiscalYear, inForceCents, amountCents));

  const effectiveFrom = notifiedOn === null ? changedOn : addDays(notifiedOn, waitDays);
  const previous = versionInForce(current, effectiveFrom) ?? null;
  const replaced = current.filter((v) => v.effectiveFrom >= effectiveFrom);
  const id = ctx.newId('alc');
  const audit: AuditRecord[] = [];
  let notification: CongressionalNotification | null = null;
  if (notifiedOn !== null) {
    const from = inForceCents === null ? 'none' : formatUsd(inForceCents);
    notification = {
      id: ctx.newId('cn'),
      country,
      subject: `allocation ${id}: ${country} ${program} FY${fiscalYear} ${from} → ${formatUsd(amountCents)}`,
      notifiedOn,
      waitDays,
      windowEndsOn: effectiveFrom,
      source,
    };
    audit.push(await applyRecordNotification(tx, actor, now, notification, reason));
  }
  await supersedeAllocations(
    tx,
    replaced.map((v) => v.id),
    now,
  );
  for (const v of replaced) {
    audit.push({
      action: 'allocation.supersede',
      entityType: 'allocation',
      entityId: v.id,
      before: v,
      after: { ...v, supersededAt: now },
      reason: `replaced by ${id}: ${reason}`,
    });
  }
  const allocation: AllocationVersionWithNotice = {
    id,
    country,
    program,
    fiscalYear,
    amountCents,
    effectiveFrom,
    reason,
    source,
    notificationId: notification?.id ?? null,
    budgetStage: null,
    recordedAt: now,
    supersededAt: null,
    recordedBy: actor.id,
    notification,
  };
  await insertAllocations(tx, [
    {
      id,
      countryIso3: country,
      programCode: program,
      fiscalYear,
      amountCents,
      effectiveFrom,
      reason,
      source,
      notificationId: allocation.notificationId,
      recordedAt: now,
      recordedBy: actor.id,
    },
  ]);
  audit.push({
    action: 'allocation.set',
    entityType: 'allocation',
    entityId: id,
    // A creation has no before; a change shows the version it takes over from on its date.
    before: previous ?? undefined,
    after: allocation,
    reason,
  });
  return ok({
    value: {
      allocation,
      pending: effectiveFrom > changedOn,
      previousAmountCents: previous?.amountCents ?? null,
      notification,
      exemption,
      superseded: replaced.map((v) => v.id),
    },
    audit,
  });
}

/** A country's allocations for one program (or one FY of it): in force on a date, pending, history. */
export async function getAllocations(
  ctx: AppContext,
  query: AllocationQuery,
): Promise<Result<AllocationView>> {
  const key = parseKey(query.country, query.program);
  if (!key.ok) return key;
  let fiscalYear: number | undefined;
  if (query.fy !== undefined && query.fy !== '') {
    const fy = parseFiscalYearField('fy', query.fy);
    if (!fy.ok) return fy;
    fiscalYear = fy.value;
  }
  let asOf = today(ctx);
  if (query.on !== undefined && query.on !== '') {
    const on = parseDateField('on', query.on);
    if (!on.ok) return on;
    asOf = on.value;
  }
  const { country, program } = key.value;
  if ((await findCountryRow(ctx.store.db, country)) === undefined)
    return err(notFound('country', query.country, 'country'));
  const versions = await listAllocationHistory(ctx.store.db, country, program, fiscalYear);
  const byYear = new Map<number, AllocationVersionWithNotice[]>();
  for (const v of versions) {
    const list = byYear.get(v.fiscalYear) ?? [];
    list.push(v);
    byYear.set(v.fiscalYear, list);
  }
  const fiscalYears = [...byYear].map(([fy, history]) => ({
    fiscalYear: fy,
    inForce: versionInForce(history, asOf) ?? null,
    pending: history
      .filter((v) => v.supersededAt === null && v.effectiveFrom > asOf)
      .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1)),
    history,
  }));
  return ok({ country, program, asOf, fiscalYears });
}
