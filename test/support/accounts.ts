// Signed-in callers for API tests: an account per role (and scope), and the headers of its session
// (cookie and CSRF token) or of an API token.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/core/actor.js';
import { systemActor } from '../../src/core/actor.js';
import { addUser, createToken } from '../../src/services/access/account.service.js';
import { openSession } from '../../src/services/access/session.service.js';
import type { AccessPolicy, AppContext } from '../../src/services/context.js';
import { findAccountByEmail } from '../../src/store/access.repository.js';

/** Sessions that outlive any clock a test sets (stories move it by years). */
export const LASTING_SESSIONS: AccessPolicy = {
  sessionIdleMinutes: 100 * 366 * 24 * 60,
  sessionMaxHours: 100 * 366 * 24,
  loginMaxFailures: 5,
  addressMaxFailures: 50,
  loginLockMinutes: 15,
};

export interface Caller {
  readonly email: string;
  /** The audit log's actor for this caller's session. */
  readonly actor: string;
  readonly headers: Record<string, string>;
}

export interface CallerSpec {
  readonly role: Role;
  readonly countries?: readonly string[];
  readonly schools?: readonly string[];
}

/**
 * Signs `name` in (creating `name@attache.test` with the role on first use) and returns the
 * headers of a session: its cookie and its CSRF token.
 */
export async function signedIn(
  ctx: AppContext,
  name: string,
  spec: CallerSpec = { role: 'admin' },
): Promise<Caller> {
  const email = `${name}@attache.test`;
  let account = await findAccountByEmail(ctx.store.db, email);
  if (account === undefined) {
    const added = await addUser(ctx, systemActor('test'), { email, ...spec });
    if (!added.ok) throw new Error(`test account ${email}: ${added.error.message}`);
    account = await findAccountByEmail(ctx.store.db, email);
  }
  if (account === undefined) throw new Error(`test account ${email} missing`);
  const session = await openSession(ctx, account, ctx.clock());
  return {
    email,
    actor: `user:${email}`,
    headers: {
      cookie: `attache_session=${session.secret}`,
      'x-csrf-token': session.csrfToken,
    },
  };
}

/** An API token for `name` (created as signedIn does): its Authorization header. */
export async function tokenFor(
  ctx: AppContext,
  name: string,
  spec: CallerSpec = { role: 'admin' },
): Promise<Record<string, string>> {
  const caller = await signedIn(ctx, name, spec);
  const token = await createToken(ctx, systemActor('test'), { email: caller.email });
  if (!token.ok) throw new Error(`token for ${caller.email}: ${token.error.message}`);
  return { authorization: `Bearer ${token.value.token}` };
}

const anonymous = new WeakMap<FastifyInstance, FastifyInstance['inject']>();

/**
 * Makes every `app.inject` of a test act as `caller` unless the request brings its own cookie or
 * Authorization header; `injectAnonymously` still reaches the app as nobody.
 */
export function actAs(app: FastifyInstance, caller: Record<string, string>): FastifyInstance {
  const original = anonymous.get(app) ?? app.inject.bind(app);
  anonymous.set(app, original);
  const inject = (options: string | InjectOptions) => {
    const opts: InjectOptions = typeof options === 'string' ? { url: options } : options;
    const own = (opts.headers ?? {}) as Record<string, unknown>;
    const signed = 'cookie' in own || 'authorization' in own;
    return original({ ...opts, headers: signed ? own : { ...caller, ...own } } as InjectOptions);
  };
  (app as { inject: unknown }).inject = inject;
  return app;
}

/** A request that carries no session or token, whatever `actAs` set. */
export function injectAnonymously(
  app: FastifyInstance,
  options: string | InjectOptions,
): Promise<LightMyRequestResponse> {
  const inject = anonymous.get(app) ?? app.inject.bind(app);
  return inject(typeof options === 'string' ? { url: options } : options);
}
