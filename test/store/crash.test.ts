// A server killed with SIGKILL in the middle of writes, again and again: restrictions recorded
// (each a cascade over the seats it reaches) and lifted, on the demo data, by several callers at
// once, the kill at a random moment. After each kill the database opens again (the embedded data
// dir recovers), and in the end: every write the server acknowledged is on record, none is there
// in part (a restriction without its audit entry, a seat moved by a cascade with no entry), and the
// audit chain verifies. ATTACHE_CRASH_KILLS kills per database (3 in the suite; the 100 in
// all: ATTACHE_CRASH_KILLS=50 on both).
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/services/audit/audit.service.js';
import { contextOver } from '../../src/services/context.js';
import { openStore, type StoreConfig } from '../../src/store/database.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { apiTokenHeaders, collect, freePort, startAttache, waitForOk } from '../support/cli.js';
import { demoDataDir } from '../support/databases.js';
import {
  localPostgresSkipReason,
  scratchDemoDatabase,
  type ScratchDatabase,
} from '../support/local-postgres.js';

const KILLS = Number(process.env['ATTACHE_CRASH_KILLS'] ?? 3);
/**
 * The n-th restriction of the test (of any country) applies for 2 days from 1 May 2020 + 3n days:
 * no two overlap (the record refuses overlapping ones), and the first weeks reach the demo's seats
 * still to be trained (Pakistan's classes of June to August 2020). n is never reused, even for a
 * write the kill left unanswered.
 */
let written = 0;
function nextWindow(): { from: string; until: string; lift: string } {
  const start = Date.UTC(2020, 4, 1) + 3 * written++ * 86_400_000;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(start), until: day(start + 2 * 86_400_000), lift: day(start + 86_400_000) };
}
/** Countries of the demo with seats a suspension reaches, and others. */
const COUNTRIES = ['PAK', 'THA', 'EGY', 'NGA', 'COD', 'MLI', 'BRA', 'KEN', 'GHA', 'SEN'];

/**
 * One round: a server started on `env`, three callers writing until it is killed at a random
 * moment; the ids of the restrictions it acknowledged (recorded, or ended).
 */
