// `attache serve` as `npm start` runs it: on a terminal a short banner (web, API docs, database,
// what the demo load added) and readable logs; otherwise one JSON line per event.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, freePort, REPO_ROOT, startAttache, waitForOk } from '../support/cli.js';
import { demoDataDir } from '../support/databases.js';

const root = mkdtempSync(join(tmpdir(), 'attache-serve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Resolves once `text` has appeared in what `read()` returns, or fails after `ms`. */
async function waitFor(read: () => string, text: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!read().includes(text)) {
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${ms} ms in:\n${read()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.concurrent('attache serve', () => {
  it('on a terminal: loads the demo into an empty data dir and says where everything is', async () => {
    const port = await freePort();
    const dataDir = join(root, 'fresh');
    // `script` gives the server a terminal, as `npm start` in a shell has.
    const child = spawn(
      'script',
      ['-qfec', `${process.execPath} --import tsx src/cli/main.ts serve --demo`, '/dev/null'],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          DATABASE_URL: '',
          ATTACHE_DATA_DIR: dataDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const done = new Promise((resolve) => child.on('close', resolve));
    try {
      await waitFor(() => screen, 'Stop with Ctrl+C', 120_000);
      const text = screen.replace(/\r/g, '');
      expect(text).toContain('loading the demo into the empty database');
      expect(text).toContain(`web app   http://127.0.0.1:${port}/`);
      expect(text).toContain(`API docs  http://127.0.0.1:${port}/docs`);
      expect(text).toContain(`database  embedded PGlite at ${dataDir}`);
      expect(text).toMatch(
        /demo {6}loaded \d+ allocations, \d+ courses, \d+ restrictions with \d+ reliefs, \d+ training lines with \d+ seats, \d+ students/,
      );
      expect(text).toContain('commands on this data dir now run through this server');
      // Logs are lines for people, not JSON (pino-pretty writes from a worker: it may come later).
      await waitOk(port);
      await waitFor(() => screen, 'Server listening at', 30_000);
      const logs = screen.replace(/\r/g, '');
      expect(logs).not.toMatch(/^\{"level"/m);
      expect(logs).toMatch(/Server listening at http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      child.kill('SIGTERM');
      await done;
    }
  }, 180_000);

  it('elsewhere: one JSON line saying where everything is', async () => {
    const port = await freePort();
    const dataDir = await demoDataDir(root);
    const server = startAttache(['serve', '--demo'], {
      ATTACHE_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    });
    const done = collect(server);
    await waitOk(port);
    server.kill('SIGTERM');
    const { stdout, code } = await done;
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'Attaché is running')).toMatchObject({
      web: `http://127.0.0.1:${port}/`,
      docs: `http://127.0.0.1:${port}/docs`,
      database: `embedded PGlite at ${dataDir}`,
      demo: 'the database already holds program data; nothing loaded',
    });
  }, 120_000);
});

function waitOk(port: number): Promise<void> {
  return waitForOk(`http://127.0.0.1:${port}/api/v1/health`, 120_000);
}
