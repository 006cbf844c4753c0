// Jobs on the test run's database (PGlite, or PostgreSQL with DATABASE_URL): submitted with the
// handler's capability checked, run once as the submitter with progress in the row, ended with a
// file and a summary or with the problem; seen only by the submitter and admins; a job left running
// by a dead server is failed when a runner starts, never run again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { startJobRunner, type JobRunner } from '../../src/services/jobs/job-runner.js';
import {
  getJob,
  getJobResult,
  listMyJobs,
  submitJob,
  type JobView,
} from '../../src/services/jobs/job.service.js';
import {
  claimJob,
  findJob,
  finishJob,
  insertJob,
  requeueJob,
  saveJobProgress,
} from '../../src/store/job.repository.js';
import { JobNotStarted, runJob } from '../../src/services/jobs/job-execution.js';
import { signedIn } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { gate, registerTestJobs, runs, waitForJob } from '../support/jobs.js';

let db: TestDatabase;
let runner: JobRunner;
const actors = {} as Record<'analyst' | 'other' | 'admin' | 'sco', Actor>;

beforeAll(async () => {
  db = await openTestDatabase('demo');
  registerTestJobs();
  for (const [name, role] of [
    ['analyst', 'analyst'],
    ['other', 'analyst'],
    ['admin', 'admin'],
    ['sco', 'sco'],
  ] as const) {
    const caller = await signedIn(db.ctx, `jobs-${name}`, {
      role,
      ...(role === 'sco' ? { countries: ['PAK'] } : {}),
    });
    actors[name] = { id: caller.actor, role, ...(role === 'sco' ? { countries: ['PAK'] } : {}) };
  }
  runner = await startJobRunner(db.ctx, { pollSeconds: 0.5, progressEveryMs: 50 });
});

afterAll(async () => {
  await runner?.stop();
  await db?.close();
});

describe('submitting a job', () => {
  it('refuses an unknown kind, a role without the capability and bad input, queuing nothing', async () => {
    const unknown = await submitJob(db.ctx, actors.analyst, 'no.such', {});
    expect(unknown.ok ? null : unknown.error).toMatchObject({
      code: 'INPUT.INVALID',
      field: 'kind',
    });
    const forbidden = await submitJob(db.ctx, actors.sco, 'audit.verify', {});
    expect(forbidden.ok ? null : forbidden.error.reason).toBe('ACCESS.FORBIDDEN');
    const bad = await submitJob(db.ctx, actors.analyst, 'audit.verify', { deep: 'yes' });
    expect(bad.ok ? null : bad.error).toMatchObject({ code: 'INPUT.INVALID', field: 'deep' });
    const listed = await listMyJobs(db.ctx, actors.sco);
    expect(listed.ok && listed.value.total).toBe(0);
  });

  it('runs audit.verify as the submitter: progress, a summary and the report as a JSON file', async () => {
    const submitted = await submitJob(db.ctx, actors.analyst, 'audit.verify', { deep: true });
    expect(submitted.ok && submitted.value).toMatchObject({
      kind: 'audit.verify',
      status: 'queued',
      createdBy: actors.analyst.id,
      input: { deep: true, checkpoint: null },
    });
    const job = await waitForJob(
      db.ctx,
      actors.analyst,
      id(submitted),
      (j) => j.finishedAt !== null,
    );
    expect(job.status).toBe('succeeded');
    expect(job.outcome?.summary).toMatchObject({ ok: true });
    expect(job.progress.done).toBe(job.progress.total);
    expect(job.progress.total).toBeGreaterThan(1000);
    expect(job.progress.note).toBe('comparing the records with the log');
    const file = await getJobResult(db.ctx, actors.analyst, job.id);
    if (!file.ok) throw new Error(file.error.message);
    expect(file.value.contentType).toBe('application/json');
    expect(file.value.fileName).toMatch(/^attache-audit-verification-\d{8}T\d{6}Z\.json$/);
    const report = JSON.parse(file.value.bytes.toString('utf8')) as { ok: boolean; deep: object };
    expect(report.ok).toBe(true);
    expect(report.deep).not.toBeNull();
    expect(job.result).toEqual({
      fileName: file.value.fileName,
      contentType: 'application/json',
      bytes: file.value.bytes.length,
    });
  });
});

