// The audit log's hash chain (DESIGN §6): canonical text of an entry, its hash, and chain verification.
import { hash } from 'node:crypto';

/** Hash that the first entry chains from. */
export const GENESIS_HASH = '0'.repeat(64);

/** An audit entry as stored: every hashed field is text, exactly as hashed. */
export interface AuditEntry {
  readonly seq: number;
  readonly recordedAt: string;
  readonly actor: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  /** Canonical JSON of the record before the write, or null for a creation. */
  readonly before: string | null;
  readonly after: string | null;
  readonly reason: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

export type UnhashedAuditEntry = Omit<AuditEntry, 'hash' | 'prevHash'>;

/**
 * Canonical JSON: object keys sorted, no whitespace, undefined properties dropped.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/** Serialises directly (no sorted copies of objects): a cascade seals ten thousand entries at once. */
function write(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return write(json.call(value));
  if (Array.isArray(value)) return `[${value.map((v: unknown) => write(v) ?? 'null').join(',')}]`;
  const record = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(record).sort()) {
    const text = write(record[key]);
    if (text !== undefined) out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${text}`;
  }
  return `{${out}}`;
}

/** The text an entry's hash covers: its fields in a fixed order, as a JSON array. */
export function canonicalEntryText(entry: UnhashedAuditEntry): string {
  return `${entryTextHead(entry.seq, placeText(entry.recordedAt, entry.actor))}${entryTextTail(entry)}`;
}

/**
 * An entry's text is `[seq,"recordedAt","actor",` followed by its tail, the rest of the array
 * (action to reason). A write's entries share the time and actor (`placeText`), and the tail does
 * not depend on where the entry lands in the chain: it can be worked out before (a cascade does it
 * while its seats are written), leaving only the sequence and the hash for the chain's head.
 */
export function entryTextTail(
  entry: Pick<
    UnhashedAuditEntry,
    'action' | 'entityType' | 'entityId' | 'before' | 'after' | 'reason'
  >,
): string {
  return JSON.stringify([
    entry.action,
    entry.entityType,
    entry.entityId,
    entry.before,
    entry.after,
    entry.reason,
  ]).slice(1);
}

/** The time and actor of a write's entries as they stand in each entry's text. */
export function placeText(recordedAt: string, actor: string): string {
  return JSON.stringify([recordedAt, actor]).slice(1, -1);
}

/** The head of an entry's text: its sequence, then its write's time and actor (`placeText`). */
export function entryTextHead(seq: number, place: string): string {
  return `[${JSON.stringify(seq)},${place},`;
}

/** sha256 over the previous hash and an entry's text. */
export function chainHash(prevHash: string, entryText: string): string {
  return hash('sha256', `${prevHash}\n${entryText}`, 'hex');
}

/** sha256 over the previous hash and the entry's canonical text. */
export function entryHash(prevHash: string, entry: UnhashedAuditEntry): string {
  return chainHash(prevHash, canonicalEntryText(entry));
}

/** Seals an entry onto the chain whose head hash is `prevHash`. */
export function sealEntry(prevHash: string, entry: UnhashedAuditEntry): AuditEntry {
  // Spelled out rather than spread: a cascade seals ten thousand entries at once.
  return {
    seq: entry.seq,
    recordedAt: entry.recordedAt,
    actor: entry.actor,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before,
    after: entry.after,
    reason: entry.reason,
    prevHash,
    hash: entryHash(prevHash, entry),
  };
}

export type ChainBreak =
  | { readonly kind: 'hash-mismatch'; readonly seq: number }
  | { readonly kind: 'link-mismatch'; readonly seq: number }
  | { readonly kind: 'sequence-gap'; readonly seq: number; readonly expectedSeq: number };

/** The state a verification carries from one page of entries to the next. */
export interface ChainCursor {
  readonly nextSeq: number;
  readonly headHash: string;
}

export const CHAIN_START: ChainCursor = { nextSeq: 1, headHash: GENESIS_HASH };

/**
 * Verifies entries (in sequence order) continuing from `cursor`; returns the first break, or the
 * cursor to continue from. Any edited field, a removed or re-ordered entry breaks the chain. A chain
 * re-sealed consistently from some entry on, or cut short, verifies: only a checkpoint catches those.
 */
export function verifyChain(
  entries: readonly AuditEntry[],
  cursor: ChainCursor = CHAIN_START,
):
  | { readonly ok: true; readonly cursor: ChainCursor }
  | { readonly ok: false; readonly break: ChainBreak } {
  let { nextSeq, headHash } = cursor;
  for (const entry of entries) {
    if (entry.seq !== nextSeq) {
      return { ok: false, break: { kind: 'sequence-gap', seq: entry.seq, expectedSeq: nextSeq } };
    }
    // The entry's own hash first: an edited `prevHash` is a change to this entry, not to the one before.
    if (entryHash(entry.prevHash, entry) !== entry.hash) {
      return { ok: false, break: { kind: 'hash-mismatch', seq: entry.seq } };
    }
    if (entry.prevHash !== headHash)
      return { ok: false, break: { kind: 'link-mismatch', seq: entry.seq } };
    nextSeq += 1;
    headHash = entry.hash;
  }
  return { ok: true, cursor: { nextSeq, headHash } };
}
