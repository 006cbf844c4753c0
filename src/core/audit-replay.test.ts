import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, sealEntry, type AuditEntry } from './audit-chain.js';
import {
  compareRecords,
  orderFindings,
  replayEntries,
  startReplay,
  type RecordRule,
} from './audit-replay.js';

const SEAT: RecordRule = {
  record: 'seat',
  entityType: 'seat',
  actions: () => true,
  key: 'entity',
  fields: ['id', 'lineId', 'status', 'reason', 'version'],
  defaults: { 'seat.add': { reason: null, version: 1 } },
  summaryFields: ['status'],
  stableFields: ['id', 'lineId'],
};

const VERSIONED: RecordRule = {
  record: 'restriction',
  entityType: 'restriction',
  actions: (a) => a.startsWith('restriction.'),
  key: 'version',
  supersedes: true,
  fields: ['id', 'version', 'until', 'recordedAt', 'supersededAt'],
};

const GROUP: RecordRule = {
  record: 'group',
  entityType: 'group',
  actions: () => true,
  key: 'entity',
  fields: ['code', 'members'],
  unordered: ['members'],
  gone: (state) => state.members === null,
};

interface Write {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly after: unknown;
}

function log(writes: readonly Write[]): AuditEntry[] {
  let prev = GENESIS_HASH;
  return writes.map((w, i) => {
    const entry = sealEntry(prev, {
      seq: i + 1,
      recordedAt: '2026-01-01T00:00:00.000Z',
      actor: 'pm:alice',
      action: w.action,
      entityType: w.entityType,
      entityId: w.entityId,
      before: null,
      after: w.after === undefined ? null : canonicalJson(w.after),
      reason: null,
    });
    prev = entry.hash;
    return entry;
  });
}

function compare(rule: RecordRule, writes: readonly Write[], rows: Record<string, object>) {
  const replay = startReplay([SEAT, VERSIONED, GROUP]);
  replayEntries(replay, log(writes));
  const current = new Map(
    Object.entries(rows).map(([k, v]) => [k, v as Readonly<Record<string, unknown>>]),
  );
  return compareRecords(replay, rule, current);
}

const added: Write = {
  action: 'seat.add',
  entityType: 'seat',
  entityId: 's1',
  after: { id: 's1', lineId: 'l1', status: 'programmed' },
};
const row = { id: 's1', lineId: 'l1', status: 'programmed', reason: null, version: 1 };

