// One process per embedded data dir: PGlite has no lock between processes and a second writer loses rows.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';

const LOCK_FILE = 'attache.lock';

/** What the lock file says: who holds the data dir and, for a server, how to reach it. */
export interface LockHolder {
  readonly pid: number;
  /** Process start time as the kernel counts it, so a reused pid is not mistaken for the holder. */
  readonly start: string | null;
  /** A server's HTTP port on the loopback address, once it listens. */
  readonly port?: number;
  /** A secret made at each start; the lock file is readable only by the data dir's owner. */
  readonly secret?: string;
}

export interface DataDirLock {
  readonly path: string;
  /** Names a server's port in the lock, with a new local secret; returns that secret. */
  advertise(port: number): string;
  release(): void;
}

/** Thrown when another live process holds the data dir. */
export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number | undefined,
  ) {
    super(
      `data dir ${dataDir} is in use by ${holderPid === undefined ? 'another process' : `process ${holderPid}`}; stop it first (only one process may open an embedded database)`,
    );
    this.name = 'DataDirBusyError';
  }
}

/** Fields 3 on of /proc/PID/stat (after the command name, which may contain spaces). */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function processStart(pid: number): string | null {
  // Field 22: the start time.
  return procStat(pid)?.[19] ?? null;
}

/** Whether the process named by a lock is still the one that wrote it. */
export function isAlive(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: the process exists but belongs to someone else.
  }
  const fields = procStat(holder.pid);
  // A killed process its parent has not yet reaped (state Z) holds nothing any more.
  if (fields?.[0] === 'Z') return false;
  const start = fields?.[19] ?? null;
  return holder.start === null || start === null || start === holder.start;
}

/** The lock file's content, or undefined when there is none or it is unreadable. */
export function readDataDirLock(dataDir: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as Partial<
      Record<keyof LockHolder, unknown>
    >;
    if (typeof parsed.pid !== 'number') return undefined;
    return {
      pid: parsed.pid,
      start: typeof parsed.start === 'string' ? parsed.start : null,
      ...(typeof parsed.port === 'number' ? { port: parsed.port } : {}),
      ...(typeof parsed.secret === 'string' ? { secret: parsed.secret } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Creates `dir` and its missing parents. Not `mkdirSync(…, { recursive: true })`: on a folder
 * that can never be made (under /proc) Node's loops forever instead of failing.
 */
function makeDirs(dir: string): void {
  try {
    if (statSync(dir).isDirectory()) return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** Writes the lock file in one step (aside, then renamed over), readable by the owner only. */
function writeLockFile(path: string, holder: LockHolder): void {
  const staging = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(staging, JSON.stringify(holder), { mode: 0o600 });
  chmodSync(staging, 0o600);
  renameSync(staging, path);
}

/**
 * The kernel's part of the lock on Linux: a socket in the abstract namespace named after the
 * data dir's device and inode. Binding it is atomic and exclusive, and the kernel frees it when
 * its process dies however it dies, so a stale lock file can never let two processes in.
 */
function bindKernelLock(dataDir: string): Promise<Server | 'busy'> {
  const { dev, ino } = statSync(dataDir);
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve('busy') : reject(error),
    );
    server.listen({ path: `\0attache-data-dir:${dev}:${ino}` }, () => {
      server.unref();
      resolve(server);
    });
  });
}

/**
 * Takes the data dir's lock (creating the dir and its parents), or throws DataDirBusyError naming
 * the live holder. A lock file left by a dead process is taken over.
 */
export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  makeDirs(dataDir);
  const path = join(dataDir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, start: processStart(process.pid) };
  if (process.platform === 'linux') {
    const kernel = await bindKernelLock(dataDir);
    if (kernel === 'busy') throw new DataDirBusyError(dataDir, liveHolderPid(dataDir));
    try {
      writeLockFile(path, me);
    } catch (error) {
      kernel.close();
      throw error;
    }
    return lockOver(path, me, () => kernel.close());
  }
  linkLockFile(path, dataDir, me);
  return lockOver(path, me, () => undefined);
}

function liveHolderPid(dataDir: string): number | undefined {
  const holder = readDataDirLock(dataDir);
  return holder !== undefined && isAlive(holder) ? holder.pid : undefined;
}

function lockOver(path: string, me: LockHolder, unbind: () => void): DataDirLock {
  let released = false;
  return {
    path,
    advertise(port) {
      const secret = randomBytes(32).toString('base64url');
      writeLockFile(path, { ...me, port, secret });
      return secret;
    },
    release() {
      if (released) return;
      released = true;
      if (readDataDirLock(dirname(path))?.pid === process.pid) rmSync(path, { force: true });
      unbind();
    },
  };
}

/**
 * Elsewhere than Linux: the lock file alone, hard-linked into place so it appears with its
 * content. Two processes taking over one stale lock at the same instant can both succeed here.
 */
function linkLockFile(path: string, dataDir: string, me: LockHolder): void {
  const staging = `${path}.${process.pid}`;
  writeFileSync(staging, JSON.stringify(me), { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(staging, path);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readDataDirLock(dataDir);
        if (holder !== undefined && isAlive(holder))
          throw new DataDirBusyError(dataDir, holder.pid);
        rmSync(path, { force: true });
      }
    }
  } finally {
    rmSync(staging, { force: true });
  }
  throw new Error(`could not take the lock ${path}`);
}
