import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DataDirBusyError, acquireDataDirLock, readDataDirLock } from './data-dir-lock.js';

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'attache-lock-')), 'nested', 'data');
}

/** A pid no process has now: one of a process that has just ended. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

describe('acquireDataDirLock', () => {
  it('creates the dir with its parents, writes its pid (owner-only) and removes it on release', async () => {
    const dir = freshDir();
    const lock = await acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(statSync(lock.path).mode & 0o777).toBe(0o600);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('refuses while a live process holds it, naming the pid', async () => {
    const dir = freshDir();
    const lock = await acquireDataDirLock(dir);
    try {
      await expect(acquireDataDirLock(dir)).rejects.toThrow(DataDirBusyError);
      await expect(acquireDataDirLock(dir)).rejects.toThrow(`in use by process ${process.pid}`);
    } finally {
      lock.release();
    }
    (await acquireDataDirLock(dir)).release();
  });

  it('names a server port with a new secret in the lock, readable by the owner only', async () => {
    const dir = freshDir();
    const lock = await acquireDataDirLock(dir);
    try {
      const first = lock.advertise(8123);
      const holder = readDataDirLock(dir);
      expect(holder).toMatchObject({ pid: process.pid, port: 8123, secret: first });
      expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(statSync(lock.path).mode & 0o777).toBe(0o600);
      expect(lock.advertise(8123)).not.toBe(first);
    } finally {
      lock.release();
    }
  });

  it('takes over a lock whose pid now belongs to another process (start time differs)', async () => {
    const dir = freshDir();
    (await acquireDataDirLock(dir)).release();
    writeFileSync(
      join(dir, 'attache.lock'),
      JSON.stringify({ pid: process.ppid, start: 'not-its-start' }),
    );
    const lock = await acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('takes over an unreadable lock file', async () => {
    const dir = freshDir();
    (await acquireDataDirLock(dir)).release();
    writeFileSync(join(dir, 'attache.lock'), '{"pi');
    const lock = await acquireDataDirLock(dir);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  // Before, two processes taking over one stale lock together both got it about 1 start in 4.
  it.runIf(process.platform === 'linux')(
    'lets exactly one of 100 processes started together take over a stale lock',
    async () => {
      const dir = freshDir();
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'attache.lock'),
        JSON.stringify({ pid: await deadPid(), start: '1' }),
      );
      // The module as plain JavaScript (it imports only Node's own modules): 100 processes start
      // in seconds without a TypeScript loader each.
      const moduleFile = join(dir, '..', 'data-dir-lock.mjs');
      writeFileSync(
        moduleFile,
        ts.transpileModule(readFileSync(new URL('./data-dir-lock.ts', import.meta.url), 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        }).outputText,
      );
      const moduleUrl = pathToFileURL(moduleFile).href;
      // Each process says it is ready, waits for a line on stdin, then tries once and says what it
      // got; holders stay alive (holding) until the test ends them.
      const script = `
        const { acquireDataDirLock } = await import(${JSON.stringify(moduleUrl)});
        console.log('ready');
        await new Promise((r) => process.stdin.once('data', r));
        try { await acquireDataDirLock(${JSON.stringify(dir)}); console.log('held'); }
        catch (e) { console.log(e.name === 'DataDirBusyError' ? 'busy' : 'error ' + e.message); process.exit(0); }
        setInterval(() => {}, 1000);`;
      const children = Array.from({ length: 100 }, () =>
        spawn(process.execPath, ['--input-type=module', '-e', script], {
          stdio: ['pipe', 'pipe', 'inherit'],
        }),
      );
      try {
        const lines = children.map((child) => {
          const said: string[] = [];
          const waiters: ((line: string) => void)[] = [];
          let buffer = '';
          child.stdout.on('data', (chunk: Buffer) => {
            buffer += chunk.toString();
            for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
              const line = buffer.slice(0, i);
              buffer = buffer.slice(i + 1);
              const waiter = waiters.shift();
              if (waiter === undefined) said.push(line);
              else waiter(line);
            }
          });
          child.on('close', () => waiters.splice(0).forEach((w) => w('closed')));
          return (): Promise<string> =>
            said.length > 0
              ? Promise.resolve(said.shift()!)
              : new Promise<string>((resolve) => waiters.push(resolve));
        });
        // Every process loaded and waiting, then all let go at once.
        expect(await Promise.all(lines.map((next) => next()))).toEqual(
          Array.from({ length: 100 }, () => 'ready'),
        );
        for (const child of children) child.stdin.write('go\n');
        const answers = lines.map((next) => next());
        const said = await Promise.all(answers);
        expect(said.filter((s) => s === 'held')).toHaveLength(1);
        expect(said.filter((s) => s === 'busy')).toHaveLength(99);
        const holder = children[said.indexOf('held')]!;
        expect(readDataDirLock(dir)?.pid).toBe(holder.pid);
      } finally {
        for (const child of children) child.kill('SIGKILL');
      }
    },
    120_000,
  );
});