describe('compareRecords', () => {
  it.each([
    ['a record as its snapshot states it', [added], { s1: row }, []],
    [
      'a field changed without an entry',
      [added],
      { s1: { ...row, status: 'held' } },
      [
        {
          kind: 'field-differs',
          id: 's1',
          field: 'status',
          audited: 'programmed',
          current: 'held',
          seq: 1,
        },
      ],
    ],
    [
      'a field the creation left to its default',
      [added],
      { s1: { ...row, reason: 'forged' } },
      [{ kind: 'field-differs', field: 'reason', audited: null, current: 'forged' }],
    ],
    ['a record gone', [added], {}, [{ kind: 'row-missing', id: 's1', seq: 1 }]],
    [
      'a record written without an entry',
      [added],
      { s1: row, s2: { ...row, id: 's2' } },
      [{ kind: 'row-unaudited', id: 's2' }],
    ],
    [
      'after a summary, only the fields it states and those none moves',
      [
        added,
        {
          action: 'seat.cancel',
          entityType: 'seat',
          entityId: 's1',
          after: { status: 'cancelled', on: 'x' },
        },
      ],
      { s1: { ...row, status: 'cancelled', reason: 'by the cascade', version: 2 } },
      [],
    ],
    [
      'after a summary, its status still compared',
      [
        added,
        {
          action: 'seat.cancel',
          entityType: 'seat',
          entityId: 's1',
          after: { status: 'cancelled' },
        },
      ],
      { s1: { ...row, status: 'programmed', lineId: 'l2' } },
      [
        { field: 'lineId', seq: 1 },
        { field: 'status', seq: 2 },
      ],
    ],
  ] as const)('%s', (_name, writes, rows, expected) => {
    const findings = orderFindings(compare(SEAT, writes, rows));
    expect(findings).toHaveLength(expected.length);
    expected.forEach((f, i) => expect(findings[i]).toMatchObject(f));
  });

  it('expects a version superseded the instant the next was recorded', () => {
    const v = (version: number, recordedAt: string) => ({
      action: 'restriction.correct',
      entityType: 'restriction',
      entityId: 'r1',
      after: { id: 'r1', version, until: null, recordedAt, supersededAt: null },
    });
    const writes = [v(1, '2020-01-01T00:00:00.000Z'), v(2, '2021-01-01T00:00:00.000Z')];
    const rows = {
      'r1@1': {
        id: 'r1',
        version: 1,
        until: null,
        recordedAt: '2020-01-01T00:00:00.000Z',
        supersededAt: '2021-01-01T00:00:00.000Z',
      },
      'r1@2': {
        id: 'r1',
        version: 2,
        until: null,
        recordedAt: '2021-01-01T00:00:00.000Z',
        supersededAt: null,
      },
    };
    expect(compare(VERSIONED, writes, rows)).toEqual([]);
    expect(
      compare(VERSIONED, writes, { ...rows, 'r1@1': { ...rows['r1@1'], supersededAt: null } }),
    ).toEqual([expect.objectContaining({ id: 'r1', version: 1, field: 'supersededAt', seq: 2 })]);
    expect(compare(VERSIONED, writes.slice(0, 1), rows)).toEqual([
      expect.objectContaining({ kind: 'field-differs', version: 1, field: 'supersededAt' }),
      { kind: 'row-unaudited', record: 'restriction', id: 'r1', version: 2 },
    ]);
  });

  it('compares sets without order, and expects a record stated gone to be gone', () => {
    const set = (members: unknown) => ({
      action: 'group.set',
      entityType: 'group',
      entityId: 'g',
      after: { code: 'g', members },
    });
    expect(
      compare(GROUP, [set(['a', 'b'])], { g: { id: 'g', code: 'g', members: ['b', 'a'] } }),
    ).toEqual([]);
    expect(compare(GROUP, [set(['a']), set(null)], {})).toEqual([]);
    expect(
      compare(GROUP, [set(['a']), set(null)], { g: { id: 'g', code: 'g', members: ['a'] } }),
    ).toEqual([{ kind: 'row-unaudited', record: 'group', id: 'g' }]);
  });
});

describe('replayEntries', () => {
  it('counts reads, and entries no rule reads by type and action', () => {
    const replay = startReplay([SEAT]);
    replayEntries(
      replay,
      log([
        added,
        { action: 'read', entityType: 'student', entityId: 'x', after: undefined },
        { action: 'note.add', entityType: 'note', entityId: 'n', after: { id: 'n' } },
        { action: 'note.add', entityType: 'note', entityId: 'm', after: { id: 'm' } },
      ]),
    );
    expect(replay.entries).toBe(4);
    expect(replay.reads).toBe(1);
    expect([...replay.uncovered]).toEqual([['note', new Map([['note.add', 2]])]]);
  });

  it('finds exactly the one field changed behind the log, whatever the history', () => {
    const statuses = ['programmed', 'nominated', 'held', 'cancelled'] as const;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ seat: fc.integer({ min: 1, max: 5 }), status: fc.constantFrom(...statuses) }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        fc.nat(),
        (moves, pick) => {
          const state = new Map<string, Record<string, unknown>>();
          const writes: Write[] = [];
          for (const { seat, status } of moves) {
            const id = `s${seat}`;
            const before = state.get(id);
            const after =
              before === undefined
                ? { id, lineId: 'l1', status: 'programmed', reason: null, version: 1 }
                : { ...before, status, version: Number(before.version) + 1 };
            state.set(id, after);
            writes.push({
              action: before === undefined ? 'seat.add' : 'seat.move',
              entityType: 'seat',
              entityId: id,
              after,
            });
          }
          const rows = Object.fromEntries(state);
          expect(compare(SEAT, writes, rows)).toEqual([]);
          const ids = [...state.keys()];
          const victim = ids[pick % ids.length]!;
          const tampered = { ...rows, [victim]: { ...rows[victim], reason: 'behind the log' } };
          expect(compare(SEAT, writes, tampered)).toEqual([
            expect.objectContaining({ kind: 'field-differs', id: victim, field: 'reason' }),
          ]);
        },
      ),
    );
  });
});