async function killedRound(
  env: Record<string, string>,
  auth: Record<string, string>,
  round: number,
): Promise<{ recorded: string[]; ended: string[] }> {
  const port = await freePort();
  const server = startAttache(['serve'], {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ATTACHE_RATE_LIMIT_CALLER: 'off',
    ATTACHE_RATE_LIMIT_ADDRESS: 'off',
  });
  const exited = collect(server);
  const base = `http://127.0.0.1:${port}/api/v1`;
  await waitForOk(`${base}/health`);
  const acknowledged = { recorded: [] as string[], ended: [] as string[] };
  let killed = false;
  const refusals: string[] = [];
  const caller = async (who: number) => {
    const mine: { id: string; lift: string }[] = [];
    for (let i = 0; !killed; i++) {
      try {
        const country = COUNTRIES[(round * 7 + who * 3 + i) % COUNTRIES.length]!;
        if (mine.length > 0 && i % 3 === 2) {
          // Lifted a day early: a new version of it, and a cascade back.
          const { id, lift } = mine.shift()!;
          const res = await fetch(`${base}/restrictions/${id}/end`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ on: lift, reason: 'crash test lift' }),
          });
          if (res.status === 200 || res.status === 201) acknowledged.ended.push(id);
          else refusals.push(`end ${res.status} ${(await res.text()).slice(0, 160)}`);
          continue;
        }
        const window = nextWindow();
        const res = await fetch(`${base}/restrictions`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({
            // Arrears (Brooke): a kind the demo's own records (policy, coup) never overlap.
            ...{
              country,
              kind: 'arrears',
              scope: ['IMET'],
              from: window.from,
              until: window.until,
            },
            ...{ basis: `crash round ${round}`, authority: 'Secretary of State' },
            seatPolicy: i % 2 === 0 ? 'cancel' : 'hold',
          }),
        });
        if (res.status === 201) {
          const { id } = (await res.json()) as { id: string };
          acknowledged.recorded.push(id);
          mine.push({ id, lift: window.lift });
        } else refusals.push(`record ${res.status} ${(await res.text()).slice(0, 160)}`);
      } catch {
        // The server is gone: what it acknowledged before is all that counts.
        return;
      }
    }
  };
  const callers = [caller(0), caller(1), caller(2)];
  // Killed at a random point after the first write was answered (on a busy machine a fresh
  // server's first cascade can take longer than the whole random window).
  const started = performance.now();
  while (acknowledged.recorded.length === 0 && refusals.length === 0) {
    if (performance.now() - started > 30_000) throw new Error('no write answered in 30 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, randomInt(0, 1_400)));
  killed = true;
  server.kill('SIGKILL');
  await exited;
  await Promise.all(callers);
  // Every write answered before the kill was taken: no refusal, no 5xx.
  expect(refusals).toEqual([]);
  return acknowledged;
}

/** Opens the database again and checks what the rounds left. */
async function checkWhatIsLeft(
  config: StoreConfig,
  recorded: readonly string[],
  ended: readonly string[],
): Promise<number> {
  const store = await openStore(config);
  try {
    const ctx = contextOver(store);
    const ids = new Set(
      (await queryRows<{ id: string }>(store.db, sql`select id from restrictions`)).map(
        (r) => r.id,
      ),
    );
    expect(recorded.filter((id) => !ids.has(id))).toEqual([]);
    const endedOnRecord = new Set(
      (
        await queryRows<{ id: string }>(
          store.db,
          sql`select restriction_id as id from restriction_versions where valid_until is not null`,
        )
      ).map((r) => r.id),
    );
    expect(ended.filter((id) => !endedOnRecord.has(id))).toEqual([]);
    // Nothing in part: every restriction and every version has its audit entry.
    const unaudited = await queryRows<{ id: string }>(
      store.db,
      sql`select r.id from restrictions r
          where not exists (select 1 from audit_log a
                            where a.entity_id = r.id and a.action = 'restriction.record')`,
    );
    expect(unaudited).toEqual([]);
    const versionsWithoutEntry = await queryRows<{ id: string }>(
      store.db,
      sql`select v.restriction_id as id from restriction_versions v
          where v.version > 1 and not exists (
            select 1 from audit_log a where a.entity_id = v.restriction_id
              and a.action in ('restriction.end', 'restriction.correct'))`,
    );
    expect(versionsWithoutEntry).toEqual([]);
    expect(await verifyAudit(ctx)).toMatchObject({ ok: true });
    // What the cascades did to seats, for the record of the run.
    const [moved] = await queryRows<{ n: number }>(
      store.db,
      sql`select count(*)::int as n from audit_log
          where entity_type = 'seat' and actor like 'user:crash-writer@attache.test%'`,
    );
    return moved?.n ?? 0;
  } finally {
    await store.close();
  }
}

async function crashRounds(
  env: Record<string, string>,
  config: StoreConfig,
): Promise<{ recorded: number; ended: number; seats: number }> {
  const auth = await apiTokenHeaders(env, 'crash-writer@attache.test', 'program-manager');
  written = 0;
  const recorded: string[] = [];
  const ended: string[] = [];
  for (let round = 0; round < KILLS; round++) {
    const got = await killedRound(env, auth, round);
    recorded.push(...got.recorded);
    ended.push(...got.ended);
  }
  const seats = await checkWhatIsLeft(config, recorded, ended);
  return { recorded: recorded.length, ended: ended.length, seats };
}

describe('a server killed with SIGKILL in the middle of cascades', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'attache-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    `on the embedded database, ${KILLS} times: its data dir opens again, nothing lost or in part`,
    async () => {
      const dataDir = await demoDataDir(dir);
      const done = await crashRounds({ ATTACHE_DATA_DIR: dataDir }, { kind: 'pglite', dataDir });
      console.info(
        `embedded: ${KILLS} kills, ${done.recorded} restrictions and ${done.ended} lifts acknowledged (their cascades moving seats ${done.seats} times), all on record`,
      );
      expect(done.recorded).toBeGreaterThan(0);
    },
    60_000 + KILLS * 30_000,
  );
});

const skipReason = await localPostgresSkipReason();
if (skipReason !== undefined) console.warn(`crash test on PostgreSQL skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('a server on PostgreSQL killed with SIGKILL', () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await scratchDemoDatabase('attache_crash');
  }, 120_000);
  afterAll(async () => scratch?.drop());

  it(
    `${KILLS} times: nothing lost or in part`,
    async () => {
      const done = await crashRounds(
        { DATABASE_URL: scratch.url },
        { kind: 'postgres', url: scratch.url },
      );
      console.info(
        `PostgreSQL: ${KILLS} kills, ${done.recorded} restrictions and ${done.ended} lifts acknowledged (their cascades moving seats ${done.seats} times), all on record`,
      );
      expect(done.recorded).toBeGreaterThan(0);
    },
    60_000 + KILLS * 30_000,
  );
});
