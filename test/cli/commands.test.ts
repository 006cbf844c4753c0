// The CLI end to end on an embedded data dir: reads, --json, exit codes, audit verification.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { runAttache } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'attache-cmd-'));
const env = { ATTACHE_DATA_DIR: join(root, 'data') };
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  const migrated = await runAttache(['db', 'migrate'], env);
  expect(migrated.stderr).toBe('');
  expect(migrated.stdout).toMatch(/^migrations: (\d+) of \1 applied/);
}, 60_000);

describe('attache country', () => {
  it('lists countries as a table, and as the API object with --json', async () => {
    const table = await runAttache(['country', 'list'], env);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^ISO3\s+COUNTRY\s+LATEST IMET\s+RESTRICTED TODAY$/,
    );
    expect(table.stdout).toMatch(/^PAK\s+Pakistan\s+-\s+-$/m);
    const json = await runAttache(['country', 'list', '--json', '--limit', '3'], env);
    const body = JSON.parse(json.stdout) as { items: { iso3: string }[]; total: number };
    expect(body.items).toHaveLength(3);
    expect(body.total).toBeGreaterThanOrEqual(249);
  });

  it('exits 3 with one line for an unknown country', async () => {
    const run = await runAttache(['country', 'show', 'XYZ'], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('attache: iso3: country XYZ not found [COUNTRY.NOT_FOUND]\n');
    expect(run.stdout).toBe('');
  });

  it('exits 2 for an unknown command or option', async () => {
    expect((await runAttache(['country', 'frobnicate'], env)).code).toBe(2);
    expect((await runAttache(['country', 'list', '--colour'], env)).code).toBe(2);
  });
});

describe('attache audit verify', () => {
  it('passes on an intact chain, then names the entry a tamperer changed', async () => {
    const intact = await runAttache(['audit', 'verify'], env);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^audit chain intact: \d+ entries, head [0-9a-f]{64}$/m);

    const store = await openStore({ kind: 'pglite', dataDir: env.ATTACHE_DATA_DIR });
    try {
      await store.db.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
        await tx.execute(sql`update audit_log set actor = 'mallory' where seq = 42`);
        await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
      });
    } finally {
      await store.close();
    }
    const broken = await runAttache(['audit', 'verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe(
      'attache: audit entry 42 was changed: its hash no longer matches its content\n',
    );
    const json = await runAttache(['audit', 'verify', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      break: { kind: 'hash-mismatch', seq: 42 },
    });
  });
});
