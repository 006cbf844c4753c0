// Who is signed in, and signing in and out (POST/DELETE /api/v1/session, or single sign-on through
// /api/v1/session/oidc). The session lives in an httpOnly cookie the page never sees; writes will
// echo the CSRF token kept here (or, after a single sign-on, left in the `attache_csrf` cookie).
import * as z from 'zod/mini';

const whoSchema = z.object({
  actor: z.string(),
  role: z.string(),
  countries: z.array(z.string()),
  schools: z.array(z.string()),
});
export type SignedInUser = z.infer<typeof whoSchema>;

const signedInSchema = z.object({ csrfToken: z.string() });
const providersSchema = z.object({
  providers: z.array(z.object({ id: z.string(), name: z.string(), url: z.string() })),
});
export type SignOnProvider = z.infer<typeof providersSchema>['providers'][number];
const problemSchema = z.object({ detail: z.optional(z.string()) });

let csrfToken: string | undefined;

/** The CSRF token of this tab's sign-in, for writes made with the session cookie. */
export function currentCsrfToken(): string | undefined {
  return csrfToken ?? cookie('attache_csrf');
}

function cookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * GET /api/v1/session/providers: single sign-on, when the server offers it. None when the server
 * cannot say: the password form still works.
 */
export async function signOnProviders(signal?: AbortSignal): Promise<SignOnProvider[]> {
  try {
    const response = await fetch('/api/v1/session/providers', {
      headers: { accept: 'application/json' },
      ...(signal === undefined ? {} : { signal }),
    });
    const parsed = providersSchema.safeParse(await response.json());
    return response.ok && parsed.success ? parsed.data.providers : [];
  } catch {
    return [];
  }
}

/** GET /api/v1/session: the user, null when no one is signed in, an Error when unreachable. */
export async function whoAmI(signal?: AbortSignal): Promise<SignedInUser | null> {
  const response = await fetch('/api/v1/session', {
    headers: { accept: 'application/json' },
    ...(signal === undefined ? {} : { signal }),
  });
  if (response.status === 401) return null;
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  const parsed = whoSchema.safeParse(await response.json());
  if (!parsed.success) throw new Error('the server sent an answer this page does not understand');
  return parsed.data;
}

/** Signs in; the reason in people's words when refused. */
export async function signIn(
  email: string,
  password: string,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  let response: Response;
  try {
    response = await fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ email, password }),
    });
  } catch {
    return { ok: false, reason: 'The server cannot be reached. Check your connection.' };
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (response.ok) {
    const parsed = signedInSchema.safeParse(body);
    csrfToken = parsed.success ? parsed.data.csrfToken : undefined;
    return { ok: true };
  }
  if (response.status === 401) return { ok: false, reason: 'Wrong email or password.' };
  const problem = problemSchema.safeParse(body);
  return {
    ok: false,
    reason:
      response.status === 429
        ? 'Too many failed sign-ins. Wait a few minutes, then try again.'
        : ((problem.success ? problem.data.detail : undefined) ??
          `The server answered ${response.status}.`),
  };
}

export async function signOut(): Promise<void> {
  await fetch('/api/v1/session', { method: 'DELETE' });
  csrfToken = undefined;
}
