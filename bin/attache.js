#!/usr/bin/env node
// Entry point of the `attache` command: runs the compiled CLI (built by `npm install`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('attache: not built yet; run `npm run build` (npm install does it)\n');
  process.exit(2);
}
await import(main.href);
