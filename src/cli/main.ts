// Process entry point of the `attache` command: through a server that holds the data dir when one
// runs, else here; only what the command needs is loaded.
import { forward, serverFor } from './forward.js';
import { processOutput } from './output.js';

const argv = process.argv.slice(2);
const server = serverFor(argv, process.env);
const code =
  server !== undefined
    ? await forward(server, argv, process.env, processOutput)
    : await (await import('./program.js')).runCli(argv);
// `serve` keeps running after its action returns; every other command ends here.
if (code !== 0 || argv[0] !== 'serve') {
  // Writes to a pipe are asynchronous: exiting at once would cut long output (a --json list).
  await Promise.all(
    [process.stdout, process.stderr].map(
      (stream) => new Promise<void>((resolve) => stream.write('', () => resolve())),
    ),
  );
  process.exit(code);
}