describe('a running job', () => {
  it('shows its progress while it runs, refuses its result until it succeeds, then gives it', async () => {
    const open = gate();
    const submitted = await submitJob(db.ctx, actors.analyst, 'test.gated', { gate: open.name });
    const running = await waitForJob(
      db.ctx,
      actors.analyst,
      id(submitted),
      (j) => j.status === 'running' && j.progress.done === 3,
    );
    expect(running.progress).toEqual({ done: 3, total: 10, note: 'waiting at the gate' });
    expect(running.startedAt).not.toBeNull();
    const early = await getJobResult(db.ctx, actors.analyst, running.id);
    expect(early.ok ? null : early.error).toMatchObject({
      code: 'CONFLICT',
      reason: 'JOB.NOT_SUCCEEDED',
      details: { status: 'running' },
    });
    open.release();
    const done = await waitForJob(db.ctx, actors.analyst, running.id, (j) => j.finishedAt !== null);
    expect(done).toMatchObject({
      status: 'succeeded',
      progress: { done: 10, total: 10, note: 'done' },
      outcome: { summary: { lines: 2 } },
    });
    const file = await getJobResult(db.ctx, actors.analyst, done.id);
    expect(file.ok && file.value.bytes.toString()).toBe('a,b\r\n1,2\r\n');
    expect(file.ok && file.value.contentType).toBe('text/csv');
  });

  it('is failed with its problem when the handler refuses, and as an internal error when it throws', async () => {
    const refused = await submitJob(db.ctx, actors.analyst, 'test.fails', { how: 'refuses' });
    const failed = await waitForJob(
      db.ctx,
      actors.analyst,
      id(refused),
      (j) => j.finishedAt !== null,
    );
    expect(failed.status).toBe('failed');
    expect(failed.outcome?.problem).toMatchObject({
      code: 'INPUT.INVALID',
      reason: 'IMPORT.ROWS_REFUSED',
      field: 'file.csv row 7 column date',
    });
    expect(failed.result).toBeNull();
    const result = await getJobResult(db.ctx, actors.analyst, failed.id);
    expect(result.ok ? null : result.error.details).toEqual({ status: 'failed' });
    const thrown = await submitJob(db.ctx, actors.analyst, 'test.fails', { how: 'throws' });
    const crashed = await waitForJob(
      db.ctx,
      actors.analyst,
      id(thrown),
      (j) => j.finishedAt !== null,
    );
    expect(crashed.outcome?.problem).toMatchObject({ reason: 'JOB.CRASHED' });
    expect(JSON.stringify(crashed.outcome)).not.toContain('secret detail');
  });
});

describe('who sees a job', () => {
  it('its submitter and admins; to anyone else it does not exist; lists hold one’s own', async () => {
    const submitted = await submitJob(db.ctx, actors.analyst, 'test.fails', { how: 'refuses' });
    const jobId = id(submitted);
    const other = await getJob(db.ctx, actors.other, jobId);
    expect(other.ok ? null : other.error.reason).toBe('JOB.NOT_FOUND');
    const otherFile = await getJobResult(db.ctx, actors.other, jobId);
    expect(otherFile.ok ? null : otherFile.error.reason).toBe('JOB.NOT_FOUND');
    expect((await getJob(db.ctx, actors.admin, jobId)).ok).toBe(true);
    // The same person with a token is the same owner.
    const viaToken = { ...actors.analyst, id: `${actors.analyst.id}/token:tok_1` };
    expect((await getJob(db.ctx, viaToken, jobId)).ok).toBe(true);
    const mine = await listMyJobs(db.ctx, actors.analyst, { limit: 2 });
    if (!mine.ok) throw new Error(mine.error.message);
    expect(mine.value.items.map((j) => j.id)).toContain(jobId);
    expect(mine.value.items).toHaveLength(2);
    expect(mine.value.total).toBeGreaterThan(2);
    const theirs = await listMyJobs(db.ctx, actors.other);
    expect(theirs.ok && theirs.value.items.map((j) => j.id)).not.toContain(jobId);
    const badPage = await listMyJobs(db.ctx, actors.analyst, { limit: 0 });
    expect(badPage.ok ? null : badPage.error.field).toBe('limit');
  });
});

