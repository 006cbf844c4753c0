// Turns a failure to open the database into one line a person can act on (or undefined for a bug).
import { DataDirBusyError } from '../store/data-dir-lock.js';
import type { StoreConfig } from '../store/database.js';

export function describeOpenFailure(error: unknown, config: StoreConfig): string | undefined {
  if (error instanceof DataDirBusyError) return `ATTACHE_DATA_DIR: ${error.message}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (config.kind === 'postgres') {
    // The server's own words, not the query the driver wraps them in; on one line.
    const cause = serverError(error);
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

/** The PostgreSQL error under a driver's wrapping, if there is one. */
function serverError(error: unknown): { code: string; message: string } | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return { code, message: e.message };
  }
  return undefined;
}
