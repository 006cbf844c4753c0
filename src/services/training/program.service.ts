// A country's Standardized Training List for a fiscal year: the checks before approval
// (DESIGN §4.2), the funds position, and the end-of-year view of money that may move.
import { decide } from '../../core/eligibility/engine.js';
import { fundsPosition, type FundsPosition } from '../../core/funds.js';
import { formatUsd } from '../../core/money.js';
import {
  pmeAtLeastHalf,
  priorityAWithinAllocation,
  takesEndOfYearMoney,
} from '../../core/program-rules.js';
import { err, notFound, ok, type Result } from '../../core/result.js';
import {
  listAllocationsForYear,
  listCurrentAllocations,
} from '../../store/allocation.repository.js';
import { findCountryRow } from '../../store/reference.repository.js';
import { listLineSummaries, type LineSummary } from '../../store/training.repository.js';
import { seesCountry } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import { countryInScope } from '../access/scope.js';
import type { AppContext } from '../context.js';
import { checkFiscalYear } from '../field-input.js';
import { today } from '../context.js';
import { eligibilitySnapshot } from '../eligibility/eligibility.service.js';

export interface ListCheck {
  readonly rule: 'PRIORITY_A_WITHIN_ALLOCATION' | 'PME_AT_LEAST_HALF' | 'LINE_ELIGIBLE';
  readonly ok: boolean;
  readonly message: string;
  readonly lineId?: string;
  readonly numbers?: Readonly<Record<string, number>>;
}

export interface ProgramCheck {
  readonly country: string;
  readonly fiscalYear: number;
  readonly program: 'IMET';
  readonly funds: FundsPosition;
  readonly totals: {
    readonly byPriority: Readonly<Record<string, number>>;
    readonly byCategory: Readonly<Record<string, number>>;
  };
  readonly checks: readonly ListCheck[];
  readonly ok: boolean;
}

/** Money a line still commits: its seats not cancelled, plus the penalties of cancelled ones. */
function committed(line: LineSummary): number {
  return (
    (line.seatCount - line.cancelledSeats) * (line.unitTuitionCents + line.allowanceCents) +
    line.penaltiesCents
  );
}

/** A list's committed money by priority and by course category, as its checks count it. */
export function listTotals(lines: readonly LineSummary[]): {
  byPriority: Record<string, number>;
  byCategory: Record<string, number>;
} {
  const byPriority: Record<string, number> = { A: 0, B: 0, D: 0 };
  const byCategory: Record<string, number> = { PME: 0, technical: 0, english: 0, other: 0 };
  for (const line of lines) {
    byPriority[line.priority] = (byPriority[line.priority] ?? 0) + committed(line);
    byCategory[line.category] = (byCategory[line.category] ?? 0) + committed(line);
  }
  return { byPriority, byCategory };
}

/** A line's seats as the funds position counts them. */
export function seatsOf(line: LineSummary) {
  return Array.from({ length: line.seatCount }, (_, i) => ({
    status: i < line.cancelledSeats ? ('cancelled' as const) : ('programmed' as const),
    tuitionCents: line.unitTuitionCents,
    allowanceCents: line.allowanceCents,
    penaltyCents: i === 0 ? line.penaltiesCents : 0,
  }));
}

async function allocationFor(ctx: AppContext, country: string, fy: number): Promise<number> {
  const rows = await listCurrentAllocations(ctx.store.db, country, 'IMET', today(ctx));
  return rows.find((r) => r.fiscalYear === fy)?.amountCents ?? 0;
}

