// `attache db migrate`: applies pending migrations and reports where the database stands;
// `attache db grant-app-role`: what the application's own PostgreSQL role may do.
import type { Command } from 'commander';
import { grantAppRole } from '../../services/audit/database-role.service.js';
import { migrationStatusOf } from '../../services/health.service.js';
import { cliActor, withApp } from '../context.js';
import { failureOf, printJson, type Output } from '../output.js';

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
  db.command('grant-app-role')
    .description(
      "PostgreSQL, run as the tables' owner: grant ROLE what the application needs, and no more: it may append to the audit log, never rewrite it nor disable its guard",
    )
    .argument('<role>', "the application's own role (the one in its DATABASE_URL)")
    .option('--json', 'print the grant object')
    .action(async (role: string, opts: { json?: boolean }) => {
      const result = await withApp((ctx) => grantAppRole(ctx, cliActor(), role));
      if (!result.ok) throw failureOf(result.error);
      if (opts.json === true) return printJson(output, result.value);
      const { owner, tables, appendOnly } = result.value;
      output.out(
        `${role} may read and write the ${tables} tables owned by ${owner}, but only read and append to ${appendOnly.join(' and ')}; it owns none, so it cannot disable or drop their guard. Run it again after each \`attache db migrate\`.`,
      );
    });
}
