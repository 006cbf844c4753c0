// `attache reprogram` and GET /reprogramming: the best use of money a suspension released (or the
// fiscal year's end left), proposed from the record as it stands (issue 17). It reads the year's
// IMET lists of every country, the money in the pool, the eligibility of each line at its class
// start, and asks the optimizer (core/reprogram, HiGHS in a worker); it writes nothing.
import { createHash } from 'node:crypto';
import { can, forbidden, seesAll } from '../../core/access.js';
import { notificationExemption } from '../../core/allocation-rules.js';
import type { Actor } from '../../core/actor.js';
import { dateOfInstant, type IsoDate } from '../../core/dates.js';
import { formatUsd } from '../../core/money.js';
import { decide, type EligibilityIndex } from '../../core/eligibility/engine.js';
import { fundsPosition } from '../../core/funds.js';
import {
  classKey,
  DEFAULT_WEIGHTS,
  POOLS,
  type Candidate,
  type ClassCapacity,
  type ListPosition,
  type Pool,
  type ReprogramInput,
} from '../../core/reprogram/model.js';
import {
  checkPlan,
  listsAfter,
  planOf,
  type Conflict,
  type ListAfter,
  type Proposal,
} from '../../core/reprogram/proposal.js';
import {
  err,
  invalid,
  notFound,
  ok,
  refused,
  type DomainError,
  type Result,
} from '../../core/result.js';
import {
  COURSE_CATEGORIES,
  PRIORITIES,
  type CourseCategory,
  type Priority,
} from '../../core/training.js';
import { listAllocationsForYear } from '../../store/allocation.repository.js';
import type { Executor } from '../../store/database.js';
import { classSeatsOf } from '../../store/course-class.repository.js';
import { findCountryRow } from '../../store/reference.repository.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import { insertReprogramming, movedOutOfPools } from '../../store/reprogramming.repository.js';
import {
  lastCancellationOn,
  listLineSummaries,
  setLinePriority,
  splitLine,
  type LineSummary,
} from '../../store/training.repository.js';
import { today, type AppContext } from '../context.js';
import { eligibilitySnapshot } from '../eligibility/eligibility.service.js';
import { checkFiscalYear, oneOf, parseDateField } from '../field-input.js';
import { applySetAllocation, parseAllocation } from '../training/allocation.service.js';
import { classView } from '../training/class-seats.service.js';
import { listTotals, seatsOf } from '../training/program.service.js';
import { writeTransaction } from '../unit-of-work.js';
import { DEFAULT_SOLVE, propose } from './solver.js';

export interface ReprogramRequest {
  readonly fiscalYear: number;
  /** `released` (by cancellations) or `end-of-year` (released and unprogrammed). */
  readonly pool: string;
  /** Only this country's money goes into the pool. */
  readonly country?: string | undefined;
  /** The day of the proposal (YYYY-MM-DD): classes that started by then take no seat. */
  readonly on?: string | undefined;
  /** Seconds the solver may take (default 10, at most 120). */
  readonly timeLimitSeconds?: number | undefined;
  /** Lines the program manager holds to, `LINE` (every open seat) or `LINE:SEATS`: the rest is chosen around them. */
  readonly keep?: readonly string[] | undefined;
}

export interface ReprogramAnswer {
  readonly on: IsoDate;
  /** Where the day came from when it was not asked. */
  readonly onReason: string;
  /** A digest of the record the proposal was made from: applying it is refused once it moves. */
  readonly basis: string;
  /** Countries whose money is in the pool, and how much each gave. */
  readonly sources: readonly { readonly country: string; readonly cents: number }[];
  readonly proposal: Proposal | null;
  /** The rules that conflict, when no proposal can keep them all. */
  readonly conflicts: readonly Conflict[];
  /** Each funded country's list as the proposal leaves it, checked by the list check's rules. */
  readonly listsAfter: readonly ListAfter[];
  /** What a seat is worth, by priority and course category. */
  readonly weights: typeof DEFAULT_WEIGHTS;
}

