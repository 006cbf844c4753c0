// The CLI end to end: reads, --json, exit codes, audit verification. In this process over a
// migrated test database; the unknown-country refusal on a real process over an embedded data dir.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliOver, runAttache, type CliRun } from '../support/cli.js';
import { demoDataDir, openTestDatabase, type TestDatabase } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-cmd-'));
let db: TestDatabase;
let runHere: (args: readonly string[]) => Promise<CliRun>;
let dataDir: string;

beforeAll(async () => {
  dataDir = await demoDataDir(root);
  db = await openTestDatabase('empty');
  runHere = cliOver(db.ctx);
  const migrated = await runHere(['db', 'migrate']);
  expect(migrated.stderr).toBe('');
  expect(migrated.stdout).toMatch(/^migrations: (\d+) of \1 applied/);
}, 60_000);

afterAll(async () => {
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('attache country', () => {
  it('lists countries as a table, and as the API object with --json', async () => {
    const table = await runHere(['country', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^ISO3\s+COUNTRY\s+LATEST IMET\s+RESTRICTED TODAY$/,
    );
    expect(table.stdout).toMatch(/^PAK\s+Pakistan\s+-\s+-$/m);
    const json = await runHere(['country', 'list', '--json', '--limit', '3']);
    const body = JSON.parse(json.stdout) as { items: { iso3: string }[]; total: number };
    expect(body.items).toHaveLength(3);
    expect(body.total).toBeGreaterThanOrEqual(249);
  });

  it('exits 3 with one line for an unknown country', async () => {
    // A real process: its exit status and both pipes, over a data dir on disk.
    const run = await runAttache(['country', 'show', 'XYZ'], { ATTACHE_DATA_DIR: dataDir });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('attache: iso3: country XYZ not found [COUNTRY.NOT_FOUND]\n');
    expect(run.stdout).toBe('');
  });

  it('exits 2 for an unknown command or option', async () => {
    expect((await runHere(['country', 'frobnicate'])).code).toBe(2);
    expect((await runHere(['country', 'list', '--colour'])).code).toBe(2);
  });
});

describe('attache audit verify', () => {
  it('passes on an intact chain, then names the entry a tamperer changed', async () => {
    const intact = await runHere(['audit', 'verify']);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^audit chain intact: \d+ entries, head [0-9a-f]{64}$/m);

    await db.store.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
      await tx.execute(sql`update audit_log set actor = 'mallory' where seq = 42`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
    });
    const broken = await runHere(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe(
      'attache: audit entry 42 was changed: its hash no longer matches its content\n',
    );
    const json = await runHere(['audit', 'verify', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      break: { kind: 'hash-mismatch', seq: 42 },
    });
  });
});
