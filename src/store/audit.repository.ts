// The audit log's storage: appends sealed entries in the writer's transaction, reads pages to verify.
import { asc, desc, gt, sql } from 'drizzle-orm';
import { GENESIS_HASH, canonicalJson, sealEntry, type AuditEntry } from '../core/audit-chain.js';
import type { Executor } from './database.js';
import { auditLog } from './schema.js';

/** What a service states about one write; the repository numbers, timestamps and seals it. */
export interface AuditRecord {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly reason?: string | null | undefined;
}

const INSERT_CHUNK = 20_000;

/**
 * Appends entries to the chain inside the caller's transaction. A transaction-scoped advisory
 * lock serialises writers, so two processes on one PostgreSQL never fork the chain.
 */
export async function appendAudit(
  tx: Executor,
  actor: string,
  recordedAt: string,
  records: readonly AuditRecord[],
): Promise<AuditEntry[]> {
  if (records.length === 0) return [];
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('attache.audit'))`);
  const [head] = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const sealed: AuditEntry[] = [];
  for (const record of records) {
    seq += 1;
    const entry = sealEntry(prevHash, {
      seq,
      recordedAt,
      actor,
      action: record.action,
      entityType: record.entityType,
      entityId: record.entityId,
      before: record.before === undefined ? null : canonicalJson(record.before),
      after: record.after === undefined ? null : canonicalJson(record.after),
      reason: record.reason ?? null,
    });
    sealed.push(entry);
    prevHash = entry.hash;
  }
  // One set-based insert of the whole batch as a JSON document: Drizzle's row-by-row builder, or
  // eleven parameter arrays, cost more than the rows themselves in a cascade of ten thousand seats.
  for (let i = 0; i < sealed.length; i += INSERT_CHUNK) {
    const chunk = JSON.stringify(sealed.slice(i, i + INSERT_CHUNK));
    await tx.execute(sql`
      insert into audit_log (seq, recorded_at, actor, action, entity_type, entity_id, before, after, reason, prev_hash, hash)
      select "seq", "recordedAt", "actor", "action", "entityType", "entityId", "before", "after", "reason", "prevHash", "hash"
      from json_to_recordset(${chunk}::json) as t(
        "seq" bigint, "recordedAt" text, "actor" text, "action" text, "entityType" text, "entityId" text,
        "before" text, "after" text, "reason" text, "prevHash" text, "hash" text)`);
  }
  return sealed;
}

/** One page of entries after `afterSeq`, in sequence order. */
export async function readAuditPage(
  db: Executor,
  afterSeq: number,
  limit: number,
): Promise<AuditEntry[]> {
  return db
    .select()
    .from(auditLog)
    .where(gt(auditLog.seq, afterSeq))
    .orderBy(asc(auditLog.seq))
    .limit(limit);
}

export async function countAuditEntries(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(auditLog);
  return Number(row?.n ?? 0);
}
