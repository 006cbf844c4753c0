// A write that PostgreSQL aborts for a concurrent writer (a serialization failure) is run again as
// a whole, and refused as contended (409) when it keeps meeting one. The concurrent writer is a real
// transaction on another connection, outside the write road, updating the row the write updates.
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../src/core/result.js';
import { contextOver, type AppContext } from '../../src/services/context.js';
import { WRITE_ATTEMPTS, writeTransaction } from '../../src/services/unit-of-work.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { migrateStore, openStore, type Executor, type Store } from '../../src/store/database.js';
import {
  localPostgresSkipReason,
  scratchDatabase,
  type ScratchDatabase,
} from '../support/local-postgres.js';

const skipReason = await localPostgresSkipReason();
if (skipReason !== undefined) console.warn(`write retry tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('a write PostgreSQL aborts for a concurrent one', () => {
  let scratch: ScratchDatabase;
  let store: Store;
  let ctx: AppContext;
  let other: pg.Client;
  const actor = { id: 'user:pm', role: 'program-manager' } as const;
  /** The other writer's commits, awaited before a test ends. */
  const commits: Promise<unknown>[] = [];

  beforeAll(async () => {
    scratch = await scratchDatabase('attache_retry');
    store = await openStore({ kind: 'postgres', url: scratch.url });
    await migrateStore(store);
    ctx = contextOver(store);
    other = new pg.Client({ connectionString: scratch.url });
    await other.connect();
    // The row both writers update: a table no trigger and no write lock touches (the road locks
    // change_counter first, so a writer there would queue behind it instead of beating it).
    await other.query(
      "insert into login_failures (login, failures, first_at) values ('race', 0, now())",
    );
  });
  afterAll(async () => {
    await other?.end();
    await store?.close();
    await scratch?.drop();
  });

  /**
   * Another connection updates the row first and commits while this write waits for it: the write,
   * whose snapshot is older, is aborted with 40001 when it gets the row.
   */
  async function beatenTo(tx: Executor): Promise<void> {
    await other.query('begin');
    await other.query("update login_failures set failures = failures + 1 where login = 'race'");
    commits.push(delay(50).then(() => other.query('commit')));
    await tx.execute(sql`update login_failures set failures = failures + 1 where login = 'race'`);
  }

  function write(beatenOn: (attempt: number) => boolean) {
    let attempts = 0;
    const result = writeTransaction(ctx, actor, 'restrictions.write', async (tx) => {
      attempts += 1;
      if (beatenOn(attempts)) await beatenTo(tx);
      else await tx.execute(sql`update change_counter set value = value + 1 where id = 1`);
      return ok({
        value: attempts,
        audit: [{ action: 'test.write', entityType: 'test', entityId: 'x' }],
      });
    });
    return { result, attempts: () => attempts };
  }

  it('runs the whole write again and lands it once', async () => {
    const before = await countAuditEntries(store.db);
    const { result, attempts } = write((attempt) => attempt === 1);
    expect(await result).toEqual({ ok: true, value: 2 });
    await Promise.all(commits);
    expect(attempts()).toBe(2);
    expect(await countAuditEntries(store.db)).toBe(before + 1);
  });

  it(`refuses it as contended (409) after ${WRITE_ATTEMPTS} attempts, writing nothing`, async () => {
    const before = await countAuditEntries(store.db);
    const { result, attempts } = write(() => true);
    expect(await result).toMatchObject({
      ok: false,
      error: {
        code: 'CONFLICT',
        reason: 'WRITE.CONTENDED',
        details: { attempts: WRITE_ATTEMPTS, sqlState: '40001' },
      },
    });
    await Promise.all(commits);
    expect(attempts()).toBe(WRITE_ATTEMPTS);
    expect(await countAuditEntries(store.db)).toBe(before);
  });
});
