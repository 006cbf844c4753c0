// `attache allocation set|show` end to end: dollars to exact cents, the notification rule's exit
// code, a pending change, --json printing the API object. In this process over a migrated test
// database; one refusal on a real process over an embedded data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dollarsToCents } from '../../src/cli/commands/allocation.command.js';
import { cliOver, runAttache, type CliRun } from '../support/cli.js';
import { demoDataDir, openTestDatabase, type TestDatabase } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-alloc-'));
let db: TestDatabase;
let runHere: (args: readonly string[]) => Promise<CliRun>;
let env: Record<string, string>;

beforeAll(async () => {
  db = await openTestDatabase('empty');
  runHere = cliOver(db.ctx, 'user:tester');
  const migrated = await runHere(['db', 'migrate']);
  expect(migrated.code).toBe(0);
  env = { ATTACHE_DATA_DIR: await demoDataDir(root), ATTACHE_ACTOR: 'user:tester' };
}, 60_000);

afterAll(async () => {
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('dollarsToCents', () => {
  it.each([
    ['4000000', 400_000_000],
    ['4000000.5', 400_000_050],
    ['4000000.50', 400_000_050],
    ['0.07', 7],
    ['0', 0],
    ['24999.99', 2_499_999],
    ['9999999999999.99', 999_999_999_999_999],
  ])('reads %s dollars as %d cents exactly', (text, cents) => {
    expect(dollarsToCents(text)).toBe(cents);
  });

  it.each(['-5', '12.345', '1e6', '4,000,000', '', '.5', '5.', 'abc'])('refuses %j', (text) => {
    expect(dollarsToCents(text)).toBeUndefined();
  });
});

describe('attache allocation', () => {
  it('sets a first allocation at once, refuses a $30,000 change without a notification, holds a notified one', async () => {
    const first = await runHere(
      ['allocation', 'set', 'PAK', 'IMET', '2018', '--amount', '4000000.50'].concat([
        '--reason',
        'FY2018 IMET as justified',
        '--json',
      ]),
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      pending: false,
      exemption: 'first-allocation',
      allocation: { amountCents: 400_000_050, recordedBy: 'user:tester', notification: null },
    });

    const refused = await runHere([
      'allocation',
      'set',
      'PAK',
      'IMET',
      '2018',
      '--amount',
      '4030000.50',
      '--reason',
      'more',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      /^attache: notified: .*\[ALLOCATION\.NOTIFICATION_REQUIRED\]\n$/,
    );

    // A notification far ahead of the real date, so the change is pending whenever this runs.
    const held = await runHere(
      [
        'allocation',
        'set',
        'PAK',
        'IMET',
        '2018',
        '--amount',
        '4030000.50',
        '--reason',
        'more',
      ].concat(['--notified', '2099-01-01', '--wait-days', '30']),
    );
    expect(held.code).toBe(0);
    expect(held.stdout).toMatch(
      /^PAK IMET FY2018 \$4,030,000\.50 pending: in force from 2099-01-31, when the 30-day window after the notification of 2099-01-01 ends \(alc_[0-9a-f]+\)\n$/,
    );

    const show = await runHere(['allocation', 'show', 'PAK', 'IMET', '--fy', '2018', '--json']);
    expect(show.code).toBe(0);
    const view = JSON.parse(show.stdout) as {
      fiscalYears: {
        inForce: { amountCents: number };
        pending: { effectiveFrom: string; notification: { notifiedOn: string } }[];
        history: { recordedBy: string }[];
      }[];
    };
    expect(view.fiscalYears).toHaveLength(1);
    const [fy2018] = view.fiscalYears;
    expect(fy2018!.inForce.amountCents).toBe(400_000_050);
    expect(fy2018!.pending).toMatchObject([
      { effectiveFrom: '2099-01-31', notification: { notifiedOn: '2099-01-01' } },
    ]);
    expect(fy2018!.history.map((v) => v.recordedBy)).toEqual(['user:tester', 'user:tester']);

    const text = await runHere(['allocation', 'show', 'PAK', 'IMET']);
    expect(text.stdout).toMatch(/^FY2018 {2}\$4,000,000\.50 in force from \d{4}-\d{2}-\d{2}$/m);
    expect(text.stdout).toContain(
      '  pending: $4,030,000.50 from 2099-01-31 (Congress notified 2099-01-01, 30-day window)',
    );
  });

  it.each([
    [['PAK', 'IMET', '2018', '--amount', '-5', '--reason', 'x'], 2, /^attache: --amount: /],
    [['PAK', 'IMET', '2018', '--amount', '5', '--reason', ' '], 2, /^attache: reason: /],
  ])('refuses set %j with exit %d and one line', async (args, code, message) => {
    const run = await runHere(['allocation', 'set', ...args]);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  // A real process: its exit status and its stderr through a pipe, over a data dir on disk.
  it.each([[['XYZ', 'IMET', '2018', '--amount', '5', '--reason', 'x'], 3, /^attache: country: /]])(
    'refuses set %j with exit %d and one line',
    async (args, code, message) => {
      const run = await runAttache(['allocation', 'set', ...args], env);
      expect(run.code).toBe(code);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    },
  );
});
