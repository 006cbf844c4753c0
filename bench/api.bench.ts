// `npm run bench -- api`: requests/s of GET /api/v1/eligibility against a bare Fastify JSON route,
// measured in the same run with autocannon; each server runs in its own process.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 16;
const ROUNDS = 2;

/** Starts bench/api-server.ts in its own process; resolves with its base URL. */
export async function startServer(
  mode: 'bare' | 'eligibility' | 'postgres',
  ...args: string[]
): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/api-server.ts', mode, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  const lines = createInterface({ input: child.stdout });
  const base = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return { child, base };
}

interface Run {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

async function load(urls: readonly string[]): Promise<Run> {
  const result = await autocannon({
    url: urls[0]!,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: urls.map((u) => ({
      method: 'GET' as const,
      path: new URL(u).pathname + new URL(u).search,
    })),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(): Promise<void> {
  const bare = await startServer('bare');
  const elig = await startServer('eligibility');
  try {
    const questions = [
      'country=PAK&program=IMET&on=2019-06-01',
      'country=PAK&program=IMET&on=2020-01-04',
      'country=PAK&program=FMF&on=2020-02-01',
      'country=THA&program=IMET&on=2015-03-01',
      'country=AUT&program=IMET&on=2020-01-01',
      'country=COD&program=IMET&on=2016-03-01&course=P176019',
      'country=PAK&program=IMET&on=2019-06-01&knownOn=2026-01-01T00:00:00Z',
    ].map((q) => `${elig.base}/api/v1/eligibility?${q}`);
    // Warm both up (JIT, the eligibility index).
    await autocannon({ url: `${bare.base}/bare`, connections: 4, duration: 2 });
    await autocannon({ url: questions[0]!, connections: 4, duration: 2 });
    const bareRuns: Run[] = [];
    const eligRuns: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareRuns.push(await load([`${bare.base}/bare`]));
      eligRuns.push(await load(questions));
    }
    const bareRps = median(bareRuns.map((r) => r.rps));
    const eligRps = median(eligRuns.map((r) => r.rps));
    const ratio = eligRps / bareRps;
    const errors =
      eligRuns.reduce((n, r) => n + r.errors, 0) + bareRuns.reduce((n, r) => n + r.errors, 0);
    console.log(
      `connections ${CONNECTIONS}, ${ROUNDS} rounds of ${DURATION_S} s each, servers in their own processes`,
    );
    console.log(
      `bare Fastify JSON route     ${bareRps.toFixed(0).padStart(8)} req/s  p50 ${median(bareRuns.map((r) => r.p50))} ms  p99 ${median(bareRuns.map((r) => r.p99))} ms`,
    );
    console.log(
      `GET /api/v1/eligibility     ${eligRps.toFixed(0).padStart(8)} req/s  p50 ${median(eligRuns.map((r) => r.p50))} ms  p99 ${median(eligRuns.map((r) => r.p99))} ms`,
    );
    console.log(`ratio ${ratio.toFixed(3)} (target >= 0.5)  errors ${errors}`);
    console.log(
      JSON.stringify({
        bench: 'api',
        bare_rps: Math.round(bareRps),
        eligibility_rps: Math.round(eligRps),
        ratio: Number(ratio.toFixed(3)),
        target_ratio: 0.5,
        eligibility_p99_ms: median(eligRuns.map((r) => r.p99)),
        errors,
        met: ratio >= 0.5 && errors === 0,
      }),
    );
  } finally {
    bare.child.kill('SIGTERM');
    elig.child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