const MAX_SECONDS = 120;

/** When a fiscal year's end-of-year money is re-programmed: its fourth quarter. */
const endOfYearOn = (fy: number) => `${fy}-07-01` as IsoDate;

function parseRequest(request: ReprogramRequest): Result<{
  fy: number;
  pool: Pool;
  country?: string;
  on?: IsoDate;
  seconds: number;
  keep: { lineId: string; seats: number | undefined }[];
}> {
  const fy = checkFiscalYear('fy', request.fiscalYear);
  if (!fy.ok) return fy;
  const pool = oneOf('pool', request.pool, POOLS, 'pool');
  if (!pool.ok) return pool;
  let on: IsoDate | undefined;
  if (request.on !== undefined && request.on !== '') {
    const parsed = parseDateField('on', request.on);
    if (!parsed.ok) return parsed;
    on = parsed.value;
  }
  const seconds = request.timeLimitSeconds ?? DEFAULT_SOLVE.timeLimitSeconds;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_SECONDS)
    return err(
      invalid('timeLimit', `seconds the solver may take, more than 0 and at most ${MAX_SECONDS}`),
    );
  const keep: { lineId: string; seats: number | undefined }[] = [];
  for (const text of request.keep ?? []) {
    const match = /^\s*([A-Za-z0-9_-]{1,64})\s*(?::\s*(\d{1,4}))?\s*$/.exec(text);
    if (match === null)
      return err(
        invalid(
          'keep',
          `a line to keep is LINE or LINE:SEATS (got ${JSON.stringify(text.slice(0, 80))})`,
        ),
      );
    keep.push({ lineId: match[1]!, seats: match[2] === undefined ? undefined : Number(match[2]) });
  }
  const country = request.country?.trim().toUpperCase();
  return ok({
    keep,
    fy: fy.value,
    pool: pool.value,
    ...(country === undefined || country === '' ? {} : { country }),
    ...(on === undefined ? {} : { on }),
    seconds,
  });
}

const asCategory = (c: string): CourseCategory =>
  (COURSE_CATEGORIES as readonly string[]).includes(c) ? (c as CourseCategory) : 'other';
const asPriority = (p: string): Priority =>
  (PRIORITIES as readonly string[]).includes(p) ? (p as Priority) : 'D';

type Parsed = Extract<ReturnType<typeof parseRequest>, { ok: true }>['value'];

const notAllCountries = (actor: Actor): DomainError => ({
  code: 'FORBIDDEN',
  reason: 'REPROGRAM.ALL_COUNTRIES',
  message: `re-programming moves money between countries: the ${actor.role} role does not see them all`,
});

/** What a proposal is made from, read from `db` (the store, or a write's transaction). */
interface Read {
  readonly input: ReprogramInput;
  readonly sources: readonly { readonly country: string; readonly cents: number }[];
  readonly onReason: string;
}

/**
 * The optimizer's input as the record stands in `db`: every country's IMET list of the year, each
 * country's money in the pool (released by cancellations, and at the year's end unprogrammed,
 * less what earlier re-programmings took from it), the eligibility of every line at its class
 * start under `index`, and the day of the proposal.
 */
