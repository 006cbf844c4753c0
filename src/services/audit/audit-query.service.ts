// The audit log for its readers (DESIGN §2 "analyst / auditor", §6): entries filtered and paged
// newest first, verification now (against a checkpoint, and the records, when asked), and a signed
// checkpoint to take away. Reading is all it does: nothing here writes a record or an entry (a look
// at the log is not itself logged: each look would lengthen the log it looks at).
import { statSync } from 'node:fs';
import { canonicalJson, type AuditEntry } from '../../core/audit-chain.js';
import type { Checkpoint } from '../../core/audit-checkpoint.js';
import type { RecordFinding } from '../../core/audit-replay.js';
import type { ProgressListener } from '../../core/imports/import-report.js';
import { can, forbidden } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import { addDays } from '../../core/dates.js';
import { err, invalid, ok, refused, type DomainError, type Result } from '../../core/result.js';
import {
  auditFacetRows,
  auditHashAt,
  type AuditFacetRow,
  countAuditMatches,
  readAuditLast,
  searchAuditEntries,
  type AuditSearch,
  type AuditValueCount,
} from '../../store/audit.repository.js';
import type { AppContext } from '../context.js';
import type { Store } from '../../store/database.js';
import { parseDateField, parseInstantField, parseWholeNumberField } from '../field-input.js';
import {
  KEYGEN_HINT,
  parseCheckpoint,
  readSigningKey,
  readVerifyingKey,
  type SigningKey,
  type VerifyingKey,
} from './audit-keys.js';
import {
  describeBreak,
  describeFinding,
  makeCheckpoint,
  verifyAudit,
  type AuditBreak,
} from './audit.service.js';

// ---- who may read ----

function mayRead(actor: Actor): Result<void> {
  return can(actor, 'audit.read') ? ok(undefined) : err(forbidden(actor, 'audit.read'));
}

// ---- the keys of the server's process (decision 008): read at each use, as the CLI reads them ----

export interface AuditKeys {
  /** The key that signs checkpoints, when one is configured. */
  readonly signing?: SigningKey;
  /** The key checkpoints are verified with: the configured public key, else the signing key. */
  readonly verifying?: VerifyingKey;
}

export const SIGNING_KEY_VARIABLE = 'ATTACHE_AUDIT_SIGNING_KEY_FILE';
export const PUBLIC_KEY_VARIABLE = 'ATTACHE_AUDIT_PUBLIC_KEY_FILE';

/**
 * The audit keys the environment names (ATTACHE_AUDIT_SIGNING_KEY_FILE, ATTACHE_AUDIT_PUBLIC_KEY_FILE),
 * read now: `attache serve` checked them at start, but a file may have gone since.
 */
export function auditKeysFromEnv(env: NodeJS.ProcessEnv = process.env): Result<AuditKeys> {
  const keys: { signing?: SigningKey; verifying?: VerifyingKey } = {};
  const signingFile = env[SIGNING_KEY_VARIABLE];
  if (signingFile !== undefined && signingFile !== '') {
    const key = readSigningKey(signingFile);
    if (!key.ok) return err(keyUnreadable(SIGNING_KEY_VARIABLE, key.error));
    keys.signing = key.value;
  }
  const publicFile = env[PUBLIC_KEY_VARIABLE];
  if (publicFile !== undefined && publicFile !== '') {
    const key = readVerifyingKey(publicFile);
    if (!key.ok) return err(keyUnreadable(PUBLIC_KEY_VARIABLE, key.error));
    keys.verifying = key.value;
  } else if (keys.signing !== undefined) keys.verifying = keys.signing;
  return ok(keys);
}

/**
 * What `auditKeysFromEnv` would read, told cheaply without reading it: the files the variables
 * name, and each file's identity, size, mode and times (a key replaced, edited or opened to others
 * reads otherwise). An answer that shows the keys holds while this reads the same.
 */
export function auditKeysStamp(env: NodeJS.ProcessEnv = process.env): string {
  return [SIGNING_KEY_VARIABLE, PUBLIC_KEY_VARIABLE]
    .map((variable) => {
      const file = env[variable];
      if (file === undefined || file === '') return '';
      let seen;
      try {
        seen = statSync(file, { throwIfNoEntry: false });
      } catch (error) {
        // Not to be looked at (a directory on its way not searchable): as unreadable as missing.
        return `${file}\t${error instanceof Error ? error.message : String(error)}`;
      }
      return seen === undefined
        ? `${file}\tmissing`
        : `${file}\t${seen.dev}:${seen.ino}:${seen.size}:${seen.mode}:${seen.mtimeMs}:${seen.ctimeMs}`;
    })
    .join('\n');
}

