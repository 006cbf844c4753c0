// `attache allocation set|show` end to end on an embedded data dir: dollars to exact cents, the
// notification rule's exit code, a pending change, --json printing the API object.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dollarsToCents } from '../../src/cli/commands/allocation.command.js';
import { runAttache } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'attache-alloc-'));
const env = { ATTACHE_DATA_DIR: join(root, 'data'), ATTACHE_ACTOR: 'user:tester' };
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  const migrated = await runAttache(['db', 'migrate'], env);
  expect(migrated.code).toBe(0);
}, 60_000);

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
    const first = await runAttache(
      ['allocation', 'set', 'PAK', 'IMET', '2018', '--amount', '4000000.50'].concat([
        '--reason',
        'FY2018 IMET as justified',
        '--json',
      ]),
      env,
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      pending: false,
      exemption: 'first-allocation',
      allocation: { amountCents: 400_000_050, recordedBy: 'user:tester', notification: null },
    });

    const refused = await runAttache(
      ['allocation', 'set', 'PAK', 'IMET', '2018', '--amount', '4030000.50', '--reason', 'more'],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      /^attache: notified: .*\[ALLOCATION\.NOTIFICATION_REQUIRED\]\n$/,
    );

    // A notification far ahead of the real date, so the change is pending whenever this runs.
    const held = await runAttache(
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
      env,
    );
    expect(held.code).toBe(0);
    expect(held.stdout).toMatch(
      /^PAK IMET FY2018 \$4,030,000\.50 pending: in force from 2099-01-31, when the 30-day window after the notification of 2099-01-01 ends \(alc_[0-9a-f]+\)\n$/,
    );

    const show = await runAttache(
      ['allocation', 'show', 'PAK', 'IMET', '--fy', '2018', '--json'],
      env,
    );
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

    const text = await runAttache(['allocation', 'show', 'PAK', 'IMET'], env);
    expect(text.stdout).toMatch(/^FY2018 {2}\$4,000,000\.50 in force from \d{4}-\d{2}-\d{2}$/m);
    expect(text.stdout).toContain(
      '  pending: $4,030,000.50 from 2099-01-31 (Congress notified 2099-01-01, 30-day window)',
    );
  });

  it.each([
    [['PAK', 'IMET', '2018', '--amount', '-5', '--reason', 'x'], 2, /^attache: --amount: /],
    [['PAK', 'IMET', '2018', '--amount', '5', '--reason', ' '], 2, /^attache: reason: /],
    [['XYZ', 'IMET', '2018', '--amount', '5', '--reason', 'x'], 3, /^attache: country: /],
  ])('refuses set %j with exit %d and one line', async (args, code, message) => {
    const run = await runAttache(['allocation', 'set', ...args], env);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
