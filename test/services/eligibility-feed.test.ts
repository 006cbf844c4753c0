// The eligibility index kept current by the change log (migration 0015): a write rebuilds only the
// countries it touched, on the run's backend; and on one PostgreSQL, a second server hears of a
// write by LISTEN/NOTIFY and, while its listening connection is down, reads the log before every
// answer, so no answer is stale.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { buildEligibilityIndex, decide } from '../../src/core/eligibility/engine.js';
import { PROGRAMS } from '../../src/core/programs.js';
import type { AppContext } from '../../src/services/context.js';
import {
  currentSnapshot,
  eligibilitySnapshot,
  indexStats,
} from '../../src/services/eligibility/eligibility.service.js';
import { recordRelief } from '../../src/services/eligibility/relief.service.js';
import { recordRestriction } from '../../src/services/eligibility/restriction.service.js';
import { addStudent } from '../../src/services/students/student.service.js';
import { addCourse } from '../../src/services/training/catalog.service.js';
import {
  loadEligibilityRecords,
  readChangeCounter,
  readChangesSince,
} from '../../src/store/eligibility.repository.js';
import { LISTENER_APPLICATION_NAME } from '../../src/store/listener.js';
import { ELIGIBILITY_AT, subscribeChanges } from '../../src/services/change-feed.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import {
  LOCAL_POSTGRES,
  localPostgresSkipReason,
  scratchServers,
  type ScratchServers,
} from '../support/local-postgres.js';
import { sql } from 'drizzle-orm';
import pg from 'pg';

const pm: Actor = { id: 'user:pm', role: 'program-manager' };
const now = '2026-01-15T12:00:00.000Z';

const suspension = (country: string, from: string) => ({
  country,
  kind: 'policy',
  scope: ['IMET'],
  from,
  basis: 'test suspension',
  authority: 'Secretary of State',
  seatPolicy: 'hold' as const,
});

async function suspend(ctx: AppContext, country: string, from = '2021-03-01') {
  const written = await recordRestriction(ctx, pm, suspension(country, from));
  if (!written.ok) throw new Error(written.error.message);
  return written.value.id;
}

async function eligible(ctx: AppContext, country: string, on = '2021-06-01') {
  const snapshot = await eligibilitySnapshot(ctx);
  return decide(snapshot.index, { country, program: 'IMET', on: on as never }).eligible;
}

/** What the index holds about `country` without waiting (undefined: it would have to read). */
function current(ctx: AppContext, country: string) {
  const snapshot = currentSnapshot(ctx, country);
  return snapshot === undefined
    ? undefined
    : decide(snapshot.index, { country, program: 'IMET', on: '2021-06-01' as never }).eligible;
}

/** Waits until `check` holds (polling each millisecond), and returns how long it took. */
async function until(check: () => boolean, limitMs = 5_000): Promise<number> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return performance.now() - started;
}

