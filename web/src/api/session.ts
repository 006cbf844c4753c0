// Who is signed in, and signing in and out (POST/DELETE /api/v1/session, or single sign-on through
// /api/v1/session/oidc). The session lives in an httpOnly cookie the page never sees; the client
// sends the CSRF token a sign-in returns (or a single sign-on left in a cookie) with every write.
import type { MethodResponse } from 'openapi-fetch';
import {
  describeLoadError,
  load,
  send,
  type Api,
  type ApiHttp,
  type LoadResult,
} from './client.js';

export type SignedInUser = MethodResponse<ApiHttp, 'get', '/api/v1/session'>;
export type SignOnProvider = MethodResponse<
  ApiHttp,
  'get',
  '/api/v1/session/providers'
>['providers'][number];

/**
 * GET /api/v1/session/providers: single sign-on, when the server offers it. None when the server
 * cannot say: the password form still works. Rejects only when aborted.
 */
export async function signOnProviders(
  api: Api,
  signal: AbortSignal,
): Promise<readonly SignOnProvider[]> {
  const result = await load(api.http.GET('/api/v1/session/providers', { signal }), signal);
  return result.ok ? result.value.providers : [];
}

/** GET /api/v1/session: the user, or null when no one is signed in. */
export async function whoAmI(
  api: Api,
  signal?: AbortSignal,
): Promise<LoadResult<SignedInUser | null>> {
  const result = await load(
    api.http.GET('/api/v1/session', signal === undefined ? {} : { signal }),
    signal,
  );
  if (!result.ok && result.error.kind === 'http' && result.error.status === 401)
    return { ok: true, value: null };
  return result;
}

/** Signs in; the reason in people's words when refused. */
export async function signIn(
  api: Api,
  email: string,
  password: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const result = await load(api.http.POST('/api/v1/session', { body: { email, password } }));
  if (result.ok) {
    api.setCsrfToken(result.value.csrfToken);
    return { ok: true };
  }
  const { error } = result;
  switch (error.kind) {
    case 'unreachable':
      return { ok: false, reason: 'The server cannot be reached. Check your connection.' };
    case 'http':
      return {
        ok: false,
        reason:
          error.status === 401
            ? 'Wrong email or password.'
            : error.status === 429
              ? 'Too many failed sign-ins. Wait a few minutes, then try again.'
              : (error.detail ?? `The server answered ${error.status}.`),
      };
    case 'invalid-response':
    case 'unexpected':
      return { ok: false, reason: describeLoadError(error) };
  }
}

/**
 * Ends the session (DELETE /api/v1/session, with the CSRF token) and forgets the token. The page
 * asks who is signed in afterwards, which shows the outcome whatever the answer was.
 */
export async function signOut(api: Api): Promise<LoadResult<undefined>> {
  try {
    return await send(api.http.DELETE('/api/v1/session'));
  } finally {
    api.setCsrfToken(undefined);
  }
}
