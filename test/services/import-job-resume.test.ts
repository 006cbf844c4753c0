// An import run as a job, cut off by its server's death, runs again from the start and writes
// exactly once: its one write is recorded with the job (job_writes) in the write's transaction, so
// a run after the write committed ends with its answer, and a second commit is refused.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import { importEntities } from '../../src/services/imports/entity-import.service.js';
import { importFile } from '../../src/services/imports/import-file.js';
import { startJobRunner } from '../../src/services/jobs/job-runner.js';
import { claimJob, insertJob } from '../../src/store/job.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { signedIn } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { waitForJob } from '../support/jobs.js';

const ROWS = 50;

let db: TestDatabase;
let importer: Actor;

beforeAll(async () => {
  db = await openTestDatabase('empty');
  const caller = await signedIn(db.ctx, 'resume-importer', { role: 'program-manager' });
  importer = { id: caller.actor, role: 'program-manager' };
});
afterAll(async () => db?.close());

/** A students file of ROWS new students named after `tag`. */
function studentsFile(tag: string) {
  const lines = ['country,familyName,givenNames,birthDate'];
  for (let i = 0; i < ROWS; i++) lines.push(`JOR,${tag}${i},Given,1990-01-01`);
  return importFile(`${tag}.csv`, new TextEncoder().encode(`${lines.join('\n')}\n`));
}

const studentsNamed = async (tag: string) =>
  (
    await queryRows<{ n: number }>(
      db.store.db,
      sql`select count(*)::int as n from students where family_name like ${`${tag}%`}`,
    )
  )[0]!.n;

/** An import job as a killed server leaves it: claimed, running, no process behind it. */
async function cutOffImport(tag: string): Promise<string> {
  const file = studentsFile(tag);
  const id = db.ctx.newId('job');
  await insertJob(db.store.db, {
    id,
    kind: 'import.students',
    input: JSON.stringify({
      files: [{ name: file.name, content: Buffer.from(file.bytes).toString('base64') }],
      dryRun: false,
    }),
    createdBy: importer.id,
    createdAt: db.ctx.clock(),
  });
  expect(await claimJob(db.store.db, id, db.ctx.clock())).toBe(1);
  return id;
}

/** A runner started as after the crash (it settles the job cut off), and the job once it ended. */
async function runnerStarted(id: string) {
  const runner = await startJobRunner(db.ctx, { pollSeconds: 0.5, progressEveryMs: 50 });
  try {
    return await waitForJob(
      db.ctx,
      importer,
      id,
      (j) => j.status !== 'running' && j.status !== 'queued',
    );
  } finally {
    await runner.stop();
  }
}

describe('an import job cut off by its server', () => {
  it('runs again from the start when its write never committed, and writes once', async () => {
    const id = await cutOffImport('Unwritten');
    const job = await runnerStarted(id);
    expect(job.status).toBe('succeeded');
    expect(job.outcome?.summary).toMatchObject({ created: ROWS, dryRun: false });
    expect(await studentsNamed('Unwritten')).toBe(ROWS);
  });

  it('ends with the answer of its write when that write had committed, and writes nothing again', async () => {
    const id = await cutOffImport('Written');
    // The server committed the import, then died before it could end the job.
    const written = await importEntities(db.ctx, importer, 'students', studentsFile('Written'), {
      job: id,
    });
    if (!written.ok) throw new Error(written.error.message);
    expect(await studentsNamed('Written')).toBe(ROWS);
    // Once committed, the job's write is never made again, whoever asks.
    const again = await importEntities(db.ctx, importer, 'students', studentsFile('Written'), {
      job: id,
    });
    expect(again.ok ? null : again.error.reason).toBe('JOB.WRITTEN');

    const job = await runnerStarted(id);
    expect(job.status).toBe('succeeded');
    expect(job.outcome?.summary).toEqual(JSON.parse(JSON.stringify(written.value)));
    expect(await studentsNamed('Written')).toBe(ROWS);
  });
});
