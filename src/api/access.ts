// Sign-in for the API (DESIGN §2): every /api/v1 route but the public ones answers 401 unless the
// request carries an API token (`Authorization: Bearer att_…`) or a session cookie. A write made
// with the cookie must echo the session's CSRF token in `X-CSRF-Token`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor.js';
import type { AppContext } from '../services/context.js';
import {
  csrfMatches,
  knownTokenActor,
  sessionActor,
  tokenActor,
} from '../services/access/session.service.js';
import { problemType, type Problem } from './problem.js';

export const SESSION_COOKIE = 'attache_session';
/**
 * The session's CSRF token for a page that signed on by redirect (decision 011), so never saw the
 * JSON a password sign-in returns: not httpOnly, the page reads it and echoes it in X-CSRF-Token.
 */
export const CSRF_COOKIE = 'attache_csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Adds the access hook to an encapsulated scope (the /api/v1 plugin): routes registered after it are guarded. */
export function guardRoutes(api: FastifyInstance, ctx: AppContext): void {
  api.decorateRequest('actor', null);
  // Asks the record who signs in: answered with the reply when refused, undefined when signed in.
  const signIn = async (request: FastifyRequest, reply: FastifyReply) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = BEARER.exec(authorization);
      const actor = match?.[1] === undefined ? undefined : await tokenActor(ctx, match[1]);
      if (actor === undefined) return unauthorized(request, reply);
      request.actor = actor;
      return;
    }
    const secret = request.cookies[SESSION_COOKIE];
    const session = secret === undefined ? undefined : await sessionActor(ctx, secret);
    if (session === undefined) return unauthorized(request, reply);
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (!csrfMatches(session, Array.isArray(header) ? header[0] : header))
        return refuse(
          request,
          reply,
          403,
          'ACCESS.CSRF',
          "a write signed in by cookie sends its session's X-CSRF-Token",
        );
    }
    request.actor = session.actor;
  };
  api.addHook('onRequest', (request, reply, done) => {
    // An unknown route answers 404 (the not-found handler), a public one answers anyone.
    if (request.routeOptions.url === undefined) return done();
    if (request.routeOptions.config.access === 'public') return done();
    // A token this process remembers: no promise (most signed-in reads).
    const known = rememberedBearer(ctx, request.headers.authorization);
    if (known === null) return void unauthorized(request, reply);
    if (known !== undefined) {
      request.actor = known;
      return done();
    }
    signIn(request, reply).then(
      (refused) => {
        if (refused === undefined) done();
      },
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  });
}

const BEARER = /^Bearer ([!-~]{1,200})$/;

/**
 * Who the API token of an Authorization header acts for, when this process remembers it (no
 * promise): null when it is refused; undefined when there is none or the record must be asked.
 */
export function rememberedBearer(
  ctx: AppContext,
  authorization: string | undefined,
): Actor | null | undefined {
  const bearer = BEARER.exec(authorization ?? '')?.[1];
  return bearer === undefined ? undefined : knownTokenActor(ctx, bearer);
}

/** 401 with no word of which part failed (missing, malformed, unknown, expired or revoked). */
export function unauthorized(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return refuse(
    request,
    reply.header('www-authenticate', 'Bearer realm="attache"'),
    401,
    'ACCESS.UNAUTHENTICATED',
    'sign in (POST /api/v1/session) or send a valid API token: Authorization: Bearer <token>',
  );
}

function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  detail: string,
): FastifyReply {
  const problem: Problem = {
    type: problemType(code),
    title: status === 401 ? 'Not signed in' : 'Not allowed',
    status,
    detail,
    code,
    instance: request.url,
  };
  return reply.code(status).type('application/problem+json').send(problem);
}
