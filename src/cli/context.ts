// Opens the application for one CLI command from the environment, and always closes it; or, when
// the command runs inside a server for a command line beside it, lends it the server's.
import { AsyncLocalStorage } from 'node:async_hooks';
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Actor } from '../core/actor.js';
import { localActorId } from './actor.js';
import { loadConfig, type AppConfig } from '../services/config.js';
import { openApplication, type AppContext } from '../services/context.js';
import { describeOpenFailure } from '../services/open-failure.js';
import { CliFailure, EXIT } from './output.js';

/** A command line run by a server on behalf of a command line beside it (`attache serve`). */
export interface Invocation {
  readonly ctx: AppContext;
  /** Who the command line's writes are attributed to (its ATTACHE_ACTOR or login name). */
  readonly actor: string;
  /** The command line's working directory: its relative paths are read and written there. */
  readonly cwd: string;
}

const invocation = new AsyncLocalStorage<Invocation>();

/** Runs `work` as the command line described by `by`: on the server's open application. */
export function runAsInvocation<T>(by: Invocation, work: () => Promise<T>): Promise<T> {
  return invocation.run(by, work);
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const config = loadConfig(env);
  if (!config.ok) throw new CliFailure(config.error, EXIT.badInput);
  return config.value;
}

/** Who CLI writes are attributed to: ATTACHE_ACTOR, else the login name (of the command line). */
export function cliActor(env: NodeJS.ProcessEnv = process.env): Actor {
  return { id: invocation.getStore()?.actor ?? localActorId(env), role: 'admin' };
}

/** A path the user typed, resolved against the command line's own working directory. */
export function cliPath(path: string): string {
  return resolve(invocation.getStore()?.cwd ?? process.cwd(), path);
}

/**
 * The file `--out` names, relative to the command line's own folder (also when a server runs
 * it), refused (exit 2) before anything is read or written when its folder does not exist.
 */
export function outFilePath(out: string): string;
export function outFilePath(out: string | undefined): string | undefined;
export function outFilePath(out: string | undefined): string | undefined {
  if (out === undefined) return undefined;
  const path = cliPath(out);
  let folder = false;
  try {
    folder = statSync(dirname(path)).isDirectory();
  } catch {
    folder = false;
  }
  if (!folder)
    throw new CliFailure(`--out: no folder ${dirname(path)} to write into`, EXIT.badInput);
  return path;
}

export async function openForCli(config: AppConfig): Promise<AppContext> {
  try {
    return await openApplication(config.store, { screening: config.screening });
  } catch (error) {
    const reason = describeOpenFailure(error, config.store);
    if (reason !== undefined) throw new CliFailure(reason, EXIT.unavailable);
    throw error;
  }
}

export async function withApp<T>(run: (ctx: AppContext) => Promise<T>): Promise<T> {
  const lent = invocation.getStore();
  if (lent !== undefined) return run(lent.ctx);
  const ctx = await openForCli(configFromEnv());
  try {
    return await run(ctx);
  } finally {
    await ctx.store.close();
  }
}
