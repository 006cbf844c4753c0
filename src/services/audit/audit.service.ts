// Audit verification and checkpoints: walks the hash chain page by page, against a signed
// checkpoint when given one, replays it against the records when asked, and names the first break.
import {
  CHAIN_START,
  GENESIS_HASH,
  verifyChain,
  type AuditEntry,
  type ChainBreak,
  type ChainCursor,
} from '../../core/audit-chain.js';
import {
  CHECKPOINT_FORMAT,
  anchorHashes,
  anchorSeqs,
  anchorSpacing,
  checkAnchors,
  checkLength,
  checkSignature,
  signCheckpoint,
  type AnchorCursor,
  type Checkpoint,
  type CheckpointBreak,
} from '../../core/audit-checkpoint.js';
import {
  compareRecords,
  orderFindings,
  replayEntries,
  startReplay,
  type RecordFinding,
  type Replay,
} from '../../core/audit-replay.js';
import type { ProgressListener } from '../../core/imports/import-report.js';
import { err, ok, type Result } from '../../core/result.js';
import { readAuditHead, readAuditPage } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import type { AppContext } from '../context.js';
import type { SigningKey, VerifyingKey } from './audit-keys.js';
import { DEEP_LIMITS, RECORD_RULES, loadCurrentRecords } from './audited-records.js';

/** The first thing wrong with the log: a break in the chain, or against the checkpoint. */
export type AuditBreak = ChainBreak | CheckpointBreak;

export interface CheckpointReport {
  readonly seq: number;
  readonly headHash: string;
  readonly recordedAt: string;
  readonly keyId: string;
  /** Whether the log bears the checkpoint out. */
  readonly holds: boolean;
  /** Entries written after the checkpoint's (not covered by it); null when the log is shorter. */
  readonly entriesSince: number | null;
}

export interface DeepReport {
  readonly ok: boolean;
  /** Entries replayed (all of them, whatever the chain). */
  readonly entries: number;
  /** `read` entries among them: they state no record. */
  readonly reads: number;
  /** Records compared, by kind. */
  readonly compared: Readonly<Record<string, number>>;
  /** Entries whose records deep verification does not compare, by entity type and action. */
  readonly notCompared: readonly {
    readonly entityType: string;
    readonly action: string;
    readonly entries: number;
  }[];
  /** What deep verification does not compare, in plain words (no silent gaps). */
  readonly limits: readonly string[];
  /** Every record that differs from what the log states, first contradicted entry first. */
  readonly differences: readonly RecordFinding[];
}

export interface AuditVerification {
  readonly ok: boolean;
  /** Entries verified: all of them when the chain holds, else those before the break. */
  readonly entries: number;
  /** The hash of the last entry verified. */
  readonly headHash: string;
  readonly break?: AuditBreak;
  /** One line naming the first thing wrong (the break, else the first difference deep found). */
  readonly message?: string;
  readonly checkpoint?: CheckpointReport;
  readonly deep?: DeepReport;
}

export interface VerifyOptions {
  /** A checkpoint, and the key it must be signed with (never a key it brings itself). */
  readonly checkpoint?: { readonly checkpoint: Checkpoint; readonly key: VerifyingKey };
  /** Also replay the log against the records. */
  readonly deep?: boolean;
  /** Told after each page of entries (a job shows it), and once the records are compared. */
  readonly progress?: ProgressListener;
}

const PAGE = 5_000;

export function verifyAudit(
  ctx: AppContext,
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  return verifyAuditOn(ctx.store.db, options);
}

