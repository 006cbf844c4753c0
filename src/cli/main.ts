// Process entry point of the `attache` command.
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2));
// `serve` keeps running after its action returns; every other command ends here.
if (code !== 0 || process.argv[2] !== 'serve') process.exit(code);
