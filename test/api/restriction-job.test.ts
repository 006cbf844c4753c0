// A restriction recorded in the background (`Prefer: respond-async`): 202 with the job at once,
// the job ending with the very answer the write gives (the version and its cascade, as the dry run
// said), the write recorded once with its audit entry; refusals are the route's; a server without
// jobs says so; and a job whose write had committed before its server died ends with that answer.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import type { Actor } from '../../src/core/actor.js';
import { recordRestriction } from '../../src/services/eligibility/restriction.service.js';
import { startJobRunner } from '../../src/services/jobs/job-runner.js';
import { claimJob, insertJob } from '../../src/store/job.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { signedIn, tokenFor } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { waitForJob } from '../support/jobs.js';

const FAST = { pollSeconds: 0.5, progressEveryMs: 50, sweepSeconds: 1 } as const;

let db: TestDatabase;
let app: FastifyInstance;
let pm: Record<string, string>;

beforeAll(async () => {
  db = await openTestDatabase('demo');
  pm = await tokenFor(db.ctx, 'async-pm', { role: 'program-manager' });
  app = await buildApp(db.ctx, { jobs: FAST });
});
afterAll(async () => {
  await app?.close();
  await db?.close();
});

/** Pakistan's classes of summer 2020 are still to be trained in the demo: a suspension reaches them. */
const suspension = {
  country: 'PAK',
  kind: 'arrears',
  scope: ['IMET'],
  from: '2020-05-01',
  until: '2020-09-30',
  basis: 'arrears under the Brooke Amendment',
  authority: 'Secretary of State',
  seatPolicy: 'hold',
};

async function post(body: unknown, prefer?: string, url = '/api/v1/restrictions') {
  return app.inject({
    method: 'POST',
    url,
    headers: { ...pm, 'content-type': 'application/json', ...(prefer ? { prefer } : {}) },
    payload: JSON.stringify(body),
  });
}

async function finished(location: string) {
  for (let i = 0; i < 400; i++) {
    const job = (await app.inject({ url: location, headers: pm })).json<{
      status: string;
      outcome?: { summary?: unknown; problem?: { code: string } };
    }>();
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${location} did not finish`);
}

describe('POST /restrictions with Prefer: respond-async', () => {
  it('answers 202 with the job, which ends with the write’s own answer, written once', async () => {
    const preview = await post(suspension, 'respond-async', '/api/v1/restrictions?dryRun=true');
    expect(preview.statusCode).toBe(200);
    const impact = preview.json<{ impact: { changes: unknown[] } }>().impact;
    expect(impact.changes.length).toBeGreaterThan(0);

    const accepted = await post(suspension, 'respond-async');
    expect(accepted.statusCode).toBe(202);
    expect(accepted.headers['preference-applied']).toBe('respond-async');
    const location = String(accepted.headers.location);
    expect(location).toMatch(/^\/api\/v1\/jobs\/job_/);
    const job = await finished(location);
    expect(job.status).toBe('succeeded');
    const summary = job.outcome!.summary as { id: string; impact: unknown };
    const previewId = preview.json<{ id: string }>().id;
    expect(summary.impact).toEqual(
      JSON.parse(JSON.stringify(impact).replaceAll(previewId, summary.id)),
    );
    const entries = await queryRows<{ n: number }>(
      db.store.db,
      sql`select count(*)::int as n from audit_log
          where entity_id = ${summary.id} and action = 'restriction.record'`,
    );
    expect(entries[0]!.n).toBe(1);
    // Recorded: the same again overlaps it, refused in the job as the route would refuse it.
    const again = await finished(
      String((await post(suspension, 'respond-async')).headers.location),
    );
    expect(again.status).toBe('failed');
    expect(again.outcome?.problem?.code).toBe('RESTRICTION.OVERLAP');
  });

  it('refuses a body the route refuses at once, and is answered synchronously without the preference', async () => {
    const bad = await post({ ...suspension, scope: 'IMET' }, 'respond-async');
    expect(bad.statusCode).toBe(400);
    const other = { ...suspension, country: 'THA', from: '2021-02-01', until: '2021-02-03' };
    const sync = await post(other, 'return=minimal');
    expect(sync.statusCode).toBe(201);
  });

  it('says so when the server runs no jobs', async () => {
    // A database of its own: runners belong to a store, and this file's store has one.
    const alone = await openTestDatabase('empty');
    const bare = await buildApp(alone.ctx);
    const token = await tokenFor(alone.ctx, 'async-pm', { role: 'program-manager' });
    try {
      const res = await bare.inject({
        method: 'POST',
        url: '/api/v1/restrictions',
        headers: { ...token, 'content-type': 'application/json', prefer: 'respond-async' },
        payload: JSON.stringify({ ...suspension, country: 'EGY' }),
      });
      expect(res.statusCode).toBe(503);
      expect(res.json<{ code: string }>().code).toBe('JOBS.NOT_RUNNING');
    } finally {
      await bare.close();
      await alone.close();
    }
  });
});

describe('a restriction job whose server died after its write committed', () => {
  it('ends with that write’s answer and records nothing twice', async () => {
    const other = await openTestDatabase('demo');
    try {
      const caller = await signedIn(other.ctx, 'async-pm2', { role: 'program-manager' });
      const actor: Actor = { id: caller.actor, role: 'program-manager' };
      const id = other.ctx.newId('job');
      const input = { ...suspension, country: 'NGA' };
      await insertJob(other.store.db, {
        id,
        kind: 'restriction.record',
        input: JSON.stringify(input),
        createdBy: actor.id,
        createdAt: other.ctx.clock(),
      });
      expect(await claimJob(other.store.db, id, other.ctx.clock())).toBe(1);
      const written = await recordRestriction(other.ctx, actor, input, { job: id });
      if (!written.ok) throw new Error(written.error.message);
      const runner = await startJobRunner(other.ctx, FAST);
      try {
        const job = await waitForJob(other.ctx, actor, id, (j) => j.finishedAt !== null);
        expect(job.status).toBe('succeeded');
        expect(job.outcome).toEqual({
          summary: JSON.parse(JSON.stringify(written.value)),
        });
        const restrictions = await queryRows<{ n: number }>(
          other.store.db,
          sql`select count(*)::int as n from restrictions
              where country_iso3 = 'NGA' and id = ${written.value.id}`,
        );
        expect(restrictions[0]!.n).toBe(1);
      } finally {
        await runner.stop();
      }
    } finally {
      await other.close();
    }
  });
});