/** Verifies the log read through `db` (a transaction, for a consistent view). */
export async function verifyAuditOn(
  db: Executor,
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  const given = options.checkpoint;
  let first: AuditBreak | undefined;
  let anchors: ReadonlyMap<number, string> | undefined;
  if (given !== undefined) {
    const signature = checkSignature(given.checkpoint, given.key.publicKey);
    if (signature === 'other-key') {
      first = {
        kind: 'checkpoint-key',
        keyId: given.checkpoint.keyId,
        expectedKeyId: given.key.keyId,
      };
    } else if (signature === 'bad-signature') {
      first = { kind: 'checkpoint-signature', keyId: given.key.keyId };
    } else anchors = anchorHashes(given.checkpoint);
  }
  const replay = options.deep === true ? startReplay(RECORD_RULES) : undefined;
  let cursor: ChainCursor = CHAIN_START;
  let anchored: AnchorCursor = { matched: 0 };
  let stopped = false;
  const progress = options.progress;
  const total = progress === undefined ? 0 : ((await readAuditHead(db))?.seq ?? 0);
  for (let afterSeq = 0; ;) {
    const page = await readAuditPage(db, afterSeq, PAGE);
    progress?.(page.at(-1)?.seq ?? total, total, 'entries verified');
    // Deep verification replays every entry, past a break too.
    if (replay !== undefined) replayEntries(replay, page);
    if (!stopped) {
      const chained = verifyChain(page, cursor);
      const verified = chained.ok ? page : page.slice(0, page.findIndex(at(chained.break.seq)));
      // The entries before a chain break are checked against the anchors first: they come first.
      const held = anchors === undefined ? undefined : checkAnchors(anchors, verified, anchored);
      if (held?.ok === true) anchored = held.cursor;
      if (held !== undefined && !held.ok) {
        first ??= held.break;
        stopped = true;
        const from = held.break.kind === 'checkpoint-mismatch' ? held.break.from : 0;
        cursor = cursorAfter(
          verified.filter((e) => e.seq < from),
          cursor,
        );
      } else if (!chained.ok) {
        first ??= chained.break;
        stopped = true;
        cursor = cursorAfter(verified, cursor);
      } else cursor = chained.cursor;
    }
    if (page.length < PAGE || (stopped && replay === undefined)) break;
    afterSeq = page[page.length - 1]!.seq;
  }
  const entries = cursor.nextSeq - 1;
  if (!stopped && given !== undefined && anchors !== undefined)
    first ??= checkLength(given.checkpoint, entries);
  if (replay !== undefined) progress?.(total, total, 'comparing the records with the log');
  const deep = replay === undefined ? undefined : await deepReport(db, replay);
  // It holds when every entry up to its own was read and matched (a break after it is the chain's).
  const holds =
    anchors !== undefined &&
    given !== undefined &&
    entries >= given.checkpoint.seq &&
    anchored.matched === given.checkpoint.seq;
  const checkpoint: CheckpointReport | undefined =
    given === undefined
      ? undefined
      : {
          seq: given.checkpoint.seq,
          headHash: given.checkpoint.headHash,
          recordedAt: given.checkpoint.recordedAt,
          keyId: given.checkpoint.keyId,
          holds,
          entriesSince: holds ? entries - given.checkpoint.seq : null,
        };
  const firstDifference = deep?.differences[0];
  const message =
    first !== undefined
      ? describeBreak(first)
      : firstDifference !== undefined
        ? `${describeFinding(firstDifference)}${deep!.differences.length > 1 ? ` (and ${deep!.differences.length - 1} more)` : ''}`
        : undefined;
  return {
    ok: first === undefined && (deep?.ok ?? true),
    entries,
    headHash: cursor.headHash,
    ...(first === undefined ? {} : { break: first }),
    ...(message === undefined ? {} : { message }),
    ...(checkpoint === undefined ? {} : { checkpoint }),
    ...(deep === undefined ? {} : { deep }),
  };
}

function at(seq: number): (entry: AuditEntry) => boolean {
  return (entry) => entry.seq === seq;
}

function cursorAfter(entries: readonly AuditEntry[], from: ChainCursor): ChainCursor {
  const last = entries[entries.length - 1];
  return last === undefined ? from : { nextSeq: last.seq + 1, headHash: last.hash };
}

async function deepReport(db: Executor, replay: Replay): Promise<DeepReport> {
  const current = await loadCurrentRecords(db);
  const findings: RecordFinding[] = [];
  const compared: Record<string, number> = {};
  for (const rule of RECORD_RULES) {
    const rows = current.get(rule.record) ?? new Map();
    findings.push(...compareRecords(replay, rule, rows));
    compared[rule.record] = new Set([
      ...(replay.records.get(rule.record)?.keys() ?? []),
      ...rows.keys(),
    ]).size;
  }
  const notCompared = [...replay.uncovered]
    .flatMap(([entityType, actions]) =>
      [...actions].map(([action, entries]) => ({ entityType, action, entries })),
    )
    .sort((a, b) => a.entityType.localeCompare(b.entityType) || a.action.localeCompare(b.action));
  const differences = orderFindings(findings);
  return {
    ok: differences.length === 0,
    entries: replay.entries,
    reads: replay.reads,
    compared,
    notCompared,
    limits: DEEP_LIMITS,
    differences,
  };
}

