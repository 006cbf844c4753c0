// The audit log's storage: appends sealed entries in the writer's transaction, reads pages to verify.
import { and, asc, count, desc, eq, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
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

/** Entries sealed and sent per statement: the next chunk is sealed while the database stores this one. */
const INSERT_CHUNK = 2_500;

/**
 * Takes the write lock for this transaction (PostgreSQL): writers of every process then commit
 * one after another. As the transaction's first statement (a LOCK takes no snapshot) it comes
 * before its snapshot, so the transaction sees every write before it, and the chain's head it
 * extends is the latest. Readers are not held up. The lock is on `change_counter`, not on
 * `audit_log`: this mode needs UPDATE on the table locked, and the application's role may only
 * append to the audit log (decision 008).
 */
export async function lockAuditLog(tx: Executor): Promise<void> {
  await tx.execute(sql`lock table change_counter in share row exclusive mode`);
}

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
  // One statement per chunk, one in flight at a time: sealing the next chunk (CPU) overlaps the
  // database storing the previous one, and a failure is seen at the next await.
  let storing: Promise<unknown> | undefined;
  for (let start = 0; start < records.length; start += INSERT_CHUNK) {
    const chunk: AuditEntry[] = [];
    for (const record of records.slice(start, start + INSERT_CHUNK)) {
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
      chunk.push(entry);
      prevHash = entry.hash;
    }
    sealed.push(...chunk);
    const rows = JSON.stringify(chunk);
    await storing;
    storing = tx.execute(insertChunk(rows, recordedAt, actor));
  }
  await storing;
  return sealed;
}

/**
 * One set-based insert of a chunk sent as a JSON array of rows (the time and actor once): Drizzle's
 * row-by-row builder, or one parameter array per column, cost more than the rows themselves.
 */
function insertChunk(rows: string, recordedAt: string, actor: string) {
  return sql`
    insert into audit_log (seq, recorded_at, actor, action, entity_type, entity_id, before, after, reason, prev_hash, hash)
    select "seq", ${recordedAt}, ${actor}, "action", "entityType", "entityId", "before", "after", "reason", "prevHash", "hash"
    from json_to_recordset(${rows}::json) as t("seq" bigint, "action" text, "entityType" text, "entityId" text,
      "before" text, "after" text, "reason" text, "prevHash" text, "hash" text)`;
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

/** The last entry's sequence and hash; undefined for an empty log. */
export async function readAuditHead(
  db: Executor,
): Promise<{ readonly seq: number; readonly hash: string } | undefined> {
  const [head] = await db
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  return head;
}

/** What a reader of the log filters it by: each given condition must hold (exact values). */
export interface AuditSearch {
  readonly actor?: string;
  readonly action?: string;
  readonly entityType?: string;
  readonly entityId?: string;
  /** Recorded at or after this instant (ISO 8601, UTC, milliseconds, as stored). */
  readonly from?: string;
  /** Recorded before this instant. */
  readonly until?: string;
  /** Only entries with a sequence below this one (a cursor: the last page's lowest). */
  readonly beforeSeq?: number;
}

function searchConditions(search: AuditSearch): SQL | undefined {
  const conditions = [
    search.actor === undefined ? undefined : eq(auditLog.actor, search.actor),
    search.action === undefined ? undefined : eq(auditLog.action, search.action),
    search.entityType === undefined ? undefined : eq(auditLog.entityType, search.entityType),
    search.entityId === undefined ? undefined : eq(auditLog.entityId, search.entityId),
    // Instants are stored as ISO 8601 text in UTC with milliseconds: text order is time order.
    search.from === undefined ? undefined : gte(auditLog.recordedAt, search.from),
    search.until === undefined ? undefined : lt(auditLog.recordedAt, search.until),
    search.beforeSeq === undefined ? undefined : lt(auditLog.seq, search.beforeSeq),
  ].filter((c) => c !== undefined);
  return conditions.length === 0 ? undefined : and(...conditions);
}

/** The entries matching `search`, newest (highest sequence) first, one page of them. */
export async function searchAuditEntries(
  db: Executor,
  search: AuditSearch,
  page: { readonly limit: number; readonly offset: number },
): Promise<AuditEntry[]> {
  return db
    .select()
    .from(auditLog)
    .where(searchConditions(search))
    .orderBy(desc(auditLog.seq))
    .limit(page.limit)
    .offset(page.offset);
}

/** How many entries match `search`. */
export async function countAuditMatches(db: Executor, search: AuditSearch): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditLog).where(searchConditions(search));
  return Number(row?.n ?? 0);
}

export interface AuditValueCount {
  readonly value: string;
  readonly entries: number;
}

/** Entries by entity type, action and actor: one row per combination the log holds. */
export interface AuditFacetRow {
  readonly entityType: string;
  readonly action: string;
  readonly actor: string;
  readonly entries: number;
}

/** The entries after sequence `afterSeq` up to `throughSeq`, counted by entity type, action and actor, in one pass. */
export async function auditFacetRows(
  db: Executor,
  afterSeq: number,
  throughSeq: number,
): Promise<AuditFacetRow[]> {
  const rows = await db
    .select({
      entityType: auditLog.entityType,
      action: auditLog.action,
      actor: auditLog.actor,
      n: count(),
    })
    .from(auditLog)
    .where(and(gt(auditLog.seq, afterSeq), lte(auditLog.seq, throughSeq)))
    .groupBy(auditLog.entityType, auditLog.action, auditLog.actor);
  return rows.map((r) => ({ ...r, entries: Number(r.n) }));
}

/** The hash of entry `seq`; undefined when there is none. */
export async function auditHashAt(db: Executor, seq: number): Promise<string | undefined> {
  const [row] = await db
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .where(eq(auditLog.seq, seq))
    .limit(1);
  return row?.hash;
}

/** The last entry (sequence, hash and time); undefined for an empty log. */
export async function readAuditLast(
  db: Executor,
): Promise<
  { readonly seq: number; readonly hash: string; readonly recordedAt: string } | undefined
> {
  const [last] = await db
    .select({ seq: auditLog.seq, hash: auditLog.hash, recordedAt: auditLog.recordedAt })
    .from(auditLog)
    .orderBy(desc(auditLog.seq))
    .limit(1);
  return last;
}
