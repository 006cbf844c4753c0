import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirBusyError, acquireDataDirLock } from './data-dir-lock.js';

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'attache-lock-')), 'nested', 'data');
}

describe('acquireDataDirLock', () => {
  it('creates the dir with its parents, writes its pid and removes the lock on release', () => {
    const dir = freshDir();
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('refuses while a live process holds it, naming the pid', () => {
    const dir = freshDir();
    const lock = acquireDataDirLock(dir);
    try {
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirBusyError);
      expect(() => acquireDataDirLock(dir)).toThrow(`in use by process ${process.pid}`);
    } finally {
      lock.release();
    }
  });

  it('takes over a lock whose pid now belongs to another process (start time differs)', () => {
    const dir = freshDir();
    acquireDataDirLock(dir).release();
    writeFileSync(
      join(dir, 'attache.lock'),
      JSON.stringify({ pid: process.ppid, start: 'not-its-start' }),
    );
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('takes over an unreadable lock file', () => {
    const dir = freshDir();
    acquireDataDirLock(dir).release();
    writeFileSync(join(dir, 'attache.lock'), '{"pi');
    const lock = acquireDataDirLock(dir);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });
});