function keyUnreadable(variable: string, why: string): DomainError {
  return {
    code: 'UNAVAILABLE',
    reason: 'AUDIT.KEY_UNREADABLE',
    message: `the server's audit key cannot be used (${variable}: ${why}): tell the system administrator`,
  };
}

// ---- the log at a glance ----

export interface AuditOverview {
  readonly entries: number;
  readonly head: {
    readonly seq: number;
    readonly hash: string;
    readonly recordedAt: string;
  } | null;
  readonly entityTypes: readonly AuditValueCount[];
  readonly actions: readonly AuditValueCount[];
  readonly actors: readonly AuditValueCount[];
  readonly keys: {
    /** The id of the key that signs checkpoints; null: none configured, none can be exported. */
    readonly signingKeyId: string | null;
    /** The id of the key checkpoints are verified with; null: none can be checked. */
    readonly verifyingKeyId: string | null;
  };
}

/** The log's entries counted through one entry (its sequence and hash), by entity type, action and actor. */
interface Counted {
  readonly seq: number;
  readonly hash: string;
  readonly rows: readonly AuditFacetRow[];
}

/** What this process counted last, per store: the log only grows, so the next count adds to it. */
const countedLast = new WeakMap<Store, Counted>();

/**
 * The entries through `head`, counted: what was counted before plus the entries appended since,
 * or, when the entry counted through is gone or changed (a database restored from a backup), all
 * of them again.
 */
async function countedThrough(
  store: Store,
  head: { readonly seq: number; readonly hash: string } | undefined,
): Promise<Counted> {
  if (head === undefined) return { seq: 0, hash: '', rows: [] };
  const last = countedLast.get(store);
  if (last?.seq === head.seq && last.hash === head.hash) return last;
  const from =
    last !== undefined &&
    last.seq < head.seq &&
    (await auditHashAt(store.db, last.seq)) === last.hash
      ? last
      : undefined;
  const added = await auditFacetRows(store.db, from?.seq ?? 0, head.seq);
  const rows = new Map<string, AuditFacetRow>();
  for (const row of [...(from?.rows ?? []), ...added]) {
    const key = `${row.entityType}\n${row.action}\n${row.actor}`;
    const before = rows.get(key)?.entries ?? 0;
    rows.set(key, { ...row, entries: before + row.entries });
  }
  const counted = { seq: head.seq, hash: head.hash, rows: [...rows.values()] };
  // Two overviews at once: the later count stays.
  if ((countedLast.get(store)?.seq ?? -1) < counted.seq) countedLast.set(store, counted);
  return counted;
}

export async function auditOverview(
  ctx: AppContext,
  actor: Actor,
  keys: () => Result<AuditKeys>,
): Promise<Result<AuditOverview>> {
  const allowed = mayRead(actor);
  if (!allowed.ok) return allowed;
  const configured = keys();
  if (!configured.ok) return configured;
  const head = await readAuditLast(ctx.store.db);
  const counted = await countedThrough(ctx.store, head);
  const facet = (value: (row: AuditFacetRow) => string): AuditValueCount[] => {
    const byValue = new Map<string, number>();
    for (const row of counted.rows)
      byValue.set(value(row), (byValue.get(value(row)) ?? 0) + row.entries);
    return [...byValue]
      .map(([v, entries]) => ({ value: v, entries }))
      .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  };
  return ok({
    entries: counted.rows.reduce((sum, row) => sum + row.entries, 0),
    head: head ?? null,
    entityTypes: facet((row) => row.entityType),
    actions: facet((row) => row.action),
    actors: facet((row) => row.actor),
    keys: {
      signingKeyId: configured.value.signing?.keyId ?? null,
      verifyingKeyId: configured.value.verifying?.keyId ?? null,
    },
  });
}

// ---- entries ----

/** The filters and paging as a reader types them (query parameters). */
export interface AuditEntryQuery {
  readonly actor?: string | undefined;
  readonly action?: string | undefined;
  readonly entityType?: string | undefined;
  readonly entityId?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly limit?: string | undefined;
  readonly offset?: string | undefined;
  readonly before?: string | undefined;
}

export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 500;
const MAX_FILTER_TEXT = 200;

