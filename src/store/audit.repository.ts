// The audit log's storage: appends sealed entries in the writer's transaction, reads pages to verify.
import { and, asc, count, desc, eq, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import {
  GENESIS_HASH,
  canonicalJson,
  chainHash,
  entryTextHead,
  entryTextTail,
  placeText,
  type AuditEntry,
} from '../core/audit-chain.js';
import type { Executor } from './database.js';
import { copyLine, copyText } from './raw-sql.js';
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

/** What a record's entry holds and hashes wherever it lands in the chain, worked out once. */
export interface AuditTexts {
  readonly before: string | null;
  readonly after: string | null;
  /** The entry's text after its sequence, time and actor (core/audit-chain). */
  readonly tail: string;
  /** Its COPY line from the action to the reason. */
  readonly line: string;
}

const textsOfRecord = new WeakMap<AuditRecord, AuditTexts>();

/** The texts of a record's entry: worked out on the first asking, kept with the record after. */
export function auditTexts(record: AuditRecord): AuditTexts {
  const kept = textsOfRecord.get(record);
  if (kept !== undefined) return kept;
  const { action, entityType, entityId } = record;
  const before = record.before === undefined ? null : canonicalJson(record.before);
  const after = record.after === undefined ? null : canonicalJson(record.after);
  const reason = record.reason ?? null;
  const texts: AuditTexts = {
    before,
    after,
    tail: entryTextTail({ action, entityType, entityId, before, after, reason }),
    line: copyLine([action, entityType, entityId, before, after, reason]),
  };
  textsOfRecord.set(record, texts);
  return texts;
}

/**
 * Works out records' texts ahead of their append (`auditTexts`): a cascade does it while the
 * database writes its seats, leaving the chain's sequence and hashes for the append.
 */
export function prepareAudit(records: readonly AuditRecord[]): void {
  for (const record of records) auditTexts(record);
}

/** Entries sealed and sent per piece of the COPY: the next piece is sealed while the database reads this one. */
const COPY_PIECE = 1_000;

/** The columns of a sealed entry, in the order it is copied. */
const AUDIT_COLUMNS = [
  'seq',
  'recorded_at',
  'actor',
  'action',
  'entity_type',
  'entity_id',
  'before',
  'after',
  'reason',
  'prev_hash',
  'hash',
];

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
  // The write's time and actor, the same in every entry: written out once.
  const place = placeText(recordedAt, actor);
  const placeLine = copyLine([recordedAt, actor]);
  const sealed: AuditEntry[] = [];
  // Sealed a piece at a time as the COPY asks for them: the database reads one piece while the
  // next is sealed.
  function* pieces(): Generator<string> {
    for (let start = 0; start < records.length; start += COPY_PIECE) {
      const lines: string[] = [];
      for (const record of records.slice(start, start + COPY_PIECE)) {
        seq += 1;
        const texts = auditTexts(record);
        const hash = chainHash(prevHash, `${entryTextHead(seq, place)}${texts.tail}`);
        // Spelled out rather than spread: a cascade seals ten thousand entries at once.
        sealed.push({
          seq,
          recordedAt,
          actor,
          action: record.action,
          entityType: record.entityType,
          entityId: record.entityId,
          before: texts.before,
          after: texts.after,
          reason: record.reason ?? null,
          prevHash,
          hash,
        });
        lines.push(`${seq}\t${placeLine}\t${texts.line}\t${prevHash}\t${hash}`);
        prevHash = hash;
      }
      yield `${lines.join('\n')}\n`;
    }
  }
  await copyText(tx, 'audit_log', AUDIT_COLUMNS, pieces());
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