/** The checks of a country's IMET list for a fiscal year, each failure with its numbers. */
export async function checkProgram(
  ctx: AppContext,
  actor: Actor,
  iso3: string,
  fy: number,
): Promise<Result<ProgramCheck>> {
  const year = checkFiscalYear('fy', fy);
  if (!year.ok) return year;
  const country = iso3.toUpperCase();
  if ((await findCountryRow(ctx.store.db, country)) === undefined)
    return err(notFound('country', iso3, 'country'));
  const mine = countryInScope(actor, country);
  if (!mine.ok) return mine;
  const [lines, allocation, snapshot] = await Promise.all([
    listLineSummaries(ctx.store.db, { country, fiscalYear: fy, program: 'IMET' }),
    allocationFor(ctx, country, fy),
    eligibilitySnapshot(ctx),
  ]);
  const { byPriority, byCategory } = listTotals(lines);
  const priorityA = byPriority.A ?? 0;
  const pme = byCategory.PME ?? 0;
  const pct = (cents: number) =>
    allocation === 0 ? '—' : `${((cents * 100) / allocation).toFixed(2)}%`;
  const checks: ListCheck[] = [
    {
      rule: 'PRIORITY_A_WITHIN_ALLOCATION',
      ok: priorityAWithinAllocation(priorityA, allocation),
      message: `priority A lines ${formatUsd(priorityA)} are ${pct(priorityA)} of the ${formatUsd(allocation)} allocation (at most 100%)`,
      numbers: { priorityACents: priorityA, allocationCents: allocation },
    },
    {
      rule: 'PME_AT_LEAST_HALF',
      ok: pmeAtLeastHalf(pme, allocation),
      message: `PME lines ${formatUsd(pme)} are ${pct(pme)} of the ${formatUsd(allocation)} allocation (at least 50%)`,
      numbers: { pmeCents: pme, allocationCents: allocation },
    },
  ];
  for (const line of lines) {
    if (line.cancelledSeats === line.seatCount) continue;
    const d = decide(snapshot.index, {
      country,
      program: line.program,
      on: line.classStart,
      course: { id: line.courseId, schoolId: line.schoolId, eImet: line.eImet },
    });
    if (!d.eligible) {
      checks.push({
        rule: 'LINE_ELIGIBLE',
        ok: false,
        lineId: line.id,
        message: `line ${line.id} (${line.courseId} from ${line.classStart}): ${country} is not eligible for ${line.program}: ${d.restrictions
          .filter((r) => r.status === 'blocking')
          .map((r) => r.reason)
          .join('; ')}`,
      });
    }
  }
  if (!checks.some((c) => c.rule === 'LINE_ELIGIBLE')) {
    checks.push({
      rule: 'LINE_ELIGIBLE',
      ok: true,
      message: `every line's program is eligible at its class start (${lines.length} lines)`,
    });
  }
  return ok({
    country,
    fiscalYear: fy,
    program: 'IMET',
    funds: fundsPosition(allocation, lines.flatMap(seatsOf)),
    totals: { byPriority, byCategory },
    checks,
    ok: checks.every((c) => c.ok),
  });
}

export interface EndOfYear {
  readonly fiscalYear: number;
  readonly countries: readonly {
    readonly country: string;
    readonly releasedCents: number;
    readonly unprogrammedCents: number;
    readonly availableCents: number;
  }[];
  readonly totalAvailableCents: number;
  /** Lines that may take the money: priority B lines of PME or E-IMET courses (never technical or English). */
  readonly candidates: readonly {
    readonly lineId: string;
    readonly country: string;
    readonly courseId: string;
    readonly category: string;
    readonly eImet: boolean;
    readonly classStart: string;
    readonly costCents: number;
  }[];
}

/** Released and unprogrammed money of the countries the actor sees, and the lines that may take it. */
export async function endOfYear(
  ctx: AppContext,
  actor: Actor,
  fy: number,
): Promise<Result<EndOfYear>> {
  const year = checkFiscalYear('fy', fy);
  if (!year.ok) return year;
  const [allLines, allAllocations] = await Promise.all([
    listLineSummaries(ctx.store.db, { fiscalYear: fy, program: 'IMET' }),
    listAllocationsForYear(ctx.store.db, 'IMET', fy, today(ctx)),
  ]);
  const lines = allLines.filter((l) => seesCountry(actor, l.country));
  const allocations = new Map(
    [...allAllocations].filter(([country]) => seesCountry(actor, country)),
  );
  const byCountry = new Map<string, LineSummary[]>();
  for (const line of lines)
    byCountry.set(line.country, [...(byCountry.get(line.country) ?? []), line]);
  const countries = [];
  for (const country of [...new Set([...allocations.keys(), ...byCountry.keys()])].sort()) {
    const position = fundsPosition(
      allocations.get(country) ?? 0,
      (byCountry.get(country) ?? []).flatMap(seatsOf),
    );
    const unprogrammed = Math.max(position.unprogrammedCents, 0);
    if (position.releasedCents + unprogrammed === 0) continue;
    countries.push({
      country,
      releasedCents: position.releasedCents,
      unprogrammedCents: unprogrammed,
      availableCents: position.releasedCents + unprogrammed,
    });
  }
  const candidates = lines
    .filter(takesEndOfYearMoney)
    .filter((l) => l.cancelledSeats < l.seatCount)
    .map((l) => ({
      lineId: l.id,
      country: l.country,
      courseId: l.courseId,
      category: l.category,
      eImet: l.eImet,
      classStart: l.classStart,
      costCents: (l.seatCount - l.cancelledSeats) * (l.unitTuitionCents + l.allowanceCents),
    }));
  return ok({
    fiscalYear: fy,
    countries,
    totalAvailableCents: countries.reduce((n, c) => n + c.availableCents, 0),
    candidates,
  });
}
