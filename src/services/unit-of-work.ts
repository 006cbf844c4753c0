// The only way services write: one transaction holding the change and its audit entries.
import { can, forbidden, type Capability } from '../core/access.js';
import type { Actor } from '../core/actor.js';
import { err, ok, type DomainError, type Result } from '../core/result.js';
import {
  appendAudit,
  auditTexts,
  lockAuditLog,
  type AuditRecord,
} from '../store/audit.repository.js';
import {
  abandonEligibilityCommit,
  beginEligibilityCommit,
  noteEligibilityWrite,
  planSerially,
  type Executor,
} from '../store/database.js';
import {
  readChangeCounter,
  readWrittenChanges,
  type WrittenChanges,
} from '../store/eligibility.repository.js';
import { findJobWrite, recordJobWrite } from '../store/job.repository.js';
import { findPgError } from '../store/pg-error.js';
import type { AppContext } from './context.js';
import { checkTextTree } from './field-input.js';

export interface WorkOutcome<T> {
  readonly value: T;
  readonly audit: readonly AuditRecord[];
}

class Refused extends Error {
  constructor(readonly domainError: DomainError) {
    super(domainError.message);
  }
}

/** Carries a dry run's outcome out of the transaction it rolls back. */
class DryRun<T> extends Error {
  constructor(readonly value: T) {
    super('dry run: rolled back');
  }
}

export interface WriteOptions {
  /**
   * Do everything the write does, audit included, then roll it all back and return what it would
   * have done. The preview and the write run the same code, so they cannot disagree.
   */
  readonly dryRun?: boolean;
  /**
   * The job (id) whose one write this is: recorded with what it answered in the same transaction
   * (job_writes), so the job run again after its server died ends with that answer, and a second
   * commit of it is refused (decision 014).
   */
  readonly job?: string;
}

/** PostgreSQL error codes a constraint raises, mapped to what they mean to a caller. */
const CONSTRAINT_ERRORS: Readonly<Record<string, { code: DomainError['code']; reason: string }>> = {
  '23P01': { code: 'CONFLICT', reason: 'DB.OVERLAP' },
  '23505': { code: 'CONFLICT', reason: 'DB.DUPLICATE' },
  '23503': { code: 'INPUT.INVALID', reason: 'DB.REFERENCE' },
  '23514': { code: 'INPUT.INVALID', reason: 'DB.CHECK' },
  // Text with U+0000 (PostgreSQL stores no NUL in text), from a road without the edges' check.
  '22021': { code: 'INPUT.INVALID', reason: 'TEXT.NOT_STORABLE' },
  '22P05': { code: 'INPUT.INVALID', reason: 'TEXT.NOT_STORABLE' },
};

/** Attempts of a write that meets a concurrent one (PostgreSQL), before it is refused. */
export const WRITE_ATTEMPTS = 5;
/** A serialization failure or a deadlock: the whole write is tried again. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * The one road every write takes (DESIGN §7): refuses an actor whose role lacks `capability`
 * before anything is read, then runs `work` in a transaction and appends its audit entries
 * there. A refused result rolls everything back, so a refusal never leaves a partial write; so
 * does any thrown error. Scope (which countries and schools) is checked by `work`, which knows
 * the record it touches.
 *
 * On PostgreSQL the transaction is SERIALIZABLE and first takes the audit log's lock, so writes
 * of every process run one after another, each seeing all the writes before it (decision 010): a
 * rule that reads before it writes (limits, overlaps, a seat's status) cannot be beaten by a
 * concurrent write. Should the database still abort it (a writer outside this road, a deadlock),
 * the whole work runs again, up to WRITE_ATTEMPTS times with jittered backoff, then the write is
 * refused as contended (409). PGlite runs one transaction at a time already.
 */
export async function writeTransaction<T>(
  ctx: AppContext,
  actor: Actor,
  capability: Capability,
  work: (tx: Executor, now: string) => Promise<Result<WorkOutcome<T>>>,
  options: WriteOptions = {},
): Promise<Result<T>> {
  if (!can(actor, capability)) return err(forbidden(actor, capability));
  for (let attempt = 1; ; attempt++) {
    try {
      const { value, eligibility } = await attemptWrite(ctx, actor, work, options);
      ctx.store.writes.count += 1;
      if (eligibility !== undefined) noteEligibilityWrite(ctx.store, eligibility);
      return ok(value);
    } catch (error) {
      if (error instanceof DryRun) return ok(error.value as T);
      if (error instanceof Refused) return err(error.domainError);
      const code = findPgError(error)?.code;
      if (code !== undefined && RETRYABLE.has(code)) {
        if (attempt < WRITE_ATTEMPTS) {
          await backoff(attempt);
          continue;
        }
        return err(contended(code));
      }
      const constraint = constraintError(error);
      if (constraint !== undefined) return err(constraint);
      throw error;
    }
  }
}

