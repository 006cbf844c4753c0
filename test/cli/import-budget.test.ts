// `attache import budget FILE…` end to end: the reconciliation printed for every FY and account,
// --dry-run, idempotent re-import, refusals by row and column with nothing written (exit 2), and a
// real process killed with SIGKILL half-way through its write leaving nothing behind.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Executor } from '../../src/store/database.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { cliOver, collect, runAttache, startAttache, type CliRun } from '../support/cli.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const SOURCE = new URL('../../resources/state-budget-by-country/', import.meta.url);
const YEARS = [2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017];
const root = mkdtempSync(join(tmpdir(), 'attache-budget-'));
const ALL = YEARS.map((fy) => new URL(`fy${fy}.csv`, SOURCE).pathname);

let db: TestDatabase;
let cli: (args: readonly string[]) => Promise<CliRun>;

beforeAll(async () => {
  db = await openTestDatabase('empty');
  cli = cliOver(db.ctx, 'user:tester');
}, 60_000);
afterAll(async () => {
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

async function counts(executor: Executor = db.ctx.store.db) {
  const [row] = await queryRows<Record<string, number>>(
    executor,
    sql`select (select count(*) from budget_figures)::int as "figures",
               (select count(*) from import_runs)::int as "runs",
               (select count(*) from allocations)::int as "allocations",
               (select count(*) from audit_log)::int as "audit"`,
  );
  return row!;
}

/** A copy of one year's table with `edit` applied to its text (bytes kept as they are: latin1 round trip). */
function edited(fy: number, edit: (text: string) => string, name = `fy${fy}.csv`): string {
  const path = join(root, name);
  const text = readFileSync(new URL(`fy${fy}.csv`, SOURCE)).toString('latin1');
  writeFileSync(path, Buffer.from(edit(text), 'latin1'));
  return path;
}

describe('attache import budget', () => {
  it('--dry-run prints the whole reconciliation and writes nothing', async () => {
    const before = await counts();
    const run = await cli(['import', 'budget', ...ALL, '--dry-run']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dry run: nothing was written');
    expect(await counts()).toEqual(before);
  });

  it('imports the ten tables on an empty database: every account of every FY matches', async () => {
    const run = await cli(['import', 'budget', ...ALL]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    for (const fy of YEARS)
      expect(out).toMatch(new RegExp(`^fy${fy}\\.csv {2}FY${fy} {2}stage unstated`, 'm'));
    expect(out.match(/^ {4}IMET: regions ok \(6\/6\), total ok$/gm)).toHaveLength(10);
    expect(out).not.toMatch(/MISMATCH/);
    const accounts = [...out.matchAll(/reconciliation: (\d+) of (\d+) accounts match/g)];
    expect(accounts).toHaveLength(10);
    for (const [, matching, all] of accounts) expect(matching).toBe(all);
    expect(out).toContain(
      "source discrepancy: 'Independent Agencies' states 4,699,384, its 11 lines add up to 429,714 (TOTAL adds the stated figure)",
    );
    expect(out).toContain("source discrepancy: 'Multilateral Development Banks' states 6,855,063");
    expect(out).toMatch(/decoded 1 bytes that are not UTF-8 as windows-1252/);
    expect(out).toContain(
      'allocations in force: none (an unstated table is no allocation in force)',
    );
    expect(out.trim().split('\n').at(-1)).toBe('every account of every FY reconciles (10 files)');
    expect(await counts()).toMatchObject({ runs: 10, allocations: 0 });
  });

  it('re-imports them as all unchanged and writes nothing', async () => {
    const before = await counts();
    const run = await cli(['import', 'budget', ...ALL, '--json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      files: { importRunId: string | null; figures: { created: number; updated: number } }[];
    };
    expect(summary.files.map((f) => [f.importRunId, f.figures.created, f.figures.updated])).toEqual(
      YEARS.map(() => [null, 0, 0]),
    );
    expect(await counts()).toEqual(before);
  });

  it('records an enacted table as allocations shown with their stage', async () => {
    const run = await cli(['import', 'budget', ALL[0]!, '--stage', 'enacted']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/allocations in force: \d+ created, 0 updated, 0 unchanged/);
    const show = await cli(['allocation', 'show', 'PAK', 'IMET']);
    expect(show.stdout).toContain(
      'FY2008  $2,129,000.00 in force from 1950-01-01 (budget table, enacted)',
    );
    const country = await cli(['country', 'show', 'PAK']);
    expect(country.stdout).toMatch(/FY2017 +\$4,800,000\.00 +unstated/);
    expect(country.stdout).toMatch(/FY2008 +\$2,129,000\.00 +enacted/);
  });

  it('a table with a name in non-UTF-8 bytes imports with the character decoded', async () => {
    const path = edited(
      2016,
      (t) => t.replace(/^Kenya,/m, 'Kenya\x92s Neighbour Programme,'),
      'fy2016-bytes.csv',
    );
    const run = await cli(['import', 'budget', path, '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/decoded 2 bytes that are not UTF-8 as windows-1252/);
    expect(run.stdout).toContain("'Kenya’s Neighbour Programme' in the Africa block");
  });

  it.each([
    [
      'a word for an amount',
      (t: string) => t.replace(/^(Pakistan,(?:"[^"]*"|[^,]*),)/m, '$1twelve,'),
      /column DA/,
    ],
    [
      'a decimal amount',
      (t: string) => t.replace(/^Kenya,"630,340"/m, 'Kenya,630.5'),
      /column All Accounts/,
    ],
  ])(
    'refuses %s with exit 2, naming file, row and column; nothing written',
    async (_label, edit, column) => {
      const before = await counts();
      const bad = edited(2016, edit);
      const run = await cli(['import', 'budget', ALL[1]!, bad]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^attache: fy2016\.csv row \d+ column /);
      expect(run.stderr).toMatch(column);
      expect(run.stderr).toMatch(/nothing was imported \[IMPORT\.ROWS_REFUSED\]/);
      expect(await counts()).toEqual(before);
    },
  );

  it.each([
    [
      ['--stage', 'approved'],
      /^attache: stage: 'approved' is not a budget stage: request, estimate, enacted/,
    ],
    [[join(root, 'missing.csv')], /missing\.csv: cannot read the file \(ENOENT\)/],
  ])('refuses %j with exit 2', async (args, message) => {
    const before = await counts();
    const run = await cli(['import', 'budget', ALL[0]!, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(await counts()).toEqual(before);
  });
});

describe('a real process killed half-way', () => {
  it('leaves nothing: no figure, no import run, no audit entry; the next import completes', async () => {
    const env = { ATTACHE_DATA_DIR: join(root, 'data'), ATTACHE_ACTOR: 'user:tester' };
    expect((await runAttache(['db', 'migrate'], env)).code).toBe(0);
    const dataDir = { kind: 'pglite' as const, dataDir: env.ATTACHE_DATA_DIR };
    const readCounts = async () => {
      const store = await openStore(dataDir);
      try {
        return await counts(store.db);
      } finally {
        await store.close();
      }
    };
    const before = await readCounts();

    const child = startAttache(['import', 'budget', ...ALL], env);
    let stderr = '';
    // The first file is written (inside the transaction) when the progress says 1/10.
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/import budget: 1\/10/.test(stderr)) child.kill('SIGKILL');
    });
    const ended = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    expect(ended).toEqual({ code: null, signal: 'SIGKILL' });
    expect(stderr).not.toMatch(/10\/10/);
    expect(await readCounts()).toEqual(before);

    const again = await collect(startAttache(['import', 'budget', ...ALL], env));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('every account of every FY reconciles (10 files)');
    expect((await readCounts()).runs).toBe(10);
  }, 400_000);
});
