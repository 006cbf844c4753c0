// The API client: response validation and the failure → sentence mapping.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeLoadError, fetchCountries, type LoadError } from './api.js';

const pakistan = {
  iso3: 'PAK',
  name: 'Pakistan',
  flags: { natoMember: false, fmtReportExcluded: false, grantImetExcluded: false },
  latestImet: { fy: 2017, cents: 480_000_000 },
  restrictionsInForce: [
    { id: 'r1', kind: 'policy', basis: 'suspension', from: '2018-01-04', until: null },
  ],
};

function respond(status: number, body: string, type = 'application/json') {
  vi.stubGlobal(
    'fetch',
    vi.fn(() => Promise.resolve(new Response(body, { status, headers: { 'content-type': type } }))),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fetchCountries', () => {
  const signal = new AbortController().signal;

  it('returns the validated list', async () => {
    respond(200, JSON.stringify({ items: [pakistan], total: 1 }));
    expect(await fetchCountries(signal)).toEqual({
      ok: true,
      value: { items: [pakistan], total: 1 },
    });
  });

  it('refuses a body that breaks the contract', async () => {
    respond(
      200,
      JSON.stringify({ items: [{ ...pakistan, latestImet: { fy: '2017' } }], total: 1 }),
    );
    expect(await fetchCountries(signal)).toEqual({
      ok: false,
      error: { kind: 'invalid-response' },
    });
  });

  it('keeps the detail of a problem response', async () => {
    const problem = { title: 'Forbidden', status: 403, detail: 'Scope: PAK only' };
    respond(403, JSON.stringify(problem), 'application/problem+json');
    expect(await fetchCountries(signal)).toEqual({
      ok: false,
      error: { kind: 'http', status: 403, detail: 'Scope: PAK only' },
    });
  });

  it('survives an HTML error page from a proxy', async () => {
    respond(502, '<html>Bad gateway</html>', 'text/html');
    expect(await fetchCountries(signal)).toEqual({
      ok: false,
      error: { kind: 'http', status: 502, detail: undefined },
    });
  });

  it('reports a network failure as unreachable', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    expect(await fetchCountries(signal)).toEqual({ ok: false, error: { kind: 'unreachable' } });
  });

  it('rejects when aborted, so a stale request never updates the page', async () => {
    const controller = new AbortController();
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new DOMException('aborted', 'AbortError'))),
    );
    controller.abort();
    await expect(fetchCountries(controller.signal)).rejects.toThrow('aborted');
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
