// The server's outer wall, one plugin ahead of every route: security headers, CORS closed unless
// configured, the Host header checked (DNS rebinding), a body size limit, text checked before any
// route reads it, and no list answered beyond one page.
import fastifyCors from '@fastify/cors';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import { LOOPBACK_HOSTS, type HttpPolicy } from '../services/config.js';
import { checkTextField, checkTextTree } from '../services/field-input.js';
import { MAX_PAGE } from './input.schemas.js';
import { problemOf, problemType, type Problem } from './problem.js';

/** What `attache serve` is configured with; tests and embedders get the defaults. */
export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  allowedHosts: LOOPBACK_HOSTS,
  corsOrigins: [],
  bodyLimitBytes: 1_048_576,
  // Tests and embedders make their own load; `attache serve` limits by default.
  rateLimits: null,
  trustProxy: false,
};

/** Headers the routes read: checked like any other text before a route sees them. */
const READ_HEADERS = ['x-actor', 'if-match', 'authorization', 'accept'] as const;
/** The longest value of a header the routes read (a bearer token fits many times over). */
const HEADER_LIMIT = 8_192;

function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** The host name of a Host header (`[::1]:8080` → `[::1]`), lower case, without a final dot. */
export function hostNameOf(header: string): string {
  const host = header.trim().toLowerCase();
  const name = host.startsWith('[')
    ? host.slice(0, host.indexOf(']') + 1)
    : host.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

/** Whether a request's Host header names a host this server answers to. */
export function hostAllowedBy(policy: HttpPolicy): (header: string | undefined) => boolean {
  const allowed = new Set(policy.allowedHosts);
  if (allowed.has('*')) return () => true;
  return (header) => header !== undefined && allowed.has(hostNameOf(header));
}

/** Whether a request names a host this server answers to; when not, it is answered 421 here. */
function hostCheck(policy: HttpPolicy) {
  const hostAllowed = hostAllowedBy(policy);
  return (request: FastifyRequest, reply: FastifyReply): boolean => {
    const header = request.headers.host;
    if (hostAllowed(header)) return true;
    // A page of another site whose name now points here (DNS rebinding) names that site.
    const problem: Problem = {
      type: problemType('HOST.NOT_ALLOWED'),
      title: 'Misdirected request',
      status: 421,
      detail:
        header === undefined
          ? 'the request names no Host'
          : `this server does not answer to the host ${JSON.stringify(hostNameOf(header))}: ` +
            'name it in ATTACHE_ALLOWED_HOSTS to allow it',
      code: 'HOST.NOT_ALLOWED',
      field: 'Host',
      instance: request.url,
    };
    void sendProblem(reply, problem);
    return false;
  };
}

/** Whether a request's announced body fits its route; when not, it is answered 413 here. */
function bodyLimitCheck(limit: number) {
  return (request: FastifyRequest, reply: FastifyReply): boolean => {
    const length = Number(request.headers['content-length'] ?? 0);
    if (!(length > 0)) return true;
    // A route that takes files (imports) or long lists sets its own, larger limit.
    const max = request.routeOptions.bodyLimit ?? limit;
    if (!(length > max)) return true;
    // Refused before a byte of it is read; a chunked body meets Fastify's own limit (also 413).
    const problem: Problem = {
      type: problemType('BODY.TOO_LARGE'),
      title: 'Content too large',
      status: 413,
      detail: `the request body is ${length} bytes; this route takes at most ${max}`,
      code: 'BODY.TOO_LARGE',
      instance: request.url,
    };
    void sendProblem(reply, problem);
    return false;
  };
}

/** Whether a request comes with a body (announced by its length or sent in chunks). */
export function bodyAnnounced(request: { headers: FastifyRequest['headers'] }): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return length > 0 || request.headers['transfer-encoding'] !== undefined;
}

/**
 * Every string of the path parameters, query, body and the headers the routes read, checked before
 * validation: a NUL or a lone surrogate, or text longer than its field takes, is a 400 naming the
 * field, before any route, service or database sees it.
 */
function textCheck(request: FastifyRequest, reply: FastifyReply, done: () => void) {
  const parts: unknown[] = [request.params, request.query, request.body];
  for (const part of parts) {
    const checked =
      typeof part === 'string' ? checkTextField('body', part) : checkTextTree(part ?? null);
    if (!checked.ok) return void sendProblem(reply, problemOf(checked.error, request.url));
  }
  for (const name of READ_HEADERS) {
    const value = request.headers[name];
    for (const text of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      const checked = checkTextField(name, text, HEADER_LIMIT);
      if (!checked.ok) return void sendProblem(reply, problemOf(checked.error, request.url));
    }
  }
  done();
}

/**
 * A list answers one page at most: `items` beyond MAX_PAGE are left out (its `total` still counts
 * them; lists with `offset` page on). Routes page themselves; this holds for any that forgets.
 */
