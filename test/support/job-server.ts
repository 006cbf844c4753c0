// A server process for the kill test: opens the (migrated) database named by JOB_SERVER_DATA_DIR (embedded)
// or JOB_SERVER_URL (PostgreSQL), runs jobs, submits one that never ends, prints its id once it
// runs with progress, and waits to be killed. JOB_SERVER_KIND names the kind (test.gated by default).
import { systemActor } from '../../src/core/actor.js';
import { openContext } from '../../src/services/context.js';
import { startJobRunner } from '../../src/services/jobs/job-runner.js';
import { getJob, submitJob } from '../../src/services/jobs/job.service.js';
import { registerTestJobs } from './jobs.js';

const dataDir = process.env['JOB_SERVER_DATA_DIR'];
const url = process.env['JOB_SERVER_URL'];
const ctx = await openContext(
  dataDir !== undefined ? { kind: 'pglite', dataDir } : { kind: 'postgres', url: url ?? '' },
);
registerTestJobs();
await startJobRunner(ctx, { pollSeconds: 0.5, progressEveryMs: 20 });
const actor = systemActor('job-server');
const kind = process.env['JOB_SERVER_KIND'] ?? 'test.gated';
const submitted = await submitJob(ctx, actor, kind, kind === 'test.gated' ? { gate: 'never' } : {});
if (!submitted.ok) throw new Error(submitted.error.message);
const id = submitted.value.id;
for (;;) {
  const job = await getJob(ctx, actor, id);
  if (job.ok && job.value.status === 'running' && job.value.progress.done === 3) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
process.stdout.write(`${JSON.stringify({ running: id })}\n`);
setInterval(() => undefined, 60_000);
