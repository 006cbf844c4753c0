// One process per embedded data dir: PGlite has no lock between processes and a second writer loses rows.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'attache.lock';

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** Thrown when another live process holds the data dir. */
export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `data dir ${dataDir} is in use by process ${holderPid}; stop it first (only one process may open an embedded database)`,
    );
    this.name = 'DataDirBusyError';
  }
}

interface LockContent {
  pid: number;
  /** Process start time as the kernel counts it, so a reused pid is not mistaken for the holder. */
  start: string | null;
}

function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) counts from after the command name, which may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(holder: LockContent): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: the process exists but belongs to someone else.
  }
  const start = processStart(holder.pid);
  return holder.start === null || start === null || start === holder.start;
}

function readHolder(path: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.pid !== 'number') return undefined;
    return { pid: parsed.pid, start: typeof parsed.start === 'string' ? parsed.start : null };
  } catch {
    return undefined;
  }
}

/**
 * Takes the data dir's lock file (creating the dir and its parents), or throws DataDirBusyError
 * naming the live holder. A lock left by a dead process is recovered.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const content: LockContent = { pid: process.pid, start: processStart(process.pid) };
  // Written aside, then hard-linked into place: the lock appears atomically with its content, so a
  // reader never sees a half-written lock of a live process.
  const staging = `${path}.${process.pid}`;
  writeFileSync(staging, JSON.stringify(content));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(staging, path);
        let released = false;
        return {
          path,
          release() {
            if (released) return;
            released = true;
            if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readHolder(path);
        if (holder !== undefined && isAlive(holder))
          throw new DataDirBusyError(dataDir, holder.pid);
        // Stale (dead holder, reused pid) or unreadable (not written by this code): take it over.
        rmSync(path, { force: true });
      }
    }
  } finally {
    rmSync(staging, { force: true });
  }
  throw new Error(`could not take the lock ${path}`);
}
