#!/usr/bin/env node
// `npm start`: serves the app with the demo, rebuilding first only what changed since the last
// build (`npm install` builds both parts), so a start on current code goes straight to serving.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The newest modification time under `paths` (files or folders), 0 when none exists.
 * @param {string[]} paths
 */
function newest(paths) {
  let latest = 0;
  /** @param {string} path */
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'dist') visit(join(path, entry));
    } else if (!path.endsWith('.test.ts')) latest = Math.max(latest, stat.mtimeMs);
  };
  for (const path of paths) visit(join(root, path));
  return latest;
}

/** Built output older than any of its sources (or missing) is stale. */
const parts = [
  {
    script: 'build:server',
    output: 'dist/cli/main.js',
    sources: ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'],
  },
  {
    script: 'build:web',
    output: 'web/dist/index.html',
    sources: ['web', 'tsconfig.json', 'package.json'],
  },
];
for (const part of parts) {
  const built = newest([part.output]);
  if (built > 0 && built >= newest(part.sources)) continue;
  process.stdout.write(
    `Attaché: ${part.script.slice(6)} sources changed since the last build; rebuilding…\n`,
  );
  const run = spawnSync('npm', ['run', '--silent', part.script], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

process.argv.splice(2, process.argv.length - 2, 'serve', '--demo', ...process.argv.slice(2));
await import('../dist/cli/main.js');
