// The backup and restore drill the README's deployment section gives (scripts/backup-restore-drill.sh):
// a database holding the demo is dumped and restored into a new one, which holds the same rows and
// whose audit chain verifies; a database whose audit log was altered behind the application's back
// fails the drill; misuse says how to use it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.js';
import {
  localPostgresSkipReason,
  scratchDemoDatabase,
  type ScratchDatabase,
} from '../support/local-postgres.js';

const SCRIPT = join(REPO_ROOT, 'scripts/backup-restore-drill.sh');

async function whyNot(): Promise<string | undefined> {
  const noPostgres = await localPostgresSkipReason();
  if (noPostgres !== undefined) return noPostgres;
  const missing = ['pg_dump', 'pg_restore', 'psql'].filter(
    (tool) => !existsSync(`/usr/bin/${tool}`),
  );
  const built = existsSync(join(REPO_ROOT, 'dist/cli/main.js'));
  const reason =
    missing.length > 0
      ? `${missing.join(', ')} not installed`
      : built
        ? undefined
        : 'Attaché not built (npm run build)';
  if (reason !== undefined && process.env['CI'] === 'true')
    throw new Error(`${reason}: the backup drill may not be skipped under CI`);
  return reason;
}

const skipReason = await whyNot();
if (skipReason !== undefined) console.warn(`backup and restore drill skipped: ${skipReason}`);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function drill(env: Record<string, string | undefined>): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, LOG_LEVEL: 'warn' };
  if (env['DATABASE_URL'] === undefined) delete childEnv['DATABASE_URL'];
  try {
    const { stdout, stderr } = await promisify(execFile)(SCRIPT, [], {
      env: childEnv,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe.skipIf(skipReason !== undefined)('the backup and restore drill', () => {
  let scratch: ScratchDatabase;

  beforeAll(async () => {
    scratch = await scratchDemoDatabase('attache_backup');
  }, 120_000);
  afterAll(async () => scratch?.drop());

  it('restores the demo into an identical database whose audit chain verifies', async () => {
    const run = await drill({ DATABASE_URL: scratch.url });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/same rows in \d+ tables/);
    expect(run.stdout).toMatch(/restores to an identical database whose audit chain verifies/);
    // The copy is gone; only the scratch database and its dump remain.
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_database where datname like 'attache_restore_%'`,
      );
      expect(rows[0]!.n).toBe(0);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('fails when the audit log was altered behind the application', async () => {
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      await client.query('alter table audit_log disable trigger audit_log_no_update');
      await client.query(
        `update audit_log set actor = 'user:someone-else' where seq = (select max(seq) from audit_log)`,
      );
      await client.query('alter table audit_log enable trigger audit_log_no_update');
    } finally {
      await client.end();
    }
    const run = await drill({ DATABASE_URL: scratch.url });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the audit chain of the copy does not verify/);
  }, 120_000);

  it('says how to use it without a database', async () => {
    const run = await drill({ DATABASE_URL: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('backup-restore-drill: set DATABASE_URL to the database to back up\n');
  });
});
