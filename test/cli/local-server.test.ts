// The command line beside a running server on its embedded data dir: commands run through the
// server with the output and exit codes of the direct path; writes land once, attributed to the
// command line's actor; a wrong secret is refused; a hung server is given up on after 5 s; a
// killed one is taken over.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApplication } from '../../src/services/context.js';
import { queryRows } from '../../src/store/raw-sql.js';
import {
  cliOver,
  apiTokenHeaders,
  collect,
  freePort,
  runAttache,
  startAttache,
  waitForOk,
  type CliRun,
} from '../support/cli.js';
import { demoDataDir } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-local-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Commands whose answers must not depend on the road they take: ok, bad input, not found. */
const READS: readonly (readonly string[])[] = [
  ['eligibility', 'PAK', 'IMET', '--on', '2019-06-01'],
  // As known on a fixed instant: the write below moves "as of now".
  ['eligibility', 'PAK', 'IMET', '--on', '2020-01-04', '--known-on', '2024-06-01', '--json'],
  ['restriction', 'show', 'rst_pak-policy-2018', '--json'],
  ['restriction', 'show', 'rst_no-such-thing'],
  ['eligibility', 'PAK', 'IMET', '--on', '2019-13-01'],
  ['seat', 'list', '--country', 'PAK', '--fy', '2018', '--status', 'cancelled', '--json'],
];

interface Lock {
  pid: number;
  port: number;
  secret: string;
}

