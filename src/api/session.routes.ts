// Sign in and out: POST /session sets the session cookie (httpOnly, SameSite=Strict, Secure over
// TLS) and returns the CSRF token writes echo; DELETE /session ends it; GET /session says who you are.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../core/actor.js';
import { CAPABILITIES, can } from '../core/access.js';
import type { AppContext } from '../services/context.js';
import { sessionActor, signIn, signOut } from '../services/access/session.service.js';
import { CSRF_COOKIE, SESSION_COOKIE, unauthorized } from './access.js';
import { problems } from './contract.js';
import { USER_EXAMPLE } from './examples.js';
import { instant, oneOfValues } from './fields.js';
import { actorOf } from './http.js';
import { sendResult } from './reply.js';

const Scopes = {
  countries: z
    .array(z.string())
    .readonly()
    .meta({ description: 'the countries (ISO 3166-1 alpha-3) an SCO acts for; empty otherwise' }),
  schools: z
    .array(z.string())
    .readonly()
    .meta({ description: 'the schools an IMSO acts for; empty otherwise' }),
};

const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role: oneOfValues(ROLES),
    ...Scopes,
    sso: z.boolean().meta({ description: 'signs on through the identity provider' }),
    disabled: z.boolean(),
    createdAt: instant('when the account was made'),
  })
  .meta({ id: 'User', example: USER_EXAMPLE });

const SignedInSchema = z
  .object({
    user: UserSchema,
    csrfToken: z
      .string()
      .meta({ description: 'send it as X-CSRF-Token on every write made with the cookie' }),
    expiresAt: instant('the session ends then at the latest (and earlier when idle)'),
  })
  .meta({
    id: 'SignedIn',
    example: {
      user: USER_EXAMPLE,
      csrfToken: 'csrf_wX8cV1q0tU7rS4pN2mK9jH6gF3dA5sZ0xC8vB1nM4lQ',
      expiresAt: '2026-11-27T20:00:00.000Z',
    },
  });

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
          operationId: 'signIn',
          summary: 'Sign in with email and password: sets the session cookie',
          description:
            'Checks the email and password and opens a session: sets the `attache_session` cookie (httpOnly, SameSite=Strict, Secure over TLS) and answers the account with the CSRF token every write made with the cookie echoes in X-CSRF-Token; the token is also set in the `attache_csrf` cookie (readable by the page, SameSite=Strict), so a page reloaded later still has it. A session the request carried is ended. Who: anyone, signed in or not. Refusals: 401 ACCESS.UNAUTHENTICATED for any wrong credential, an unknown login and a wrong password alike; 429 ACCESS.LOCKED after too many failures for the login or the address, with Retry-After.',
          body: Credentials,
          response: { 200: SignedInSchema, ...problems(401, 429) },
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
        const cookie = sessionCookieOptions(request, result.value.expiresAt);
        reply.setCookie(SESSION_COOKIE, result.value.secret, cookie);
        // The token again in a cookie the page can read (as a single sign-on leaves it): a page
        // reloaded or opened by its address still has it for its writes. Another site's page
        // can make the browser send cookies, never read them.
        reply.setCookie(CSRF_COOKIE, result.value.csrfToken, { ...cookie, httpOnly: false });
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
          operationId: 'getSession',
          summary: 'Who is signed in: role and scopes',
          description:
            'Who the request acts for, signed in by cookie or API token: the actor written to the audit log, its role and the countries or schools it is limited to. Who: anyone signed in.',
          response: {
            200: z.object({
              actor: z.string().meta({
                description: 'as the audit log names it, e.g. user:pm@example.org',
                example: 'user:pm@example.org',
              }),
              role: oneOfValues(ROLES),
              ...Scopes,
              capabilities: z.array(oneOfValues(CAPABILITIES)).meta({
                description:
                  'the kinds of write (and audit.read) the role is granted: what a client may offer',
                example: ['training.write', 'students.write'],
              }),
            }),
          },
        },
      },
      (request) => {
        const actor = actorOf(request);
        return {
          actor: actor.id,
          role: actor.role,
          capabilities: CAPABILITIES.filter((capability) => can(actor, capability)),
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
          // The session cookie alone: an API token has no session to end.
          security: [{ session: [] }],
          tags: ['access'],
          operationId: 'signOut',
          summary: 'Sign out: ends the session of the cookie and clears it',
          description:
            'Ends the session of the `attache_session` cookie and clears it (and the `attache_csrf` cookie a single sign-on leaves). Who: whoever holds the cookie; no X-CSRF-Token needed. Refusals: 401 ACCESS.UNAUTHENTICATED when the request carries no live session.',
          response: { 204: z.null().meta({ description: 'signed out' }), ...problems(401) },
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
