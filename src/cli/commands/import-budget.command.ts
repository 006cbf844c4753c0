// `attache import budget FILE…`: State Department country-by-account budget tables, every account.
import type { Command } from 'commander';
import type { AccountReconciliation } from '../../core/budget/budget-checks.js';
import type { ImportCounts } from '../../core/imports/import-report.js';
import { BUDGET_STAGES } from '../../core/imports/vocabulary.js';
import {
  importBudget,
  type BudgetFileResult,
  type BudgetImportResult,
} from '../../services/imports/budget-import.service.js';
import { readImportFile, type ImportFile } from '../../services/imports/import-file.js';
import { cliActor, cliPath, withApp } from '../context.js';
import { CliFailure, EXIT, failureOf, printJson, type Output } from '../output.js';
import { progressOn } from '../progress.js';

const thousands = (n: number) => n.toLocaleString('en-US');

function counts(c: ImportCounts): string {
  return `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;
}

function accountLine(r: AccountReconciliation): string {
  const regions =
    r.regions === 0
      ? 'no regions'
      : `regions ${r.regionsOk === r.regions ? 'ok' : 'MISMATCH'} (${r.regionsOk}/${r.regions})`;
  const total = r.totalOk === null ? 'no TOTAL' : `total ${r.totalOk ? 'ok' : 'MISMATCH'}`;
  const failed = r.failed
    .filter((c) => c.check !== 'total' && !c.check.startsWith('region:'))
    .map((c) => `${c.check} MISMATCH`);
  const mismatches = r.failed.map(
    (c) => `${c.check}: table ${thousands(c.expected)}, lines ${thousands(c.actual)}`,
  );
  const discrepancies = r.discrepancies.map(
    (d) =>
      `source discrepancy: '${d.line}' states ${thousands(d.stated)}, its ${d.partLines} lines add up to ${thousands(d.parts)} (TOTAL adds the stated figure)`,
  );
  return [
    `${r.account}: ${[regions, total, ...failed].join(', ')}`,
    ...mismatches,
    ...discrepancies,
  ]
    .map((text, i) => (i === 0 ? `    ${text}` : `      ${text}`))
    .join('\n');
}

function fileLines(f: BudgetFileResult): string[] {
  const run = f.importRunId === null ? 'nothing written' : `import run ${f.importRunId}`;
  const matching = f.reconciliation.filter((r) => r.failed.length === 0).length;
  return [
    `${f.file}  FY${f.fiscalYear}  stage ${f.stage}  sha256 ${f.sha256.slice(0, 12)}…  (${run})`,
    `  figures: ${counts(f.figures)}`,
    `  allocations in force: ${f.stage === 'enacted' ? counts(f.allocations) : `none (${f.stage === 'unstated' ? 'an unstated' : `a ${f.stage}`} table is no allocation in force)`}`,
    `  reconciliation: ${matching} of ${f.reconciliation.length} accounts match`,
    ...f.reconciliation.map(accountLine),
    ...(f.notes.length === 0 ? [] : ['  notes:', ...f.notes.map((n) => `    - ${n}`)]),
  ];
}

/** The summary as printed: file by file, every account's reconciliation, then the verdict. */
export function describeBudgetImport(result: BudgetImportResult): string[] {
  const failing = result.files.filter((f) => !f.reconciled).map((f) => f.file);
  return [
    ...result.files.flatMap(fileLines),
    result.reconciled
      ? `every account of every FY reconciles (${result.files.length} files)`
      : `DOES NOT RECONCILE: ${failing.join(', ')} (see MISMATCH above)`,
    ...(result.dryRun ? ['dry run: nothing was written'] : []),
  ];
}

async function readFiles(paths: readonly string[]): Promise<ImportFile[]> {
  const files: ImportFile[] = [];
  for (const path of paths) {
    try {
      files.push(await readImportFile(cliPath(path)));
    } catch (cause) {
      const why = cause instanceof Error && 'code' in cause ? String(cause.code) : String(cause);
      throw new CliFailure(`${path}: cannot read the file (${why})`, EXIT.badInput);
    }
  }
  return files;
}

export function registerBudgetImportCommands(importCommand: Command, output: Output): void {
  importCommand
    .command('budget')
    .description(
      'import State Department country-by-account budget tables (CSV, thousands of dollars): every figure of every account, reconciled; an enacted table also sets allocations',
    )
    .argument(
      '<files...>',
      'budget table files, e.g. fy2017.csv (the FY comes from its Fiscal Year column, else its name)',
    )
    .option(
      '--stage <stage>',
      `the tables' budget stage: ${BUDGET_STAGES.join(', ')} (absent: unstated; only enacted becomes allocations in force)`,
    )
    .option('--dry-run', 'do everything, print the summary, write nothing')
    .option('--json', 'print the summary object')
    .action(async (paths: string[], o: { stage?: string; dryRun?: boolean; json?: boolean }) => {
      const files = await readFiles(paths);
      const progress = progressOn('import budget');
      const result = await withApp((ctx) =>
        importBudget(
          ctx,
          cliActor(),
          { files, stage: o.stage, dryRun: o.dryRun === true },
          progress.update,
        ),
      ).finally(() => progress.stop());
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      for (const line of describeBudgetImport(result.value)) output.out(line);
    });
}
