// Single sign-on (decision 011): which providers the sign-in page offers, the redirect to the
// provider, and its callback, which sets the same session cookie a password sign-in sets. Browsers
// navigate here, so a refusal is a small page for them and problem JSON for everyone else.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DomainError } from '../core/result.js';
import type { AppContext } from '../services/context.js';
import {
  beginSingleSignOn,
  finishSingleSignOn,
  type SingleSignOn,
  type SsoLog,
} from '../services/access/sso.service.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './access.js';
import { problems, type ProblemStatus } from './contract.js';
import { problemOf } from './problem.js';
import { sessionCookieOptions } from './session.routes.js';

/** Binds a callback to the browser that started the sign-on; lives while the flow does. */
export const FLOW_COOKIE = 'attache_sso';
const START = '/api/v1/session/oidc';

const Providers = z
  .object({
    providers: z
      .array(
        z.object({
          id: z.literal('oidc'),
          name: z.string().meta({ description: 'shown as “Sign in with <name>”' }),
          url: z.string().meta({ description: 'where the browser goes to sign on' }),
        }),
      )
      .meta({ description: 'empty when single sign-on is not configured' }),
  })
  .meta({
    example: { providers: [{ id: 'oidc', name: 'Agency SSO', url: START }] },
  });

const Redirect = z.null().meta({ description: 'redirect (Location)' });

const Page = z.string().meta({
  description: 'a small page saying why, for a browser (one that accepts text/html)',
});

/** The refusals of a route browsers navigate to: problem JSON, or the page `refuse` answers. */
function refusals(...statuses: ProblemStatus[]) {
  return Object.fromEntries(
    Object.entries(problems(...statuses)).map(([status, answer]) => [
      status,
      { ...answer, content: { ...answer.content, 'text/html': { schema: Page } } },
    ]),
  );
}

const NOT_CONFIGURED: DomainError = {
  code: 'NOT_FOUND',
  reason: 'SSO.NOT_CONFIGURED',
  message: 'single sign-on is not configured on this server: sign in with a password',
};

