// `attache report impact|timeline|records|prominence` on the demo: JSON on standard output, files
// written with --out, and the exit code and one line naming the option for every bad input.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../src/core/reports/report-document.js';
import { cliOver, REPO_ROOT, type CliRun } from '../support/cli.js';
import { demoDataDir, openTestDatabase, type TestDatabase } from '../support/databases.js';

const dir = mkdtempSync(join(tmpdir(), 'attache-report-records-'));
let db: TestDatabase;
let cli: (args: readonly string[]) => Promise<CliRun>;

beforeAll(async () => {
  db = await openTestDatabase('demo');
  cli = cliOver(db.ctx, 'user:pm');
}, 120_000);
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('attache report (records)', () => {
  it('prints the impact of a restriction as JSON by default', async () => {
    const run = await cli(['report', 'impact', '--restriction', 'rst_pak-policy-2018']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as ReportDocument;
    expect(doc.sections[0]?.totals).toEqual(['Total', 67, 1, 2_506_770_00, 2_411_130_00, 0]);
  });

  it.each([
    ['html', '<!doctype html>'],
    ['csv', 'Country timeline: Pakistan (PAK)'],
  ])('prints a %s timeline on standard output', async (format, start) => {
    const run = await cli([
      'report',
      'timeline',
      'pak',
      '--from',
      '2017-01-01',
      '--format',
      format,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(start)).toBe(true);
  });

  it.each([
    ['xlsx', ['report', 'prominence', '--country', 'PAK'], 'PK'],
    ['pdf', ['report', 'records', '--country', 'PAK', '--unit', '10th Corps'], '%PDF-'],
    ['pdf', ['report', 'impact', '--relief', 'rlf_pak-imet-exception-2018'], '%PDF-'],
  ])('writes a %s file with --out and says where', async (format, args, magic) => {
    const out = join(dir, `${args[1]}.${format}`);
    const run = await cli([...args, '--format', format, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`wrote ${out}`);
    expect(readFileSync(out).subarray(0, magic.length).toString('latin1')).toBe(magic);
  });

  it.each([
    [['report', 'impact'], 2, '--restriction: give --restriction ID or --relief ID'],
    [['report', 'impact', '--restriction', 'a', '--relief', 'b'], 2, '--restriction'],
    [['report', 'impact', '--restriction', 'rst_none'], 3, 'restriction'],
    [['report', 'impact', '--relief', 'rlf_none'], 3, 'relief'],
    [['report', 'timeline', 'ZZZ'], 3, 'country'],
    [['report', 'timeline', 'PAK', '--from', '2019-13-01'], 2, 'from: not a calendar date'],
    [
      ['report', 'timeline', 'PAK', '--from', '2020-01-01', '--to', '2019-01-01'],
      2,
      'to: 2019-01-01 is before',
    ],
    [
      ['report', 'records', '--country', 'PAK', '--format', 'docx'],
      2,
      '--format: docx is not one of',
    ],
    [['report', 'records', '--country', 'PAK', '--format', 'pdf'], 2, '--out: pdf is binary'],
    [['report', 'records', '--country', 'PAK', '--unit', 'x', '--name', 'y'], 2, '--unit'],
    [['report', 'records', '--country', 'ZZZ'], 3, 'country'],
    [
      [
        'report',
        'prominence',
        '--country',
        'PAK',
        '--format',
        'pdf',
        '--out',
        '/no/such/dir/p.pdf',
      ],
      2,
      '--out: no folder',
    ],
    [['report', 'prominence'], 2, "required option '--country"],
  ])('refuses %j with exit %i naming the option', async (args, code, message) => {
    const run = await cli(args);
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('writes nothing when it refuses a report for lack of a folder', async () => {
    const out = join(dir, 'missing', 'x.pdf');
    expect((await cli(['report', 'timeline', 'PAK', '--format', 'pdf', '--out', out])).code).toBe(
      2,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to write a PDF to a terminal, in a real process (exit 2, one line)', async () => {
    if (spawnSync('which', ['script']).status !== 0) {
      console.warn('skipping the terminal check: no `script` to give the command a terminal');
      return;
    }
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: 'warn',
      ATTACHE_DATA_DIR: await demoDataDir(dir),
    };
    delete env.DATABASE_URL;
    const command = 'node --import tsx src/cli/main.ts report timeline PAK --format pdf';
    // `script` runs the command on a pseudo-terminal and exits with its code.
    const run = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    const lines = run.stdout.trim().split(/\r?\n/);
    expect(lines).toEqual([
      'attache: --out: pdf is binary and is not written to a terminal: give --out FILE',
    ]);
  }, 60_000);
});
