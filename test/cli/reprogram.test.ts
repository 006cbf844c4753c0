// `attache reprogram` over the demo (issue 17): the proposal for Pakistan's released money in a
// terminal, its JSON, the exit code and one line when kept lines conflict, and bad input refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOver, type CliRun } from '../support/cli.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

let db: TestDatabase;
let cli: (args: readonly string[]) => Promise<CliRun>;

beforeAll(async () => {
  db = await openTestDatabase('demo');
  cli = cliOver(db.ctx, 'user:pm');
}, 120_000);
afterAll(async () => {
  await db.close();
});

describe('attache reprogram', () => {
  it("proposes a use of Pakistan's released $2,411,130 and says which rules bind", async () => {
    const run = await cli(['reprogram', '--fy', '2018', '--pool', 'released']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^FY2018 released pool: \$2,411,130\.00 \(PAK \$2,411,130\.00\), as of 2018-08-01 \(the day the pooled money was last released\)/,
    );
    expect(run.stdout).toMatch(/value \d+ against the greedy baseline's \d+ \([\d.]+×\); optimal/);
    expect(run.stdout).toContain('binding rules');
    expect(run.stdout).toMatch(/^ {2}POOL: the pool of \$2,411,130\.00/m);
    expect(run.stdout).toMatch(/^ {2}PME_AT_LEAST_HALF: EGY: PME lines/m);
    // Every funded country's checks, as the proposal leaves its list.
    const rows = run.stdout.split('\n').filter((l) => /^(COL|EGY|JOR|MNG|PHL) +\$/.test(l));
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.trim().endsWith('ok')).toBe(true);
    expect(run.stdout).toContain('nothing was written (--apply writes it)');
  });

  it('prints the API object with --json', async () => {
    const run = await cli(['reprogram', '--fy', '2018', '--json']);
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as {
      proposal: { poolCents: number; chosen: unknown[] };
      listsAfter: { pmeAtLeastHalf: boolean; priorityAWithinAllocation: boolean }[];
    };
    expect(answer.proposal.poolCents).toBe(241_113_000);
    expect(answer.proposal.chosen.length).toBeGreaterThan(0);
    expect(answer.listsAfter.every((l) => l.pmeAtLeastHalf && l.priorityAWithinAllocation)).toBe(
      true,
    );
  });

  it('exits 1 with the conflicting rules when kept lines cannot all be funded', async () => {
    const json = JSON.parse((await cli(['reprogram', '--fy', '2018', '--json'])).stdout) as {
      proposal: { notChosen: { lineId: string; rule: string }[] };
    };
    const egypt = json.proposal.notChosen
      .filter((n) => n.rule === 'PME_AT_LEAST_HALF')
      .flatMap((n) => ['--keep', n.lineId]);
    const run = await cli(['reprogram', '--fy', '2018', ...egypt]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('no proposal keeps every rule; these conflict:');
    expect(run.stderr.trim()).toMatch(
      /^attache: no proposal keeps every rule: .*PME_AT_LEAST_HALF EGY.*REQUIRED_SEATS/,
    );
  });

  it('refuses bad input with exit 2 and one line naming the field', async () => {
    for (const [args, field] of [
      [['--pool', 'spare'], 'pool'],
      [['--on', '2018-13-01'], 'on'],
      [['--keep', 'no such line'], 'keep'],
      [['--time-limit', 'soon'], 'timeLimit'],
    ] as const) {
      const run = await cli(['reprogram', '--fy', '2018', ...args]);
      expect([args, run.code]).toEqual([args, 2]);
      expect(run.stderr.trim()).toMatch(new RegExp(`^attache: ${field}: `));
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect((await cli(['reprogram', '--fy', '2018', '--country', 'ZZZ'])).code).toBe(3);
  });

  // Last: it writes.
  it('applies the proposal with --apply, after the notification it needs, in one write', async () => {
    const refused = await cli(['reprogram', '--fy', '2018', '--apply']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toMatch(/^attache: notified: COL's allocation grows by/);
    const run = await cli(['reprogram', '--fy', '2018', '--apply', '--notified', '2018-08-02']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/applied:\n {2}re-programming rpg_\w+: 17 lines made priority A/);
    expect(run.stdout).toMatch(
      /^ {2}JOR IMET FY2018: \$900,000\.00 → \$[\d,.]+, in force from 2018-08-17$/m,
    );
    for (const country of ['COL', 'EGY', 'JOR', 'MNG', 'PHL'])
      expect((await cli(['program', 'check', country, '2018'])).code).toBe(0);
    const after = await cli(['reprogram', '--fy', '2018']);
    expect(after.stdout).toMatch(/^FY2018 released pool: \$5,920\.00 \(PAK \$5,920\.00\)/);
  });
});
