// `attache import courses|students|allocations|lines`, `import template`, `export` end to end: the
// summary line, a refused file's exit code and line, --json, --dry-run; and a real process killed
// with SIGKILL in the middle of an import on an embedded data dir, which leaves nothing behind.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { cliOver, collect, startAttache, type CliRun } from '../support/cli.js';
import { demoDataDir, openTestDatabase, type TestDatabase } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-import-'));
let db: TestDatabase;
let runHere: (args: readonly string[]) => Promise<CliRun>;

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: () => '2020-03-01T10:00:00.000Z' });
  runHere = cliOver(db.ctx, 'user:tester');
}, 60_000);

afterAll(async () => {
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

const path = (name: string) => join(root, name);

describe('attache import and export', () => {
  it('exports courses as CSV on standard output, imports them back as all unchanged', async () => {
    const exported = await runHere(['export', 'courses', '--format', 'csv']);
    expect(exported.code).toBe(0);
    expect(exported.stdout.split('\r\n')[0]).toBe(
      'id,title,school,category,eImet,dedicated,lengthWeeks,eclMin,opiMin,tuition,tuitionIllustrative,retiredOn,source',
    );
    writeFileSync(path('courses.csv'), exported.stdout);
    const back = await runHere(['import', 'courses', path('courses.csv')]);
    expect(back.code).toBe(0);
    expect(back.stdout).toMatch(
      /^courses\.csv: 0 created, 0 updated, \d+ unchanged \(\d+ rows\); nothing to write\n$/,
    );
  });

  it('writes an XLSX template with --out, which imports as nothing to do; refuses XLSX without --out', async () => {
    const written = await runHere([
      'import',
      'template',
      'students',
      '--format',
      'xlsx',
      '--out',
      path('students.xlsx'),
    ]);
    expect(written.code).toBe(0);
    expect(readFileSync(path('students.xlsx')).subarray(0, 2).toString()).toBe('PK');
    const json = await runHere(['import', 'students', path('students.xlsx'), '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ rows: 0, created: 0, runId: null });
    const refused = await runHere(['export', 'students', '--format', 'xlsx']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--out FILE is required for xlsx/);
  });

  it('dry-runs a file, then imports it and names the run', async () => {
    writeFileSync(
      path('new.csv'),
      'country,familyName,givenNames,birthDate\nJOR,Qasim,Tariq,1991-01-05\n',
    );
    const dry = await runHere(['import', 'students', path('new.csv'), '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      'new.csv: dry run, nothing written: would be 1 created, 0 updated, 0 unchanged (1 rows)\n',
    );
    const real = await runHere(['import', 'students', path('new.csv')]);
    expect(real.stdout).toMatch(
      /^new\.csv: 1 created, 0 updated, 0 unchanged \(1 rows\); import run imp_\w+ \(sha256 [0-9a-f]{64}\)\n$/,
    );
  });

  it('refuses a file with bad rows: exit 2, one line naming file, row and column; --json lists every row', async () => {
    writeFileSync(
      path('bad.csv'),
      'country,familyName,givenNames,birthDate\nJOR,A,B,1990-13-01\nJOR,C,D,\nJOR,E,F,someday\n',
    );
    const refused = await runHere(['import', 'students', path('bad.csv')]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      /^attache: bad\.csv row 2 column birthDate: .* \(and 1 more\); nothing was imported \[IMPORT\.ROWS_REFUSED\]\n$/,
    );
    const json = await runHere(['import', 'students', path('bad.csv'), '--json']);
    expect(json.code).toBe(2);
    const errors = (JSON.parse(json.stdout) as { error: { details: { errors: unknown[] } } }).error
      .details.errors;
    expect(errors).toEqual([
      expect.objectContaining({ row: 2, column: 'birthDate' }),
      expect.objectContaining({ row: 4, column: 'birthDate' }),
    ]);
  });

  it('answers a missing file with exit 3', async () => {
    const missing = await runHere(['import', 'lines', path('nothing.csv')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/no such file/);
  });
});

describe('an import killed half-way', () => {
  it('leaves no record, no import run and no audit entry', async () => {
    const dataDir = await demoDataDir(root);
    const count = async () => {
      const store = await openStore({ kind: 'pglite', dataDir });
      try {
        const [row] = await queryRows<{ students: number; runs: number; audit: number }>(
          store.db,
          sql`select (select count(*)::int from students) as students,
                     (select count(*)::int from import_runs) as runs,
                     (select count(*)::int from audit_log) as audit`,
        );
        return row!;
      } finally {
        await store.close();
      }
    };
    const before = await count();
    const rows = 4_000;
    const lines = ['country,familyName,givenNames,birthDate,unit'];
    for (let i = 0; i < rows; i++) lines.push(`JOR,Family${i},Given${i},1990-01-01,Unit ${i % 40}`);
    writeFileSync(path('big.csv'), `${lines.join('\n')}\n`);

    const child = startAttache(['import', 'students', path('big.csv')], {
      ATTACHE_DATA_DIR: dataDir,
      ATTACHE_ACTOR: 'user:tester',
    });
    const done = collect(child);
    // Killed once a tenth of the rows are written inside the transaction, well before its end.
    let killedAt = -1;
    child.stderr?.on('data', (chunk: Buffer) => {
      const match = /big\.csv: (\d+)\/4000/.exec(chunk.toString());
      if (match !== null && killedAt === -1 && Number(match[1]) >= rows / 10) {
        killedAt = Number(match[1]);
        child.kill('SIGKILL');
      }
    });
    const run = await done;
    expect(run.code).toBeNull();
    expect(killedAt).toBeGreaterThanOrEqual(rows / 10);
    expect(killedAt).toBeLessThan(rows);
    expect(await count()).toEqual(before);
  }, 240_000);
});
