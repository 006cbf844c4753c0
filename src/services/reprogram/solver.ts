// The solver adapter of the re-programming optimizer (issue 17): HiGHS compiled to WebAssembly (the
// `highs` package) in worker threads, so a solve never holds the server's event loop. One worker
// solves the mixed-integer program with a time limit and a relative gap target while a second
// solves its LP relaxation for the rows' shadow prices (on two cores, 0.3 to 0.5 s sooner at 200
// countries × 50 lines than one after the other); when the program is infeasible, HiGHS names an
// irreducible infeasible subsystem: the rows and bounds that conflict.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  buildModel,
  type ReprogramInput,
  type ReprogramModel,
} from '../../core/reprogram/model.js';
import {
  checkPlan,
  columnValues,
  greedyPlan,
  proposalOf,
  type ProposalResult,
  type SolverOutcome,
} from '../../core/reprogram/proposal.js';

export interface SolveOptions {
  /** HiGHS stops here with the best solution found (status `time-limit`). */
  readonly timeLimitSeconds: number;
  /** Relative gap at which a solution counts as optimal (0.001 = 0.1%). */
  readonly gap: number;
}

export const DEFAULT_SOLVE: SolveOptions = { timeLimitSeconds: 10, gap: 0.001 };

/** What both workers are sent: the program, plain (each its own part and time limit beside it). */
interface SolveJob {
  readonly numCols: number;
  readonly numRows: number;
  readonly colCost: readonly number[];
  readonly colLower: readonly number[];
  readonly colUpper: readonly number[];
  readonly integer: readonly boolean[];
  readonly rowUpper: readonly number[];
  readonly starts: readonly number[];
  readonly indices: readonly number[];
  readonly values: readonly number[];
  readonly gap: number;
  /** A feasible solution to start from (the greedy baseline's): the time limit never ends with none. */
  readonly start: readonly number[] | undefined;
}

