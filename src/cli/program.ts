// The `attache` command tree; `runCli` maps every outcome to an exit code (DESIGN §8).
import { Command, CommanderError } from 'commander';
import { registerAllocationCommands } from './commands/allocation.command.js';
import { registerAuditCommands } from './commands/audit.command.js';
import { registerCountryCommands } from './commands/country.command.js';
import { registerCourseCommands } from './commands/course.command.js';
import { registerDbCommands } from './commands/db.command.js';
import { registerDemoCommands } from './commands/demo.command.js';
import { registerEligibilityCommands } from './commands/eligibility.command.js';
import { registerRestrictionCommands } from './commands/restriction.command.js';
import { registerServeCommand } from './commands/serve.command.js';
import { registerStudentCommands } from './commands/student.command.js';
import { registerTrainingCommands } from './commands/training.command.js';
import { CliFailure, EXIT, processOutput, type Output } from './output.js';

export function createProgram(output: Output = processOutput): Command {
  const program = new Command('attache')
    .description(
      'Attaché: the system of record for IMET training and the restrictions that govern it',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.out(s.trimEnd()),
      writeErr: (s) => output.err(s.trimEnd()),
    });
  registerServeCommand(program);
  registerDbCommands(program, output);
  registerDemoCommands(program, output);
  registerCountryCommands(program, output);
  registerAllocationCommands(program, output);
  registerRestrictionCommands(program, output);
  registerEligibilityCommands(program, output);
  registerTrainingCommands(program, output);
  registerCourseCommands(program, output);
  registerStudentCommands(program, output);
  registerAuditCommands(program, output);
  const exitOverride = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Runs one command line; resolves to the exit code (the process entry point exits with it). */
export async function runCli(
  argv: readonly string[],
  output: Output = processOutput,
): Promise<number> {
  const program = createProgram(output);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return EXIT.ok;
      }
      return EXIT.badInput;
    }
    if (error instanceof CliFailure) {
      output.err(`attache: ${error.message}`);
      return error.exitCode;
    }
    output.err(
      `attache: internal error: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (process.env.ATTACHE_DEBUG === '1' && error instanceof Error) output.err(error.stack ?? '');
    return 70;
  }
}
