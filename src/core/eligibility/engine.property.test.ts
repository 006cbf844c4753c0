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
import { daysBetween, type IsoDate } from '../dates.js';
import type { RestrictionVersion } from '../restrictions.js';
import {
  buildEligibilityIndex,
  decide,
  rebuildCountries,
  type Decision,
  type EligibilityRecords,
} from './engine.js';
import { dayKey, evaluate, type RestrictionEntry } from './evaluate.js';
import { checkRelief } from './relief-rules.js';
import { reliefVersion, restrictionVersion } from './test-records.js';

const RUNS = { numRuns: 300 };

function decideAll(records: EligibilityRecords, queries: readonly Parameters<typeof decide>[1][]) {
  const index = buildEligibilityIndex(records);
  return queries.map((q) => decide(index, q));
}

const blocking = (d: Decision) =>
  new Set(d.restrictions.filter((r) => r.status === 'blocking').map((r) => `${r.id}@${r.version}`));

describe('generated records (test/support/eligibility-arbitraries.ts)', () => {
  it('are valid: reliefs pass checkRelief, same-kind restrictions never overlap, versions chain', () => {
    fc.assert(
      fc.property(recordsArb({ batchImports: true }), (records) => {
        const versionsOf = (id: string) => records.restrictions.filter((r) => r.id === id);
        const notified = new Map(records.notifications.map((n) => [n.id, n]));
        for (const relief of records.reliefs) {
          const notification =
            relief.notificationId === null ? undefined : notified.get(relief.notificationId);
          for (const r of versionsOf(relief.restrictionId)) {
            const checked = checkRelief(
              {
                ...relief,
                noticeDays:
                  notification === undefined
                    ? null
                    : daysBetween(notification.notifiedOn, relief.from),
              },
              {
                kind: r.kind,
                programs: r.programs,
                from: r.from,
                until: r.until,
                sameRuleIntervals: [],
              },
            );
            expect(checked.ok ? 'ok' : checked.refusal.message).toBe('ok');
          }
        }
        const overlaps = (
          a: { from: string; until: string | null },
          b: { from: string; until: string | null },
        ) => (b.until === null || a.from < b.until) && (a.until === null || b.from < a.until);
        const recorded = (v: RestrictionVersion) => ({ from: v.recordedAt, until: v.supersededAt });
        for (const a of records.restrictions) {
          for (const b of records.restrictions) {
            if (a.id >= b.id || a.country !== b.country || a.kind !== b.kind) continue;
            if (!a.programs.some((p) => b.programs.includes(p))) continue;
            if (overlaps(recorded(a), recorded(b))) expect(overlaps(a, b)).toBe(false);
          }
        }
        for (const versions of [records.restrictions, records.reliefs]) {
          for (const v of versions) {
            const next = versions.find((w) => w.id === v.id && w.version === v.version + 1);
            expect(v.supersededAt).toBe(next?.recordedAt ?? null);
            if (next !== undefined) expect(next.recordedAt > v.recordedAt).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });
});

describe('eligibility engine properties', () => {
  it('answers from a span exactly what the rule says over every version of the program', () => {
    // The index cuts each program's record into spans and keeps each span's decision as known
    // now; the reference applies the rule to every version of the country's program, uncut.
    fc.assert(
      fc.property(caseArb({ maxQueries: 24 }), ({ records, queries }) => {
        const index = buildEligibilityIndex(records);
        for (const q of queries) {
          const timeline = index.timelines.get(q.country)?.get(q.program);
          // Every version, gathered from the records themselves rather than the index's list.
          const every: RestrictionEntry[] = [...(timeline?.sorted ?? [])];
          expect(every.map((e) => e.version)).toEqual(
            records.restrictions
              .filter((v) => v.country === q.country && v.programs.includes(q.program))
              .sort(
                (a, b) =>
                  (a.from < b.from ? -1 : a.from > b.from ? 1 : 0) ||
                  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
                  a.version - b.version,
              ),
          );
          const reference = evaluate(
            every,
            q.program,
            dayKey(q.on),
            q.knownOn ?? null,
            q.course ?? null,
          );
          const { eligible, conditions, restrictions, pending } = decide(index, q);
          expect({ eligible, conditions, restrictions, pending }).toEqual(reference);
        }
      }),
      RUNS,
    );
  });

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

describe('rebuilding only the countries a write touched (rebuildCountries)', () => {
  /** Countries whose versions or notifications differ between two sets of records. */
  function touched(before: EligibilityRecords, after: EligibilityRecords): Set<string> {
    const countryOf = new Map(after.restrictions.map((v) => [v.id, v.country]));
    const keys = (records: EligibilityRecords) =>
      new Map<string, string>([
        ...records.restrictions.map((v): [string, string] => [JSON.stringify(v), v.country]),
        ...records.reliefs.map((v): [string, string] => [
          JSON.stringify(v),
          countryOf.get(v.restrictionId) ?? '',
        ]),
        ...records.notifications.map((n): [string, string] => [JSON.stringify(n), n.country]),
      ]);
    const a = keys(before);
    const b = keys(after);
    const countries = new Set<string>();
    for (const [key, country] of a) if (!b.has(key)) countries.add(country);
    for (const [key, country] of b) if (!a.has(key)) countries.add(country);
    return countries;
  }

  /** Records, later changes of them, and queries now and as known on any instant. */
  const laterWithQueries = recordsArb().chain((records) =>
    instantArb(records).chain((after) =>
      laterChangesArb(records, after).chain((later) =>
        fc.record({
          records: fc.constant(records),
          later: fc.constant(later),
          queries: fc.array(
            fc
              .tuple(queryArb(later), fc.option(instantArb(later)))
              .map(([q, knownOn]) => (knownOn === null ? q : { ...q, knownOn })),
            { minLength: 1, maxLength: 20 },
          ),
        }),
      ),
    ),
  );

  /**
   * Per country, the programs of every version (before and after) of each restriction a change
   * wrote or whose relief it wrote; undefined (all programs) where a notification changed.
   */
  function touchedPrograms(before: EligibilityRecords, after: EligibilityRecords) {
    const versions = [...before.restrictions, ...after.restrictions];
    const key = (v: object) => JSON.stringify(v);
    const diff = <T extends object>(a: readonly T[], b: readonly T[]) => {
      const ka = new Set(a.map(key));
      const kb = new Set(b.map(key));
      return [...a.filter((v) => !kb.has(key(v))), ...b.filter((v) => !ka.has(key(v)))];
    };
    const restrictionIds = new Set([
      ...diff(before.restrictions, after.restrictions).map((v) => v.id),
      ...diff(before.reliefs, after.reliefs).map((r) => r.restrictionId),
    ]);
    const all = new Set(diff(before.notifications, after.notifications).map((n) => n.country));
    const programs = new Map<string, Set<string>>();
    for (const v of versions) {
      if (!restrictionIds.has(v.id)) continue;
      let set = programs.get(v.country);
      if (set === undefined) programs.set(v.country, (set = new Set()));
      for (const p of v.programs) set.add(p);
    }
    return (country: string) => (all.has(country) ? undefined : programs.get(country));
  }

  it('answers as a whole build when only the programs a write touched are built again', () => {
    fc.assert(
      fc.property(laterWithQueries, ({ records, later, queries }) => {
        const old = buildEligibilityIndex(records);
        for (const q of queries) decide(old, q);
        const narrowed = rebuildCountries(
          old,
          touched(records, later),
          later,
          touchedPrograms(records, later),
        );
        const whole = buildEligibilityIndex(later);
        expect(queries.map((q) => decide(narrowed, q))).toEqual(
          queries.map((q) => decide(whole, q)),
        );
        expect(narrowed.size).toBe(whole.size);
      }),
      RUNS,
    );
  });

  it('answers every query, now and as known on any instant, as an index built whole', () => {
    fc.assert(
      fc.property(laterWithQueries, ({ records, later, queries }) => {
        const old = buildEligibilityIndex(records);
        // Answers kept on the old index must not leak into the rebuilt one.
        for (const q of queries) decide(old, q);
        const rebuilt = rebuildCountries(old, touched(records, later), later);
        const whole = buildEligibilityIndex(later);
        expect(queries.map((q) => decide(rebuilt, q))).toEqual(
          queries.map((q) => decide(whole, q)),
        );
        expect(rebuilt.size).toBe(whole.size);
        expect(rebuilt.recordedThrough).toBe(whole.recordedThrough);
        expect(new Set(rebuilt.timelines.keys())).toEqual(new Set(whole.timelines.keys()));
      }),
      RUNS,
    );
  });

  it('takes again the entries of the versions a change left as they were, and builds the others', () => {
    fc.assert(
      fc.property(laterWithQueries, ({ records, later }) => {
        const old = buildEligibilityIndex(records);
        const countries = touched(records, later);
        const rebuilt = rebuildCountries(old, countries, later, touchedPrograms(records, later));
        const entries = (index: typeof old) => {
          const out = new Map<RestrictionVersion, RestrictionEntry>();
          for (const country of countries)
            for (const timeline of index.timelines.get(country)?.values() ?? [])
              for (const entry of timeline.sorted) out.set(entry.version, entry);
          return out;
        };
        const before = entries(old);
        const reliefsOf = (id: string, records: EligibilityRecords) =>
          records.reliefs.filter((r) => r.restrictionId === id);
        for (const [version, entry] of entries(rebuilt)) {
          const was = before.get(version);
          // The same version, its reliefs and the notifications it and they name the same objects.
          const notified = (id: string | null, records: EligibilityRecords) =>
            records.notifications.find((n) => n.id === id);
          const reliefs = reliefsOf(version.id, later);
          const same =
            was !== undefined &&
            reliefsOf(version.id, records).length === reliefs.length &&
            reliefs.every((r) => records.reliefs.includes(r)) &&
            [version.liftNotificationId, ...reliefs.map((r) => r.notificationId)].every(
              (id) => id === null || notified(id, records) === notified(id, later),
            );
          if (same) expect(entry).toBe(was);
          else expect(entry).not.toBe(was);
        }
      }),
      RUNS,
    );
  });

  it('leaves the index it started from as it was', () => {
    fc.assert(
      fc.property(
        recordsArb().chain((records) =>
          fc.record({ records: fc.constant(records), queries: fc.array(queryArb(records)) }),
        ),
        ({ records, queries }) => {
          const old = buildEligibilityIndex(records);
          const before = queries.map((q) => decide(old, q));
          const countries = new Set(records.restrictions.map((v) => v.country));
          rebuildCountries(old, countries, { restrictions: [], reliefs: [], notifications: [] });
          expect(queries.map((q) => decide(old, q))).toEqual(before);
        },
      ),
      RUNS,
    );
  });
});

// Two cases the properties found: a tie in recording time, and a correction that changes the kind.
describe('order and corrections of kind', () => {
  const on = '2019-01-01' as IsoDate;

  it('cites the same relief whatever order two reliefs recorded together come in', () => {
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

  it('keeps a past answer when a later correction changes the kind', () => {
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
    const corrected: RestrictionVersion[] = [
      { ...v1, supersededAt: '2021-01-01T00:00:00.000Z' },
      { ...v1, version: 2, kind: 'human-rights' as const, recordedAt: '2021-01-01T00:00:00.000Z' },
    ];
    const query = {
      country: 'PAK',
      program: 'FMF' as const,
      on,
      knownOn: '2020-01-01T00:00:00.000Z',
    };
    const ask = (restrictions: RestrictionVersion[]) =>
      decide(
        buildEligibilityIndex({ restrictions, reliefs: [certification], notifications: [] }),
        query,
      ).eligible;
    expect(ask([v1])).toBe(true);
    expect(ask(corrected)).toBe(true);
  });
});
