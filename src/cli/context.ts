// Opens the application for one CLI command from the environment, and always closes it.
import { userInfo } from 'node:os';
import type { Actor } from '../core/actor.js';
import { loadConfig, type AppConfig } from '../services/config.js';
import { openApplication, type AppContext } from '../services/context.js';
import { describeOpenFailure } from '../services/open-failure.js';
import { CliFailure, EXIT } from './output.js';

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const config = loadConfig(env);
  if (!config.ok) throw new CliFailure(config.error, EXIT.badInput);
  return config.value;
}

/** Who CLI writes are attributed to: ATTACHE_ACTOR, else the login name. */
export function cliActor(env: NodeJS.ProcessEnv = process.env): Actor {
  const id = env.ATTACHE_ACTOR ?? `cli:${userInfo().username}`;
  return { id, role: 'admin' };
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
  const ctx = await openForCli(configFromEnv());
  try {
    return await run(ctx);
  } finally {
    await ctx.store.close();
  }
}
