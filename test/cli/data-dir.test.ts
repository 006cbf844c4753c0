// One process per embedded data dir: a second is refused naming the holder, the first loses nothing,
// a stale lock is recovered; and bad configuration stops the start with one line, writing nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openStore } from '../../src/store/database.js';
import { queryRows } from '../../src/store/raw-sql.js';
import {
  apiTokenHeaders,
  collect,
  freePort,
  runAttache,
  startAttache,
  waitForOk,
} from '../support/cli.js';
import { demoDataDir } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.concurrent('embedded data dir', () => {
  it('refuses a second opener naming the holder pid; a command line runs through the server, which keeps all its rows', async () => {
    const dataDir = await demoDataDir(root);
    const port = await freePort();
    const headers = await apiTokenHeaders({ ATTACHE_DATA_DIR: dataDir });
    const server = startAttache(['serve'], {
      ATTACHE_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    const done = collect(server);
    try {
      await waitForOk(`http://127.0.0.1:${port}/api/v1/health`, 90_000);
      const before = (await (
        await fetch(`http://127.0.0.1:${port}/api/v1/countries/PAK`, { headers })
      ).json()) as {
        imetAllocations: unknown[];
      };
      expect(before.imetAllocations).toHaveLength(1);

      await expect(openStore({ kind: 'pglite', dataDir })).rejects.toThrow(
        `in use by process ${server.pid}`,
      );
      // The command goes to the server, which refuses it by its own rule: the demo is loaded.
      const second = await runAttache(['demo', 'load'], { ATTACHE_DATA_DIR: dataDir });
      expect(second.code).toBe(1);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr).toMatch(
        /^attache: the database already holds program data.*\[DEMO\.NOT_EMPTY\]$/m,
      );

      const after = (await (
        await fetch(`http://127.0.0.1:${port}/api/v1/countries/PAK`, { headers })
      ).json()) as {
        imetAllocations: unknown[];
      };
      expect(after).toEqual(before);
    } finally {
      server.kill('SIGTERM');
    }
    const result = await done;
    expect(result.code).toBe(0);
    expect(existsSync(join(dataDir, 'attache.lock'))).toBe(false);

    // What the first process wrote is on disk for the next one.
    const reopened = await runAttache(['country', 'show', 'PAK', '--json'], {
      ATTACHE_DATA_DIR: dataDir,
    });
    expect(reopened.code).toBe(0);
    const pak = JSON.parse(reopened.stdout) as { imetAllocations: { fy: number; cents: number }[] };
    expect(pak.imetAllocations).toContainEqual({ fy: 2008, cents: 212_900_000, currency: 'USD' });
  }, 120_000);

  it('recovers a stale lock left by a killed process', async () => {
    const dataDir = join(root, 'stale');
    // A process that has ended leaves its pid free: the lock names it as its holder.
    const ghost = startAttache(['--version']);
    const ghostPid = ghost.pid!;
    await collect(ghost);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'attache.lock'), JSON.stringify({ pid: ghostPid, start: '1' }));
    const run = await runAttache(['country', 'list', '--limit', '1'], {
      ATTACHE_DATA_DIR: dataDir,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(existsSync(join(dataDir, 'attache.lock'))).toBe(false);
  }, 120_000);
});

describe('a read command on the embedded database', () => {
  /** The next transaction id, itself using one: any write in between uses more. */
  async function nextTransactionId(dataDir: string): Promise<bigint> {
    const store = await openStore({ kind: 'pglite', dataDir });
    try {
      const [row] = await queryRows<{ id: string }>(
        store.db,
        sql`select txid_current()::text as id`,
      );
      return BigInt(row!.id);
    } finally {
      await store.close();
    }
  }

  it('writes nothing: no migration, no reference-data sync, no transaction', async () => {
    const dataDir = await demoDataDir(root);
    const env = { ATTACHE_DATA_DIR: dataDir };
    const first = await nextTransactionId(dataDir);
    for (const argv of [
      ['eligibility', 'PAK', 'IMET', '--on', '2019-06-01'],
      ['country', 'show', 'PAK'],
      ['seat', 'list', '--country', 'PAK', '--fy', '2018', '--json'],
    ]) {
      expect((await runAttache(argv, env)).code).toBe(0);
    }
    expect(await nextTransactionId(dataDir)).toBe(first + 1n);
    // A write does take transactions: the probe would see it.
    const write = await runAttache(
      ['allocation', 'set', 'PAK', 'IMET', '2021', '--amount', '1000', '--reason', 'probe'],
      env,
    );
    expect(write.code).toBe(0);
    expect(await nextTransactionId(dataDir)).toBeGreaterThan(first + 2n);
  }, 120_000);
});

// Each case is its own process and folder: they run side by side.
describe.concurrent('bad configuration', () => {
  it.each([
    [
      'PORT',
      { PORT: 'eighty' },
      /^attache: PORT: must be a whole number from 1 to 65535 \(got "eighty"\)$/,
    ],
    ['PORT', { PORT: '70000' }, /^attache: PORT: /],
    [
      'DATABASE_URL',
      { DATABASE_URL: 'mysql://localhost/db' },
      /^attache: DATABASE_URL: must be a URL like postgres:/,
    ],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /^attache: LOG_LEVEL: must be one of/],
  ])('stops on a bad %s with one line, writing nothing', async (_name, env, message) => {
    const dataDir = join(root, `never-${Math.random().toString(36).slice(2)}`);
    const run = await runAttache(['serve'], { ...env, ATTACHE_DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('stops when ATTACHE_DATA_DIR is a file', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const run = await runAttache(['serve'], { ATTACHE_DATA_DIR: file });
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`attache: ATTACHE_DATA_DIR: ${file} is a file, not a folder`);
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it.each(['/proc/attache-data', '/sys/attache-data', '/dev/null/attache'])(
    'stops with one line (exit 5) when ATTACHE_DATA_DIR %s can never be made, never hanging',
    async (dataDir) => {
      const run = await runAttache(['country', 'list', '--limit', '1'], {
        ATTACHE_DATA_DIR: dataDir,
      });
      expect(run.code).toBe(5);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(
        new RegExp(`^attache: ATTACHE_DATA_DIR: cannot use ${dataDir} \\(E[A-Z]+\\)`),
      );
    },
    15_000,
  );

  it('stops when the PostgreSQL server cannot be reached', async () => {
    const port = await freePort();
    const run = await runAttache(['country', 'list'], {
      DATABASE_URL: `postgres://nobody@127.0.0.1:${port}/none`,
    });
    expect(run.code).toBe(5);
    expect(run.stderr.trim()).toMatch(/^attache: DATABASE_URL: cannot use the PostgreSQL server/);
  });
});