/** One line naming the entry (or the checkpoint) at fault. */
export function describeBreak(b: AuditBreak): string {
  switch (b.kind) {
    case 'hash-mismatch':
      return `audit entry ${b.seq} was changed: its hash no longer matches its content`;
    case 'link-mismatch':
      return `audit entry ${b.seq} does not link to entry ${b.seq - 1}: entry ${b.seq - 1} was replaced (or entry ${b.seq} re-sealed onto another chain)`;
    case 'sequence-gap':
      return `audit entry ${b.expectedSeq} is missing (next entry found: ${b.seq})`;
    case 'checkpoint-mismatch':
      return b.from === b.seq
        ? `audit entry ${b.seq} differs from the checkpoint: it was rewritten, and the chain re-sealed after it`
        : `audit entry ${b.seq} differs from the checkpoint: the chain was rewritten from an entry between ${b.from} and ${b.seq}${b.from > 1 ? ` (entry ${b.from - 1} still matches)` : ''}, and re-sealed after it`;
    case 'truncated':
      return b.seq === 1
        ? `the audit log is empty, but the checkpoint covers entries 1 to ${b.checkpointSeq}: they were removed`
        : b.seq === b.checkpointSeq
          ? `audit entry ${b.seq} is missing: the log ends at entry ${b.seq - 1}, but the checkpoint covers ${b.checkpointSeq}`
          : `audit entries ${b.seq} to ${b.checkpointSeq} are missing: the log ends at entry ${b.seq - 1}, but the checkpoint covers ${b.checkpointSeq}`;
    case 'checkpoint-key':
      return `the checkpoint was signed by key ${short(b.keyId)}, not by the configured key ${short(b.expectedKeyId)}: it cannot vouch for this log`;
    case 'checkpoint-signature':
      return `the checkpoint's signature does not verify with key ${short(b.keyId)}: the checkpoint was altered or forged`;
  }
}

function short(keyId: string): string {
  return `${keyId.slice(0, 16)}…`;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** One line naming the record and the field that differ from the log. */
export function describeFinding(f: RecordFinding): string {
  const record = `${f.record} ${f.id}${f.version === undefined ? '' : ` version ${f.version}`}`;
  switch (f.kind) {
    case 'field-differs':
      return `${record}: ${f.field} is ${shown(f.current)} in the database but ${shown(f.audited)} in audit entry ${f.seq}: changed without an audit entry`;
    case 'row-missing':
      return `${record}: gone from the database, though audit entry ${f.seq} records it: removed without an audit entry`;
    case 'row-unaudited':
      return `${record}: in the database but in no audit entry: written without one`;
  }
}

/** A checkpoint refused: the chain it would vouch for is broken. */
export interface CheckpointRefused {
  readonly break: ChainBreak;
  readonly message: string;
}

/**
 * Signs the head of the chain with `key`, at the context clock's time, with anchors spread up to
 * it. Refused when the chain does not verify: a checkpoint must not vouch for a tampered log.
 */
export async function makeCheckpoint(
  ctx: AppContext,
  key: SigningKey,
): Promise<Result<Checkpoint, CheckpointRefused>> {
  const db = ctx.store.db;
  const head = await readAuditHead(db);
  const seq = head?.seq ?? 0;
  const wanted = new Set(anchorSeqs(seq));
  const hashes: string[] = [];
  let cursor = CHAIN_START;
  while (cursor.nextSeq <= seq) {
    const page = (await readAuditPage(db, cursor.nextSeq - 1, PAGE)).filter((e) => e.seq <= seq);
    const chained = verifyChain(page, cursor);
    if (!chained.ok) return err({ break: chained.break, message: describeBreak(chained.break) });
    for (const entry of page) if (wanted.has(entry.seq)) hashes.push(entry.hash);
    cursor = chained.cursor;
    if (page.length === 0) break;
  }
  if (cursor.nextSeq - 1 !== seq) {
    const gap: ChainBreak = { kind: 'sequence-gap', seq, expectedSeq: cursor.nextSeq };
    return err({ break: gap, message: describeBreak(gap) });
  }
  return ok(
    signCheckpoint(
      {
        format: CHECKPOINT_FORMAT,
        seq,
        headHash: head?.hash ?? GENESIS_HASH,
        recordedAt: ctx.clock(),
        keyId: key.keyId,
        anchors: { every: anchorSpacing(seq), hashes },
      },
      key.privateKey,
    ),
  );
}
