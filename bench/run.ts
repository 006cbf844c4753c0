// Runs one named benchmark: `npm run bench -- <name> [args…]`.

/** What a benchmark module exports. */
export interface BenchModule {
  run(args: readonly string[]): Promise<void>;
}

/** Benchmarks by name; each loads lazily so one benchmark never pays for another's imports. */
const BENCHES: Record<string, () => Promise<BenchModule>> = {
  // The engine against Cedar, then (unless --engine-only) the freshness of two servers on PostgreSQL.
  eligibility: async () => {
    const engine = await import('./eligibility.bench.js');
    return {
      async run(args) {
        await engine.run(args);
        if (args.includes('--engine-only')) return;
        await (await import('./freshness.bench.js')).run(args);
      },
    };
  },
  freshness: () => import('./freshness.bench.js'),
  cascade: () => import('./cascade.bench.js'),
  cli: () => import('./cli.bench.js'),
  // The FMT report of a synthetic year in every format, and the budget import (issue 14).
  reports: () => import('./reports.bench.js'),
  // The ten State budget tables imported (issue 14; part of `reports`).
  'budget-import': () => import('./budget-import.bench.js'),
  // `npm start` to a healthy server: on an empty data dir, and on an existing one.
  start: async () => {
    const { run } = await import('./cli.bench.js');
    return { run: () => run(['start']) };
  },
  // Every read route of the API against a bare Fastify route, and health under batch load (issue 16).
  reads: () => import('./reads.bench.js'),
  // Builds the synthetic data set (issue 16) the other benchmarks read with --synthetic.
  synthetic: () => import('./synthetic.js'),
  // The re-programming optimizer on 200 countries × 50 candidate lines (issue 17).
  reprogram: () => import('./reprogram.bench.js'),
  // GET /eligibility alone, from the reads benchmark.
  api: async () => {
    const { run } = await import('./reads.bench.js');
    return { run: () => run(['--only', '/eligibility?', '--skip-batch']) };
  },
};

const [name, ...args] = process.argv.slice(2);
const load = name === undefined ? undefined : BENCHES[name];
if (load === undefined) {
  process.stderr.write(
    `${name === undefined ? 'name a benchmark' : `unknown benchmark: ${name}`}\n` +
      `usage: npm run bench -- <name>\nbenchmarks: ${Object.keys(BENCHES).join(', ')}\n`,
  );
  process.exit(2);
}
await (await load()).run(args);