export function ssoRoutes(ctx: AppContext, sso: SingleSignOn | undefined): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/session/providers',
      {
        // The server's configuration alone: kept like a record's answer (decision 019).
        config: { access: 'public', kept: true },
        schema: {
          security: [],
          tags: ['access'],
          operationId: 'listSignInProviders',
          summary: 'The ways to sign in besides a password',
          description:
            'The ways the sign-in page offers besides a password: single sign-on (OpenID Connect) when this server is configured for it, none otherwise. Who: anyone, signed in or not.',
          response: { 200: Providers },
        },
      },
      () => ({
        providers:
          sso === undefined ? [] : [{ id: 'oidc' as const, name: sso.settings.name, url: START }],
      }),
    );
    app.get(
      '/session/oidc',
      {
        config: { access: 'public' },
        schema: {
          security: [],
          tags: ['access'],
          operationId: 'startSingleSignOn',
          summary: 'Sign on: redirects the browser to the identity provider',
          description:
            'Starts a sign-on for a browser: redirects it (302, Location) to the identity provider, with the authorization code flow, PKCE, state and nonce; a short-lived httpOnly cookie binds the callback to this browser. Who: anyone, signed in or not. Refusals, as a small page to a browser that accepts text/html and as problem JSON otherwise: 404 SSO.NOT_CONFIGURED when single sign-on is not configured; 503 SSO.UNAVAILABLE when the provider cannot be reached.',
          response: { 302: Redirect, ...refusals(404, 503) },
        },
      },
      async (request, reply) => {
        if (sso === undefined) return refuse(request, reply, NOT_CONFIGURED);
        const started = await beginSingleSignOn(ctx, sso, logTo(request));
        if (!started.ok) return refuse(request, reply, started.error);
        reply.setCookie(FLOW_COOKIE, started.value.flowSecret, {
          // Sent only to the callback, and on the provider's redirect there (a cross-site
          // navigation: SameSite=Lax lets a top-level GET carry it, Strict would not).
          path: sso.settings.redirectUrl.pathname,
          httpOnly: true,
          sameSite: 'lax',
          secure: secure(request, sso),
          expires: new Date(started.value.expiresAt),
        });
        return reply.header('cache-control', 'no-store').redirect(started.value.location, 302);
      },
    );
    app.get(
      '/session/oidc/callback',
      {
        config: { access: 'public' },
        schema: {
          security: [],
          tags: ['access'],
          operationId: 'finishSingleSignOn',
          summary:
            'The identity provider sends the browser back here: signs in, redirects to the app',
          description:
            "Where the identity provider sends the browser back, with its answer in the query (`code`, `state`, `iss`; or `error`). Checks it, brings the account to the claims, sets the session cookie (as POST /session does) and `attache_csrf`, the CSRF token for the page, and redirects (302) to the app. Who: anyone, signed in or not. Refusals, as a small page to a browser that accepts text/html and as problem JSON otherwise: 401 SSO.NOT_COMPLETED for any flaw in the answer (flow cookie, state, code, ID token), with no word of which; 403 when the claims admit no one: SSO.CLAIMS, SSO.NO_EMAIL, SSO.NO_ROLE, SSO.ROLE_AMBIGUOUS, SSO.NO_SCOPE, SSO.UNKNOWN_SCOPE, SSO.EMAIL_UNVERIFIED, SSO.EMAIL_TAKEN, SSO.LINKED_ELSEWHERE, SSO.DISABLED; 404 SSO.NOT_CONFIGURED; 409 WRITE.CONTENDED when the account's update met concurrent writes; 503 SSO.UNAVAILABLE when the provider cannot be reached.",
          response: { 302: Redirect, ...refusals(401, 403, 404, 409, 503) },
        },
      },
      async (request, reply) => {
        if (sso === undefined) return refuse(request, reply, NOT_CONFIGURED);
        const cookiePath = sso.settings.redirectUrl.pathname;
        reply.clearCookie(FLOW_COOKIE, { path: cookiePath });
        const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        const result = await finishSingleSignOn(
          ctx,
          sso,
          {
            query,
            flowSecret: request.cookies[FLOW_COOKIE],
            previousSecret: request.cookies[SESSION_COOKIE],
          },
          logTo(request),
        );
        if (!result.ok) return refuse(request, reply, result.error);
        const signed = result.value;
        const options = { ...sessionCookieOptions(request, signed.expiresAt) };
        if (secure(request, sso)) options.secure = true;
        reply.setCookie(SESSION_COOKIE, signed.secret, options);
        reply.setCookie(CSRF_COOKIE, signed.csrfToken, { ...options, httpOnly: false });
        return reply.header('cache-control', 'no-store').redirect('/', 302);
      },
    );
  };
}

/** Cookies only over TLS when the public URL is https (the server may sit behind a proxy). */
function secure(request: FastifyRequest, sso: SingleSignOn): boolean {
  return request.protocol === 'https' || sso.settings.redirectUrl.protocol === 'https:';
}

function logTo(request: FastifyRequest): SsoLog {
  return (message, error) =>
    error === undefined ? request.log.info(message) : request.log.warn({ err: error }, message);
}

/** A refusal: problem JSON, or a page for a browser (it navigated here and shows what it gets). */
function refuse(request: FastifyRequest, reply: FastifyReply, error: DomainError): FastifyReply {
  const problem = problemOf(error, request.url.split('?')[0]);
  reply.code(problem.status).header('cache-control', 'no-store');
  if (!(request.headers.accept ?? '').includes('text/html'))
    return reply.type('application/problem+json').send(problem);
  const page = [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(problem.title)} · Attaché</title>`,
    '<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.45}</style>',
    '</head>',
    '<body>',
    `<main><h1>${escapeHtml(problem.title)}</h1>`,
    `<p>${escapeHtml(sentence(problem.detail))}</p>`,
    '<p><a href="/">Back to sign-in</a></p></main>',
    '</body></html>',
    '',
  ].join('\n');
  return reply.type('text/html; charset=utf-8').send(page);
}

/** A message as a sentence for a page: capital first, full stop last. */
function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
