// What every operation of the API document shares: its error answers as RFC 9457 problem JSON,
// one `Problem` schema, and the finishing of the generated document (one component per concept).
import type { RouteOptions } from 'fastify';
import { z } from 'zod';
import type { Problem } from './problem.js';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export const ProblemSchema = z
  .object({
    type: z.string().meta({
      description: 'the kind of problem, a URI reference: /problems/ and the code in lower case',
    }),
    title: z.string().meta({ description: 'the status in words, e.g. "Refused by a rule"' }),
    status: z.number().int().meta({ description: 'the HTTP status, repeated' }),
    detail: z.string().meta({ description: 'what went wrong, for people' }),
    code: z.string().meta({
      description:
        'a stable code to act on, e.g. SEAT.NOT_FOUND, RELIEF.LIMIT_EXCEEDED, WRITE.CONTENDED',
    }),
    instance: z.string().optional().meta({ description: 'the request path' }),
    field: z.string().optional().meta({
      description: 'the parameter, header or body field concerned, e.g. `on` or `queries.0.on`',
    }),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: 'facts behind a refusal, named per code (limits, versions, seats)' }),
  })
  .meta({
    id: 'Problem',
    description:
      'RFC 9457 problem details, with the stable `code` to act on and the `field` concerned',
  });

/** The error statuses an operation may answer; each is documented with a problem example. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 421 | 422 | 429 | 500 | 503;

const example = (status: number, title: string, code: string, detail: string, more = {}) =>
  ({
    type: `/problems/${code.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    title,
    status,
    detail,
    code,
    ...more,
  }) satisfies Problem;

/** What each status means in this API, with an example answer. */
export const PROBLEM_STATUSES: Readonly<
  Record<ProblemStatus, { readonly description: string; readonly example: Problem }>
> = {
  400: {
    description: 'Invalid input: a parameter, header or body field, named in `field`',
    example: example(
      400,
      'Invalid input',
      'INPUT.INVALID',
      'on: 2019-02-30 is not a calendar date',
      { field: 'on' },
    ),
  },
  401: {
    description: 'Not signed in: no session or token, or one that is unknown, expired or revoked',
    example: example(
      401,
      'Not signed in',
      'ACCESS.UNAUTHENTICATED',
      'sign in (POST /api/v1/session) or send a valid API token: Authorization: Bearer <token>',
    ),
  },
  403: {
    description:
      "Not allowed: the caller's role may not do this, or the country named is outside its scope",
    example: example(
      403,
      'Not allowed',
      'ACCESS.FORBIDDEN',
      'an analyst may not record restrictions',
    ),
  },
  404: {
    description: "Not found, or outside the caller's scope (the two answer alike)",
    example: example(404, 'Not found', 'SEAT.NOT_FOUND', 'no seat sea_0001'),
  },
  409: {
    description:
      'Conflict with the record as it stands: a duplicate, an overlap, a version that is no longer current (read again), or a write that met concurrent writes too often (WRITE.CONTENDED: try again)',
    example: example(
      409,
      'Conflict',
      'WRITE.CONTENDED',
      'the write met concurrent writes 5 times in a row and was not made: try again',
    ),
  },
  413: {
    description: 'The request body is larger than this server takes',
    example: example(
      413,
      'Content too large',
      'BODY.TOO_LARGE',
      'the request body is 2000000 bytes; this server takes at most 1048576',
    ),
  },
  421: {
    description:
      'The Host header names a host this server does not answer to (ATTACHE_ALLOWED_HOSTS)',
    example: example(
      421,
      'Misdirected request',
      'HOST.NOT_ALLOWED',
      'this server does not answer to the host "evil.example"',
      { field: 'Host' },
    ),
  },
  422: {
    description: 'Refused by a rule of the program; `code` names the rule and `details` its facts',
    example: example(
      422,
      'Refused by a rule',
      'RELIEF.LIMIT_EXCEEDED',
      'child-soldiers exceptions for a country may add up to 5 years',
    ),
  },
  429: {
    description:
      'Too many requests: past the rate limit of this caller or address (RATE.LIMITED), or, on sign-in, too many failures (ACCESS.LOCKED); try again after Retry-After seconds',
    example: example(
      429,
      'Too many requests',
      'ACCESS.LOCKED',
      'too many failed sign-ins: try again later',
      { details: { retryAfterSeconds: 900 } },
    ),
  },
  500: {
    description: 'An internal failure: nothing was written; the cause is in the server log',
    example: example(
      500,
      'Internal error',
      'INTERNAL',
      'the server failed to answer; the error is in its log',
    ),
  },
  503: {
    description: 'A service this operation needs cannot be reached now',
    example: example(
      503,
      'Service unavailable',
      'SSO.UNAVAILABLE',
      'the identity provider cannot be reached now: try again later',
    ),
  },
};

function problemResponse(status: ProblemStatus) {
  return {
    description: PROBLEM_STATUSES[status].description,
    content: { [PROBLEM_MEDIA_TYPE]: { schema: ProblemSchema } },
  };
}

/** The problem answers of `statuses`, for a route's `response` schema. */
export function problems(...statuses: ProblemStatus[]) {
  return Object.fromEntries(statuses.map((s) => [s, problemResponse(s)]));
}

type RouteSchema = NonNullable<RouteOptions['schema']> & { response?: Record<string, unknown> };

/**
 * Adds to a route the problem answers it has by its form, so none is forgotten: 400 always (a
 * malformed query string or body is refused before any route runs), 401 unless it is public (and 403 for a write without its CSRF token), 413 when it takes
 * a body, 421 (the Host check) and 500 (an
 * internal failure) always. The
 * answers its rules give (403, 404, 409, 422, …) the route states itself with `problems()`.
 */
