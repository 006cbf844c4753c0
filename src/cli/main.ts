// Process entry point of the `attache` command.
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2));
// `serve` keeps running after its action returns; every other command ends here.
if (code !== 0 || process.argv[2] !== 'serve') {
  // Writes to a pipe are asynchronous: exiting at once would cut long output (a --json list).
  await Promise.all(
    [process.stdout, process.stderr].map(
      (stream) => new Promise<void>((resolve) => stream.write('', () => resolve())),
    ),
  );
  process.exit(code);
}
