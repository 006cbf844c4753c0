// Health of the running service: database reachable and migrated.
import { databaseStatus, migrationStatus, type MigrationStatus } from '../store/database.js';
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

export async function checkHealth(ctx: AppContext, version: string): Promise<Health> {
  const { store } = ctx;
  const { reachable, ...migrations } = await databaseStatus(store);
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