describe('a job whose server died', () => {
  it('is failed when a runner starts, and not run again', async () => {
    await runner.stop();
    const jobId = db.ctx.newId('job');
    await insertJob(db.store.db, {
      id: jobId,
      kind: 'test.gated',
      input: JSON.stringify({ gate: 'never' }),
      createdBy: actors.analyst.id,
      createdAt: db.ctx.clock(),
    });
    // As a server leaves it when killed mid-run: running, with no process behind it.
    expect(await claimJob(db.store.db, jobId, db.ctx.clock())).toBe(1);
    runner = await startJobRunner(db.ctx, { pollSeconds: 0.5, progressEveryMs: 50 });
    const row = await findJob(db.store.db, jobId);
    expect(row?.status).toBe('failed');
    expect(JSON.parse(row!.outcome!)).toMatchObject({ problem: { reason: 'JOB.INTERRUPTED' } });
  });
});

describe('a start of a job cut off from it', () => {
  const queued = async (kind: string, input: unknown) => {
    const jobId = db.ctx.newId('job');
    await insertJob(db.store.db, {
      id: jobId,
      kind,
      input: JSON.stringify(input),
      createdBy: actors.analyst.id,
      createdAt: db.ctx.clock(),
    });
    return jobId;
  };

  it('writes neither progress nor an end over the start after it', async () => {
    const jobId = await queued('test.gated', { gate: 'never' });
    expect(await claimJob(db.store.db, jobId, db.ctx.clock())).toBe(1);
    // Its lease lost: queued again by a sweep and started elsewhere.
    expect(await requeueJob(db.store.db, jobId)).toBe(true);
    expect(await claimJob(db.store.db, jobId, db.ctx.clock())).toBe(2);
    const progress = { done: 9, total: 10, note: 'the first start' };
    await saveJobProgress(db.store.db, jobId, { start: 1 }, progress);
    const end = {
      status: 'succeeded',
      outcome: '{"summary":1}',
      finishedAt: db.ctx.clock(),
    } as const;
    expect(await finishJob(db.store.db, jobId, end, { start: 1 })).toBe(false);
    expect(await findJob(db.store.db, jobId)).toMatchObject({ status: 'running', progressDone: 0 });
    await saveJobProgress(db.store.db, jobId, { start: 2 }, progress);
    expect(await finishJob(db.store.db, jobId, end, { start: 2 })).toBe(true);
    expect(await findJob(db.store.db, jobId)).toMatchObject({
      status: 'succeeded',
      progressDone: 9,
      starts: 2,
    });
  });

  it('is not started, and stays queued, when its lease cannot be taken', async () => {
    const jobId = await queued('test.count', { tag: 'no-lease' });
    const released: number[] = [];
    const leases = {
      hold: () => Promise.reject(new Error('Connection terminated unexpectedly')),
      release: (held: number) => Promise.resolve(void released.push(held)),
      close: () => Promise.resolve(),
    };
    const log = { info: () => undefined, error: () => undefined };
    const running = runJob(db.ctx, jobId, { progressEveryMs: 50, log }, leases);
    await expect(running).rejects.toBeInstanceOf(JobNotStarted);
    await expect(running).rejects.toThrow(`job ${jobId} was not started`);
    expect(await findJob(db.store.db, jobId)).toMatchObject({ status: 'queued', starts: 0 });
    expect(runs.get('no-lease')).toBeUndefined();
    expect(released).toEqual([]);
  });
});

function id(submitted: { ok: true; value: JobView } | { ok: false; error: { message: string } }) {
  if (!submitted.ok) throw new Error(submitted.error.message);
  return submitted.value.id;
}