async function attemptWrite<T>(
  ctx: AppContext,
  actor: Actor,
  work: (tx: Executor, now: string) => Promise<Result<WorkOutcome<T>>>,
  options: WriteOptions,
): Promise<{ value: T; eligibility: WrittenChanges | undefined }> {
  const postgres = ctx.store.backend === 'postgres';
  const now = ctx.clock();
  // Its changes to the eligibility records, once read: the index hears of their commit from here.
  let eligibility: WrittenChanges | undefined;
  try {
    return await ctx.store.db.transaction(
      async (tx) => {
        // First, before any statement takes the transaction's snapshot: the snapshot then holds
        // every write committed before this one, and the audit chain's head is current.
        if (postgres) {
          await lockAuditLog(tx);
          await planSerially(tx);
        }
        // Where the change log stands: what this write logs comes after it (writes take turns).
        const logged = await readChangeCounter(tx);
        if (options.job !== undefined && (await findJobWrite(tx, options.job)) !== undefined)
          throw new Refused(writtenAlready(options.job));
        const outcome = await work(tx, now);
        if (!outcome.ok) throw new Refused(outcome.error);
        const text = storableText(outcome.value.audit);
        if (!text.ok) throw new Refused(text.error);
        await appendAudit(tx, actor.id, now, outcome.value.audit);
        if (options.dryRun === true) throw new DryRun(outcome.value.value);
        if (options.job !== undefined)
          await recordJobWrite(tx, options.job, JSON.stringify(outcome.value.value), now);
        // The countries whose eligibility records it changed, and the records: the index takes
        // them in as the commit returns, without reading them back.
        eligibility = await readWrittenChanges(tx, logged);
        if (eligibility !== undefined) beginEligibilityCommit(ctx.store, eligibility);
        return { value: outcome.value.value, eligibility };
      },
      postgres ? { isolationLevel: 'serializable' } : undefined,
    );
  } catch (error) {
    if (eligibility !== undefined) abandonEligibilityCommit(ctx.store, eligibility);
    throw error;
  }
}

function writtenAlready(job: string): DomainError {
  return {
    code: 'CONFLICT',
    reason: 'JOB.WRITTEN',
    message: `job ${job} has made its write already; it is not made twice`,
    details: { job },
  };
}

/** Waits 10, 20, 40, … ms, each time a random part of it, so writers that met do not meet again. */
function backoff(attempt: number): Promise<void> {
  const ms = 10 * 2 ** (attempt - 1) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function contended(code: string): DomainError {
  return {
    code: 'CONFLICT',
    reason: 'WRITE.CONTENDED',
    message: `the write met concurrent writes ${WRITE_ATTEMPTS} times in a row and was not made: try again`,
    details: { attempts: WRITE_ATTEMPTS, sqlState: code },
  };
}

/**
 * The edges refuse text the database cannot store as given (a NUL, a lone surrogate); a write that
 * comes another way (an import, a job) meets the same check here, on what it states it wrote, so
 * the stored record and its audit entry never differ. The texts it looks at are the entries' own,
 * worked out once for the append as well.
 */
function storableText(audit: readonly AuditRecord[]): Result<void> {
  for (const record of audit) {
    // JSON writes a NUL (any control character) or a lone surrogate as an escape: an entry whose
    // text has no `\u` at all holds neither, and its record needs no walk through (a cascade's
    // ten thousand entries).
    if (!auditTexts(record).tail.includes('\\u')) continue;
    const checked = checkTextTree({ after: record.after, reason: record.reason }, '', {
      limits: false,
    });
    if (!checked.ok) {
      const field = (checked.error.field ?? '').replace(/^(after|reason)\.?/, '');
      return err({ ...checked.error, field: field === '' ? 'reason' : field });
    }
  }
  return ok(undefined);
}

function constraintError(error: unknown): DomainError | undefined {
  const candidate = findPgError(error);
  if (candidate === undefined) return undefined;
  const mapped = CONSTRAINT_ERRORS[candidate.code];
  if (mapped === undefined) return undefined;
  if (mapped.reason === 'TEXT.NOT_STORABLE')
    return { ...mapped, message: 'text with a NUL character (U+0000) cannot be stored' };
  return {
    ...mapped,
    message: `refused by the database: ${candidate.constraint ?? candidate.message}`,
    details: { constraint: candidate.constraint ?? null },
  };
}
