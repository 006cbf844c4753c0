// Sign in and out: POST /session sets the session cookie (httpOnly, SameSite=Strict, Secure over
// TLS) and returns the CSRF token writes echo; DELETE /session ends it; GET /session says who you are.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../core/actor.js';
import type { AppContext } from '../services/context.js';
import { sessionActor, signIn, signOut } from '../services/access/session.service.js';
import { CSRF_COOKIE, SESSION_COOKIE, unauthorized } from './access.js';
import { actorOf } from './http.js';
import { sendResult } from './reply.js';

const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    countries: z.array(z.string()).readonly(),
    schools: z.array(z.string()).readonly(),
    sso: z.boolean(),
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

const SignedInSchema = z
  .object({
    user: UserSchema,
    csrfToken: z
      .string()
      .meta({ description: 'send it as X-CSRF-Token on every write made with the cookie' }),
    expiresAt: z
      .string()
      .meta({ description: 'the session ends then at the latest (and earlier when idle)' }),
  })
  .meta({ id: 'SignedIn' });

const Credentials = z
  .object({ email: z.string().max(1000), password: z.string().max(1000) })
  .meta({ example: { email: 'pm@example.org', password: 'the password you were given' } });

export function sessionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post(
      '/session',
      {
        config: { access: 'public' },
        schema: {
          security: [],
          tags: ['access'],
          summary:
            'Sign in: sets the session cookie; 401 for any wrong credential, 429 when locked',
          body: Credentials,
          response: { 200: SignedInSchema },
        },
      },
      async (request, reply) => {
        const previous = request.cookies[SESSION_COOKIE];
        const result = await signIn(ctx, request.body, {
          address: request.ip,
          previousSecret: previous,
        });
        if (!result.ok) {
          const retry = result.error.details?.retryAfterSeconds;
          if (typeof retry === 'number') reply.header('retry-after', String(retry));
          return sendResult(reply, result);
        }
        reply.setCookie(
          SESSION_COOKIE,
          result.value.secret,
          sessionCookieOptions(request, result.value.expiresAt),
        );
        return {
          user: result.value.user,
          csrfToken: result.value.csrfToken,
          expiresAt: result.value.expiresAt,
        };
      },
    );
    app.get(
      '/session',
      {
        schema: {
          tags: ['access'],
          summary: 'Who is signed in (by cookie or token): role and scopes',
          response: {
            200: z.object({
              actor: z.string(),
              role: z.enum(ROLES),
              countries: z.array(z.string()).readonly(),
              schools: z.array(z.string()).readonly(),
            }),
          },
        },
      },
      (request) => {
        const actor = actorOf(request);
        return {
          actor: actor.id,
          role: actor.role,
          countries: actor.countries ?? [],
          schools: actor.schools ?? [],
        };
      },
    );
    app.delete(
      '/session',
      {
        config: { access: 'public' },
        schema: {
          tags: ['access'],
          summary: 'Sign out: ends the session of the cookie and clears it',
          response: { 204: z.null().meta({ description: 'signed out' }) },
        },
      },
      async (request, reply) => {
        const secret = request.cookies[SESSION_COOKIE];
        if (secret === undefined || (await sessionActor(ctx, secret)) === undefined)
          return unauthorized(request, reply);
        await signOut(ctx, secret);
        reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(request, null));
        // The CSRF token a single sign-on left for its page.
        reply.clearCookie(CSRF_COOKIE, { ...sessionCookieOptions(request, null), httpOnly: false });
        return reply.code(204).send(null);
      },
    );
  };
}

/** The session cookie's attributes (single sign-on sets the same cookie). */
export function sessionCookieOptions(request: FastifyRequest, expiresAt: string | null) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: request.protocol === 'https',
    ...(expiresAt === null ? {} : { expires: new Date(expiresAt) }),
  };
}
