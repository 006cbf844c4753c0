// What a kind of job is: who may ask for it, how its input is read, and the work it does with progress.
import type { Capability } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import type { ProgressListener } from '../../core/imports/import-report.js';
import type { Result } from '../../core/result.js';
import type { AppContext } from '../context.js';

/** What a job leaves: a summary (JSON) and, for a report or an export, a file to download. */
export interface JobOutput {
  readonly fileName?: string;
  readonly contentType?: string;
  readonly bytes?: Uint8Array;
  /** What the job did, as JSON (counts, totals, a verification): shown in the job's outcome. */
  readonly summary: unknown;
}

/** The job a handler runs as. */
export interface JobRun {
  readonly id: string;
}

/**
 * A kind of job. `run` is the same code a synchronous route or command calls, given a progress
 * listener; it runs as the actor who submitted the job (with their role and scope as they are
 * when it starts). It returns a refusal as a result (the job fails with it as its problem); a
 * throw is a bug (the job fails as an internal error, the cause logged).
 */
export interface JobHandler<I = unknown> {
  /** Stable name, `<area>.<what>`, e.g. `audit.verify`, `report.fmt`, `import.budget`. */
  readonly kind: string;
  /**
   * The capability an actor needs to submit it (checked at submission, and again by `run`'s own
   * services when it starts); null when anyone signed in may ask, `run` limiting what they see.
   */
  readonly capability: Capability | null;
  /**
   * It may run again from the start when the server running it dies or stops (at most 3 starts):
   * its work only reads (a report, a verification; an audited read records itself each time), or
   * its one write is recorded with the job (WriteOptions.job), so a run after the write committed
   * ends with the write's answer and never writes twice (an import). Otherwise it fails,
   * JOB.INTERRUPTED, and is never run twice.
   */
  readonly rerunnable?: boolean;
  /** Reads the input as submitted (and again, from its JSON, when the job starts). */
  parseInput(input: unknown): Result<I>;
  /** What the job view shows of its input (default: the input itself): never file contents. */
  describeInput?(input: I): unknown;
  run(
    ctx: AppContext,
    actor: Actor,
    input: I,
    progress: ProgressListener,
    job: JobRun,
  ): Promise<Result<JobOutput>>;
}
