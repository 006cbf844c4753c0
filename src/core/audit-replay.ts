// Deep audit verification (DESIGN §6): replays the log's after-states and compares them with the
// records as they stand, so a record changed without an audit entry is named with its field.
import { canonicalJson, type AuditEntry } from './audit-chain.js';

/** How the services audit one kind of record, as far as deep verification compares it. */
export interface RecordRule {
  /** The record's name in findings, e.g. `seat`. */
  readonly record: string;
  readonly entityType: string;
  /** Actions (on `entityType`) whose `after` states this record; the rest are someone else's. */
  readonly actions: (action: string) => boolean;
  /**
   * `entity`: one record per entity id. `version`: one per version of the entity (`after.version`,
   * or the field `versionField` names). `after-id`: one per `after.id` (a record appended under
   * another entity, e.g. a student's screening).
   */
  readonly key: 'entity' | 'version' | 'after-id';
  readonly versionField?: string;
  /** Versions are superseded (`supersededAt`) the instant the next version is recorded. */
  readonly supersedes?: boolean;
  /**
   * The record's own fields; an entry naming all of them (defaults included) is a snapshot.
   * `every`: whatever the entry names (every entry is a snapshot).
   */
  readonly fields: readonly string[] | 'every';
  /** A state that says the record is gone (e.g. an exemption set to none). */
  readonly gone?: (state: Readonly<Record<string, unknown>>) => boolean;
  /** Fields compared as sets. */
  readonly unordered?: readonly string[];
  /** Per action: fields its entry leaves out because the database gives them their default. */
  readonly defaults?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Other names the services give fields in some entries. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Fields an entry that is not a snapshot (a summary) states truly. */
  readonly summaryFields?: readonly string[];
  /** Fields no summary changes: still known from the last snapshot after summaries. */
  readonly stableFields?: readonly string[];
}

/** One entry's say on a record. */
interface Statement {
  readonly seq: number;
  readonly action: string;
  readonly state: Readonly<Record<string, unknown>> | null;
  readonly snapshot: boolean;
}

/** What the log says of each record: its last snapshot and the summaries since. */
interface AuditedRecord {
  readonly entityId: string;
  readonly version: number | undefined;
  snapshot: Statement | undefined;
  summaries: Statement[];
  lastSeq: number;
}

/** The replay so far: fed page by page (it is an accumulator, changed in place). */
export interface Replay {
  entries: number;
  /** `read` entries: they state no record. */
  reads: number;
  readonly rules: readonly RecordRule[];
  readonly records: Map<string, Map<string, AuditedRecord>>;
  /** Entries no rule compares, by entity type then action. */
  readonly uncovered: Map<string, Map<string, number>>;
}

export function startReplay(rules: readonly RecordRule[]): Replay {
  return {
    entries: 0,
    reads: 0,
    rules,
    records: new Map(rules.map((r) => [r.record, new Map<string, AuditedRecord>()])),
    uncovered: new Map(),
  };
}

/** Feeds entries (in sequence order) to the replay. */
export function replayEntries(replay: Replay, entries: readonly AuditEntry[]): void {
  for (const entry of entries) {
    replay.entries += 1;
    if (entry.action === 'read' && entry.after === null && entry.before === null) {
      replay.reads += 1;
      continue;
    }
    const rule = replay.rules.find(
      (r) => r.entityType === entry.entityType && r.actions(entry.action),
    );
    if (rule === undefined) {
      const actions = replay.uncovered.get(entry.entityType) ?? new Map<string, number>();
      actions.set(entry.action, (actions.get(entry.action) ?? 0) + 1);
      replay.uncovered.set(entry.entityType, actions);
      continue;
    }
    const stated = entry.after === null ? null : stateOf(rule, entry.action, entry.after);
    const state = stated !== null && rule.gone?.(stated) === true ? null : stated;
    const versionField = rule.versionField ?? 'version';
    const version =
      rule.key === 'version' && stated !== null ? Number(stated[versionField]) : undefined;
    const entityId =
      rule.key === 'after-id' && stated !== null ? String(stated.id) : entry.entityId;
    const key = version === undefined ? entityId : `${entityId}@${version}`;
    const records = replay.records.get(rule.record)!;
    let record = records.get(key);
    if (record === undefined) {
      record = { entityId, version, snapshot: undefined, summaries: [], lastSeq: 0 };
      records.set(key, record);
    }
    const snapshot =
      state === null ||
      rule.fields === 'every' ||
      rule.fields.every((f) => Object.hasOwn(state, f));
    const statement: Statement = { seq: entry.seq, action: entry.action, state, snapshot };
    if (snapshot) {
      record.snapshot = statement;
      record.summaries = [];
    } else record.summaries.push(statement);
    record.lastSeq = entry.seq;
  }
}

function stateOf(rule: RecordRule, action: string, after: string): Record<string, unknown> {
  const parsed = JSON.parse(after) as unknown;
  const named: Record<string, unknown> =
    parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? { ...(parsed as Record<string, unknown>) }
      : {};
  for (const [alias, field] of Object.entries(rule.aliases ?? {})) {
    if (Object.hasOwn(named, alias) && !Object.hasOwn(named, field)) named[field] = named[alias];
  }
  return { ...rule.defaults?.[action], ...named };
}

