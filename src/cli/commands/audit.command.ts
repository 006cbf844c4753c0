// `attache audit verify`: checks the hash chain and names the first entry that breaks.
import type { Command } from 'commander';
import { verifyAudit } from '../../services/audit/audit.service.js';
import { withApp } from '../context.js';
import { CliFailure, EXIT, printJson, type Output } from '../output.js';

export function registerAuditCommands(program: Command, output: Output): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit log');
  audit
    .command('verify')
    .description('verify the hash chain; exit 1 naming the first entry that breaks')
    .option('--json', 'print the verification object')
    .action(async (opts: { json?: boolean }) => {
      const result = await withApp((ctx) => verifyAudit(ctx));
      if (opts.json === true) printJson(output, result);
      if (!result.ok) throw new CliFailure(result.message, EXIT.refused);
      if (opts.json !== true)
        output.out(`audit chain intact: ${result.entries} entries, head ${result.headHash}`);
    });
}