async function startServer(dataDir: string): Promise<{ server: ChildProcess; url: string }> {
  const port = await freePort();
  const server = startAttache(['serve'], {
    ATTACHE_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/api/v1/health`, 90_000);
  // The lock names the port once the server listens.
  for (let i = 0; i < 50 && readLock(dataDir)?.port !== port; i++)
    await new Promise((r) => setTimeout(r, 100));
  return { server, url };
}

function readLock(dataDir: string): Lock | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'attache.lock'), 'utf8')) as Lock;
  } catch {
    return undefined;
  }
}

function sendLocal(url: string, authorization: string | undefined, argv: string[]) {
  return fetch(`${url}/api/v1/local/commands`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify({ argv, actor: 'intruder', cwd: '/' }),
  });
}

// One server's life: commands through it, a hang (SIGSTOP), then a kill (SIGKILL) and the direct
// path taking the data dir over; then the same reads on the data dir by the direct path.
describe('a command line beside a running server', () => {
  let dataDir: string;
  const throughServer: CliRun[] = [];
  let restrictionId: string;
  let hung: CliRun & { ms: number };
  let afterKill: CliRun;
  let serverPid: number;

  beforeAll(async () => {
    dataDir = await demoDataDir(root);
    const { server, url } = await startServer(dataDir);
    serverPid = server.pid!;
    const done = collect(server);
    try {
      const lock = readLock(dataDir)!;
      expect(lock).toMatchObject({ pid: server.pid });
      expect(lock.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(statSync(join(dataDir, 'attache.lock')).mode & 0o777).toBe(0o600);

      // A wrong, missing or malformed secret is refused and runs nothing.
      for (const authorization of [
        undefined,
        `Local ${lock.secret.slice(1)}x`,
        `Bearer ${lock.secret}`,
        'Local ',
      ]) {
        const refused = await sendLocal(url, authorization, ['demo', 'load']);
        expect(refused.status).toBe(401);
        expect(await refused.json()).toMatchObject({ code: 'LOCAL.UNAUTHENTICATED' });
      }

      for (const argv of READS)
        throughServer.push(await runAttache(argv, { ATTACHE_DATA_DIR: dataDir }));

      const write = await runAttache(
        [
          ...['restriction', 'add', '--country', 'JOR', '--scope', 'FMF', '--kind', 'policy'],
          ...['--from', '2021-01-01', '--basis', 'Test basis', '--authority', 'Test authority'],
          '--json',
        ],
        { ATTACHE_DATA_DIR: dataDir, ATTACHE_ACTOR: 'cli:tester' },
      );
      expect(write.stderr).toBe('');
      expect(write.code).toBe(0);
      restrictionId = (JSON.parse(write.stdout) as { id: string }).id;
      // The server's next answer sees the write.
      const decision = (await (
        await fetch(`${url}/api/v1/eligibility?country=JOR&program=FMF&on=2021-02-01`, {
          headers: await apiTokenHeaders({ ATTACHE_DATA_DIR: dataDir }),
        })
      ).json()) as { eligible: boolean; restrictions: { id: string }[] };
      expect(decision.eligible).toBe(false);
      expect(decision.restrictions.map((r) => r.id)).toEqual([restrictionId]);

      // A server that does not answer: given up on after 5 s.
      server.kill('SIGSTOP');
      const started = Date.now();
      const run = await runAttache(READS[0]!, { ATTACHE_DATA_DIR: dataDir });
      hung = { ...run, ms: Date.now() - started };
      server.kill('SIGCONT');

      // A killed server: the command takes the data dir over and answers directly.
      server.kill('SIGKILL');
      await done;
      expect(readLock(dataDir)?.pid).toBe(server.pid);
      afterKill = await runAttache(READS[0]!, { ATTACHE_DATA_DIR: dataDir });
    } finally {
      server.kill('SIGKILL');
    }
  }, 180_000);

  it('answers every read with the output and exit code of the direct path', async () => {
    expect(throughServer.map((r) => r.code)).toEqual([0, 0, 0, 3, 2, 0]);
    expect((JSON.parse(throughServer[5]!.stdout) as { items: unknown[] }).items).toHaveLength(66);
    // The direct path, in this process on the same data dir (its real-process form is below).
    const ctx = await openApplication({ kind: 'pglite', dataDir });
    try {
      const direct = cliOver(ctx);
      for (const [i, argv] of READS.entries())
        expect({ argv, ...throughServer[i] }).toEqual({ argv, ...(await direct(argv)) });
    } finally {
      await ctx.store.close();
    }
  }, 120_000);

  it('lands a write once, attributed to the command line, with an intact audit chain', async () => {
    const ctx = await openApplication({ kind: 'pglite', dataDir });
    try {
      const { db } = ctx.store;
      const entries = await queryRows<{ actor: string; action: string }>(
        db,
        sql`select actor, action from audit_log where entity_id = ${restrictionId} order by seq`,
      );
      expect(entries).toEqual([{ actor: 'cli:tester', action: 'restriction.record' }]);
      const [count] = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from restriction_versions where basis = 'Test basis'`,
      );
      expect(count?.n).toBe(1);
      const intruder = await queryRows<{ n: number }>(
        db,
        sql`select count(*)::int as n from audit_log where actor = 'intruder'`,
      );
      expect(intruder[0]?.n).toBe(0);
      expect((await cliOver(ctx)(['audit', 'verify'])).code).toBe(0);
    } finally {
      await ctx.store.close();
    }
  });

  it('gives up on a hung server after 5 s with one line (exit 5)', () => {
    expect(hung.code).toBe(5);
    expect(hung.stdout).toBe('');
    expect(hung.stderr.trim().split('\n')).toHaveLength(1);
    expect(hung.stderr).toMatch(
      new RegExp(
        `^attache: ATTACHE_DATA_DIR: the server on port \\d+ \\(process ${serverPid}\\) did not answer within 5 s`,
      ),
    );
    expect(hung.ms).toBeGreaterThanOrEqual(5_000);
    expect(hung.ms).toBeLessThan(15_000);
  });

  it('takes the data dir over from a killed server (SIGKILL) and answers directly', () => {
    expect(afterKill.stderr).toBe('');
    expect(afterKill.code).toBe(0);
    expect(afterKill.stdout).toBe(throughServer[0]!.stdout);
    expect(readLock(dataDir)).toBeUndefined();
  });
});