function pageCap(request: FastifyRequest, _reply: FastifyReply, payload: unknown) {
  if (typeof payload !== 'object' || payload === null || !('items' in payload)) return payload;
  const { items } = payload;
  if (!Array.isArray(items) || items.length <= MAX_PAGE) return payload;
  request.log.warn({ items: items.length, url: request.url }, 'list cut to one page');
  return { ...payload, items: items.slice(0, MAX_PAGE) };
}

/**
 * Requests refused before routing (a path that is not valid percent-encoded UTF-8, a path parameter
 * over Fastify's length limit) answer problem JSON too. Given to Fastify as `frameworkErrors`.
 */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const badUrl = error.code === 'FST_ERR_BAD_URL';
  const status = tooLong ? 414 : badUrl ? 400 : 500;
  if (status === 500) request.log.error({ err: error }, 'request failed before routing');
  const code = tooLong ? 'URL.TOO_LONG' : badUrl ? 'INPUT.INVALID' : 'INTERNAL';
  void sendProblem(reply, {
    type: problemType(code),
    title: tooLong ? 'URI too long' : badUrl ? 'Invalid input' : 'Internal error',
    status,
    detail: tooLong
      ? 'a path segment is longer than any id'
      : badUrl
        ? 'the path is not valid percent-encoded UTF-8 text'
        : 'the server failed to answer; the error is in its log',
    code,
    ...(badUrl ? { field: 'path' } : {}),
    instance: request.url,
  });
}

/** The security headers (Content-Security-Policy, frame and referrer policies, HSTS, …). */
const HELMET: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: true,
    directives: {
      // The web app and Swagger UI load their scripts and styles from this server only; styles
      // may be inline (both set style attributes), scripts never.
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'script-src-attr': ["'none'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'frame-ancestors': ["'none'"],
      'form-action': ["'self'"],
      'base-uri': ["'self'"],
      // Served over plain HTTP on a private network too: asking for https would break it.
      'upgrade-insecure-requests': null,
    },
  },
  frameguard: { action: 'deny' },
};

/** The headers helmet sets with `options`, worked out once: they depend on nothing in a request. */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let ran = false;
  helmet(options)({} as never, response as never, () => {
    ran = true;
  });
  if (!ran) throw new Error('helmet did not finish at once');
  return headers;
}

/**
 * Registers the wall on the application itself (not encapsulated), before any route: its hooks
 * then run for every route, the documentation and the web app included.
 */
export const hardening = fp<{ policy?: HttpPolicy }>(
  async (app, { policy = DEFAULT_HTTP_POLICY }) => {
    // The same headers on every answer, worked out once (the plugin would run helmet per request).
    const security = securityHeaders(HELMET);
    const hostAllowed = hostCheck(policy);
    const bodyFits = bodyLimitCheck(policy.bodyLimitBytes);
    const checked = (request: FastifyRequest, reply: FastifyReply) =>
      hostAllowed(request, reply) && bodyFits(request, reply);
    if (policy.corsOrigins.length === 0) {
      // One hook for every request (hooks are run per request: one costs less than two).
      app.addHook('onRequest', (request, reply, done) => {
        void reply.headers(security);
        if (checked(request, reply)) done();
      });
    } else {
      // CORS between the headers and the checks: a refusal (413, 421) carries its headers too, so
      // the page of an allowed origin can read the problem.
      app.addHook('onRequest', (_request, reply, done) => {
        void reply.headers(security);
        done();
      });
      await app.register(fastifyCors, {
        origin: [...policy.corsOrigins],
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['content-type', 'authorization', 'x-actor', 'if-match'],
        exposedHeaders: ['etag', 'location'],
        maxAge: 600,
      });
      app.addHook('onRequest', (request, reply, done) => {
        if (checked(request, reply)) done();
      });
    }
    app.addHook('onRoute', (route) => {
      route.bodyLimit ??= policy.bodyLimitBytes;
    });
    app.addHook('preValidation', textCheck);
    // A request refused before its body was read (not signed in, over a rate limit, too large):
    // the connection is closed after the answer rather than the body read only to be dropped, so
    // a client sending large refused bodies spends its own time, not the server's.
    // A PDF is no page that runs scripts; Chromium's viewer shows nothing under `object-src 'none'`.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (reply.statusCode >= 400 && request.body === undefined && bodyAnnounced(request))
        void reply.header('connection', 'close');
      if (String(reply.getHeader('content-type') ?? '').startsWith('application/pdf'))
        reply.removeHeader('content-security-policy');
      done(null, payload);
    });
    app.addHook('preSerialization', (request, reply, payload, done) =>
      done(null, pageCap(request, reply, payload)),
    );
  },
  { name: 'attache-hardening', fastify: '5.x' },
);
