// The seats of a fiscal year across every country the caller sees (DESIGN §4.2), for the
// dashboard: how many by status, and what restrictions did to them — the seats they cancelled,
// held or flagged and the money, counted as the cascade and a restriction's impact count it.
import type { Actor } from '../../core/actor.js';
import type { ProgramCode } from '../../core/programs.js';
import { ok, type Result } from '../../core/result.js';
import { SEAT_STATUSES, type SeatStatus } from '../../core/training.js';
import { tallySeats } from '../../store/seat-summary.repository.js';
import { seatVisible } from '../access/scope.js';
import type { AppContext } from '../context.js';
import { checkFiscalYear, parseProgramField } from '../field-input.js';

export interface SeatSummary {
  readonly fiscalYear: number;
  /** The program counted; null: every program. */
  readonly program: ProgramCode | null;
  /** Countries with at least one seat the caller sees. */
  readonly countries: number;
  readonly seats: number;
  /** Seats by status, every status named (0 when none). */
  readonly byStatus: Readonly<Record<SeatStatus, number>>;
  /** Seats in or past training that a restriction (or a unit denial) reached. */
  readonly flagged: number;
  /** What restrictions did to these seats. */
  readonly restricted: {
    readonly seats: number;
    readonly cancelled: number;
    readonly held: number;
    readonly flagged: number;
    /** Tuition and allowance of the seats a restriction cancelled, less penalties (none when the US cancels). */
    readonly releasedCents: number;
    /** Tuition and allowance of the seats a restriction holds: not spent, not yet released. */
    readonly heldCents: number;
  };
}

export interface SeatSummaryQuery {
  readonly fiscalYear: number;
  readonly program?: string | undefined;
}

/** The seats of a fiscal year the actor sees (an SCO: their countries; an IMSO: their schools), counted. */
export async function seatSummary(
  ctx: AppContext,
  actor: Actor,
  query: SeatSummaryQuery,
): Promise<Result<SeatSummary>> {
  const fy = checkFiscalYear('fy', query.fiscalYear);
  if (!fy.ok) return fy;
  let program: ProgramCode | undefined;
  if (query.program !== undefined) {
    const parsed = parseProgramField('program', query.program);
    if (!parsed.ok) return parsed;
    program = parsed.value;
  }
  const tallies = (await tallySeats(ctx.store.db, fy.value, program)).filter((tally) =>
    seatVisible(actor, tally),
  );
  const byStatus = Object.fromEntries(SEAT_STATUSES.map((s) => [s, 0])) as Record<
    SeatStatus,
    number
  >;
  const countries = new Set<string>();
  let seats = 0;
  let flagged = 0;
  const restricted = {
    seats: 0,
    cancelled: 0,
    held: 0,
    flagged: 0,
    releasedCents: 0,
    heldCents: 0,
  };
  for (const tally of tallies) {
    countries.add(tally.country);
    seats += tally.seats;
    byStatus[tally.status] += tally.seats;
    if (tally.flagged) flagged += tally.seats;
    if (!tally.restricted) continue;
    restricted.seats += tally.seats;
    if (tally.flagged) restricted.flagged += tally.seats;
    if (tally.status === 'cancelled') {
      restricted.cancelled += tally.seats;
      restricted.releasedCents += tally.costCents - tally.penaltyCents;
    }
    if (tally.status === 'held') {
      restricted.held += tally.seats;
      restricted.heldCents += tally.costCents;
    }
  }
  return ok({
    fiscalYear: fy.value,
    program: program ?? null,
    countries: countries.size,
    seats,
    byStatus,
    flagged,
    restricted,
  });
}
