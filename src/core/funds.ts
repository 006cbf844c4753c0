// Where a country's allocation for a program and fiscal year stands (DESIGN §4.2): committed to
// seats, released by cancellations, or not yet programmed. Money is conserved by construction here;
// the property tests check that every cascade and cancellation reports exactly what this counts.
import type { SeatStatus } from './training.js';

export interface SeatMoney {
  readonly status: SeatStatus;
  readonly tuitionCents: number;
  readonly allowanceCents: number;
  readonly penaltyCents: number;
}

export interface FundsPosition {
  readonly allocationCents: number;
  /** Tuition and allowance of every seat not cancelled, plus the penalties of cancelled ones. */
  readonly committedCents: number;
  /** What cancellations gave back: their tuition and allowance less any penalty. */
  readonly releasedCents: number;
  readonly penaltiesCents: number;
  /** The allocation not programmed on any seat; negative when over-programmed. */
  readonly unprogrammedCents: number;
}

/**
 * The position of one allocation: allocation = committed + released + unprogrammed.
 * @example fundsPosition(1_000, [{ status: 'cancelled', tuitionCents: 300, allowanceCents: 0, penaltyCents: 150 }]) // committed 150, released 150, unprogrammed 700
 */
export function fundsPosition(allocationCents: number, seats: readonly SeatMoney[]): FundsPosition {
  let programmed = 0;
  let released = 0;
  let penalties = 0;
  for (const s of seats) {
    const cost = s.tuitionCents + s.allowanceCents;
    programmed += cost;
    if (s.status === 'cancelled') {
      released += cost - s.penaltyCents;
      penalties += s.penaltyCents;
    }
  }
  return {
    allocationCents,
    committedCents: programmed - released,
    releasedCents: released,
    penaltiesCents: penalties,
    unprogrammedCents: allocationCents - programmed,
  };
}
