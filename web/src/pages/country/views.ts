// The API's answers put in words for the page: a decision's verdict, an allocation year's note.
import { formatDate, formatUsd } from '../../format.js';
import type { AllocationYear, Decision } from './api.js';

export interface Verdict {
  readonly label: 'Eligible' | 'Blocked' | 'Eligible by relief';
  readonly tone: 'ok' | 'blocked' | 'relieved';
}

/** The API's verdict in words: eligible, blocked, or eligible because a relief lifts a restriction. */
export function verdictOf(decision: Pick<Decision, 'eligible' | 'restrictions'>): Verdict {
  if (!decision.eligible) return { label: 'Blocked', tone: 'blocked' };
  if (decision.restrictions.some((r) => r.status === 'relieved'))
    return { label: 'Eligible by relief', tone: 'relieved' };
  return { label: 'Eligible', tone: 'ok' };
}

/** What a fiscal year's note says: a change waiting for its window, or amounts superseded. */
export function noteOf(year: Pick<AllocationYear, 'pending' | 'history'>): string {
  const notes: string[] = [];
  for (const pending of year.pending)
    notes.push(
      `pending: ${formatUsd(pending.amountCents)} from ${formatDate(pending.effectiveFrom)}`,
    );
  const replaced = year.history.filter((v) => v.supersededAt !== null).length;
  if (replaced > 0)
    notes.push(`revised: ${replaced} earlier ${replaced === 1 ? 'amount' : 'amounts'} superseded`);
  return notes.join('; ');
}