describe('the index after a write (the run backend)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('demo', { clock: () => now });
  });
  afterAll(async () => db.close());

  it('logs the countries, courses and country list each write touched, in commit order', async () => {
    const before = await readChangeCounter(db.store.db);
    const id = await suspend(db.ctx, 'BRA');
    const afterRestriction = await readChangesSince(db.store.db, before);
    expect(afterRestriction.changes).toEqual([
      { topic: 'BRA', record: 'restriction', recordId: id },
    ]);
    expect(afterRestriction.head).toBeGreaterThan(before);
    const course = await addCourse(db.ctx, pm, {
      id: 'FEED001',
      title: 'Change log course',
      school: 'DIILS',
      category: 'technical',
      lengthWeeks: 2,
    });
    expect(course.ok ? 'ok' : course.error.message).toBe('ok');
    const afterCourse = await readChangesSince(db.store.db, afterRestriction.head);
    expect(afterCourse.changes).toEqual([{ topic: 'courses', record: '', recordId: '' }]);
    // Nothing after the head; a head the log does not reach back to asks for everything.
    expect((await readChangesSince(db.store.db, afterCourse.head)).changes).toEqual([]);
    expect((await readChangesSince(db.store.db, afterCourse.head + 1)).changes).toBeUndefined();
  });

  it('takes in its own write as it returns, reading nothing back, and answers as an index built whole', async () => {
    await eligibilitySnapshot(db.ctx);
    const start = indexStats(db.store);
    expect(await eligible(db.ctx, 'ARG')).toBe(true);
    const id = await suspend(db.ctx, 'ARG');
    // In the index as the write returns: no question had to read it.
    expect(current(db.ctx, 'ARG')).toBe(false);
    const relief = await recordRelief(db.ctx, pm, id, {
      type: 'exception',
      programs: ['IMET'],
      from: '2021-05-01',
      authority: 'Secretary of State',
      justification: 'test',
    });
    expect(relief.ok ? 'ok' : relief.error.message).toBe('ok');
    expect(current(db.ctx, 'ARG')).toBe(true);
    expect(await eligible(db.ctx, 'ARG')).toBe(true);
    const end = indexStats(db.store);
    expect(end.builds).toBe(start.builds);
    expect(end.ownWritesApplied - start.ownWritesApplied).toBe(2);
    // Both worked out before their commits, on the index they followed.
    expect(end.ownWritesPrepared - start.ownWritesPrepared).toBe(2);

    const kept = await eligibilitySnapshot(db.ctx);
    const whole = buildEligibilityIndex(await loadEligibilityRecords(db.store.db));
    expect(kept.version).toBe(await readChangeCounter(db.store.db));
    expect(kept.index.size).toBe(whole.size);
    let asked = 0;
    for (const country of kept.countries)
      for (const program of PROGRAMS)
        for (const on of ['1999-01-01', '2014-06-01', '2021-04-01', '2021-06-01', '2025-01-16']) {
          const query = { country, program, on: on as never };
          expect(decide(kept.index, query)).toEqual(
            expect.objectContaining({ ...decide(whole, query), coverage: expect.anything() }),
          );
          asked += 1;
        }
    expect(asked).toBeGreaterThan(1000);
  });

  it('works its own write out as its commit returns when it was not worked out before', async () => {
    await eligibilitySnapshot(db.ctx);
    const writes = db.store.eligibilityWrites;
    const prepare = writes.prepare!;
    delete writes.prepare;
    const start = indexStats(db.store);
    try {
      await suspend(db.ctx, 'URY');
    } finally {
      writes.prepare = prepare;
    }
    expect(current(db.ctx, 'URY')).toBe(false);
    const end = indexStats(db.store);
    expect(end.ownWritesApplied - start.ownWritesApplied).toBe(1);
    expect(end.ownWritesPrepared).toBe(start.ownWritesPrepared);
    expect(end.builds).toBe(start.builds);
    expect(end.rebuilds).toBe(start.rebuilds);
  });

  it('is current without waiting after a question, after a write of no eligibility record, and after its own write', async () => {
    await eligibilitySnapshot(db.ctx);
    expect(currentSnapshot(db.ctx)).toBeDefined();
    const added = await addStudent(db.ctx, pm, {
      country: 'PER',
      familyName: 'QUISPE',
      givenNames: 'Ana',
    });
    if (!added.ok) throw new Error(added.error.message);
    expect(currentSnapshot(db.ctx)).toBeDefined();
    await suspend(db.ctx, 'CHL');
    expect(current(db.ctx, 'CHL')).toBe(false);
    expect(currentSnapshot(db.ctx)).toBeDefined();
  });

  it('reads back a write it could not take in (the index was not where the write began), and waits for it only to answer about its country', async () => {
    await eligibilitySnapshot(db.ctx);
    // A write of another process, as the index sees it: the log moved on without it.
    const since = (await eligibilitySnapshot(db.ctx)).version;
    await db.store.db.execute(sql`update change_counter set value = value + 1 where id = 1`);
    const start = indexStats(db.store);
    await suspend(db.ctx, 'PER');
    expect(db.store.eligibilityWrites.recent.at(-1)?.since).toBe(since + 1);
    expect(currentSnapshot(db.ctx, 'PER')).toBeUndefined();
    expect(currentSnapshot(db.ctx)).toBeUndefined();
    // Another country's answer is the same before and after: given at once.
    expect(currentSnapshot(db.ctx, 'ARG')).toBeDefined();
    expect(await eligible(db.ctx, 'PER')).toBe(false);
    expect(currentSnapshot(db.ctx, 'per')).toBeDefined();
    const end = indexStats(db.store);
    expect(end.ownWritesApplied).toBe(start.ownWritesApplied);
    expect(end.rebuilds - start.rebuilds).toBeGreaterThanOrEqual(1);
  });

  it('hears a change made beside the road and waits for it only to answer about its country', async () => {
    const id = await suspend(db.ctx, 'BOL');
    await until(() => current(db.ctx, 'BOL') === false && currentSnapshot(db.ctx) !== undefined);
    // Heard right after the index's own handler, before anything of the change is read (and not
    // the notification of the write above, which the index held already).
    const before = await readChangeCounter(db.store.db);
    const seen: { other: boolean; written: boolean; any: boolean }[] = [];
    subscribeChanges(db.store, {
      notified(payload) {
        const seq = /^eligibility@(\d+):BOL$/.exec(payload)?.[1];
        if (seq === undefined || Number(seq) <= before) return;
        seen.push({
          other: currentSnapshot(db.ctx, 'ECU') !== undefined,
          written: currentSnapshot(db.ctx, 'BOL') !== undefined,
          any: currentSnapshot(db.ctx) !== undefined,
        });
      },
      listening: () => undefined,
      lost: () => undefined,
    });
    // A maintenance script ending the suspension before the date asked about.
    await db.store.db.execute(
      sql`update restriction_versions set valid_until = '2021-04-01' where restriction_id = ${id}`,
    );
    await until(() => seen.length > 0);
    expect(seen[0]).toEqual({ other: true, written: false, any: false });
    expect(await eligible(db.ctx, 'BOL')).toBe(true);
    expect(current(db.ctx, 'BOL')).toBe(true);
  });
});

