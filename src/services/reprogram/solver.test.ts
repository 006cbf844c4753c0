// The optimizer on an instance solved by hand (3 countries, 9 candidate lines, the pool and one
// country's PME floor binding, a knapsack the greedy baseline gets wrong), on seeded instances of
// every shape (each proposal keeps every rule), and stopped by its time limit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDate } from '../../core/dates.js';
import {
  DEFAULT_WEIGHTS,
  type Candidate,
  type Pool,
  type ReprogramInput,
} from '../../core/reprogram/model.js';
import { reprogramInstance } from '../../../test/support/reprogram-instances.js';
import { checkPlan, type Proposal, type ProposalResult } from '../../core/reprogram/proposal.js';
import { propose } from './solver.js';

const k = (dollars: number) => dollars * 100;
const line = (
  lineId: string,
  country: string,
  seats: number,
  seatDollars: number,
  more: Partial<Candidate> = {},
): Candidate => ({
  lineId,
  country,
  courseId: `C-${lineId}`,
  category: 'PME',
  eImet: false,
  priority: 'B',
  classStart: isoDate('2018-09-10'),
  seats,
  seatCents: k(seatDollars),
  blocking: [],
  ...more,
});

/**
 * By hand. The pool holds $50,000 (released by CCC). AAA has no room of its own and PME lines of
 * $110,000 against $200,000: a grant above $20,000 would put its PME under half, so AAA takes
 * $20,000 (a2's two E-IMET seats at $5,000, worth 2 each, and one of a1's PME seats at $10,000,
 * worth 3: value 7). BBB has $10,000 of its own and the other $30,000: two PME seats of b1 at
 * $20,000 (value 6) beat b4's E-IMET seat at $12,000 and a b1 seat, which leave $8,000 that buys
 * nothing (value 5; b2's technical seats cost $9,000). CCC spends its own $50,000 on c1 (two PME
 * seats at $25,000: value 6). Optimum 19. Greedy, by value per dollar (a2, a1, b4, b1, c1, b2),
 * takes b4 then one b1 seat: 18.
 *
 * Shadow prices (LP relaxation): a pool dollar buys 1/20,000 of a b1 seat, 3/20,000 = 0.00015;
 * a dollar more of AAA's PME room moves a pool dollar from b1 (0.00015) to a1 (0.0003): 0.00015.
 */
export const HAND_SOLVED: ReprogramInput = {
  fiscalYear: 2018,
  pool: 'released',
  poolCents: k(50_000),
  on: isoDate('2018-08-10'),
  lists: [
    {
      country: 'AAA',
      allocationCents: k(200_000),
      priorityACents: k(200_000),
      pmeCents: k(110_000),
      pooledCents: 0,
    },
    {
      country: 'BBB',
      allocationCents: k(100_000),
      priorityACents: k(90_000),
      pmeCents: k(100_000),
      pooledCents: 0,
    },
    {
      country: 'CCC',
      allocationCents: k(300_000),
      priorityACents: k(150_000),
      pmeCents: k(200_000),
      pooledCents: k(50_000),
    },
  ],
  candidates: [
    line('a1', 'AAA', 4, 10_000),
    line('a2', 'AAA', 2, 5_000, { category: 'other', eImet: true }),
    line('a3', 'AAA', 2, 1_000, { priority: 'A' }),
    line('b1', 'BBB', 2, 20_000),
    line('b2', 'BBB', 2, 9_000, { category: 'technical' }),
    line('b4', 'BBB', 1, 12_000, { category: 'other', eImet: true }),
    line('b3', 'BBB', 3, 1_000, { classStart: isoDate('2018-08-01') }),
    line('c1', 'CCC', 2, 25_000),
    line('c2', 'CCC', 5, 1_000, {
      blocking: [{ restrictionId: 'rst_ccc', reason: 'policy suspension of CCC' }],
    }),
  ],
  capacities: [],
  weights: DEFAULT_WEIGHTS,
};

function proposalOrThrow(result: ProposalResult): Proposal {
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.proposal;
}

