// Imports as jobs (`import.budget`, `import.courses`, …): the files of POST /imports, sent as
// base64, imported in the background by the same services as `attache import`, their progress
// and their summary (or every refused row) kept in the job.
import type { Capability } from '../../core/access.js';
import { IMPORT_KINDS, type ImportKind } from '../../core/imports/vocabulary.js';
import { err, invalid, ok, type Result } from '../../core/result.js';
import type { Actor } from '../../core/actor.js';
import type { ProgressListener } from '../../core/imports/import-report.js';
import type { AppContext } from '../context.js';
import type { JobHandler, JobOutput } from '../jobs/job-handler.js';
import { importBudget } from './budget-import.service.js';
import { importEntities } from './entity-import.service.js';
import { importHistory } from './history-import.service.js';
import { importFile, type ImportFile } from './import-file.js';

/** At most this many files in one import (the ten budget tables fit many times over). */
export const MAX_IMPORT_FILES = 50;
/** At most this many bytes of files in one import, decoded. */
export const MAX_IMPORT_BYTES = 24 * 1024 * 1024;

/** Who may import each kind: the capability of the records it writes. */
export const IMPORT_CAPABILITY: Readonly<Record<ImportKind, Capability>> = {
  budget: 'allocations.write',
  history: 'restrictions.write',
  courses: 'catalog.write',
  students: 'students.write',
  allocations: 'allocations.write',
  lines: 'training.write',
};

export interface ImportJobInput {
  readonly files: readonly ImportFile[];
  readonly stage: string | null;
  readonly dryRun: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Reads `{ files: [{ name, content }], stage?, dryRun? }`, content in base64. */
export function parseImportInput(kind: ImportKind, input: unknown): Result<ImportJobInput> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return err(invalid('body', 'an object: { files: [{ name, content }], stage?, dryRun? }'));
  const { files, stage, dryRun, ...other } = input as Record<string, unknown>;
  const unknown = Object.keys(other)[0];
  if (unknown !== undefined) return err(invalid(unknown, 'not a field of an import'));
  if (!Array.isArray(files) || files.length === 0)
    return err(invalid('files', 'at least one file: { name, content (base64) }'));
  if (files.length > MAX_IMPORT_FILES)
    return err(invalid('files', `at most ${MAX_IMPORT_FILES} files in one import`));
  if (kind !== 'budget' && files.length > 1)
    return err(invalid('files', `one file of ${kind} at a time`));
  if (stage !== undefined && stage !== null && (kind !== 'budget' || typeof stage !== 'string'))
    return err(invalid('stage', 'a budget stage, for budget tables only'));
  if (dryRun !== undefined && typeof dryRun !== 'boolean')
    return err(invalid('dryRun', 'true or false'));
  const read: ImportFile[] = [];
  let total = 0;
  for (const [i, file] of files.entries()) {
    const { name, content, ...extra } = (file ?? {}) as Record<string, unknown>;
    const field = `files.${i}`;
    const stray = Object.keys(extra)[0];
    if (stray !== undefined) return err(invalid(`${field}.${stray}`, 'not a field of a file'));
    if (typeof name !== 'string' || name.trim() === '' || name.length > 255)
      return err(invalid(`${field}.name`, "the file's name, 1 to 255 characters"));
    if (typeof content !== 'string' || !BASE64.test(content) || content.length % 4 !== 0)
      return err(invalid(`${field}.content`, "the file's bytes in base64"));
    const bytes = Buffer.from(content, 'base64');
    total += bytes.length;
    if (total > MAX_IMPORT_BYTES)
      return err(invalid(`${field}.content`, `at most ${MAX_IMPORT_BYTES} bytes of files in all`));
    read.push(importFile(name, new Uint8Array(bytes)));
  }
  return ok({
    files: read,
    stage: typeof stage === 'string' ? stage : null,
    dryRun: dryRun === true,
  });
}

function importJob(kind: ImportKind): JobHandler<ImportJobInput> {
  return {
    kind: `import.${kind}`,
    capability: IMPORT_CAPABILITY[kind],
    parseInput: (input) => parseImportInput(kind, input),
    // The job shows what was imported, never the files' contents.
    describeInput: (input) => ({
      files: input.files.map((f) => ({ name: f.name, bytes: f.bytes.length, sha256: f.sha256 })),
      stage: input.stage,
      dryRun: input.dryRun,
    }),
    // Run again from the start after its server died: its one write is recorded with the job, so
    // a run after that write committed ends with the write's answer (src/services/jobs/job-execution.ts).
    rerunnable: true,
    run: (ctx, actor, input, progress, job) => runImport(ctx, actor, kind, input, progress, job.id),
  };
}

async function runImport(
  ctx: AppContext,
  actor: Actor,
  kind: ImportKind,
  input: ImportJobInput,
  progress: ProgressListener,
  job: string,
): Promise<Result<JobOutput>> {
  const dryRun = input.dryRun;
  if (kind === 'budget') {
    const done = await importBudget(
      ctx,
      actor,
      { files: input.files, stage: input.stage, dryRun, job },
      progress,
    );
    return done.ok ? ok({ summary: done.value }) : done;
  }
  const [file] = input.files;
  if (file === undefined) return err(invalid('files', 'one file'));
  if (kind === 'history') {
    const done = await importHistory(ctx, actor, file, { dryRun, job }, progress);
    return done.ok ? ok({ summary: done.value }) : done;
  }
  const done = await importEntities(ctx, actor, kind, file, { dryRun, job }, progress);
  return done.ok ? ok({ summary: done.value }) : done;
}

/** One job kind per kind of import. */
export const IMPORT_JOBS: readonly JobHandler[] = IMPORT_KINDS.map(
  (kind) => importJob(kind) as unknown as JobHandler,
);
