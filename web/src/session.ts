// Who is signed in, and signing in and out (POST/DELETE /api/v1/session). The session lives in an
// httpOnly cookie the page never sees; writes will echo the CSRF token kept here.
import * as z from 'zod/mini';

const whoSchema = z.object({
  actor: z.string(),
  role: z.string(),
  countries: z.array(z.string()),
  schools: z.array(z.string()),
});
export type SignedInUser = z.infer<typeof whoSchema>;

const signedInSchema = z.object({ csrfToken: z.string() });
const problemSchema = z.object({ detail: z.optional(z.string()) });

let csrfToken: string | undefined;

/** The CSRF token of this tab's sign-in, for writes made with the session cookie. */
export function currentCsrfToken(): string | undefined {
  return csrfToken;
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