describe('the re-programming optimizer on a hand-solved instance', () => {
  it('finds the optimum, the greedy baseline, and the shadow prices of the binding rules', async () => {
    const p = proposalOrThrow(await propose(HAND_SOLVED));
    expect(p.status).toBe('optimal');
    expect(p.value).toBe(19);
    expect(p.gap).toBeLessThanOrEqual(0.001);
    expect(Object.fromEntries(p.chosen.map((c) => [c.lineId, c.seats]))).toEqual({
      a1: 1,
      a2: 2,
      b1: 2,
      c1: 2,
    });
    expect(p.grants).toEqual([
      { country: 'AAA', cents: k(20_000), ownCents: 0 },
      { country: 'BBB', cents: k(30_000), ownCents: k(10_000) },
      { country: 'CCC', cents: 0, ownCents: k(50_000) },
    ]);
    expect(p.usedCents).toBe(k(50_000));
    expect(p.leftCents).toBe(0);
    expect(p.greedy.value).toBe(18);
    expect(checkPlan(HAND_SOLVED, p)).toEqual([]);
    expect(checkPlan(HAND_SOLVED, p.greedy)).toEqual([]);

    const price = (rule: string, subject: string) =>
      p.binding.find((b) => b.rule === rule && b.subject === subject)?.shadowPrice;
    expect(price('PME_AT_LEAST_HALF', 'AAA')).toBeCloseTo(0.00015, 9);
    expect(price('POOL', 'pool')).toBeCloseTo(0.00015, 9);
    expect(price('PME_AT_LEAST_HALF', 'BBB')).toBeUndefined();
    expect(p.shadowPrices).toBe('LP relaxation at the proposal');
  });

  it('names the rule that kept each line out', async () => {
    const p = proposalOrThrow(await propose(HAND_SOLVED));
    const why = Object.fromEntries(p.notChosen.map((n) => [n.lineId, [n.rule, n.seats]]));
    expect(why).toEqual({
      a1: ['PME_AT_LEAST_HALF', 3],
      a3: ['PRIORITY_B_ONLY', 2],
      b2: ['POOL', 2],
      b4: ['POOL', 1],
      b3: ['CLASS_STARTED', 3],
      c2: ['LINE_ELIGIBLE', 5],
    });
    const c2 = p.notChosen.find((n) => n.lineId === 'c2')!;
    expect(c2.restrictionIds).toEqual(['rst_ccc']);
    expect(c2.message).toContain('policy suspension of CCC');
  });

  it('answers an impossible demand with the rules that conflict', async () => {
    // AAA's two a1 seats take $20,000 of the pool; b1's two and b4's one need $42,000 more than
    // BBB's own $10,000: $62,000 from a $50,000 pool.
    const result = await propose({
      ...HAND_SOLVED,
      required: [
        { lineId: 'a1', seats: 2 },
        { lineId: 'b1', seats: 2 },
        { lineId: 'b4', seats: 1 },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok || result.reason !== 'infeasible') throw new Error('expected infeasible');
    const rules = result.conflicts.map((c) => `${c.rule} ${c.subject}`);
    expect(rules).toContain('POOL pool');
    expect(rules).toEqual(expect.arrayContaining(['REQUIRED_SEATS b1', 'REQUIRED_SEATS b4']));
    for (const c of result.conflicts) expect(c.message.length).toBeGreaterThan(5);
  });

  it('refuses to require a line a rule excludes, naming the rule', async () => {
    const result = await propose({ ...HAND_SOLVED, required: [{ lineId: 'c2', seats: 1 }] });
    expect(result).toMatchObject({
      ok: false,
      reason: 'infeasible',
      conflicts: [{ rule: 'LINE_ELIGIBLE', subject: 'c2' }],
    });
  });

  it('keeps to what a required line asks and chooses the rest around it', async () => {
    const input = { ...HAND_SOLVED, required: [{ lineId: 'b4', seats: 1 }] };
    const p = proposalOrThrow(await propose(input));
    expect(p.chosen.find((c) => c.lineId === 'b4')?.seats).toBe(1);
    expect(checkPlan(input, p)).toEqual([]);
    expect(p.value).toBeLessThan(19);
  });
});

describe('every proposal keeps every rule', () => {
  it('on seeded instances of every shape, checked by the list rules, never below greedy', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom<Pool>('released', 'end-of-year'),
        async (seed, countries, linesEach, pool) => {
          const input = reprogramInstance(seed, { countries, linesEach, pool });
          const p = proposalOrThrow(await propose(input));
          expect(checkPlan(input, p)).toEqual([]);
          expect(checkPlan(input, p.greedy)).toEqual([]);
          expect(p.value).toBeGreaterThanOrEqual(p.greedy.value);
          expect(p.usedCents + p.leftCents).toBe(input.poolCents);
          // Every line is either chosen whole or says what stopped it.
          for (const c of input.candidates) {
            const chosen = p.chosen.find((l) => l.lineId === c.lineId)?.seats ?? 0;
            const left = p.notChosen.find((n) => n.lineId === c.lineId)?.seats ?? 0;
            expect(chosen + left).toBe(c.seats);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('returns the best solution found, with its gap, when the time limit stops the search', async () => {
    const input = reprogramInstance(7, { countries: 60, linesEach: 50 });
    // So short a search proves no bound of its own: the gap is the LP relaxation's.
    const p = proposalOrThrow(await propose(input, { timeLimitSeconds: 0.02, gap: 0 }));
    expect(p.status).toBe('time-limit');
    expect(p.gap).toBeGreaterThan(0);
    expect(p.gap).toBeLessThan(1);
    expect(checkPlan(input, p)).toEqual([]);
    expect(p.value).toBeGreaterThanOrEqual(p.greedy.value);
  });
});
