// The Attaché API client: openapi-fetch over the types generated from the server's OpenAPI document
// (npm run api:types), the session's CSRF token on writes, and failures as a LoadError.
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema.js';

/** Typed requests: a path, method or field the document does not have fails the typecheck. */
export type ApiHttp = Client<paths>;

export interface Api {
  readonly http: ApiHttp;
  /** Keeps the CSRF token a password sign-in returned; undefined forgets it (signed out). */
  setCsrfToken(token: string | undefined): void;
}

export interface ApiOptions {
  /** Where the API is: the page's own origin, as the server serves both. */
  readonly baseUrl: string;
  /** The global fetch unless given (tests give theirs). */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** The page's cookies (`document.cookie`): a single sign-on leaves its CSRF token there. */
  readonly cookies?: () => string;
}

/** The cookie a single sign-on leaves the CSRF token in: the page never saw its JSON. */
const CSRF_COOKIE = 'attache_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createApi(options: ApiOptions): Api {
  const transport = options.fetch ?? ((request: Request) => fetch(request));
  let csrfToken: string | undefined;
  const http = createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { accept: 'application/json, application/problem+json' },
    fetch: async (request) => {
      try {
        return await transport(request);
      } catch (error) {
        // An abort is the caller's own doing and reaches it unchanged; anything else is the network.
        if (request.signal.aborted) throw error;
        throw new Unreachable(error);
      }
    },
  });
  http.use({
    onRequest({ request }) {
      // The server refuses a write signed in by cookie without its session's token (a page of
      // another site can make the browser send the cookie, never read the token).
      const token = csrfToken ?? cookie(options.cookies?.() ?? '', CSRF_COOKIE);
      if (!SAFE_METHODS.has(request.method) && token !== undefined)
        request.headers.set('x-csrf-token', token);
      return request;
    },
  });
  return {
    http,
    setCsrfToken(token) {
      csrfToken = token;
    },
  };
}

function cookie(cookies: string, name: string): string | undefined {
  for (const part of cookies.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** fetch failed without an answer: no network, the server down, a refused connection. */
class Unreachable extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'Unreachable';
  }
}

/** Why a request failed, in terms the page can explain. */
export type LoadError =
  | { readonly kind: 'unreachable' }
  | {
      readonly kind: 'http';
      readonly status: number;
      readonly detail: string | undefined;
      /** The problem's stable code, e.g. SEAT.STALE, when the answer was problem JSON. */
      readonly code?: string;
      /** The input field the problem names, e.g. `from`: a form shows the detail beside it. */
      readonly field?: string;
    }
  | { readonly kind: 'invalid-response' }
  | { readonly kind: 'unexpected' };

export type LoadResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: LoadError };

/** What openapi-fetch settles with, for any path: a body on success, else the error body. */
interface Answer<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * A request with a JSON answer, settled as a LoadResult. Rejects only when `signal` aborted it (an
 * AbortError) or on a bug, never for an HTTP or network failure.
 */
export async function load<T>(
  request: Promise<Answer<T>>,
  signal?: AbortSignal,
): Promise<LoadResult<T>> {
  const settled = await settle(request, signal);
  if (!settled.ok) return settled;
  const { data } = settled.value;
  return data === undefined ? failed({ kind: 'invalid-response' }) : { ok: true, value: data };
}

/** A request answered without a body (204), settled as `load` settles one with a body. */
export async function send(
  request: Promise<Answer<unknown>>,
  signal?: AbortSignal,
): Promise<LoadResult<undefined>> {
  const settled = await settle(request, signal);
  return settled.ok ? { ok: true, value: undefined } : settled;
}

async function settle<T>(
  request: Promise<Answer<T>>,
  signal: AbortSignal | undefined,
): Promise<LoadResult<Answer<T>>> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch (error) {
    if (signal?.aborted === true) throw error;
    if (error instanceof Unreachable) return failed({ kind: 'unreachable' });
    // A success whose body is not JSON: a proxy's page, a cut-off answer.
    if (error instanceof SyntaxError) return failed({ kind: 'invalid-response' });
    throw error;
  }
  const { error, response } = answer;
  return response.ok
    ? { ok: true, value: answer }
    : failed({ kind: 'http', status: response.status, ...problemOf(error) });
}

function failed(error: LoadError): { readonly ok: false; readonly error: LoadError } {
  return { ok: false, error };
}

/**
 * The sentence, code and field of an RFC 9457 problem body; the detail undefined for anything else
 * (a proxy's HTML error page arrives as text). Read as unknown: a proxy may answer in its place.
 */
function problemOf(body: unknown): {
  detail: string | undefined;
  code?: string;
  field?: string;
} {
  if (typeof body !== 'object' || body === null) return { detail: undefined };
  const { detail, title, code, field } = body as Record<string, unknown>;
  return {
    detail: typeof detail === 'string' ? detail : typeof title === 'string' ? title : undefined,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof field === 'string' ? { field } : {}),
  };
}

/** A sentence a person understands, for any failure. */
export function describeLoadError(error: LoadError): string {
  switch (error.kind) {
    case 'unreachable':
      return 'The server could not be reached. Check your network connection, then try again.';
    case 'http':
      if (error.status >= 500) {
        return `The server had a problem answering (HTTP ${error.status}). Try again in a moment; if it persists, tell the system administrator.`;
      }
      if (error.status === 401 || error.status === 403) {
        return 'You are not allowed to see or do this. Sign in with an account that has access.';
      }
      return error.detail ?? `The server refused the request (HTTP ${error.status}).`;
    case 'invalid-response':
      return 'The server answered with data this page does not understand. The web page and the server may be different versions; reload the page.';
    case 'unexpected':
      return 'Something went wrong in this page. Reload it; if that does not help, tell the system administrator.';
  }
}
