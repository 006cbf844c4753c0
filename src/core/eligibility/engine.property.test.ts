// Properties of the eligibility engine over generated bitemporal records (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  caseArb,
  extraReliefArb,
  extraRestrictionArb,
  instantArb,
  laterChangesArb,
  queryArb,
  recordsArb,
  shuffled,
} from '../../../test/support/eligibility-arbitraries.js';
import type { IsoDate } from '../dates.js';
import { buildEligibilityIndex, decide, type Decision, type EligibilityRecords } from './engine.js';
import { reliefVersion, restrictionVersion } from './test-records.js';

const RUNS = { numRuns: 150 };

function decideAll(records: EligibilityRecords, queries: readonly Parameters<typeof decide>[1][]) {
  const index = buildEligibilityIndex(records);
  return queries.map((q) => decide(index, q));
}

const blocking = (d: Decision) =>
  new Set(d.restrictions.filter((r) => r.status === 'blocking').map((r) => `${r.id}@${r.version}`));

describe('eligibility engine properties', () => {
  it('is deterministic: same records, any order, deep-equal decisions', () => {
    fc.assert(
      fc.property(caseArb(), fc.nat(), ({ records, queries }, seed) => {
        const index = buildEligibilityIndex(records);
        const first = queries.map((q) => decide(index, q));
        expect(queries.map((q) => decide(index, q))).toEqual(first);
        const reordered = (order: <T>(items: readonly T[]) => T[]) => ({
          restrictions: order(records.restrictions),
          reliefs: order(records.reliefs),
          notifications: order(records.notifications),
        });
        expect(
          decideAll(
            reordered((xs) => shuffled(xs, seed)),
            queries,
          ),
        ).toEqual(first);
        expect(
          decideAll(
            reordered((xs) => [...xs].reverse()),
            queries,
          ),
        ).toEqual(first);
      }),
      RUNS,
    );
  });

  it('never makes a decision more eligible when a restriction is added', () => {
    const arb = caseArb().chain((c) =>
      fc.record({ case: fc.constant(c), extra: extraRestrictionArb(c.records) }),
    );
    fc.assert(
      fc.property(arb, ({ case: { records, queries }, extra }) => {
        const before = decideAll(records, queries);
        const after = decideAll(
          { ...records, restrictions: [...records.restrictions, extra] },
          queries,
        );
        for (const [i, b] of before.entries()) {
          const a = after[i]!;
          if (a.eligible) expect(b.eligible).toBe(true);
          for (const id of blocking(b)) expect(blocking(a)).toContain(id);
        }
      }),
      RUNS,
    );
  });

  it('never makes a decision less eligible when a relief is added', () => {
    const arb = caseArb().chain((c) =>
      fc.record({ case: fc.constant(c), extra: extraReliefArb(c.records) }),
    );
    fc.assert(
      fc.property(arb, ({ case: { records, queries }, extra }) => {
        const before = decideAll(records, queries);
        const after = decideAll(
          {
            restrictions: records.restrictions,
            reliefs: [...records.reliefs, ...extra.reliefs],
            notifications: [...records.notifications, ...extra.notifications],
          },
          queries,
        );
        for (const [i, b] of before.entries()) {
          const a = after[i]!;
          if (b.eligible) expect(a.eligible).toBe(true);
          for (const id of blocking(a)) expect(blocking(b)).toContain(id);
        }
      }),
      RUNS,
    );
  });

  it('answers as known at T do not change when later versions are recorded', () => {
    const arb = recordsArb().chain((records) =>
      instantArb(records).chain((knownOn) =>
        fc.record({
          records: fc.constant(records),
          knownOn: fc.constant(knownOn),
          queries: fc.array(
            queryArb(records).map((q) => ({ ...q, knownOn })),
            { minLength: 1, maxLength: 10 },
          ),
          later: laterChangesArb(records, knownOn),
        }),
      ),
    );
    fc.assert(
      fc.property(arb, ({ records, queries, later }) => {
        expect(decideAll(later, queries)).toEqual(decideAll(records, queries));
      }),
      RUNS,
    );
  });
});

// Known engine issues, kept as failing examples: when one is fixed its test fails here ("expected
// to fail"), and it should become an ordinary `it`.
describe('known engine issues', () => {
  const on = '2019-01-01' as IsoDate;

  it.fails('cites the same relief whatever order two reliefs recorded together come in', () => {
    const restriction = restrictionVersion({ id: 'rst_a' });
    const a = reliefVersion({ id: 'rlf_a', restrictionId: 'rst_a' });
    const b = reliefVersion({ id: 'rlf_b', restrictionId: 'rst_a' });
    const ask = (reliefs: (typeof a)[]) =>
      decide(buildEligibilityIndex({ restrictions: [restriction], reliefs, notifications: [] }), {
        country: 'PAK',
        program: 'IMET',
        on,
      });
    expect(ask([b, a])).toEqual(ask([a, b]));
  });

  it.fails('keeps a past answer when a later correction changes the kind', () => {
    // As a policy restriction, a certification relieves every program in scope; as a
    // human-rights one (502B), only the programs it names.
    const v1 = restrictionVersion({
      id: 'rst_k',
      scope: ['IMET', 'FMF'],
      programs: ['FMF', 'IMET'],
      recordedAt: '2019-01-01T00:00:00.000Z',
    });
    const certification = reliefVersion({
      id: 'rlf_c',
      restrictionId: 'rst_k',
      type: 'certification',
      grounds: 'extraordinary-circumstances',
      recordedAt: '2019-01-01T00:00:00.000Z',
    });
    const corrected = [
      { ...v1, supersededAt: '2021-01-01T00:00:00.000Z' },
      { ...v1, version: 2, kind: 'human-rights' as const, recordedAt: '2021-01-01T00:00:00.000Z' },
    ];
    const query = {
      country: 'PAK',
      program: 'FMF' as const,
      on,
      knownOn: '2020-01-01T00:00:00.000Z',
    };
    const ask = (restrictions: typeof corrected) =>
      decide(
        buildEligibilityIndex({ restrictions, reliefs: [certification], notifications: [] }),
        query,
      ).eligible;
    expect(ask([v1])).toBe(true);
    expect(ask(corrected)).toBe(true);
  });
});
