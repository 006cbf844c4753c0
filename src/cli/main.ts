// Process entry point of the `attache` command: through a server that holds the data dir when one
// runs, else here; only what the command needs is loaded.
import { forward, serverFor } from './forward.js';
import { processOutput } from './output.js';

const argv = process.argv.slice(2);
// A reader that stops early (`attache … | head -1`) has all it wants: end quietly, not with a trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** Through the server holding the data dir, if one does; 'gone' when it has just stopped. */
async function throughServer(): Promise<number | 'gone' | undefined> {
  const server = serverFor(argv, process.env);
  return server === undefined ? undefined : forward(server, argv, process.env, processOutput);
}

async function run(): Promise<number> {
  let answered = await throughServer();
  // A server that stopped (or was killed) after its lock was read: look again, then go direct.
  if (answered === 'gone') answered = await throughServer();
  if (answered === undefined) return (await import('./program.js')).runCli(argv);
  if (answered !== 'gone') return answered;
  processOutput.err('attache: ATTACHE_DATA_DIR: the server holding the data dir does not answer');
  return 5;
}

const code = await run();
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
