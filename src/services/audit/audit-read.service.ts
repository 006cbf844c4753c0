// Reads of sensitive records, appended to the audit chain as `read` entries.
import type { Actor } from '../../core/actor.js';
import { appendAudit } from '../../store/audit.repository.js';
import type { AppContext } from '../context.js';

/** The record read, and why when the caller knows (a search, an export). */
export interface RecordRead {
  readonly entityType: string;
  readonly entityId: string;
  readonly reason?: string;
}

/**
 * Appends one `read` entry (no before, no after) for `actor` reading a record, on the same chain
 * as every write: one insert in its own short transaction, serialised with writers by the chain's
 * advisory lock. Call it after the read succeeded and the actor was allowed to see the record (a
 * refused or not-found read is not a read). It changes no record, so nothing this or any server
 * keeps is forgotten (its entry notifies no one: migration 0019); only the answer under way is not
 * kept, so the next read is answered, and audited, again (src/api/read-cache.ts). Deep
 * verification counts these entries and compares nothing for them.
 */
export async function auditRead(ctx: AppContext, actor: Actor, read: RecordRead): Promise<void> {
  const now = ctx.clock();
  await ctx.store.db.transaction(async (tx) => {
    await appendAudit(tx, actor.id, now, [
      {
        action: 'read',
        entityType: read.entityType,
        entityId: read.entityId,
        reason: read.reason ?? null,
      },
    ]);
  });
  ctx.store.auditedReads.count += 1;
}