const skipReason = await localPostgresSkipReason();
if (skipReason !== undefined) console.warn(`two-server index tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('two servers on one PostgreSQL', () => {
  let servers: ScratchServers;
  let a: AppContext;
  let b: AppContext;

  beforeAll(async () => {
    servers = await scratchServers('attache_feed', 2, { clock: () => now });
    [a, b] = servers.contexts as [AppContext, AppContext];
  });
  afterAll(async () => servers?.close());

  it("hears the other server's write and rebuilds that country alone", async () => {
    expect(await eligible(b, 'KEN')).toBe(true);
    await until(() => indexStats(b.store).listening === true);
    const start = indexStats(b.store);
    await suspend(a, 'KEN');
    // No question asked of B: the notification alone brings its index up to date.
    const ms = await until(() => current(b, 'KEN') === false);
    const end = indexStats(b.store);
    expect(end.notifications).toBeGreaterThan(start.notifications);
    expect(end.builds).toBe(start.builds);
    expect(end.countriesRebuilt - start.countriesRebuilt).toBe(1);
    console.info(`second server current ${ms.toFixed(1)} ms after the write returned`);
  });

  it("keeps answering about every other country at once while it reads one country's change", async () => {
    expect(await eligible(b, 'TZA')).toBe(true);
    await until(() => indexStats(b.store).listening === true && currentSnapshot(b) !== undefined);
    // Heard right after B's own handler, before B has read anything of the change.
    const seen: { other: boolean; written: boolean; any: boolean }[] = [];
    subscribeChanges(b.store, {
      notified(payload) {
        if (!(payload.startsWith(ELIGIBILITY_AT) && payload.endsWith(':TZA'))) return;
        seen.push({
          other: currentSnapshot(b, 'UGA') !== undefined,
          written: currentSnapshot(b, 'TZA') !== undefined,
          any: currentSnapshot(b) !== undefined,
        });
      },
      listening: () => undefined,
      lost: () => undefined,
    });
    await suspend(a, 'TZA');
    await until(() => seen.length > 0);
    expect(seen[0]).toEqual({ other: true, written: false, any: false });
    await until(() => current(b, 'TZA') === false);
    expect(currentSnapshot(b, 'tza')).toBeDefined();
  });

  it('reads the log before every answer while its listening connection is down', async () => {
    await until(() => indexStats(b.store).listening === true);
    const admin = new pg.Client({ connectionString: LOCAL_POSTGRES });
    await admin.connect();
    const database = new URL(servers.url).pathname.slice(1);
    try {
      // No new connection until the write is answered: B's listener stays down (the pools keep
      // the connections they have).
      await admin.query(`alter database ${database} allow_connections false`);
      const killed = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
         where application_name = $1 and datname = $2`,
        [LISTENER_APPLICATION_NAME, database],
      );
      // One listener per store that asked a question: A's and B's.
      expect(killed.rowCount).toBeGreaterThanOrEqual(1);
      await until(() => indexStats(b.store).listening === false);
      expect(currentSnapshot(b)).toBeUndefined();
      await suspend(a, 'GHA');
      expect(indexStats(b.store).listening).toBe(false);
      expect(await eligible(b, 'GHA')).toBe(false);
    } finally {
      await admin.query(`alter database ${database} allow_connections true`);
      await admin.end();
    }
    await until(() => indexStats(b.store).listening === true);
    await suspend(a, 'SEN');
    await until(() => current(b, 'SEN') === false);
    expect(indexStats(b.store).reconnections).toBeGreaterThanOrEqual(1);
  });
});
