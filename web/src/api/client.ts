// HTTP client for the Attaché API: validates responses at the edge and maps failures to typed errors.
import * as z from 'zod/mini';

const restrictionSchema = z.object({
  id: z.string(),
  kind: z.string(),
  basis: z.string(),
  from: z.string(),
  until: z.nullable(z.string()),
});

const countrySchema = z.object({
  iso3: z.string(),
  name: z.string(),
  flags: z.object({
    natoMember: z.boolean(),
    fmtReportExcluded: z.boolean(),
    grantImetExcluded: z.boolean(),
  }),
  latestImet: z.nullable(z.object({ fy: z.number(), cents: z.number() })),
  restrictionsInForce: z.array(restrictionSchema),
});

const countryListSchema = z.object({
  items: z.array(countrySchema),
  total: z.number(),
});

export type RestrictionInForce = z.infer<typeof restrictionSchema>;
export type CountrySummary = z.infer<typeof countrySchema>;
export type CountryList = z.infer<typeof countryListSchema>;

/** Why a request failed, in terms the page can explain. */
export type LoadError =
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'http'; readonly status: number; readonly detail: string | undefined }
  | { readonly kind: 'invalid-response' }
  | { readonly kind: 'unexpected' };

export type LoadResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: LoadError };

const problemSchema = z.object({ title: z.optional(z.string()), detail: z.optional(z.string()) });

/** GET /api/v1/countries. Rejects only when aborted (an AbortError), never for an HTTP or network failure. */
export async function fetchCountries(signal: AbortSignal): Promise<LoadResult<CountryList>> {
  return getJson('/api/v1/countries', countryListSchema, signal);
}

async function getJson<T>(
  url: string,
  schema: z.ZodMiniType<T>,
  signal: AbortSignal,
): Promise<LoadResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal.aborted) throw error;
    return { ok: false, error: { kind: 'unreachable' } };
  }
  const body = await readJson(response, signal);
  if (!response.ok) {
    // RFC 9457 problem JSON carries a sentence meant for people; a proxy's HTML error page does not.
    const problem = problemSchema.safeParse(body);
    const detail = problem.success ? (problem.data.detail ?? problem.data.title) : undefined;
    return { ok: false, error: { kind: 'http', status: response.status, detail } };
  }
  const parsed = schema.safeParse(body);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: { kind: 'invalid-response' } };
}

async function readJson(response: Response, signal: AbortSignal): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch (error) {
    if (signal.aborted) throw error;
    return undefined;
  }
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
        return 'You are not allowed to see this list. Sign in with an account that has access.';
      }
      return error.detail ?? `The server refused the request (HTTP ${error.status}).`;
    case 'invalid-response':
      return 'The server answered with data this page does not understand. The web page and the server may be different versions; reload the page.';
    case 'unexpected':
      return 'Something went wrong in this page. Reload it; if that does not help, tell the system administrator.';
  }
}
