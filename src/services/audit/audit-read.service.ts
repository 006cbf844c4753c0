// Reads of sensitive records, appended to the audit chain as `read` entries.
import type { Actor } from '../../core/actor.js';
import { appendAudit } from '../../store/audit.repository.js';
import type { Store } from '../../store/database.js';
import type { AppContext } from '../context.js';

/** The record read, and why when the caller knows (a search, an export). */
export interface RecordRead {
  readonly entityType: string;
  readonly entityId: string;
  readonly reason?: string;
}

/**
 * Appends one `read` entry (no before, no after) for `actor` reading a record, on the same chain
 * as every write, and resolves once it is committed. Call it after the read succeeded and the actor
 * was allowed to see the record (a refused or not-found read is not a read), and answer only after
 * it resolved. It changes no record, so no answer of the record this or any server keeps is
 * forgotten: its entry notifies only 'read' (migrations 0019, 0024), which only a page of the audit
 * log kept in memory heeds. Deep verification counts these entries and compares nothing for
 * them.
 *
 * Reads audited for an actor `capturingReads` gave are also handed to its list: an answer kept in
 * memory is kept with them, and each later answer from memory appends them again for its caller
 * before it is sent (src/api/read-cache.ts).
 */
export async function auditRead(ctx: AppContext, actor: Actor, read: RecordRead): Promise<void> {
  captures.get(actor)?.push(read);
  ctx.store.auditedReads.count += 1;
  await appendReads(ctx, actor.id, [read]);
}

/** The lists reads are captured in, by the actor (one request's own) they are audited for. */
const captures = new WeakMap<Actor, RecordRead[]>();

/**
 * `actor` as one request's own: the reads audited for it (by the work of that request alone, which
 * hands it on) are added to `reads` as well. An actor object per request, not a context carried
 * through every callback (AsyncLocalStorage makes every promise and tick of the process dearer).
 */
export function capturingReads(actor: Actor, reads: RecordRead[]): Actor {
  const own = { ...actor };
  captures.set(own, reads);
  return own;
}

/**
 * Appends `reads` again for a caller answered from memory (what `capturingReads` kept): resolves
 * once committed, and is not counted among the reads services audited (it is attributed already).
 */
export function auditReadsAgain(
  ctx: AppContext,
  actor: Actor,
  reads: readonly RecordRead[],
): Promise<void> {
  return appendReads(ctx, actor.id, reads);
}

interface Pending {
  readonly actor: string;
  readonly reads: readonly RecordRead[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Per store: the entries waiting for the next commit, and whether a commit is under way. */
interface Committer {
  waiting: Pending[];
  committing: boolean;
  scheduled: boolean;
}
const committers = new WeakMap<Store, Committer>();

/**
 * Group commit: one commit of audited reads at a time, per store. The reads audited while it is
 * under way, or within one turn of the event loop, wait and go together into the next one (one short
 * transaction, serialised with writers by the chain's advisory lock), and each caller's promise
 * settles with it. Fifty profiles asked together cost one transaction, not fifty; if it fails, every
 * read in it fails and none is answered.
 */
function appendReads(ctx: AppContext, actor: string, reads: readonly RecordRead[]): Promise<void> {
  if (reads.length === 0) return Promise.resolve();
  const { store } = ctx;
  let committer = committers.get(store);
  if (committer === undefined) {
    committer = { waiting: [], committing: false, scheduled: false };
    committers.set(store, committer);
  }
  const promise = new Promise<void>((resolve, reject) =>
    committer.waiting.push({ actor, reads, resolve, reject }),
  );
  schedule(ctx, committer);
  return promise;
}

/** Starts the next commit once this turn's reads are in, unless one is under way (it starts it). */
function schedule(ctx: AppContext, committer: Committer): void {
  if (committer.committing || committer.scheduled || committer.waiting.length === 0) return;
  committer.scheduled = true;
  setImmediate(() => {
    committer.scheduled = false;
    const batch = committer.waiting;
    committer.waiting = [];
    committer.committing = true;
    // It settles every caller's promise itself, and never rejects.
    void commit(ctx, batch).then(() => {
      committer.committing = false;
      schedule(ctx, committer);
    });
  });
}

function commit(ctx: AppContext, batch: readonly Pending[]): Promise<void> {
  const now = ctx.clock();
  const byActor = new Map<string, RecordRead[]>();
  for (const { actor, reads } of batch) {
    const list = byActor.get(actor) ?? [];
    list.push(...reads);
    byActor.set(actor, list);
  }
  return ctx.store.db
    .transaction(async (tx) => {
      for (const [actor, reads] of byActor)
        await appendAudit(
          tx,
          actor,
          now,
          reads.map((read) => ({
            action: 'read',
            entityType: read.entityType,
            entityId: read.entityId,
            reason: read.reason ?? null,
          })),
        );
    })
    .finally(() => {
      ctx.store.readsAppended.count += 1;
    })
    .then(
      () => batch.forEach((p) => p.resolve()),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    );
}
