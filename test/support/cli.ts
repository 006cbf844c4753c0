// Runs the real `attache` command in a child process (from source, through tsx), or in this
// process over a test database.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAsInvocation } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import type { AppContext } from '../../src/services/context.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = 'src/cli/main.ts';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a child gets: the parent's, minus the database choice, plus `env`. */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  delete base.DATABASE_URL;
  delete base.ATTACHE_DATA_DIR;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

/** Runs `attache args` in a child, in the repository or (`cwd`) in a folder of the caller's. */
export function startAttache(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  { cwd = REPO_ROOT }: { readonly cwd?: string } = {},
): ChildProcess {
  // Named by path, so the child finds them from any folder.
  const tsx = import.meta.resolve('tsx');
  return spawn(process.execPath, ['--import', tsx, join(REPO_ROOT, MAIN), ...args], {
    cwd,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runAttache(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  const child = startAttache(args, env);
  return collect(child);
}

export function collect(child: ChildProcess): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Polls `url` until it answers 200, or fails after `timeoutMs`. */
export async function waitForOk(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Runs `attache` in this process on a test database, as a server runs a command line beside it:
 * the command gets the database's context instead of opening a data dir. For tests where the
 * process boundary is not what is tested (each family keeps a real-process test too).
 */
export function cliOver(
  ctx: AppContext,
  actor = 'user:tester',
): (args: readonly string[]) => Promise<CliRun> {
  return async (args) => {
    let stdout = '';
    let stderr = '';
    const code = await runAsInvocation({ ctx, actor, cwd: REPO_ROOT }, () =>
      runCli(args, {
        out: (text) => (stdout += `${text}\n`),
        err: (text) => (stderr += `${text}\n`),
      }),
    );
    return { code, stdout, stderr };
  };
}

/**
 * An API token for a real server's callers, made with the CLI on `env`'s data dir or database (by
 * default an analyst, who reads all and writes nothing): the headers to send with fetch.
 */
export async function apiTokenHeaders(
  env: Record<string, string | undefined>,
  email = 'reader@attache.test',
  role: 'analyst' | 'program-manager' = 'analyst',
): Promise<Record<string, string>> {
  const user = await runAttache(['user', 'add', '--email', email, '--role', role, '--json'], env);
  if (user.code !== 0) throw new Error(`user add: ${user.stderr}`);
  const token = await runAttache(['token', 'create', '--email', email, '--json'], env);
  if (token.code !== 0) throw new Error(`token create: ${token.stderr}`);
  return { authorization: `Bearer ${(JSON.parse(token.stdout) as { token: string }).token}` };
}
