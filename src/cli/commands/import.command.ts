// `attache import …` and `attache export …`: files in and out, each import all-or-nothing with a dry run.
import type { Command } from 'commander';
import type { Output } from '../output.js';
import { registerBudgetImportCommands } from './import-budget.command.js';
import { registerEntityImportCommands } from './import-entities.command.js';
import { registerHistoryImportCommand } from './import-history.command.js';

export function registerImportCommands(program: Command, output: Output): void {
  const importCommand = program
    .command('import')
    .description(
      'import files (all or nothing, --dry-run to see first): State budget tables, a restriction history, courses, students, allocations, training lines; templates',
    );
  const exportCommand = program
    .command('export')
    .description(
      'export courses, students, allocations or training lines as CSV or XLSX (importable back)',
    );
  registerBudgetImportCommands(importCommand, output);
  registerHistoryImportCommand(importCommand, output);
  registerEntityImportCommands(importCommand, exportCommand, output);
}
