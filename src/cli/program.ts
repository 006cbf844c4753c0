// The `attache` command tree; `runCli` maps every outcome to an exit code (DESIGN §8).
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { COMMAND_MODULES, moduleOf } from './commands.js';
import { checkArguments } from './arguments.js';
import { CliFailure, EXIT, processOutput, type Output } from './output.js';

/** The version of this build, from package.json. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * The command tree for one command line: only the module of the command named is loaded; without
 * one (help, a typo) every command is listed by its summary, and nothing else is loaded.
 */
export async function createProgram(
  output: Output = processOutput,
  argv: readonly string[] = [],
): Promise<Command> {
  const program = new Command('attache')
    .description(
      'Attaché: the system of record for IMET training and the restrictions that govern it',
    )
    .version(cliVersion(), '-V, --version', 'print the version')
    // `attache -V` only: a command's own `--version <n>` (of a course, a seat) stays its own.
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (s) => output.out(s.trimEnd()),
      writeErr: (s) => output.err(s.trimEnd()),
    });
  const named = moduleOf((argv[0] === 'help' ? argv[1] : argv[0]) ?? '');
  if (named !== undefined) {
    (await named.load())(program, output);
  } else {
    for (const { commands } of COMMAND_MODULES)
      for (const [name, summary] of Object.entries(commands))
        program.command(name).description(summary);
  }
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
  try {
    checkArguments(argv);
    const program = await createProgram(output, argv);
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