// CommonJS, evaluated in a worker: it loads HiGHS from the path the parent resolved, so it runs
// alike under tsx, Vitest and the built server. `part` 'mip' solves the integer program (or finds
// it infeasible), 'lp' its relaxation for the duals; the two run at once, each in its worker.
// Model status codes: 7 optimal, 8 infeasible, 13 time limit; primal solution status 2: feasible.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { job, part, timeLimitSeconds } = workerData;
require(workerData.highsPath)().then((highs) => {
  const status = highs.constants.modelStatus;
  const model = highs.createModel({
    numCols: job.numCols,
    numRows: job.numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: job.colCost,
    colLower: job.colLower,
    colUpper: job.colUpper,
    rowLower: job.rowUpper.map(() => -Infinity),
    rowUpper: job.rowUpper,
    matrix: { format: 'csr', numRows: job.numRows, numCols: job.numCols, starts: job.starts, indices: job.indices, values: job.values },
    ...(part === 'mip' ? { integrality: job.integer.map((i) => (i ? 1 : 0)) } : {}),
  });
  let outcome;
  try {
    if (part === 'lp') {
      model.options.set({ output_flag: false, time_limit: timeLimitSeconds });
      model.run();
      outcome = model.getModelStatus() === status.optimal
        ? { duals: [...model.getSolution().rowDual], objective: model.getObjectiveValue() }
        : { duals: undefined };
    } else {
      model.options.set({ output_flag: false, time_limit: timeLimitSeconds, mip_rel_gap: job.gap, iis_strategy: 4 });
      if (job.start !== undefined) model.setSolution({ colValue: job.start });
      model.run();
      const stopped = model.getModelStatus();
      if (stopped === status.infeasible) {
        let rows = [], columns = [];
        try {
          const iis = model.getIis();
          rows = [...iis.rowIndex];
          columns = [...iis.colIndex];
        } catch {
          // No subsystem found: every bound the program manager set is in question.
          columns = job.colLower.flatMap((lower, i) => (lower > 0 ? [i] : []));
        }
        outcome = { status: 'infeasible', conflictRows: rows, conflictColumns: columns };
      } else if (model.info.get('primal_solution_status') !== 2) {
        outcome = { status: 'no-solution' };
      } else if (stopped !== status.optimal && stopped !== status.timeLimit) {
        throw new Error('HiGHS stopped with model status ' + stopped);
      } else {
        const gap = model.info.get('mip_gap');
        outcome = {
          status: stopped === status.optimal ? 'optimal' : 'time-limit',
          values: [...model.getSolution().colValue],
          objective: model.getObjectiveValue(),
          // No bound yet (stopped early): the LP relaxation's gives it.
          gap: Number.isFinite(gap) ? Math.max(0, gap) : undefined,
        };
      }
    }
  } finally {
    model.dispose();
  }
  parentPort.postMessage({ ok: true, outcome });
}).catch((error) => parentPort.postMessage({ ok: false, message: String((error && error.message) || error) }));
`;

/** What the 'mip' part answers (the gap undefined when HiGHS proved no bound). */
type MipPart =
  | {
      status: 'optimal' | 'time-limit';
      values: number[];
      objective: number;
      gap?: number;
    }
  | { status: 'infeasible'; conflictRows: number[]; conflictColumns: number[] }
  | { status: 'no-solution' };
/** What the 'lp' part answers: no duals when the relaxation was not solved. */
type LpPart = { duals?: number[]; objective?: number };

const highsPath = createRequire(import.meta.url).resolve('highs');

/**
 * Solves `model` in a worker thread, from `start` when given (column values of a feasible
 * solution); rejects when HiGHS fails or overruns its limit by 10 s.
 */
export async function solveModel(
  model: ReprogramModel,
  options: SolveOptions = DEFAULT_SOLVE,
  start?: readonly number[],
): Promise<SolverOutcome> {
  if (model.columns.length === 0)
    return {
      status: 'optimal',
      values: [],
      objective: 0,
      gap: 0,
      relaxationDuals: model.rows.map(() => 0),
      seconds: 0,
    };
  const job: SolveJob = {
    numCols: model.columns.length,
    numRows: model.rows.length,
    colCost: model.colCost,
    colLower: model.colLower,
    colUpper: model.colUpper,
    integer: model.integer,
    rowUpper: model.rows.map((r) => r.upper),
    starts: model.starts,
    indices: model.indices,
    values: model.values,
    gap: options.gap,
    start,
  };
  const started = performance.now();
  const workers: Worker[] = [];
  // The relaxation has a budget of its own: an LP of this size takes a fraction of a second.
  const run = <T>(part: 'mip' | 'lp', timeLimitSeconds: number) =>
    new Promise<T>((resolve, reject) => {
      const workerData = { job, part, timeLimitSeconds, highsPath };
      const worker = new Worker(WORKER, { eval: true, workerData });
      workers.push(worker);
      const overrun = setTimeout(
        () => reject(new Error(`HiGHS ran past its ${timeLimitSeconds} s limit`)),
        (timeLimitSeconds + 10) * 1000,
      );
      worker.once(
        'message',
        (answer: { ok: true; outcome: T } | { ok: false; message: string }) => {
          clearTimeout(overrun);
          if (answer.ok) resolve(answer.outcome);
          else reject(new Error(`HiGHS failed: ${answer.message}`));
        },
      );
      worker.once('error', (error) => {
        clearTimeout(overrun);
        reject(error);
      });
      worker.once('exit', (code) => {
        clearTimeout(overrun);
        reject(new Error(`the solver's worker stopped (exit ${code})`));
      });
    });
  try {
    // The relaxation's duals do not depend on the integer solution: both solve at once.
    const relaxation = run<LpPart>('lp', Math.max(options.timeLimitSeconds, 5));
    // Awaited only when the integer program has a solution: its failure is not unhandled before.
    relaxation.catch(() => undefined);
    const mip = await run<MipPart>('mip', options.timeLimitSeconds);
    const seconds = () => (performance.now() - started) / 1000;
    if (mip.status === 'infeasible' || mip.status === 'no-solution')
      return { ...mip, seconds: seconds() };
    const lp = await relaxation;
    const gap =
      mip.gap ??
      (lp.objective === undefined
        ? 1
        : Math.max(0, lp.objective - mip.objective) / Math.max(1, Math.abs(mip.objective)));
    return {
      status: mip.status,
      values: mip.values,
      objective: mip.objective,
      gap,
      relaxationDuals: lp.duals ?? model.rows.map(() => 0),
      seconds: seconds(),
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * The proposal for `input`: the program built, the greedy baseline found, then HiGHS started from
 * it (when it keeps every rule, as it does unless seats are required).
 */
export async function propose(
  input: ReprogramInput,
  options: SolveOptions = DEFAULT_SOLVE,
): Promise<ProposalResult> {
  const model = buildModel(input);
  const greedy = greedyPlan(input, model);
  const start = checkPlan(input, greedy).length === 0 ? columnValues(model, greedy) : undefined;
  return proposalOf(input, model, await solveModel(model, options, start), greedy);
}
