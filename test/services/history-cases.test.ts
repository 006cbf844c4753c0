// The shipped history answers documented questions (issue #15): each case of
// resources/history/cases.csv is a country, program and date with the verdict a public source
// gives, and the demo (which loads the shipped history through `import history`) must agree.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEligibility } from '../../src/services/eligibility/eligibility.service.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

interface Case {
  readonly country_iso3: string;
  readonly program: string;
  readonly date: string;
  readonly expected: 'ELIGIBLE' | 'BLOCKED';
  readonly source: string;
  readonly why: string;
  /** `yes` when the case rests on rows added to fill the shared dataset's gaps. */
  readonly added: 'yes' | 'no';
}

const CASES: Case[] = parse(
  readFileSync(new URL('../../resources/history/cases.csv', import.meta.url), 'utf8'),
  { columns: true },
);

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('demo');
}, 120_000);
afterAll(async () => db?.close());

describe('documented cases', () => {
  it('are at least 60, at least 20 of them from the gaps filled, each with its source', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(CASES.filter((c) => c.added === 'yes').length).toBeGreaterThanOrEqual(20);
    for (const c of CASES) {
      expect(c.source).toMatch(/^https?:\/\//);
      expect(c.why.length).toBeGreaterThan(10);
      expect(['ELIGIBLE', 'BLOCKED']).toContain(c.expected);
    }
  });

  it.each(CASES.map((c) => [`${c.country_iso3} ${c.program} ${c.date}`, c] as const))(
    '%s',
    async (_name, c) => {
      const decision = await checkEligibility(db.ctx, {
        country: c.country_iso3,
        program: c.program,
        on: c.date,
      });
      if (!decision.ok) throw new Error(decision.error.message);
      const verdict = decision.value.eligible ? 'ELIGIBLE' : 'BLOCKED';
      expect(
        verdict,
        `${c.why} (${c.source}); the record says: ${decision.value.restrictions.map((r) => r.reason).join(' | ') || 'no restriction'}`,
      ).toBe(c.expected);
    },
  );
});

describe('the demo, which replays the history on the days it happened', () => {
  it('names Pakistan’s FY2022 child-soldiers listing on 2022-03-01 (waived on 2021-10-08)', async () => {
    const pak = await checkEligibility(db.ctx, {
      country: 'PAK',
      program: 'IMET',
      on: '2022-03-01',
    });
    if (!pak.ok) throw new Error(pak.error.message);
    const listing = pak.value.restrictions.find((r) => r.id === 'rst_pak-child-soldiers-fy2022');
    expect(listing).toMatchObject({
      kind: 'child-soldiers',
      from: '2021-10-01',
      until: '2022-10-01',
    });
  });

  it('blocks Cuba on 2025-01-16: as known on 2025-01-15 the rescission was reported, not in effect', async () => {
    const asKnown = await checkEligibility(db.ctx, {
      country: 'CUB',
      program: 'IMET',
      on: '2025-01-16',
      knownOn: '2025-01-15T23:00:00Z',
    });
    if (!asKnown.ok) throw new Error(asKnown.error.message);
    expect(asKnown.value.eligible).toBe(false);
    expect(asKnown.value.restrictions[0]).toMatchObject({
      id: 'rst_cub-terrorism-2021',
      until: '2025-02-28',
      liftNotifiedOn: '2025-01-14',
    });
    expect(asKnown.value.restrictions[0]!.reason).toContain(
      'rescission reported to Congress 2025-01-14, in effect from 2025-02-28',
    );
    // Then revoked on 2025-01-20, before it took effect: still designated on 2025-03-01.
    const now = await checkEligibility(db.ctx, {
      country: 'CUB',
      program: 'IMET',
      on: '2025-03-01',
    });
    if (!now.ok) throw new Error(now.error.message);
    expect(now.value.restrictions[0]).toMatchObject({ id: 'rst_cub-terrorism-2021', until: null });
  });
});