export function addTransportProblems(route: RouteOptions): void {
  const schema = route.schema as RouteSchema | undefined;
  if (schema === undefined || (schema as { hide?: boolean }).hide === true) return;
  const statuses: ProblemStatus[] = [421, 500];
  // Past a rate limit (decision 019), on every route but those answered regardless (health).
  if (route.config?.unlimited !== true) statuses.push(429);
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const writes = methods.some((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m));
  // Any request may be malformed at the transport: a query string or a body that is not storable
  // text, a body that is not JSON. Each is refused with 400 before the route runs.
  statuses.push(400);
  if (route.config?.access !== 'public') {
    statuses.push(401);
    // A write signed in by cookie without its session's X-CSRF-Token: 403 ACCESS.CSRF.
    if (writes) statuses.push(403);
  }
  if (schema.body !== undefined) statuses.push(413);
  const response = { ...(schema.response ?? {}) };
  for (const status of statuses) response[status] ??= problemResponse(status);
  route.schema = { ...schema, response };
}

/** The extension a route's schema carries its response headers in, until finishDocument places them. */
const HEADERS_EXTENSION = 'x-response-headers';

/** What the response headers an operation sets mean (documented on the statuses that set them). */
export const RESPONSE_HEADERS = {
  ETag: 'the version of the record as a strong validator, e.g. "3": send it back in If-Match',
  Location: 'the path of the record created',
  'Retry-After': 'seconds to wait before trying again',
  'Content-Disposition': 'the file name the document is saved under',
  'WWW-Authenticate': 'Bearer realm="attache"',
} as const;

/**
 * The headers an operation's answers carry, by status, for its schema:
 * `...responseHeaders({ 201: ['Location', 'ETag'] })`. (The generator keeps only a response's
 * description and content, so they travel as an extension that finishDocument puts in place.)
 */
export function responseHeaders(
  byStatus: Readonly<Record<number, readonly (keyof typeof RESPONSE_HEADERS)[]>>,
) {
  return { [HEADERS_EXTENSION]: byStatus };
}

interface Document {
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
  [key: string]: unknown;
}
interface ResponseObject {
  content?: Record<string, { schema?: unknown; example?: unknown }>;
  headers?: Record<string, unknown>;
  [key: string]: unknown;
}
type Operation = { responses?: Record<string, ResponseObject>; [HEADERS_EXTENSION]?: unknown };

/**
 * Finishes the generated document: each problem answer gets its example, and a schema the
 * generator emitted twice (`XInput`, its input form, identical to `X`) is kept once, with every
 * reference to the twin pointed at it; components nothing references are dropped.
 */
export function finishDocument<T extends object>(document: T): T {
  const doc = structuredClone(document) as Document;
  for (const operations of Object.values(doc.paths ?? {}))
    for (const operation of Object.values(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const problem = response.content?.[PROBLEM_MEDIA_TYPE];
        const known = PROBLEM_STATUSES[Number(status) as ProblemStatus];
        if (problem !== undefined && known !== undefined) problem.example ??= known.example;
      }
      // The access hook's 401 and the sign-in lock's 429 carry their headers on every route.
      const auto = { 401: ['WWW-Authenticate'], 429: ['Retry-After'] } as const;
      for (const [status, names] of Object.entries(auto))
        if (operation.responses?.[status] !== undefined)
          addHeaders(operation.responses[status], names);
      placeHeaders(operation);
    }
  const schemas = doc.components?.schemas ?? {};
  const renamed = new Map<string, string>();
  for (const name of Object.keys(schemas)) {
    const twin = name.endsWith('Input') ? name.slice(0, -'Input'.length) : undefined;
    if (twin !== undefined && twin in schemas && sameJson(schemas[name], schemas[twin]))
      renamed.set(name, twin);
  }
  for (const name of renamed.keys()) delete schemas[name];
  const rewritten = mapSchemaRefs(doc, (name) => REF + (renamed.get(name) ?? name)) as Document;
  dropUnused(rewritten);
  return rewritten as T;
}

function placeHeaders(operation: Operation): void {
  const byStatus = operation[HEADERS_EXTENSION] as
    Record<string, readonly (keyof typeof RESPONSE_HEADERS)[]> | undefined;
  delete operation[HEADERS_EXTENSION];
  if (byStatus === undefined) return;
  for (const [status, names] of Object.entries(byStatus)) {
    const response = operation.responses?.[status];
    if (response === undefined)
      throw new Error(`headers for status ${status}, which is not documented`);
    addHeaders(response, names);
  }
}

function addHeaders(
  response: ResponseObject,
  names: readonly (keyof typeof RESPONSE_HEADERS)[],
): void {
  response.headers = {
    ...response.headers,
    ...Object.fromEntries(
      names.map((name) => [
        name,
        { description: RESPONSE_HEADERS[name], schema: { type: 'string' } },
      ]),
    ),
  };
}

const REF = '#/components/schemas/';

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A copy of `value` with every reference to a component schema (`#/components/schemas/X`)
 * pointed where `to(X)` says; other references and values are kept.
 */
export function mapSchemaRefs(value: unknown, to: (name: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => mapSchemaRefs(v, to));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] =
      key === '$ref' && typeof child === 'string' && child.startsWith(REF)
        ? to(child.slice(REF.length))
        : mapSchemaRefs(child, to);
  }
  return out;
}

/** Drops the component schemas no path reaches (directly or through other components). */
function dropUnused(doc: Document): void {
  const schemas = doc.components?.schemas;
  if (schemas === undefined) return;
  const reached = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(REF)) {
        const name = child.slice(REF.length);
        if (!reached.has(name)) {
          reached.add(name);
          visit(schemas[name]);
        }
      } else visit(child);
    }
  };
  visit(doc.paths);
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
}
