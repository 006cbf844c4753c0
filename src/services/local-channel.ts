// The channel between a server on an embedded data dir and command lines beside it: the data dir's
// lock names the server's port and a secret made at each start, readable by the owner only.
import { timingSafeEqual } from 'node:crypto';
import { isAlive, readDataDirLock } from '../store/data-dir-lock.js';

/** A live server holding a data dir, and how to reach it. */
export interface LocalServer {
  readonly pid: number;
  readonly port: number;
  readonly secret: string;
}

/** The live server that holds `dataDir`, if one does and has said where it listens. */
export function findLocalServer(dataDir: string): LocalServer | undefined {
  const holder = readDataDirLock(dataDir);
  if (holder?.port === undefined || holder.secret === undefined || !isAlive(holder))
    return undefined;
  return { pid: holder.pid, port: holder.port, secret: holder.secret };
}

/** Compares a presented secret with the expected one in constant time. */
export function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
