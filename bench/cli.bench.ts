// `npm run bench -- cli`: wall time of `attache` commands as a user runs them (the built entry,
// bin/attache.js), median of 5, against the budgets; `npm run bench -- start`: `npm start`
// to a healthy server, on an empty data dir (demo load) and on an existing one. Each figure is
// also given as a ratio to a bare `node -e 0` measured in the same run, since the machine is noisy.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Seconds one run of `argv` takes, from spawn to exit; fails loudly on an unexpected exit code. */
function timeRun(argv: readonly string[], env: NodeJS.ProcessEnv, expectCode = 0): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, argv, { cwd: ROOT, env, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== expectCode)
    throw new Error(`${argv.join(' ')} exited ${run.status}: ${run.stderr || run.stdout}`);
  return seconds;
}

function medianOf(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  timeRun(argv, env); // warm the file cache
  return median(Array.from({ length: ROUNDS }, () => timeRun(argv, env)));
}

/** Starts `npm start` (bin/start.js) on `dataDir`; resolves once /api/v1/health answers 200. */
async function startServer(
  dataDir: string,
): Promise<{ seconds: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/start.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ATTACHE_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (performance.now() - started > 120_000) throw new Error('the server did not start in 120 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function row(label: string, seconds: number, budget: number, node: number): void {
  const verdict = seconds <= budget ? 'met' : 'MISSED';
  process.stdout.write(
    `${label.padEnd(44)} ${seconds.toFixed(3).padStart(7)} s   budget ${budget.toFixed(1).padStart(4)} s  ${verdict.padEnd(6)}  ${(seconds / node).toFixed(1).padStart(5)}× bare node\n`,
  );
}

/** The commands run the built code: build it, so the figures are of the code in the tree. */
function ensureBuilt(): void {
  const build = spawnSync('npm', ['run', '--silent', 'build:server'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('build failed');
}

async function benchCli(): Promise<void> {
  ensureBuilt();
  const root = mkdtempSync(join(tmpdir(), 'attache-bench-cli-'));
  const dataDir = join(root, 'data');
  const env: NodeJS.ProcessEnv = { ...process.env, ATTACHE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  try {
    process.stdout.write(`cli: loading the demo into ${dataDir}…\n`);
    timeRun(['bin/attache.js', 'demo', 'load'], env);
    const node = medianOf(['-e', '0'], env);
    process.stdout.write(
      `cli: median of ${ROUNDS} after a warm-up; bare \`node -e 0\` ${node.toFixed(3)} s\n`,
    );
    const read = ['bin/attache.js', 'eligibility', 'PAK', 'IMET', '--on', '2019-06-01'];
    row('attache --help', medianOf(['bin/attache.js', '--help'], env), 0.4, node);
    row('attache --version', medianOf(['bin/attache.js', '--version'], env), 0.4, node);
    row('read, embedded database, no server', medianOf(read, env), 1.5, node);
    const server = await startServer(dataDir);
    try {
      row('read through a running server', medianOf(read, env), 0.4, node);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchStart(): Promise<void> {
  ensureBuilt();
  const root = mkdtempSync(join(tmpdir(), 'attache-bench-start-'));
  const dataDir = join(root, 'data');
  try {
    const node = medianOf(['-e', '0'], process.env);
    const first = await startServer(dataDir);
    await first.stop();
    row('npm start, empty data dir (demo load)', first.seconds, 30, node);
    const again: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const server = await startServer(dataDir);
      again.push(server.seconds);
      await server.stop();
    }
    row(`npm start, existing data dir (median of ${ROUNDS})`, median(again), 3, node);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function run(args: readonly string[]): Promise<void> {
  if (args[0] === 'start') await benchStart();
  else await benchCli();
}
