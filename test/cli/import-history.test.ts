// `attache import history FILE` end to end: the summary, --dry-run, a second import writing
// nothing, a bad file refused with exit 2 and one line naming the row and column, and a process
// killed with SIGKILL in the middle of its write leaving nothing behind.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Executor } from '../../src/store/database.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { cliOver, collect, runAttache, startAttache, type CliRun } from '../support/cli.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const SHIPPED = new URL('../../resources/history/restrictions.csv', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'attache-history-'));

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
    sql`select (select count(*) from restriction_versions)::int as "restrictions",
               (select count(*) from relief_versions)::int as "reliefs",
               (select count(*) from import_runs)::int as "runs",
               (select count(*) from audit_log)::int as "audit"`,
  );
  return row!;
}

describe('attache import history', () => {
  it('--dry-run prints what it would record and writes nothing', async () => {
    const before = await counts();
    const run = await cli(['import', 'history', SHIPPED, '--dry-run']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^restrictions\.csv {2}sha256 [0-9a-f]{12}… {2}\d+ rows \(/);
    expect(run.stdout).toMatch(/child-soldiers listings inferred from a waiver/);
    expect(run.stdout).toContain('dry run: nothing was written');
    expect(await counts()).toEqual(before);
  });

  it('imports, then a second import writes nothing', async () => {
    const first = await cli(['import', 'history', SHIPPED]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/import run imp_/);
    const after = await counts();
    expect(after.runs).toBe(1);
    const second = await cli(['import', 'history', SHIPPED, '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: 0, updated: 0, runId: null });
    expect(await counts()).toEqual(after);
  });

  it('refuses a bad file with exit 2 and one line naming the row and column', async () => {
    const bad = join(root, 'bad.csv');
    writeFileSync(
      bad,
      'country_iso3,country_name,kind,scope,event,relief_type,relief_scope,effective_from,effective_until,date_quality,legal_basis,description,source\n' +
        'MLI,Mali,coup,IMET,restriction,,,2020-02-30,,exact,7008,d,https://example.org\n',
    );
    const before = await counts();
    const run = await cli(['import', 'history', bad]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/bad\.csv row 2 column effective_from: a date YYYY-MM-DD/);
    expect(await counts()).toEqual(before);
    const missing = await cli(['import', 'history', join(root, 'nope.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.csv: cannot read the file \(ENOENT\)/);
  });
});

describe('a real process killed half-way', () => {
  it('leaves nothing written; the next import completes', async () => {
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
    const child = startAttache(['import', 'history', SHIPPED], env);
    let stderr = '';
    // Writes are under way (inside the one transaction) once the progress counts steps.
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/import history: [1-9]\d*\/\d+ importing/.test(stderr)) child.kill('SIGKILL');
    });
    const ended = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    expect(ended).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await readCounts()).toEqual(before);
    const again = await collect(startAttache(['import', 'history', SHIPPED], env));
    expect(again.code).toBe(0);
    expect((await readCounts()).runs).toBe(1);
  }, 300_000);
});
