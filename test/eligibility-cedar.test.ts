// Differential test: the eligibility engine against an independent Cedar model of the same records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../src/core/dates.js';
import {
  buildEligibilityIndex,
  decide,
  type EligibilityQuery,
} from '../src/core/eligibility/engine.js';
import { pakistanStory } from '../src/core/eligibility/test-records.js';
import { PROGRAMS } from '../src/core/programs.js';
import { cedarDecide, loadCedarPolicySet, type CedarPolicySet } from './support/cedar.js';
import { caseArb } from './support/eligibility-arbitraries.js';

describe('the engine agrees with Cedar', () => {
  it('on the Pakistan story, every program, on and around each boundary', () => {
    const records = pakistanStory();
    const index = buildEligibilityIndex(records);
    const set = loadCedarPolicySet('pakistan', records, null);
    try {
      const days = ['2017-12-01', '2018-01-03', '2018-01-04', '2018-07-31', '2018-08-01'];
      days.push('2019-12-19', '2020-01-02', '2020-01-03', '2020-01-04');
      for (const program of PROGRAMS) {
        for (const on of days) {
          const query = { country: 'PAK', program, on: on as IsoDate };
          expect([program, on, cedarDecide(set.id, query)]).toEqual([
            program,
            on,
            decide(index, query).eligible,
          ]);
        }
      }
    } finally {
      set.free();
    }
  });

  it('on 2,000 generated record sets, 2 to 4 queries each, now and as known on past instants', () => {
    const seen = { cases: 0, knownOn: 0, course: 0, blocked: 0, relieved: 0 };
    fc.assert(
      fc.property(caseArb({ batchImports: true, minQueries: 2, maxQueries: 4 }), (c) => {
        const index = buildEligibilityIndex(c.records);
        // One Cedar policy set per "as known on" instant the queries name; ids are reused, so
        // loading a set replaces (frees) the previous case's.
        const sets = new Map<string | null, CedarPolicySet>();
        const setFor = (q: EligibilityQuery) => {
          const knownOn = q.knownOn ?? null;
          let set = sets.get(knownOn);
          if (set === undefined) {
            set = loadCedarPolicySet(`diff-${sets.size}`, c.records, knownOn);
            sets.set(knownOn, set);
          }
          return set;
        };
        for (const q of c.queries) {
          const ours = decide(index, q);
          const cedar = cedarDecide(setFor(q).id, q);
          if (ours.eligible !== cedar)
            throw new Error(
              `engine ${ours.eligible ? 'eligible' : 'not eligible'}, Cedar ${cedar ? 'allows' : 'denies'}: ${JSON.stringify(q)}\n${ours.restrictions.map((r) => r.reason).join('\n')}`,
            );
          seen.cases += 1;
          if ((q.knownOn ?? null) !== null) seen.knownOn += 1;
          if ((q.course ?? null) !== null) seen.course += 1;
          if (!ours.eligible) seen.blocked += 1;
          if (ours.restrictions.some((r) => r.status === 'relieved')) seen.relieved += 1;
        }
      }),
      { numRuns: 2000 },
    );
    expect(seen.cases).toBeGreaterThanOrEqual(4000);
    // The mix exercises what matters: past instants, courses, blocked and relieved answers.
    expect(seen.knownOn).toBeGreaterThan(seen.cases / 5);
    expect(seen.course).toBeGreaterThan(seen.cases / 5);
    expect(seen.blocked).toBeGreaterThan(seen.cases / 10);
    expect(seen.relieved).toBeGreaterThan(seen.cases / 20);
  }, 180_000);
});
