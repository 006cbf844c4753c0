// `attache db migrate`: applies pending migrations and reports where the database stands.
import type { Command } from 'commander';
import { migrationStatusOf } from '../../services/health.service.js';
import { withApp } from '../context.js';
import { printJson, type Output } from '../output.js';

export function registerDbCommands(program: Command, output: Output): void {
  const db = program.command('db').description('the database');
  db.command('migrate')
    .description('apply pending migrations (every command does this on open) and print the status')
    .option('--json', 'print the status object')
    .action(async (opts: { json?: boolean }) => {
      const status = await withApp((ctx) => migrationStatusOf(ctx));
      if (opts.json === true) return printJson(output, status);
      output.out(
        `migrations: ${status.applied} of ${status.expected} applied (${status.location})`,
      );
    });
}