async function readInput(
  db: Executor,
  index: EligibilityIndex,
  parsed: Parsed,
  day: IsoDate,
): Promise<Result<Read>> {
  const { fy, pool } = parsed;
  const source = parsed.country;
  const [lines, moved] = await Promise.all([
    listLineSummaries(db, { fiscalYear: fy, program: 'IMET' }),
    movedOutOfPools(db, fy),
  ]);
  const byCountry = new Map<string, LineSummary[]>();
  for (const line of lines)
    byCountry.set(line.country, [...(byCountry.get(line.country) ?? []), line]);
  // The money in force today (the day the apply writes), whatever day the classes are judged on.
  const allocations = await listAllocationsForYear(db, 'IMET', fy, day);
  const pooled = new Map<string, number>();
  for (const country of new Set([...byCountry.keys(), ...allocations.keys()])) {
    if (source !== undefined && country !== source) continue;
    const funds = fundsPosition(
      allocations.get(country) ?? 0,
      (byCountry.get(country) ?? []).flatMap(seatsOf),
    );
    const cents =
      funds.releasedCents +
      (pool === 'end-of-year' ? Math.max(0, funds.unprogrammedCents) : 0) -
      (moved.get(country) ?? 0);
    if (cents > 0) pooled.set(country, cents);
  }
  let on = parsed.on;
  let onReason = 'asked';
  if (on === undefined) {
    const released = await lastCancellationOn(db, {
      fiscalYear: fy,
      program: 'IMET',
      countries: [...pooled.keys()],
    });
    const proposed = pool === 'released' ? released : endOfYearOn(fy);
    on = proposed !== undefined && proposed < day ? proposed : day;
    onReason =
      on === day
        ? 'today'
        : pool === 'released'
          ? 'the day the pooled money was last released'
          : "the start of the fiscal year's fourth quarter";
  }

  const lists: ListPosition[] = [];
  for (const [country, countryLines] of byCountry) {
    const allocation = allocations.get(country);
    if (allocation === undefined) continue;
    const { byPriority, byCategory } = listTotals(countryLines);
    lists.push({
      country,
      allocationCents: allocation,
      priorityACents: byPriority.A ?? 0,
      pmeCents: byCategory.PME ?? 0,
      pooledCents: pooled.get(country) ?? 0,
    });
  }
  const candidates: Candidate[] = lines
    .filter((l) => l.seatCount > l.cancelledSeats)
    .map((l) => {
      const decision = decide(index, {
        country: l.country,
        program: l.program,
        on: l.classStart,
        course: { id: l.courseId, schoolId: l.schoolId, eImet: l.eImet },
      });
      return {
        lineId: l.id,
        country: l.country,
        courseId: l.courseId,
        category: asCategory(l.category),
        eImet: l.eImet,
        priority: asPriority(l.priority),
        classStart: l.classStart,
        seats: l.seatCount - l.cancelledSeats,
        seatCents: l.unitTuitionCents + l.allowanceCents,
        blocking: decision.eligible
          ? []
          : decision.restrictions
              .filter((r) => r.status === 'blocking')
              .map((r) => ({ restrictionId: r.id, reason: r.reason })),
      };
    });
  const required: { lineId: string; seats: number }[] = [];
  for (const k of parsed.keep) {
    const line = candidates.find((c) => c.lineId === k.lineId);
    if (line === undefined)
      return err(invalid('keep', `line ${k.lineId} is no IMET line of FY${fy} with open seats`));
    if (k.seats !== undefined && k.seats > line.seats)
      return err(invalid('keep', `line ${k.lineId} has ${line.seats} open seats, not ${k.seats}`));
    if (required.some((r) => r.lineId === k.lineId))
      return err(invalid('keep', `line ${k.lineId} is kept twice`));
    required.push({ lineId: k.lineId, seats: k.seats ?? line.seats });
  }
  // The seats each class has left for funded lines: what the wish list may take there.
  const wishedClasses = new Map<string, { courseId: string; classStart: IsoDate }>();
  for (const c of candidates)
    if (c.priority === 'B')
      wishedClasses.set(classKey(c.courseId, c.classStart), {
        courseId: c.courseId,
        classStart: c.classStart,
      });
  const capacities: ClassCapacity[] = (await classSeatsOf(db, [...wishedClasses.values()])).map(
    (k) => ({
      courseId: k.courseId,
      classStart: k.classStart,
      seats: classView(k).openSeats ?? 0,
    }),
  );
  return ok({
    input: {
      fiscalYear: fy,
      pool,
      poolCents: [...pooled.values()].reduce((n, c) => n + c, 0),
      on,
      lists: lists.sort((a, b) => (a.country < b.country ? -1 : 1)),
      // In an order of what the lines are, not of their random ids: the same record gives the
      // solver the same program, and so the same one of several equal proposals.
      candidates: candidates.sort(byContent),
      capacities,
      weights: DEFAULT_WEIGHTS,
      required,
    },
    sources: [...pooled]
      .map(([country, cents]) => ({ country, cents }))
      .sort((a, b) => (a.country < b.country ? -1 : 1)),
    onReason,
  });
}