export type RecordFinding =
  | {
      readonly kind: 'field-differs';
      readonly record: string;
      readonly id: string;
      readonly version?: number;
      readonly field: string;
      readonly audited: unknown;
      readonly current: unknown;
      /** The entry that last stated the field. */
      readonly seq: number;
    }
  | {
      readonly kind: 'row-missing';
      readonly record: string;
      readonly id: string;
      readonly version?: number;
      readonly seq: number;
    }
  | {
      readonly kind: 'row-unaudited';
      readonly record: string;
      readonly id: string;
      readonly version?: number;
    };

/** The record as the log states it: each known field with the entry that stated it last. */
function expectedOf(
  rule: RecordRule,
  record: AuditedRecord,
  next: AuditedRecord | undefined,
): Map<string, { value: unknown; seq: number }> | null {
  const known = new Map<string, { value: unknown; seq: number }>();
  const { snapshot, summaries } = record;
  if (snapshot !== undefined) {
    if (snapshot.state === null && summaries.length === 0) return null;
    const fields = rule.fields === 'every' ? Object.keys(snapshot.state ?? {}) : rule.fields;
    const keep = summaries.length === 0 ? fields : (rule.stableFields ?? []);
    for (const field of keep) {
      if (snapshot.state !== null && Object.hasOwn(snapshot.state, field))
        known.set(field, { value: snapshot.state[field], seq: snapshot.seq });
    }
  }
  for (const summary of summaries) {
    for (const field of rule.summaryFields ?? []) {
      if (summary.state !== null && Object.hasOwn(summary.state, field))
        known.set(field, { value: summary.state[field], seq: summary.seq });
    }
  }
  // A version is superseded the instant the next one is recorded, by the same write.
  if (rule.supersedes === true && next?.snapshot?.state != null) {
    known.set('supersededAt', { value: next.snapshot.state.recordedAt, seq: next.snapshot.seq });
  }
  return known;
}

function sameValue(rule: RecordRule, field: string, a: unknown, b: unknown): boolean {
  if (rule.unordered?.includes(field) === true && Array.isArray(a) && Array.isArray(b)) {
    const sorted = (list: unknown[]) => list.map((v) => canonicalJson(v)).sort();
    return canonicalJson(sorted(a)) === canonicalJson(sorted(b));
  }
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * Compares what the log states of one kind of record with the records as they are (keyed like the
 * replay: the id, or `id@version`): every field stated that differs, every record the log knows
 * that is gone, every record the log never mentions.
 */
export function compareRecords(
  replay: Replay,
  rule: RecordRule,
  current: ReadonlyMap<string, Readonly<Record<string, unknown>>>,
): RecordFinding[] {
  const findings: RecordFinding[] = [];
  const audited = replay.records.get(rule.record) ?? new Map<string, AuditedRecord>();
  for (const [key, record] of audited) {
    const name = {
      record: rule.record,
      id: record.entityId,
      ...(record.version === undefined ? {} : { version: record.version }),
    };
    const next =
      record.version === undefined
        ? undefined
        : audited.get(`${record.entityId}@${record.version + 1}`);
    const expected = expectedOf(rule, record, next);
    const row = current.get(key);
    if (expected === null) {
      if (row !== undefined) findings.push({ kind: 'row-unaudited', ...name });
      continue;
    }
    if (row === undefined) {
      findings.push({ kind: 'row-missing', ...name, seq: record.lastSeq });
      continue;
    }
    for (const [field, { value, seq }] of expected) {
      if (!sameValue(rule, field, value, row[field])) {
        findings.push({
          kind: 'field-differs',
          ...name,
          field,
          audited: value,
          current: row[field] ?? null,
          seq,
        });
      }
    }
  }
  // Loaders give every record its `id` (and, for versions, its `version`).
  for (const [key, row] of current) {
    if (audited.has(key)) continue;
    const version =
      rule.key === 'version' ? Number(row[rule.versionField ?? 'version']) : undefined;
    findings.push({
      kind: 'row-unaudited',
      record: rule.record,
      id: typeof row.id === 'string' ? row.id : key,
      ...(version === undefined ? {} : { version }),
    });
  }
  return findings;
}

/** Findings in the order a reader wants them: by the entry they contradict, unaudited rows last. */
export function orderFindings(findings: readonly RecordFinding[]): RecordFinding[] {
  const seqOf = (f: RecordFinding) => (f.kind === 'row-unaudited' ? Infinity : f.seq);
  return [...findings].sort(
    (a, b) =>
      seqOf(a) - seqOf(b) ||
      a.record.localeCompare(b.record) ||
      a.id.localeCompare(b.id) ||
      (a.kind === 'field-differs' && b.kind === 'field-differs'
        ? a.field.localeCompare(b.field)
        : 0),
  );
}
