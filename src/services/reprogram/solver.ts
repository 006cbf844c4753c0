// The solver adapter of the re-programming optimizer (issue 17): HiGHS compiled to WebAssembly (the
// `highs` package) in a worker thread of its own, so a solve never holds the server's event loop.
// It solves the mixed-integer program with a time limit and a relative gap target, then its LP
// relaxation for the rows' shadow prices; when the program is infeasible, it asks HiGHS for an
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

/** What the worker is sent: the program, plain. */
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
  readonly timeLimitSeconds: number;
  readonly gap: number;
  /** A feasible solution to start from (the greedy baseline's): the time limit never ends with none. */
  readonly start: readonly number[] | undefined;
}

// CommonJS, evaluated in the worker: it loads HiGHS from the path the parent resolved, so it runs
// alike under tsx, Vitest and the built server. Model status codes: 7 optimal, 8 infeasible,
// 13 time limit; primal solution status 2: feasible.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const job = workerData.job;
require(workerData.highsPath)().then((highs) => {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const program = (integer) => ({
    numCols: job.numCols,
    numRows: job.numRows,
    sense: highs.constants.objectiveSense.maximize,
    colCost: job.colCost,
    colLower: job.colLower,
    colUpper: job.colUpper,
    rowLower: job.rowUpper.map(() => -Infinity),
    rowUpper: job.rowUpper,
    matrix: { format: 'csr', numRows: job.numRows, numCols: job.numCols, starts: job.starts, indices: job.indices, values: job.values },
    ...(integer ? { integrality: job.integer.map((i) => (i ? 1 : 0)) } : {}),
  });
  const status = highs.constants.modelStatus;
  const mip = highs.createModel(program(true));
  let outcome;
  try {
    mip.options.set({ output_flag: false, time_limit: job.timeLimitSeconds, mip_rel_gap: job.gap, iis_strategy: 4 });
    if (job.start !== undefined) mip.setSolution({ colValue: job.start });
    mip.run();
    const stopped = mip.getModelStatus();
    if (stopped === status.infeasible) {
      let rows = [], columns = [];
      try {
        const iis = mip.getIis();
        rows = [...iis.rowIndex];
        columns = [...iis.colIndex];
      } catch {
        // No subsystem found: every bound the program manager set is in question.
        columns = job.colLower.flatMap((lower, i) => (lower > 0 ? [i] : []));
      }
      outcome = { status: 'infeasible', conflictRows: rows, conflictColumns: columns, seconds: seconds() };
    } else if (mip.info.get('primal_solution_status') !== 2) {
      outcome = { status: 'no-solution', seconds: seconds() };
    } else if (stopped !== status.optimal && stopped !== status.timeLimit) {
      throw new Error('HiGHS stopped with model status ' + stopped);
    } else {
      const gap = mip.info.get('mip_gap');
      outcome = {
        status: stopped === status.optimal ? 'optimal' : 'time-limit',
        values: [...mip.getSolution().colValue],
        objective: mip.getObjectiveValue(),
        // No bound yet (stopped early): the LP relaxation's gives it below.
        gap: Number.isFinite(gap) ? Math.max(0, gap) : undefined,
      };
    }
  } finally {
    mip.dispose();
  }
  if (outcome.values !== undefined) {
    const lp = highs.createModel(program(false));
    try {
      // Its own budget: an LP of this size takes a fraction of a second, and its bound is the gap's
      // when the search stopped before proving one.
      lp.options.set({ output_flag: false, time_limit: Math.max(job.timeLimitSeconds, 5) });
      lp.run();
      const relaxed = lp.getModelStatus() === status.optimal;
      outcome.relaxationDuals = relaxed ? [...lp.getSolution().rowDual] : job.rowUpper.map(() => 0);
      if (outcome.gap === undefined)
        outcome.gap = relaxed
          ? Math.max(0, lp.getObjectiveValue() - outcome.objective) / Math.max(1, Math.abs(outcome.objective))
          : 1;
    } finally {
      lp.dispose();
    }
    outcome.seconds = seconds();
  }
  parentPort.postMessage({ ok: true, outcome });
}).catch((error) => parentPort.postMessage({ ok: false, message: String((error && error.message) || error) }));
`;

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
    timeLimitSeconds: options.timeLimitSeconds,
    gap: options.gap,
    start,
  };
  const worker = new Worker(WORKER, { eval: true, workerData: { job, highsPath } });
  try {
    return await new Promise<SolverOutcome>((resolve, reject) => {
      const overrun = setTimeout(
        () => reject(new Error(`HiGHS ran past its ${options.timeLimitSeconds} s limit`)),
        (options.timeLimitSeconds + 10) * 1000,
      );
      worker.once(
        'message',
        (answer: { ok: true; outcome: SolverOutcome } | { ok: false; message: string }) => {
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
  } finally {
    await worker.terminate();
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
