// `attache report fmt|request|requests` on the demo: the report in each format, files, committee requests, and bad input refused with exit 2 naming the option.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FmtReport } from '../../src/core/reports/fmt-report.js';
import { cliOver, runAttache, type CliRun } from '../support/cli.js';
import { demoDataDir, openTestDatabase, type TestDatabase } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-fmt-'));
let db: TestDatabase;
let cli: (args: readonly string[]) => Promise<CliRun>;

beforeAll(async () => {
  db = await openTestDatabase('demo');
  cli = cliOver(db.ctx, 'user:pm');
}, 120_000);
afterAll(async () => {
  await db.close();
  rmSync(root, { recursive: true, force: true });
});

describe('attache report fmt', () => {
  it('prints the calculation as JSON by default: the 2019 report has Pakistan’s five FY2018 trainees', async () => {
    const run = await cli(['report', 'fmt', '--year', '2019']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(run.stdout) as FmtReport;
    expect(report.year).toBe(2019);
    // The 61 seats the suspension cancelled carry no penalty (the US cancelled): 5 completed seats
    // of B171801 ($75,640 + $20,000), P176003 (2 × ($20,490 + $3,000)), D177031 (2 × ($15,130 + $2,500))
    expect(report.actual).toEqual([
      {
        country: 'PAK',
        countryName: 'Pakistan',
        program: 'IMET',
        sessions: 5,
        students: 5,
        courses: 3,
        valueCents: 17_788_000,
      },
    ]);
  });

  it('prints CSV to standard output and writes PDF, XLSX and HTML files', async () => {
    const csv = await cli(['report', 'fmt', '--year', '2020', '--format', 'csv']);
    expect(csv.code).toBe(0);
    const rows = parse<{ section: string; country: string }>(csv.stdout, { columns: true });
    expect(rows.filter((r) => r.section === 'planned').map((r) => r.country)).toEqual([
      'JOR',
      'PAK',
    ]);
    // The demo's FY2019 program took place in four countries; Estonia's is left out (NATO).
    expect(rows.filter((r) => r.section === 'actual').map((r) => r.country)).toEqual([
      'COL',
      'JOR',
      'MNG',
      'PHL',
    ]);
    expect(rows.filter((r) => r.section === 'excluded').map((r) => r.country)).toEqual(['EST']);
    for (const [format, magic] of [
      ['pdf', '%PDF-'],
      ['xlsx', 'PK'],
      ['html', '<!doctype html>'],
    ] as const) {
      const out = join(root, `fmt-2020.${format}`);
      const run = await cli(['report', 'fmt', '--year', '2020', '--format', format, '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`FMT report 2020 (${format}`);
      expect(run.stdout).toContain(`written to ${out}: 5 countries`);
      expect(readFileSync(out).subarray(0, magic.length).toString('latin1')).toBe(magic);
    }
  });

  it.each([
    [
      ['--year', '2020', '--format', 'docx'],
      '--format: unknown format docx (one of json, html, csv, xlsx, pdf)',
    ],
    [['--year', 'twenty'], '--year:'],
    [['--year', '1800'], '--year:'],
    [['--format', 'json'], "required option '--year <year>'"],
    [['--year', '2020', '--format', 'pdf'], '--out: a pdf report is a binary file'],
    [
      ['--year', '2020', '--format', 'csv', '--out', '/nonexistent/folder/fmt.csv'],
      '--out: no folder',
    ],
  ])('refuses %j with exit 2 naming the option', async (args, message) => {
    const run = await cli(['report', 'fmt', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});

describe('attache report request|requests', () => {
  it('records a request, says which report it counts for, and lists it', async () => {
    const dry = await cli([
      'report',
      'request',
      '--country',
      'POL',
      '--committee',
      'SFRC',
      '--on',
      '2019-10-01',
      '--dry-run',
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^would record /);
    expect((await cli(['report', 'requests'])).stdout).toContain('no committee request recorded');

    const run = await cli([
      'report',
      'request',
      '--country',
      'pol',
      '--committee',
      'SFRC',
      '--on',
      '2019-10-01',
      '--source',
      'letter',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'POL  2019-10-01  Senate Committee on Foreign Relations: brings Poland into the 2020 report (NATO member since 1999-03-12; requests count up to 2019-11-02)',
    );
    const listed = await cli(['report', 'requests', '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { country: 'POL', requestedOn: '2019-10-01', reportYear: 2020, source: 'letter' },
    ]);
  });

  it.each([
    [
      ['--country', 'POL', '--committee', 'Armed Services', '--on', '2019-10-01'],
      'committee: Armed Services is not one of',
    ],
    [['--country', 'POL', '--committee', 'SAC', '--on', '2019-13-01'], '--on:'],
    [['--country', 'ZZZ', '--committee', 'SAC', '--on', '2019-10-01'], 'country: ZZZ is not'],
  ])('refuses %j with exit 2', async (args, message) => {
    const run = await cli(['report', 'request', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe('as a real process on a data dir', () => {
  it('refuses a binary report without --out, and writes JSON to a pipe', async () => {
    const env = { ATTACHE_DATA_DIR: await demoDataDir(root) };
    const pdf = await runAttache(['report', 'fmt', '--year', '2020', '--format', 'xlsx'], env);
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toContain('--out: a xlsx report is a binary file; give --out FILE.xlsx');
    const json = await runAttache(['report', 'fmt', '--year', '2020'], env);
    expect(json.code, json.stderr).toBe(0);
    expect(
      (JSON.parse(json.stdout) as FmtReport).planned.map((r) => [r.country, r.sessions]),
    ).toEqual([
      ['JOR', 3],
      ['PAK', 5],
    ]);
  }, 120_000);
});
