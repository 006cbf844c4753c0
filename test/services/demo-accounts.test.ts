// Demo accounts hand their passwords over before they are committed: only hashes are stored, so a
// process killed between the commit and writing the passwords down would lose them for good.
import { describe, expect, it } from 'vitest';
import { systemActor } from '../../src/core/actor.js';
import { createDemoAccounts, type DemoAccount } from '../../src/services/demo/demo-accounts.js';
import { countAccounts } from '../../src/store/access.repository.js';
import { openTestDatabase } from '../support/databases.js';

describe('demo accounts', () => {
  it('are kept before they are committed: when keeping fails, none is made, and the next try makes them', async () => {
    const db = await openTestDatabase('demo');
    try {
      const failed = createDemoAccounts(db.ctx, systemActor('demo'), () => {
        throw new Error('disk full');
      });
      await expect(failed).rejects.toThrow('disk full');
      expect(await countAccounts(db.store.db)).toBe(0);
      let kept: readonly DemoAccount[] = [];
      const made = await createDemoAccounts(db.ctx, systemActor('demo'), (accounts) => {
        kept = [...accounts];
      });
      expect(made.ok && made.value).toEqual(kept);
      expect(kept.length).toBe(await countAccounts(db.store.db));
      expect(kept.length).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});
