// Turns a failure to open the database into one line a person can act on (or undefined for a bug).
import { DataDirBusyError } from '../store/data-dir-lock.js';
import type { StoreConfig } from '../store/database.js';
import { findPgError } from '../store/pg-error.js';

export function describeOpenFailure(error: unknown, config: StoreConfig): string | undefined {
  if (error instanceof DataDirBusyError) return `ATTACHE_DATA_DIR: ${error.message}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (config.kind === 'postgres') {
    // The server's own words, not the query the driver wraps them in; on one line.
    const cause = findPgError(error);
    const message = (cause?.message ?? (error instanceof Error ? error.message : String(error)))
      .replace(/\s+/g, ' ')
      .trim();
    if (cause?.code === '42501') {
      return `DATABASE_URL: this role may not apply the pending migrations (${message}): run \`attache db migrate\` as the owner of the tables first`;
    }
    return `DATABASE_URL: cannot use the PostgreSQL server (${message})`;
  }
  if (
    config.kind === 'pglite' &&
    typeof code === 'string' &&
    ['EACCES', 'EPERM', 'ENOTDIR', 'ENOENT', 'EEXIST', 'EROFS', 'ENOSPC', 'EIO'].includes(code)
  ) {
    return `ATTACHE_DATA_DIR: cannot use ${config.dataDir} (${String(code)})`;
  }
  return undefined;
}
