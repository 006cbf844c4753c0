// The training-program commands end to end: the demo's 66 cancelled seats, a dry run that equals the
// real call, the impact of a restriction, and the list checks.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOver, collect, REPO_ROOT, type CliRun } from '../support/cli.js';
import { demoDataDir, openTestDatabase, type TestDatabase } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-training-'));
let db: TestDatabase;
let cli: (args: readonly string[]) => Promise<CliRun>;
// The commands run in this process over a demo database; the slow pipe needs a real process.

beforeAll(async () => {
  db = await openTestDatabase('demo');
  cli = cliOver(db.ctx, 'user:pm');
}, 120_000);
afterAll(async () => {
  await db.close();
  rmSync(root, { recursive: true, force: true });
});

interface SeatJson {
  id: string;
  status: string;
  reason: string | null;
  penaltyCents: number;
  restrictionId: string | null;
  cancelledOn: string | null;
  heldOn: string | null;
}

describe('the Pakistan story in seats', () => {
  /** The PAK FY2018 seat list as a real process on a demo data dir, piped into `reader`. */
  async function seatListInto(reader: string): Promise<CliRun> {
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: 'warn',
      ATTACHE_DATA_DIR: await demoDataDir(root),
    };
    delete childEnv.DATABASE_URL; // the demo data dir, whatever backend the suite runs on
    const command = 'node --import tsx src/cli/main.ts seat list --country PAK --fy 2018 --json';
    return collect(
      spawn('bash', ['-c', `set -o pipefail; ${command} | ${reader}`], {
        cwd: REPO_ROOT,
        env: childEnv,
      }),
    );
  }

  it('prints a long --json list whole through a slow pipe (over 64 KiB)', async () => {
    // A reader that starts late: the pipe fills at 64 KiB and the rest waits in the child, which
    // must not exit before it is written.
    const run = await seatListInto('(sleep 3; cat)');
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(65_536);
    expect((JSON.parse(run.stdout) as { total: number }).total).toBe(71);
  });

  it('ends quietly (exit 0, nothing on stderr) when its reader stops early', async () => {
    expect(await seatListInto('head -c 1')).toEqual({ code: 0, stdout: '{', stderr: '' });
  }, 60_000);

  it('lists the 66 FY2018 seats cancelled by the 2018 suspension, none penalised', async () => {
    const run = await cli([
      'seat',
      'list',
      '--country',
      'PAK',
      '--fy',
      '2018',
      '--status',
      'cancelled',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as { items: SeatJson[]; total: number };
    expect(body.total).toBe(66);
    for (const seat of body.items) {
      // Dated the day the IMET exception ended, not the day the demo was loaded (issue #10).
      expect(seat).toMatchObject({
        status: 'cancelled',
        penaltyCents: 0,
        restrictionId: 'rst_pak-policy-2018',
        cancelledOn: '2018-08-01',
        heldOn: null,
      });
      expect(seat.reason).toMatch(
        /^US decision: policy restriction rst_pak-policy-2018 blocks IMET from 2018-08-01 \(class starts 2018-0[89]-\d\d\); cancelled, no penalty$/,
      );
    }
  });

  it('says what the suspension did, with the money released', async () => {
    const run = await cli(['impact', '--restriction', 'rst_pak-policy-2018']);
    expect(run.code).toBe(0);
    // The officer already in his class on 2018-08-01 is flagged for a decision, never cancelled.
    expect(run.stdout).toContain('seats reached: 67 (1 flagged, 66 cancelled)');
    expect(run.stdout).toContain('money released: $2,411,130.00; penalties: $0.00');
  });
});

describe('a new suspension for another country', () => {
  it('previews with --dry-run exactly what the real call then changes', async () => {
    const line = await cli([
      'line',
      'add',
      '--country',
      'IND',
      '--fy',
      '2020',
      '--course',
      'B171005',
      '--seats',
      '3',
      '--start',
      '2020-08-03',
      '--priority',
      'A',
      '--allowance',
      '18000',
      '--json',
    ]);
    expect(line.code).toBe(0);
    const seatIds = (JSON.parse(line.stdout) as { seats: { id: string }[] }).seats.map((s) => s.id);
    const args = [
      'restriction',
      'add',
      '--country',
      'IND',
      '--scope',
      'IMET',
      '--kind',
      'policy',
      '--from',
      '2020-07-01',
      '--basis',
      'test suspension',
      '--authority',
      'Secretary of State',
    ];
    const preview = await cli([...args, '--dry-run']);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(
      /^dry run: nothing written\nseats reached: 3 \(3 cancelled\)\nmoney released: \$/,
    );
    const stillProgrammed = await cli([
      'seat',
      'list',
      '--country',
      'IND',
      '--fy',
      '2020',
      '--status',
      'programmed',
      '--json',
    ]);
    expect((JSON.parse(stillProgrammed.stdout) as { total: number }).total).toBe(3);

    const previewJson = JSON.parse((await cli([...args, '--dry-run', '--json'])).stdout) as {
      impact: { changes: { seatId: string; to: string }[]; releasedCents: number };
    };
    const real = await cli([...args, '--json']);
    expect(real.code).toBe(0);
    const written = JSON.parse(real.stdout) as {
      id: string;
      impact: { changes: { seatId: string; to: string }[]; releasedCents: number };
    };
    const changes = (i: typeof written.impact) => i.changes.map((c) => [c.seatId, c.to]);
    expect(changes(written.impact)).toEqual(changes(previewJson.impact));
    expect(changes(written.impact)).toEqual(seatIds.map((id) => [id, 'cancelled']));
    expect(written.impact.releasedCents).toBe(previewJson.impact.releasedCents);
    const cancelled = await cli([
      'seat',
      'list',
      '--country',
      'IND',
      '--fy',
      '2020',
      '--status',
      'cancelled',
      '--json',
    ]);
    expect(
      (JSON.parse(cancelled.stdout) as { items: SeatJson[] }).items.map((s) => [
        s.id,
        s.restrictionId,
      ]),
    ).toEqual(seatIds.map((id) => [id, written.id]));
  }, 60_000);
});

describe('attache program check', () => {
  it('reports each check with its numbers, and exits 1 when one fails', async () => {
    const run = await cli(['program', 'check', 'PAK', '2018']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^PAK FY2018 IMET: allocation \$0\.00, committed \$[\d,.]+, released \$2,411,130\.00/,
    );
    expect(run.stdout).toMatch(
      /FAIL PRIORITY_A_WITHIN_ALLOCATION: priority A lines \$[\d,.]+ are — of the \$0\.00 allocation/,
    );
    expect(run.stderr.trim()).toBe('attache: 1 check(s) failed: PRIORITY_A_WITHIN_ALLOCATION');
  });

  it('refuses bad input with exit 2 or 3', async () => {
    expect((await cli(['program', 'check', 'XYZ', '2018'])).code).toBe(3);
    expect(
      (
        await cli([
          'line',
          'add',
          '--country',
          'IND',
          '--fy',
          '2020',
          '--course',
          'B171005',
          '--seats',
          '0',
          '--start',
          '2020-08-03',
          '--priority',
          'A',
        ])
      ).code,
    ).toBe(2);
    const outside = await cli([
      'line',
      'add',
      '--country',
      'IND',
      '--fy',
      '2020',
      '--course',
      'B171005',
      '--seats',
      '1',
      '--start',
      '2020-10-01',
      '--priority',
      'A',
    ]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^attache: start: 2020-10-01 is outside FY2020/);
  });
});
