// Test-only kinds of job (a job held at a gate, one that fails, one that counts its runs, one that
// runs again after its server dies) and a
// wait for a job to reach a state: what the job tests exercise the runner with.
import type { Actor } from '../../src/core/actor.js';
import { err, invalid, ok, type Result } from '../../src/core/result.js';
import type { AppContext } from '../../src/services/context.js';
import { registerJobHandler } from '../../src/services/jobs/job-kinds.js';
import { getJob, type JobView } from '../../src/services/jobs/job.service.js';
import { rowsRefused } from '../../src/core/imports/import-report.js';

const gates = new Map<string, { opened: Promise<void>; release: () => void }>();
let gateCount = 0;

/** A gate a `test.gated` job waits at until released (a job at an unknown gate waits forever). */
export function gate(): { name: string; release: () => void } {
  const name = `gate-${++gateCount}`;
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  gates.set(name, { opened, release });
  return { name, release };
}

/** How many times each `test.count` job (by its tag) ran, in this process. */
export const runs = new Map<string, number>();

function objectInput(input: unknown): Result<Record<string, unknown>> {
  return typeof input === 'object' && input !== null && !Array.isArray(input)
    ? ok(input as Record<string, unknown>)
    : err(invalid('body', 'an object'));
}

/** Registers the test kinds in this process (every process running them must). */
export function registerTestJobs(): void {
  registerJobHandler<{ gate: string }>({
    kind: 'test.gated',
    capability: null,
    parseInput: (input) => {
      const read = objectInput(input);
      if (!read.ok) return read;
      return typeof read.value['gate'] === 'string'
        ? ok({ gate: read.value['gate'] })
        : err(invalid('gate', 'a gate name'));
    },
    async run(_ctx, _actor, input, progress) {
      for (let i = 1; i <= 3; i++) progress(i, 10, 'waiting at the gate');
      await (gates.get(input.gate)?.opened ?? new Promise(() => undefined));
      progress(10, 10, 'done');
      return ok({
        fileName: 'gated.csv',
        contentType: 'text/csv',
        bytes: Buffer.from('a,b\r\n1,2\r\n'),
        summary: { lines: 2 },
      });
    },
  });
  registerJobHandler<{ how: 'refuses' | 'throws' }>({
    kind: 'test.fails',
    capability: null,
    parseInput: (input) => {
      const read = objectInput(input);
      if (!read.ok) return read;
      const how = read.value['how'];
      return how === 'refuses' || how === 'throws'
        ? ok({ how })
        : err(invalid('how', 'refuses or throws'));
    },
    run(_ctx, _actor, input) {
      if (input.how === 'throws') return Promise.reject(new Error('a bug with a secret detail'));
      return Promise.resolve(
        err(rowsRefused('file.csv', [{ row: 7, column: 'date', message: 'not a date' }])),
      );
    },
  });
  registerJobHandler<{ tag: string; gate: string | null }>({
    kind: 'test.count',
    capability: 'audit.read',
    parseInput: (input) => {
      const read = objectInput(input);
      if (!read.ok) return read;
      const { tag, gate: at } = read.value;
      return typeof tag === 'string'
        ? ok({ tag, gate: typeof at === 'string' ? at : null })
        : err(invalid('tag', 'a tag'));
    },
    async run(_ctx, actor, input, progress) {
      runs.set(input.tag, (runs.get(input.tag) ?? 0) + 1);
      progress(1, 2, `counted by ${actor.id}`);
      if (input.gate !== null) await gates.get(input.gate)?.opened;
      progress(2, 2, 'done');
      return ok({ summary: { tag: input.tag } });
    },
  });
  // A job that only reads, so runs again after its server dies: in a job server's child process
  // (JOB_SERVER_CHILD=1) it never ends; here it waits at its gate, if it names one, then ends.
  registerJobHandler<{ gate: string | null }>({
    kind: 'test.rerun',
    capability: null,
    rerunnable: true,
    parseInput: (input) => {
      const read = objectInput(input);
      if (!read.ok) return read;
      const at = read.value['gate'];
      return ok({ gate: typeof at === 'string' ? at : null });
    },
    async run(_ctx, _actor, input, progress) {
      for (let i = 1; i <= 3; i++) progress(i, 10, 'reading');
      if (process.env['JOB_SERVER_CHILD'] === '1') await new Promise(() => undefined);
      if (input.gate !== null)
        await (gates.get(input.gate)?.opened ?? new Promise(() => undefined));
      progress(10, 10, 'done');
      return ok({ summary: { ranIn: process.pid } });
    },
  });
}

/** Reads the job until `until` holds (every 25 ms, at most `ms`); returns it then. */
export async function waitForJob(
  ctx: AppContext,
  actor: Actor,
  id: string,
  until: (job: JobView) => boolean,
  ms = 20_000,
): Promise<JobView> {
  const deadline = Date.now() + ms;
  for (;;) {
    const job = await getJob(ctx, actor, id);
    if (!job.ok) throw new Error(job.error.message);
    if (until(job.value)) return job.value;
    if (Date.now() > deadline)
      throw new Error(`job ${id} did not get there in ${ms} ms: ${JSON.stringify(job.value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
