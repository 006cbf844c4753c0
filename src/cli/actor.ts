// Who a command line's writes are attributed to, here or through a server beside it.
import { userInfo } from 'node:os';

/** ATTACHE_ACTOR, else `cli:` and the login name. */
export function localActorId(env: NodeJS.ProcessEnv = process.env): string {
  return env.ATTACHE_ACTOR ?? `cli:${userInfo().username}`;
}
