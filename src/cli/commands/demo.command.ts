// `attache demo load`: fills an empty database with the demo data and says what the import did.
import type { Command } from 'commander';
import { systemActor } from '../../core/actor.js';
import { loadDemo } from '../../services/demo/demo.service.js';
import { withApp } from '../context.js';
import { failureOf, printJson, type Output } from '../output.js';

export function registerDemoCommands(program: Command, output: Output): void {
  const demo = program.command('demo').description('demo data');
  demo
    .command('load')
    .description(
      'load budget allocations FY2008–2017, a course catalog, restriction histories and the Pakistan story',
    )
    .option('--json', 'print the summary object')
    .option('--notes', 'print every note of the budget import')
    .action(async (opts: { json?: boolean; notes?: boolean }) => {
      const result = await withApp((ctx) => loadDemo(ctx, systemActor('demo')));
      if (!result.ok) throw failureOf(result.error);
      const s = result.value;
      if (opts.json === true) return printJson(output, s);
      output.out(
        `demo loaded: ${s.allocations} allocations, ${s.budgetLines} other budget lines, ${s.schools} schools, ` +
          `${s.courses} courses, ${s.restrictions} restrictions, ${s.reliefs} reliefs, ${s.notifications} notifications, ` +
          `${s.trainingLines} training lines, ${s.seats} seats, ${s.students} students`,
      );
      const shown = opts.notes === true ? s.notes : s.notes.filter((n) => /checks hold/.test(n));
      for (const note of shown) output.out(`  ${note}`);
      if (opts.notes !== true)
        output.out(`  (${s.notes.length} notes in all: --notes prints them)`);
    });
}