const contentKey = (c: Candidate) =>
  [
    c.country,
    c.classStart,
    c.courseId,
    c.priority,
    String(c.seats).padStart(6, '0'),
    String(c.seatCents).padStart(15, '0'),
    c.lineId,
  ].join('|');

function byContent(a: Candidate, b: Candidate): number {
  const [x, y] = [contentKey(a), contentKey(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The record a proposal was made from, as a digest of everything the optimizer read (lists, money,
 * lines and their eligibility, the day): applying it is refused when the digest has moved.
 */
export function basisOf(input: ReprogramInput): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('base64url');
}

/** Proposes the use of a fiscal year's pool; reads only. Program managers, analysts, admins. */
export async function proposeReprogramming(
  ctx: AppContext,
  actor: Actor,
  request: ReprogramRequest,
): Promise<Result<ReprogramAnswer>> {
  const parsed = parseRequest(request);
  if (!parsed.ok) return parsed;
  const { seconds } = parsed.value;
  if (!seesAll(actor)) return err(notAllCountries(actor));
  const source = parsed.value.country;
  if (source !== undefined && (await findCountryRow(ctx.store.db, source)) === undefined)
    return err(notFound('country', request.country ?? source, 'country'));
  const snapshot = await eligibilitySnapshot(ctx);
  const read = await readInput(ctx.store.db, snapshot.index, parsed.value, today(ctx));
  if (!read.ok) return read;
  const { input, sources, onReason } = read.value;
  const on = input.on;
  const result = await propose(input, { ...DEFAULT_SOLVE, timeLimitSeconds: seconds });
  if (!result.ok && result.reason === 'no-solution')
    return err({
      code: 'RULE.REFUSED',
      reason: 'REPROGRAM.NO_SOLUTION',
      field: 'timeLimit',
      message: `the solver found no proposal in ${seconds} s: allow it more time (timeLimit)`,
    });
  if (result.ok) {
    // The solver's answer is checked again by the list rules: a proposal that breaks one is a bug.
    const wrong = checkPlan(input, result.proposal);
    if (wrong.length > 0)
      throw new Error(`re-programming proposal breaks a rule: ${wrong.join('; ')}`);
  }
  return ok({
    on,
    onReason,
    sources,
    basis: basisOf(input),
    proposal: result.ok ? result.proposal : null,
    conflicts: result.ok ? [] : result.conflicts,
    listsAfter: result.ok ? listsAfter(input, result.proposal) : [],
    weights: DEFAULT_WEIGHTS,
  });
}

/** A proposal to apply: the question it answered, the record it was made from, its lines. */
export interface ApplyRequest extends ReprogramRequest {
  /** The proposal's `basis`: the apply is refused when the record has moved since. */
  readonly basis: string;
  /** The seats to fund on each line: the proposal's `chosen`. */
  readonly lines: readonly { readonly lineId: string; readonly seats: number }[];
  /** The day Congress was notified of the allocation changes that need it ($25,000 or more). */
  readonly notified?: string | undefined;
}

export interface Applied {
  readonly id: string;
  readonly fiscalYear: number;
  readonly usedCents: number;
  /** Each line funded: whole (made priority A), or split, its funded seats a new priority A line. */
  readonly lines: readonly {
    readonly lineId: string;
    readonly seats: number;
    readonly fundedLineId: string;
  }[];
  readonly allocations: readonly {
    readonly country: string;
    readonly fromCents: number;
    readonly toCents: number;
    /** The day the new amount is in force: at once, or when the notification's window ends. */
    readonly effectiveFrom: string;
  }[];
  /** What each source country's pool gave. */
  readonly sources: readonly { readonly country: string; readonly cents: number }[];
}

const stale = (): DomainError => ({
  code: 'CONFLICT',
  reason: 'REPROGRAM.STALE',
  message:
    'the record has changed since the proposal was made (lines, allocations, money or eligibility): ask for a new proposal',
});

function parseLines(lines: unknown): Result<{ lineId: string; seats: number }[]> {
  if (!Array.isArray(lines) || lines.length === 0)
    return err(invalid('lines', 'the lines to fund, each { lineId, seats }: at least one'));
  const parsed: { lineId: string; seats: number }[] = [];
  for (const line of lines as unknown[]) {
    const { lineId, seats } = (typeof line === 'object' && line !== null ? line : {}) as {
      lineId?: unknown;
      seats?: unknown;
    };
    if (typeof lineId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(lineId))
      return err(
        invalid(
          'lines',
          `a line id is letters, digits, _ and - (got ${JSON.stringify(String(lineId).slice(0, 80))})`,
        ),
      );
    if (typeof seats !== 'number' || !Number.isSafeInteger(seats) || seats < 1)
      return err(invalid('lines', `line ${lineId}: seats is a whole number from 1`));
    if (parsed.some((l) => l.lineId === lineId))
      return err(invalid('lines', `line ${lineId} is given twice`));
    parsed.push({ lineId, seats });
  }
  return ok(parsed);
}

/**
 * Applies a proposal on the one write road, in one audited transaction: each funded line becomes
 * priority A (split when only some of its seats are funded), each country's allocation grows by
 * its grant (notified to Congress when the change needs it), and what each source's pool gave is
 * recorded so it is not proposed again. Refused whole when the record has moved since the
 * proposal (its basis) or when the lines break a rule. Program managers and admins.
 */
export async function applyReprogramming(
  ctx: AppContext,
  actor: Actor,
  request: ApplyRequest,
): Promise<Result<Applied>> {
  const parsed = parseRequest(request);
  if (!parsed.ok) return parsed;
  if (!seesAll(actor)) return err(notAllCountries(actor));
  if (!can(actor, 'training.write')) return err(forbidden(actor, 'training.write'));
  if (typeof request.basis !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(request.basis))
    return err(invalid('basis', "the proposal's basis, as the proposal gave it"));
  const lines = parseLines(request.lines);
  if (!lines.ok) return lines;
  let notified: IsoDate | undefined;
  if (request.notified !== undefined && request.notified !== '') {
    const date = parseDateField('notified', request.notified);
    if (!date.ok) return date;
    notified = date.value;
  }
  const source = parsed.value.country;
  if (source !== undefined && (await findCountryRow(ctx.store.db, source)) === undefined)
    return err(notFound('country', request.country ?? source, 'country'));
  const snapshot = await eligibilitySnapshot(ctx);
  return writeTransaction(ctx, actor, 'allocations.write', async (tx, now) => {
    const day = dateOfInstant(now);
    const read = await readInput(tx, snapshot.index, parsed.value, day);
    if (!read.ok) return read;
    const { input, sources } = read.value;
    if (basisOf(input) !== request.basis) return err(stale());
    const unknown = lines.value.find((l) => !input.candidates.some((c) => c.lineId === l.lineId));
    if (unknown !== undefined)
      return err(
        invalid(
          'lines',
          `line ${unknown.lineId} is no IMET line of FY${input.fiscalYear} with open seats`,
        ),
      );
    const plan = planOf(input, new Map(lines.value.map((l) => [l.lineId, l.seats])));
    const wrong = checkPlan(input, plan);
    if (wrong.length > 0)
      return err(
        refused('REPROGRAM.BREAKS_RULE', 'lines', `the lines break a rule: ${wrong.join('; ')}`),
      );
    const audit: AuditRecord[] = [];
    const funded: Applied['lines'][number][] = [];
    for (const line of plan.chosen) {
      if (line.seatsLeft === 0) {
        const { before, after } = await setLinePriority(tx, line.lineId, 'A');
        audit.push({
          action: 'line.fund',
          entityType: 'training-line',
          entityId: line.lineId,
          before,
          after,
          reason: 'funded by a re-programming',
        });
        funded.push({ lineId: line.lineId, seats: line.seats, fundedLineId: line.lineId });
      } else {
        const newLineId = ctx.newId('tl');
        const split = await splitLine(tx, {
          lineId: line.lineId,
          newLineId,
          seats: line.seats,
          priority: 'A',
          now,
        });
        const why = `${line.seats} of its seats funded by a re-programming, as line ${newLineId}`;
        audit.push(
          {
            action: 'line.split',
            entityType: 'training-line',
            entityId: line.lineId,
            before: split.before,
            after: split.after,
            reason: why,
          },
          {
            action: 'line.add',
            entityType: 'training-line',
            entityId: newLineId,
            after: split.added,
            reason: `split off line ${line.lineId}, funded by a re-programming`,
          },
          ...split.moved.map((seat): AuditRecord => ({
            action: 'seat.move-line',
            entityType: 'seat',
            entityId: seat.id,
            after: seat,
            reason: `moved from line ${line.lineId} to ${newLineId}`,
          })),
        );
        funded.push({ lineId: line.lineId, seats: line.seats, fundedLineId: newLineId });
      }
    }
    // The allocations in force today, as the proposal read them in this transaction; a grant
    // goes only to a country with a list, so with an allocation.
    const inForce = new Map(input.lists.map((l) => [l.country, l.allocationCents]));
    const allocations: Applied['allocations'][number][] = [];
    const from = sources.map((s) => s.country).join(', ');
    for (const grant of plan.grants.filter((g) => g.cents > 0)) {
      const fromCents = inForce.get(grant.country) ?? 0;
      const toCents = fromCents + grant.cents;
      const needsNotice =
        notificationExemption({
          program: 'IMET',
          hasVersions: inForce.has(grant.country),
          inForceCents: fromCents,
          amountCents: toCents,
        }) === null;
      if (needsNotice && notified === undefined)
        return err(
          invalid(
            'notified',
            `${grant.country}'s allocation grows by ${formatUsd(grant.cents)}: a change of $25,000 or more is notified to Congress first; give the notification date`,
          ),
        );
      const change = parseAllocation({
        country: grant.country,
        program: 'IMET',
        fiscalYear: input.fiscalYear,
        amountCents: toCents,
        reason: `re-programmed: ${formatUsd(grant.cents)} of FY${input.fiscalYear}'s ${input.pool} pool (from ${from})`,
        notified: needsNotice ? notified : undefined,
      });
      if (!change.ok) return change;
      const set = await applySetAllocation(tx, ctx, actor, now, change.value);
      if (!set.ok) return set;
      audit.push(...set.value.audit);
      allocations.push({
        country: grant.country,
        fromCents,
        toCents,
        effectiveFrom: set.value.value.allocation.effectiveFrom,
      });
    }
    // The pool is one sum: what it gave is taken from its sources in their order.
    let left = plan.usedCents;
    const gave: { country: string; cents: number }[] = [];
    for (const s of sources) {
      const cents = Math.min(left, s.cents);
      if (cents > 0) gave.push({ country: s.country, cents });
      left -= cents;
    }
    const id = ctx.newId('rpg');
    const row = {
      id,
      fiscalYear: input.fiscalYear,
      pool: input.pool,
      proposedOn: input.on,
      basis: request.basis,
      usedCents: plan.usedCents,
      recordedAt: now,
    };
    await insertReprogramming(tx, row, gave);
    audit.push({
      action: 'reprogramming.apply',
      entityType: 'reprogramming',
      entityId: id,
      after: { ...row, sources: gave, lines: funded, allocations },
    });
    return ok({
      value: {
        id,
        fiscalYear: input.fiscalYear,
        usedCents: plan.usedCents,
        lines: funded,
        allocations,
        sources: gave,
      },
      audit,
    });
  });
}
