// Every read route of the API, as URLs a signed-in program manager can read on the demo data (or
// the synthetic set): each GET of the API document with its path parameters and required query
// taken from the data. The reads benchmark drives them; the front door's test asks them as each role.
interface Operation {
  readonly parameters?: readonly {
    name: string;
    in: string;
    required?: boolean;
    schema?: { enum?: string[] };
  }[];
}
interface ApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
}

/** Routes a signed-in API token cannot read as a plain GET (a cookie's session, a sign-on redirect). */
const NOT_READS = new Set([
  '/api/v1/session',
  '/api/v1/session/oidc',
  '/api/v1/session/oidc/callback',
]);

/** Query parameters the demo answers for, by name. */
const QUERY_VALUES: Record<string, string> = {
  // and `restriction`, once the demo's first is known
  country: 'PAK',
  program: 'IMET',
  on: '2019-06-01',
  fy: '2018',
  year: '2018',
  name: 'Khan',
};

export async function getJson<T>(url: string, headers: Record<string, string>): Promise<T> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return (await res.json()) as T;
}

/** A concrete URL for each GET of the document, its path parameters taken from the demo. */
export async function readUrls(base: string, auth: Record<string, string>): Promise<string[]> {
  const doc = await getJson<ApiDocument>(`${base}/api/v1/openapi.json`, auth);
  const first = async (path: string, field = 'id') => {
    const url = await answered(base, auth, path, []);
    const body = await getJson<{ items?: Record<string, unknown>[] }>(`${base}${url}`, auth);
    const value = body.items?.[0]?.[field];
    if (typeof value !== 'string') throw new Error(`${path}: no ${field} in its first item`);
    return value;
  };
  const timeline = await getJson<{ restrictions: { id: string }[] }>(
    `${base}/api/v1/countries/PAK/timeline`,
    auth,
  );
  const seat = await first('/api/v1/seats');
  // A seat whose student travelled: it has a travel order.
  const travelled = await first('/api/v1/seats?country=PAK&status=completed');
  const ids: Record<string, string> = {
    iso3: 'PAK',
    country: 'PAK',
    fy: '2018',
    restriction: timeline.restrictions[0]!.id,
    seat,
    course: await first('/api/v1/courses'),
    student: await first('/api/v1/students'),
  };
  const job = await finishedJob(base, auth);
  QUERY_VALUES['restriction'] = ids['restriction']!;
  const urls: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    const get = operations['get'];
    if (get === undefined || NOT_READS.has(path)) continue;
    let concrete = path;
    let missing = false;
    for (const name of path.match(/\{(\w+)\}/g) ?? []) {
      const key = name.slice(1, -1);
      const value =
        key === 'id'
          ? path.startsWith('/api/v1/restrictions')
            ? ids['restriction']
            : path === '/api/v1/seats/{id}/travel-order'
              ? travelled
              : path.startsWith('/api/v1/seats')
                ? ids['seat']
                : path.startsWith('/api/v1/courses')
                  ? ids['course']
                  : path.startsWith('/api/v1/students')
                    ? ids['student']
                    : path.startsWith('/api/v1/jobs')
                      ? job
                      : undefined
          : key === 'kind'
            ? get.parameters?.find((p) => p.name === 'kind')?.schema?.enum?.[0]
            : ids[key];
      if (value === undefined) missing = true;
      else concrete = concrete.replace(name, encodeURIComponent(value));
    }
    if (missing) {
      console.log(`  (left out: ${path}, the demo has nothing to name in it)`);
      continue;
    }
    const query = (get.parameters ?? [])
      .filter((p) => p.in === 'query' && p.required === true)
      .map((p) => `${p.name}=${encodeURIComponent(QUERY_VALUES[p.name] ?? '')}`);
    urls.push(await answered(base, auth, concrete, query));
  }
  return urls;
}

/** A job that has finished (the CSV of the FMT report), for the job routes to read. */
async function finishedJob(base: string, auth: Record<string, string>): Promise<string> {
  const started = await fetch(`${base}/api/v1/reports`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ report: 'fmt', year: 2018, format: 'csv' }),
  });
  if (started.status !== 202) throw new Error(`POST /reports: ${started.status}`);
  const { id } = (await started.json()) as { id: string };
  for (let i = 0; i < 600; i++) {
    const job = await getJson<{ status: string }>(`${base}/api/v1/jobs/${id}`, auth);
    if (job.status === 'succeeded') return id;
    if (job.status === 'failed') throw new Error(`job ${id} failed`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${id} did not finish in 60 s`);
}

/**
 * The URL with the query a route asks for: a route that answers 400 naming a query parameter the
 * demo has a value for (a board lists one country at a time) is asked again with it.
 */
async function answered(
  base: string,
  auth: Record<string, string>,
  path: string,
  query: string[],
): Promise<string> {
  for (;;) {
    const url = path + (query.length === 0 ? '' : `?${query.join('&')}`);
    const res = await fetch(`${base}${url}`, { headers: auth });
    await res.arrayBuffer();
    if (res.status !== 400) return url;
    const field = (
      (await fetch(`${base}${url}`, { headers: auth }).then((r) => r.json())) as {
        field?: string;
      }
    ).field;
    const value = field === undefined ? undefined : QUERY_VALUES[field];
    if (value === undefined || query.some((q) => q.startsWith(`${field}=`))) return url;
    query = [...query, `${field}=${encodeURIComponent(value)}`];
  }
}
