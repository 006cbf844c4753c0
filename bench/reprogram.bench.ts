// `npm run bench -- reprogram`: the re-programming optimizer (issue 17) on seeded instances at the
// real rules, 200 countries × 50 candidate lines each (test/support/reprogram-instances.ts), for
// each pool: the program built, HiGHS (WebAssembly, in a worker thread, started from the greedy
// baseline) given 5 s and a 0.1% gap. Per instance: the time to build, the solve's wall time, its
// status and gap (target: ≤ 0.1% within ≤ 5 s), its value against the greedy baseline's in the same
// run, and the process's peak memory.
//
//   npm run bench -- reprogram [--countries 200] [--lines 50] [--seeds 3] [--time-limit 5]
import { buildModel, type Pool } from '../src/core/reprogram/model.js';
import { checkPlan } from '../src/core/reprogram/proposal.js';
import { propose } from '../src/services/reprogram/solver.js';
import { reprogramInstance } from '../test/support/reprogram-instances.js';

const TARGET_GAP = 0.001;
const TARGET_SECONDS = 5;

function option(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const value = i < 0 ? fallback : Number(args[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: a positive number`);
  return value;
}

export async function run(args: readonly string[]): Promise<void> {
  const countries = option(args, '--countries', 200);
  const linesEach = option(args, '--lines', 50);
  const seeds = option(args, '--seeds', 3);
  const timeLimit = option(args, '--time-limit', TARGET_SECONDS);
  console.log(
    `re-programming: ${countries} countries × ${linesEach} candidate lines, HiGHS with ${timeLimit} s and a ${TARGET_GAP * 100}% gap, from the greedy baseline`,
  );
  const rows = [];
  for (const pool of ['released', 'end-of-year'] as Pool[])
    for (let seed = 1; seed <= seeds; seed++) {
      const input = reprogramInstance(seed, { countries, linesEach, pool });
      let t = performance.now();
      const model = buildModel(input);
      const buildMs = performance.now() - t;
      t = performance.now();
      const result = await propose(input, { timeLimitSeconds: timeLimit, gap: TARGET_GAP });
      const wallS = (performance.now() - t) / 1000;
      if (!result.ok) throw new Error(`seed ${seed}: ${JSON.stringify(result)}`);
      const p = result.proposal;
      const wrong = checkPlan(input, p);
      if (wrong.length > 0)
        throw new Error(`seed ${seed}: the proposal breaks ${wrong.join('; ')}`);
      const met = p.gap <= TARGET_GAP && wallS <= TARGET_SECONDS;
      const row = {
        pool,
        seed,
        columns: model.columns.length,
        rows: model.rows.length,
        build_ms: Math.round(buildMs),
        solve_s: Number(wallS.toFixed(2)),
        status: p.status,
        gap: Number(p.gap.toFixed(5)),
        value: p.value,
        greedy: p.greedy.value,
        ratio: Number((p.value / Math.max(1, p.greedy.value)).toFixed(4)),
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
        met,
      };
      rows.push(row);
      console.log(
        `${met ? 'met   ' : 'MISSED'} ${pool.padEnd(11)} seed ${seed}: ${row.columns} columns, ${row.rows} rows, built in ${row.build_ms} ms; ` +
          `${row.status} in ${row.solve_s} s, gap ${(row.gap * 100).toFixed(3)}%; value ${row.value} against greedy ${row.greedy} (${row.ratio}×); peak RSS ${row.peak_rss_mb} MB`,
      );
    }
  const met = rows.filter((r) => r.met).length;
  console.log(
    `${met} of ${rows.length} instances solved to a gap ≤ ${TARGET_GAP * 100}% within ${TARGET_SECONDS} s`,
  );
  console.log(
    JSON.stringify({ bench: 'reprogram', countries, linesEach, rows, met: met === rows.length }),
  );
}
