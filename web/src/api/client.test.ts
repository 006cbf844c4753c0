// The API client: answers and failures as a LoadResult, and the failure → sentence mapping.
import { describe, expect, it, vi } from 'vitest';
import { createApi, describeLoadError, type LoadError } from './client.js';
import { fetchCountries, type CountrySummary } from './countries.js';

const pakistan: CountrySummary = {
  iso3: 'PAK',
  iso2: 'PK',
  name: 'Pakistan',
  flags: { natoMember: false, fmtReportExcluded: false, grantImetExcluded: false },
  latestImet: { fy: 2017, cents: 480_000_000, currency: 'USD' },
  restrictionsInForce: [
    {
      id: 'r1',
      country: 'PAK',
      kind: 'policy',
      scope: [],
      programs: ['IMET', 'FMF'],
      basis: 'suspension',
      authority: 'policy',
      from: '2018-01-04',
      until: null,
      dateQuality: null,
      untilQuality: null,
      source: null,
      reliefs: [],
    },
  ],
};

/** A client whose server answers every request with `body`. */
function answering(status: number, body: string | null, type = 'application/json') {
  const fetch = vi.fn((_request: Request) =>
    Promise.resolve(new Response(body, { status, headers: { 'content-type': type } })),
  );
  return { api: createApi({ baseUrl: 'http://attache.test', fetch }), fetch };
}

describe('fetchCountries', () => {
  const signal = new AbortController().signal;

  it('asks GET /api/v1/countries for JSON and returns the list', async () => {
    const { api, fetch } = answering(200, JSON.stringify({ items: [pakistan], total: 1 }));
    expect(await fetchCountries(api, signal)).toEqual({
      ok: true,
      value: { items: [pakistan], total: 1 },
    });
    const request = fetch.mock.calls[0]![0];
    expect([request.method, request.url]).toEqual(['GET', 'http://attache.test/api/v1/countries']);
    expect(request.headers.get('accept')).toContain('application/json');
  });

  it.each([
    ['an HTML page', '<html>Welcome to the captive portal</html>', 'text/html'],
    ['no body at all', null, 'application/json'],
  ])('refuses a success with %s', async (_what, body, type) => {
    const { api } = answering(200, body, type);
    expect(await fetchCountries(api, signal)).toEqual({
      ok: false,
      error: { kind: 'invalid-response' },
    });
  });

  it('keeps the detail of a problem response', async () => {
    const problem = { title: 'Forbidden', status: 403, detail: 'Scope: PAK only' };
    const { api } = answering(403, JSON.stringify(problem), 'application/problem+json');
    expect(await fetchCountries(api, signal)).toEqual({
      ok: false,
      error: { kind: 'http', status: 403, detail: 'Scope: PAK only' },
    });
  });

  it('falls back to the title of a problem without detail', async () => {
    const { api } = answering(429, JSON.stringify({ title: 'Too many requests', status: 429 }));
    expect(await fetchCountries(api, signal)).toEqual({
      ok: false,
      error: { kind: 'http', status: 429, detail: 'Too many requests' },
    });
  });

  it('survives an HTML error page from a proxy', async () => {
    const { api } = answering(502, '<html>Bad gateway</html>', 'text/html');
    expect(await fetchCountries(api, signal)).toEqual({
      ok: false,
      error: { kind: 'http', status: 502, detail: undefined },
    });
  });

  it('reports a network failure as unreachable', async () => {
    const fetch = vi.fn(() => Promise.reject(new TypeError('Failed to fetch')));
    const api = createApi({ baseUrl: 'http://attache.test', fetch });
    expect(await fetchCountries(api, signal)).toEqual({
      ok: false,
      error: { kind: 'unreachable' },
    });
  });

  it('rejects when aborted, so a stale request never updates the page', async () => {
    const controller = new AbortController();
    const fetch = vi.fn(() => Promise.reject(new DOMException('aborted', 'AbortError')));
    const api = createApi({ baseUrl: 'http://attache.test', fetch });
    controller.abort();
    await expect(fetchCountries(api, controller.signal)).rejects.toThrow('aborted');
  });

  it('passes the signal on, so aborting cancels the request', async () => {
    const { api, fetch } = answering(200, JSON.stringify({ items: [], total: 0 }));
    const controller = new AbortController();
    expect(await fetchCountries(api, controller.signal)).toMatchObject({ ok: true });
    const request = fetch.mock.calls[0]![0];
    expect(request.signal.aborted).toBe(false);
    controller.abort();
    expect(request.signal.aborted).toBe(true);
  });
});

describe('describeLoadError', () => {
  it.each<[LoadError, RegExp]>([
    [{ kind: 'unreachable' }, /could not be reached/],
    [{ kind: 'http', status: 500, detail: 'stack trace' }, /problem answering \(HTTP 500\)/],
    [{ kind: 'http', status: 403, detail: undefined }, /not allowed/],
    [{ kind: 'http', status: 404, detail: 'No such list' }, /^No such list$/],
    [{ kind: 'http', status: 404, detail: undefined }, /refused the request \(HTTP 404\)/],
    [{ kind: 'invalid-response' }, /does not understand/],
    [{ kind: 'unexpected' }, /went wrong/],
  ])('%j → %s', (error, sentence) => expect(describeLoadError(error)).toMatch(sentence));
});
