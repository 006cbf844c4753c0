// Health in one round trip: reachable and migrated, reachable and not migrated, not reachable.
import { describe, expect, it } from 'vitest';
import { contextOver } from '../../src/services/context.js';
import { checkHealth } from '../../src/services/health.service.js';
import { openStore } from '../../src/store/database.js';
import { openTestDatabase } from '../support/databases.js';

describe('health', () => {
  it('is ok on a migrated database', async () => {
    const db = await openTestDatabase('empty');
    try {
      const health = await checkHealth(db.ctx, '1.2.3');
      expect(health.status).toBe('ok');
      expect(health.database.reachable).toBe(true);
      expect(health.migrations.current).toBe(true);
      expect(health.migrations.applied).toBe(health.migrations.expected);
      expect(health.migrations.expected).toBeGreaterThan(18);
    } finally {
      await db.close();
    }
  });

  it('asks the database once for callers asking together, and again for the next caller', async () => {
    const db = await openTestDatabase('empty');
    try {
      const database = db.store.db as unknown as { execute: (...args: unknown[]) => unknown };
      const execute = database.execute.bind(database);
      let queries = 0;
      database.execute = (...args: unknown[]) => {
        queries += 1;
        return execute(...args);
      };
      const together = await Promise.all(
        Array.from({ length: 20 }, () => checkHealth(db.ctx, '1.2.3')),
      );
      expect(together.every((h) => h.status === 'ok')).toBe(true);
      expect(queries).toBe(1);
      await checkHealth(db.ctx, '1.2.3');
      expect(queries).toBe(2);
    } finally {
      await db.close();
    }
  });

  it('is degraded on a database that answers but was never migrated, and on one that does not answer', async () => {
    const store = await openStore({ kind: 'pglite-memory' });
    const ctx = contextOver(store);
    const unmigrated = await checkHealth(ctx, '1.2.3');
    expect(unmigrated).toMatchObject({
      status: 'degraded',
      database: { reachable: true },
      migrations: { applied: 0, current: false },
    });
    await store.close();
    const closed = await checkHealth(ctx, '1.2.3');
    expect(closed).toMatchObject({
      status: 'degraded',
      database: { reachable: false },
      migrations: { applied: 0, current: false },
    });
  });
});