/** One field of the record that an entry changed: its value before and after (null: absent). */
export interface AuditChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface AuditEntryView {
  readonly seq: number;
  readonly recordedAt: string;
  readonly actor: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly reason: string | null;
  /** The record before the write, as the entry states it; null for a creation or a read. */
  readonly before: unknown;
  /** The record after the write; null for a read (or a removal). */
  readonly after: unknown;
  /** The top-level fields that differ between before and after, in field order. */
  readonly changes: readonly AuditChange[];
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditEntryPage {
  readonly items: readonly AuditEntryView[];
  /** Entries matching the filters (and the `before` cursor, when given). */
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  /** The `before` of the next page (the lowest sequence on this one), null on the last page. */
  readonly nextBefore: number | null;
}

/** Optional exact-match text: trimmed; empty is absent. */
function filterText(field: string, text: string | undefined): Result<string | undefined> {
  const value = text?.trim() ?? '';
  if (value === '') return ok(undefined);
  if (value.length > MAX_FILTER_TEXT)
    return err(invalid(field, `at most ${MAX_FILTER_TEXT} characters`));
  return ok(value);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A bound of the time filter: a calendar date (a whole UTC day) or an instant. `from` is the first
 * instant included; `to` gives the first instant excluded (the day after a date, a millisecond
 * after an instant: entries are timed to the millisecond).
 */
function timeBound(field: 'from' | 'to', text: string | undefined): Result<string | undefined> {
  const value = text?.trim() ?? '';
  if (value === '') return ok(undefined);
  if (DATE_ONLY.test(value)) {
    const date = parseDateField(field, value);
    if (!date.ok) return date;
    return ok(`${field === 'from' ? date.value : addDays(date.value, 1)}T00:00:00.000Z`);
  }
  const instant = parseInstantField(field, value);
  if (!instant.ok)
    return err(
      invalid(
        field,
        `a calendar date YYYY-MM-DD or an ISO 8601 instant such as 2026-11-27T12:00:00Z (got ${value.slice(0, 60)})`,
      ),
    );
  return ok(
    field === 'from' ? instant.value : new Date(Date.parse(instant.value) + 1).toISOString(),
  );
}

function wholeNumber(
  field: string,
  text: string | undefined,
  bounds: { min: number; max?: number },
  fallback: number | undefined,
): Result<number | undefined> {
  const value = text?.trim() ?? '';
  return value === '' ? ok(fallback) : parseWholeNumberField(field, value, bounds);
}

/** Parses a reader's filters; each refusal names its parameter. */
export function parseAuditQuery(
  query: AuditEntryQuery,
): Result<{ search: AuditSearch; limit: number; offset: number }> {
  const actor = filterText('actor', query.actor);
  if (!actor.ok) return actor;
  const action = filterText('action', query.action);
  if (!action.ok) return action;
  const entityType = filterText('entityType', query.entityType);
  if (!entityType.ok) return entityType;
  const entityId = filterText('entityId', query.entityId);
  if (!entityId.ok) return entityId;
  const from = timeBound('from', query.from);
  if (!from.ok) return from;
  const until = timeBound('to', query.to);
  if (!until.ok) return until;
  if (from.value !== undefined && until.value !== undefined && until.value <= from.value)
    return err(
      invalid('to', `ends before \`from\` begins (${query.from?.trim()}): nothing can match`),
    );
  const limit = wholeNumber(
    'limit',
    query.limit,
    { min: 1, max: MAX_AUDIT_PAGE },
    DEFAULT_AUDIT_PAGE,
  );
  if (!limit.ok) return limit;
  const offset = wholeNumber('offset', query.offset, { min: 0 }, 0);
  if (!offset.ok) return offset;
  const before = wholeNumber('before', query.before, { min: 1 }, undefined);
  if (!before.ok) return before;
  const search: AuditSearch = {
    ...(actor.value === undefined ? {} : { actor: actor.value }),
    ...(action.value === undefined ? {} : { action: action.value }),
    ...(entityType.value === undefined ? {} : { entityType: entityType.value }),
    ...(entityId.value === undefined ? {} : { entityId: entityId.value }),
    ...(from.value === undefined ? {} : { from: from.value }),
    ...(until.value === undefined ? {} : { until: until.value }),
    ...(before.value === undefined ? {} : { beforeSeq: before.value }),
  };
  return ok({ search, limit: limit.value ?? DEFAULT_AUDIT_PAGE, offset: offset.value ?? 0 });
}

export async function listAuditEntries(
  ctx: AppContext,
  actor: Actor,
  query: AuditEntryQuery,
): Promise<Result<AuditEntryPage>> {
  const allowed = mayRead(actor);
  if (!allowed.ok) return allowed;
  const parsed = parseAuditQuery(query);
  if (!parsed.ok) return parsed;
  const { search, limit, offset } = parsed.value;
  const db = ctx.store.db;
  const [rows, total] = await Promise.all([
    searchAuditEntries(db, search, { limit, offset }),
    countAuditMatches(db, search),
  ]);
  const last = rows.at(-1);
  return ok({
    items: rows.map(entryView),
    total,
    limit,
    offset,
    nextBefore: last !== undefined && offset + rows.length < total ? last.seq : null,
  });
}

function fromJsonText(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

/** An entry as stored, with its before and after parsed and the fields it changed named. */
export function entryView(entry: AuditEntry): AuditEntryView {
  const before = fromJsonText(entry.before);
  const after = fromJsonText(entry.after);
  return {
    seq: entry.seq,
    recordedAt: entry.recordedAt,
    actor: entry.actor,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    reason: entry.reason,
    before,
    after,
    changes: changesBetween(before, after),
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The top-level fields whose values differ (compared as canonical JSON), sorted by name; a record
 * that is not an object (or absent) is compared whole, as the field ''.
 * @example changesBetween({ a: 1, b: 2 }, { a: 1, b: 3 }) // [{ field: 'b', before: 2, after: 3 }]
 */
export function changesBetween(before: unknown, after: unknown): AuditChange[] {
  if (before === null && after === null) return [];
  const b = before === null ? {} : before;
  const a = after === null ? {} : after;
  if (!isRecord(b) || !isRecord(a))
    return canonicalJson(before) === canonicalJson(after) ? [] : [{ field: '', before, after }];
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  return fields
    .filter((field) => canonicalJson(b[field] ?? null) !== canonicalJson(a[field] ?? null))
    .map((field) => ({ field, before: b[field] ?? null, after: a[field] ?? null }));
}

// ---- verification now ----

export interface VerifyRequest {
  /** Also replay the log against the records (slower; names any record changed without an entry). */
  readonly deep?: boolean | undefined;
  /** A checkpoint exported earlier (its JSON): the log must bear it out. */
  readonly checkpoint?: unknown;
}

/** At most this many record differences are listed (all are counted). */
export const MAX_LISTED_DIFFERENCES = 100;

export interface VerificationView {
  readonly ok: boolean;
  readonly checkedAt: string;
  /** Entries verified: all of them when the chain holds, else those before the break. */
  readonly entries: number;
  readonly headHash: string;
  /** The outcome in one or two sentences. */
  readonly summary: string;
  readonly break: {
    readonly kind: AuditBreak['kind'];
    readonly seq: number | null;
    readonly description: string;
  } | null;
  readonly checkpoint: {
    readonly seq: number;
    readonly headHash: string;
    readonly recordedAt: string;
    readonly keyId: string;
    readonly holds: boolean;
    readonly entriesSince: number | null;
  } | null;
  readonly deep: {
    readonly ok: boolean;
    readonly entries: number;
    readonly reads: number;
    readonly compared: readonly { readonly record: string; readonly count: number }[];
    readonly notCompared: readonly {
      readonly entityType: string;
      readonly action: string;
      readonly entries: number;
    }[];
    readonly limits: readonly string[];
    readonly differenceCount: number;
    readonly differences: readonly {
      readonly kind: RecordFinding['kind'];
      readonly record: string;
      readonly id: string;
      readonly version: number | null;
      readonly field: string | null;
      readonly seq: number | null;
      readonly description: string;
    }[];
  } | null;
}

function breakSeq(b: AuditBreak): number | null {
  return 'seq' in b ? b.seq : null;
}

const count = (n: number) => n.toLocaleString('en-US');

/** A checkpoint as a request gives it (`checkpoint`), or the refusal naming its field at fault. */
export function readCheckpoint(value: unknown): Result<Checkpoint> {
  const checkpoint = parseCheckpoint(value);
  if (checkpoint.ok) return checkpoint;
  const path = checkpoint.error.path;
  return err(
    invalid(
      path === '' ? 'checkpoint' : `checkpoint.${path}`,
      `not an audit checkpoint: ${path === '' ? '' : `${path} `}${checkpoint.error.message}`,
    ),
  );
}

export async function verifyAuditNow(
  ctx: AppContext,
  actor: Actor,
  request: VerifyRequest,
  keys: () => Result<AuditKeys>,
  progress?: ProgressListener,
): Promise<Result<VerificationView>> {
  const allowed = mayRead(actor);
  if (!allowed.ok) return allowed;
  let given: { checkpoint: Checkpoint; key: VerifyingKey } | undefined;
  if (request.checkpoint !== undefined && request.checkpoint !== null) {
    const checkpoint = readCheckpoint(request.checkpoint);
    if (!checkpoint.ok) return checkpoint;
    const configured = keys();
    if (!configured.ok) return configured;
    const key = configured.value.verifying;
    if (key === undefined)
      return err(
        refused(
          'AUDIT.NO_VERIFYING_KEY',
          'checkpoint',
          `this server has no key to check a checkpoint's signature with: the administrator sets ${PUBLIC_KEY_VARIABLE} (or ${SIGNING_KEY_VARIABLE}); a checkpoint is never trusted with a key of its own`,
        ),
      );
    given = { checkpoint: checkpoint.value, key };
  }
  const result = await verifyAudit(ctx, {
    ...(given === undefined ? {} : { checkpoint: given }),
    deep: request.deep === true,
    ...(progress === undefined ? {} : { progress }),
  });
  const sentences: string[] = [];
  if (result.ok)
    sentences.push(
      `The audit log verifies: all ${count(result.entries)} entries are intact, each hash matching its content and linked to the entry before.`,
    );
  else
    sentences.push(
      `The audit log does not verify: ${result.message ?? 'verification failed'}.${result.break === undefined ? '' : ` ${count(result.entries)} entries before it verify.`}`,
    );
  const cp = result.checkpoint;
  if (cp?.holds === true)
    sentences.push(
      `The checkpoint of entry ${count(cp.seq)} holds${cp.entriesSince === null || cp.entriesSince === 0 ? '' : `; the ${count(cp.entriesSince)} entries written since are not covered by it`}.`,
    );
  if (result.deep?.ok === true)
    sentences.push('Every record compared matches what the log states.');
  const deep = result.deep;
  return ok({
    ok: result.ok,
    checkedAt: ctx.clock(),
    entries: result.entries,
    headHash: result.headHash,
    summary: sentences.join(' '),
    break:
      result.break === undefined
        ? null
        : {
            kind: result.break.kind,
            seq: breakSeq(result.break),
            description: describeBreak(result.break),
          },
    checkpoint: cp ?? null,
    deep:
      deep === undefined
        ? null
        : {
            ok: deep.ok,
            entries: deep.entries,
            reads: deep.reads,
            compared: Object.entries(deep.compared).map(([record, n]) => ({ record, count: n })),
            notCompared: deep.notCompared,
            limits: deep.limits,
            differenceCount: deep.differences.length,
            differences: deep.differences.slice(0, MAX_LISTED_DIFFERENCES).map((f) => ({
              kind: f.kind,
              record: f.record,
              id: f.id,
              version: f.version ?? null,
              field: f.kind === 'field-differs' ? f.field : null,
              seq: 'seq' in f ? f.seq : null,
              description: describeFinding(f),
            })),
          },
  });
}

// ---- checkpoints ----

export interface CheckpointExport {
  readonly checkpoint: Checkpoint;
  /** The name to save it under, e.g. attache-audit-checkpoint-4502-20261127T120000Z.json. */
  readonly fileName: string;
}

/**
 * Signs the head of the chain with the server's key, as `attache audit checkpoint` does. Refused
 * when no key is configured (an unsigned checkpoint vouches for nothing) or the chain is broken.
 */
export async function exportCheckpoint(
  ctx: AppContext,
  actor: Actor,
  keys: () => Result<AuditKeys>,
): Promise<Result<CheckpointExport>> {
  const allowed = mayRead(actor);
  if (!allowed.ok) return allowed;
  const configured = keys();
  if (!configured.ok) return configured;
  const key = configured.value.signing;
  if (key === undefined)
    return err(
      refused(
        'AUDIT.NO_SIGNING_KEY',
        'checkpoint',
        `this server has no audit signing key, and an unsigned checkpoint vouches for nothing: the administrator makes one with \`${KEYGEN_HINT}\` and sets ${SIGNING_KEY_VARIABLE}`,
      ),
    );
  const made = await makeCheckpoint(ctx, key);
  if (!made.ok)
    return err({
      ...refused(
        'AUDIT.CHAIN_BROKEN',
        'checkpoint',
        `no checkpoint of a broken chain: ${made.error.message}`,
      ),
      details: { seq: breakSeq(made.error.break) },
    });
  const checkpoint = made.value;
  const stamp = checkpoint.recordedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return ok({ checkpoint, fileName: `attache-audit-checkpoint-${checkpoint.seq}-${stamp}.json` });
}
