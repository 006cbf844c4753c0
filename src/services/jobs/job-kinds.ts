// The kinds of job this server knows: the built-in ones, and any registered later (tests).
import { auditVerifyJob } from '../audit/audit-verify.job.js';
import { recordRestrictionJob } from '../eligibility/restriction.job.js';
import { IMPORT_JOBS } from '../imports/import-jobs.js';
import type { JobHandler } from './job-handler.js';

/** Every kind of job the application ships; a report or an import adds its handler here. */
const BUILT_IN: readonly JobHandler[] = [auditVerifyJob, ...IMPORT_JOBS, recordRestrictionJob];

const registry = new Map<string, JobHandler>(BUILT_IN.map((h) => [h.kind, h]));

/**
 * Makes a kind of job known to submitJob and to the runner. Every process that runs jobs must know
 * the same kinds (a job queued by one server may run on another); registering a kind again
 * replaces it.
 */
export function registerJobHandler<I>(handler: JobHandler<I>): void {
  registry.set(handler.kind, handler);
}

export function findJobHandler(kind: string): JobHandler | undefined {
  return registry.get(kind);
}

export function jobKinds(): string[] {
  return [...registry.keys()].sort();
}
