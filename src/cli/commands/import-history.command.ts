// `attache import history FILE`: a sourced restriction history (CSV, decision 017) as restrictions,
// reliefs and lifts, all or nothing, each version naming the file it came from.
import type { Command } from 'commander';
import {
  importHistory,
  type HistoryImportSummary,
} from '../../services/imports/history-import.service.js';
import { readImportFile } from '../../services/imports/import-file.js';
import { cliActor, cliPath, withApp } from '../context.js';
import { CliFailure, EXIT, failureOf, printJson, type Output } from '../output.js';
import { progressOn } from '../progress.js';

/** The summary as printed: the file, what it holds, what was written. */
export function describeHistoryImport(s: HistoryImportSummary): string[] {
  const kinds = Object.entries(s.byKind)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  return [
    `${s.file}  sha256 ${s.sha256.slice(0, 12)}…  ${s.rows} rows (${kinds})`,
    `  records: ${s.restrictions} restrictions (${s.inferred} child-soldiers listings inferred from a waiver), ${s.reliefs} reliefs, ${s.lifts} lifts; ${s.notes} rows are notes (no restriction)`,
    `  ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged`,
    s.runId === null
      ? s.dryRun
        ? '  nothing would change'
        : '  nothing changed: nothing was written'
      : `  import run ${s.runId}`,
    ...(s.dryRun ? ['dry run: nothing was written'] : []),
  ];
}

export function registerHistoryImportCommand(importCommand: Command, output: Output): void {
  importCommand
    .command('history')
    .description(
      'import a restriction history CSV (restrictions, reliefs, lifts with legal basis, sources and date precision); the shipped one is resources/history/restrictions.csv',
    )
    .argument('<file>', 'the history file, e.g. resources/history/restrictions.csv')
    .option('--dry-run', 'do everything, print the summary, write nothing')
    .option('--json', 'print the summary object')
    .action(async (path: string, o: { dryRun?: boolean; json?: boolean }) => {
      let file;
      try {
        file = await readImportFile(cliPath(path));
      } catch (cause) {
        const why = cause instanceof Error && 'code' in cause ? String(cause.code) : String(cause);
        throw new CliFailure(`${path}: cannot read the file (${why})`, EXIT.badInput);
      }
      const progress = progressOn('import history');
      const result = await withApp((ctx) =>
        importHistory(ctx, cliActor(), file, { dryRun: o.dryRun === true }, progress.update),
      ).finally(() => progress.stop());
      if (!result.ok) throw failureOf(result.error);
      if (o.json === true) return printJson(output, result.value);
      for (const line of describeHistoryImport(result.value)) output.out(line);
    });
}
