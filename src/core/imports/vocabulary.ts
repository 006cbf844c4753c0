// The words of imports, exports and jobs: budget stages, what can be imported, a job's states.

/**
 * The stage of a budget figure: what the executive asked for (`request`), what a later table
 * estimates for a year under way (`estimate`), or what was appropriated (`enacted`). Only an
 * enacted figure is an allocation in force.
 */
export const BUDGET_STAGES = ['request', 'estimate', 'enacted'] as const;
export type BudgetStage = (typeof BUDGET_STAGES)[number];

/**
 * What a file can bring in: State budget tables, a restriction history, or one of the program's
 * own entities.
 */
export const IMPORT_KINDS = [
  'budget',
  'history',
  'courses',
  'students',
  'allocations',
  'lines',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** A job's life: waiting in the queue, running, then succeeded or failed (never both). */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
