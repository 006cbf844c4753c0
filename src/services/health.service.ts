// Health of the running service: database reachable and migrated.
import {
  databaseStatus,
  migrationStatus,
  type MigrationStatus,
  type Store,
} from '../store/database.js';
import type { AppContext } from './context.js';

export interface Health {
  readonly status: 'ok' | 'degraded';
  readonly version: string;
  readonly database: {
    readonly backend: 'pglite' | 'postgres';
    readonly reachable: boolean;
  };
  readonly migrations: MigrationStatus;
}

/** The database's status being read, per store: callers asking meanwhile share its answer. */
const asking = new WeakMap<Store, ReturnType<typeof databaseStatus>>();

/**
 * Health as of a check of the database begun at most one round trip before the call: callers
 * asking while a check is under way share it (fifty probes cost one query, not fifty). The route
 * keeps a healthy answer for a second (the read cache).
 */
export async function checkHealth(ctx: AppContext, version: string): Promise<Health> {
  const { store } = ctx;
  let status = asking.get(store);
  if (status === undefined) {
    status = databaseStatus(store).finally(() => asking.delete(store));
    asking.set(store, status);
  }
  const { reachable, ...migrations } = await status;
  return {
    status: reachable && migrations.current ? 'ok' : 'degraded',
    version,
    // Anyone may ask (load balancers do): where the data lives is the operator's (attache db status).
    database: { backend: store.backend, reachable },
    migrations,
  };
}

export async function migrationStatusOf(
  ctx: AppContext,
): Promise<MigrationStatus & { location: string }> {
  return { ...(await migrationStatus(ctx.store)), location: ctx.store.location };
}
