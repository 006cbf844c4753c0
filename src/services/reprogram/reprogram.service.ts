// `attache reprogram` and GET /reprogramming: the best use of money a suspension released (or the
// fiscal year's end left), proposed from the record as it stands (issue 17). It reads the year's
// IMET lists of every country, the money in the pool, the eligibility of each line at its class
// start, and asks the optimizer (core/reprogram, HiGHS in a worker); it writes nothing.
import { seesAll } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import type { IsoDate } from '../../core/dates.js';
import { decide } from '../../core/eligibility/engine.js';
import { fundsPosition } from '../../core/funds.js';
import {
  DEFAULT_WEIGHTS,
  POOLS,
  type Candidate,
  type ListPosition,
  type Pool,
  type ReprogramInput,
} from '../../core/reprogram/model.js';
import {
  checkPlan,
  listsAfter,
  type Conflict,
  type ListAfter,
  type Proposal,
} from '../../core/reprogram/proposal.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import {
  COURSE_CATEGORIES,
  PRIORITIES,
  type CourseCategory,
  type Priority,
} from '../../core/training.js';
import { listAllocationsForYear } from '../../store/allocation.repository.js';
import { findCountryRow } from '../../store/reference.repository.js';
import {
  lastCancellationOn,
  listLineSummaries,
  type LineSummary,
} from '../../store/training.repository.js';
import { today, type AppContext } from '../context.js';
import { eligibilitySnapshot } from '../eligibility/eligibility.service.js';
import { checkFiscalYear, oneOf, parseDateField } from '../field-input.js';
import { listTotals, seatsOf } from '../training/program.service.js';
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

/** Proposes the use of a fiscal year's pool; reads only. Program managers, analysts, admins. */
export async function proposeReprogramming(
  ctx: AppContext,
  actor: Actor,
  request: ReprogramRequest,
): Promise<Result<ReprogramAnswer>> {
  const parsed = parseRequest(request);
  if (!parsed.ok) return parsed;
  const { fy, pool, seconds } = parsed.value;
  if (!seesAll(actor))
    return err({
      code: 'FORBIDDEN',
      reason: 'REPROGRAM.ALL_COUNTRIES',
      message: `re-programming moves money between countries: the ${actor.role} role does not see them all`,
    });
  const source = parsed.value.country;
  if (source !== undefined && (await findCountryRow(ctx.store.db, source)) === undefined)
    return err(notFound('country', request.country ?? source, 'country'));
  const [lines, snapshot] = await Promise.all([
    listLineSummaries(ctx.store.db, { fiscalYear: fy, program: 'IMET' }),
    eligibilitySnapshot(ctx),
  ]);
  const byCountry = new Map<string, LineSummary[]>();
  for (const line of lines)
    byCountry.set(line.country, [...(byCountry.get(line.country) ?? []), line]);

  // Each country's money in the pool: what its cancellations released (and, at the year's end,
  // what it left unprogrammed), as the funds position counts them.
  const day = today(ctx);
  const allocations = await listAllocationsForYear(
    ctx.store.db,
    'IMET',
    fy,
    parsed.value.on ?? day,
  );
  const pooled = new Map<string, number>();
  for (const country of new Set([...byCountry.keys(), ...allocations.keys()])) {
    if (source !== undefined && country !== source) continue;
    const funds = fundsPosition(
      allocations.get(country) ?? 0,
      (byCountry.get(country) ?? []).flatMap(seatsOf),
    );
    const cents =
      funds.releasedCents + (pool === 'end-of-year' ? Math.max(0, funds.unprogrammedCents) : 0);
    if (cents > 0) pooled.set(country, cents);
  }
  let on = parsed.value.on;
  let onReason = 'asked';
  if (on === undefined) {
    const released = await lastCancellationOn(ctx.store.db, {
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
      const decision = decide(snapshot.index, {
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
  for (const k of parsed.value.keep) {
    const line = candidates.find((c) => c.lineId === k.lineId);
    if (line === undefined)
      return err(invalid('keep', `line ${k.lineId} is no IMET line of FY${fy} with open seats`));
    if (k.seats !== undefined && k.seats > line.seats)
      return err(invalid('keep', `line ${k.lineId} has ${line.seats} open seats, not ${k.seats}`));
    required.push({ lineId: k.lineId, seats: k.seats ?? line.seats });
  }
  const input: ReprogramInput = {
    fiscalYear: fy,
    pool,
    poolCents: [...pooled.values()].reduce((n, c) => n + c, 0),
    on,
    lists,
    candidates,
    capacities: [],
    weights: DEFAULT_WEIGHTS,
    required,
  };
  const result = await propose(input, { ...DEFAULT_SOLVE, timeLimitSeconds: seconds });
  const sources = [...pooled]
    .map(([country, cents]) => ({ country, cents }))
    .sort((a, b) => (a.country < b.country ? -1 : 1));
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
    proposal: result.ok ? result.proposal : null,
    conflicts: result.ok ? [] : result.conflicts,
    listsAfter: result.ok ? listsAfter(input, result.proposal) : [],
    weights: DEFAULT_WEIGHTS,
  });
}
