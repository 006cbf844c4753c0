// The demo as a replay: each write of its story is a dated step that runs a user's apply function
// with the clock of its day, in the order the days came, inside the demo's one transaction.
import { dateOfInstant, type IsoDate } from '../../core/dates.js';
import type { DomainError, Result } from '../../core/result.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { WorkOutcome } from '../unit-of-work.js';

export interface DemoStep {
  /** The day it happened. */
  readonly on: string;
  /** What it is, for the message if the step is refused. */
  readonly what: string;
  /** Runs the write as of `now` (an instant of its day); `today` is that day. */
  readonly run: (now: string, today: IsoDate) => Promise<Result<WorkOutcome<unknown>>>;
}

/**
 * When the demo says something was recorded: on the day it happened (15:00 UTC, office hours in
 * Washington), never after the load itself. So "as known on" a past day has an answer in the demo:
 * on 2019-12-01 the 2020 IMET exception for Pakistan was not yet on record.
 */
export function recordedOn(date: string, now: string): string {
  const instant = `${date}T15:00:00.000Z`;
  return instant < now ? instant : now;
}

/** The demo's data is ours: a refusal is a bug in it, so it throws, naming the step. */
export function unwrap<T>(what: string, result: Result<T>): T {
  if (!result.ok) throw new Error(`demo: ${what}: ${describe(result.error)}`);
  return result.value;
}

function describe(error: DomainError): string {
  return `${error.message} [${error.reason}]`;
}

/**
 * Runs the steps in the order of their days (steps of one day in the order given) and collects
 * their audit entries; those entries keep the instant the load writes them.
 */
export async function replay(
  steps: readonly DemoStep[],
  loadNow: string,
  audit: AuditRecord[],
): Promise<void> {
  const ordered = steps
    .map((step, i) => ({ step, i }))
    .sort((a, b) => (a.step.on < b.step.on ? -1 : a.step.on > b.step.on ? 1 : a.i - b.i));
  for (const { step } of ordered) {
    const now = recordedOn(step.on, loadNow);
    const outcome = unwrap(step.what, await step.run(now, dateOfInstant(now)));
    audit.push(...outcome.audit);
  }
}
