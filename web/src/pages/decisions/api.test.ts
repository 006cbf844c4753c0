// A restriction saved in the background: POST with Prefer: respond-async, then its job asked after
// until it ends; its answer the job's summary, its refusal the job's problem, as the route's own.
import { describe, expect, it, vi } from 'vitest';
import { createApi } from '../../api/client.js';
import { recordRestriction, type RestrictionBody } from './api.js';

const body: RestrictionBody = {
  country: 'PAK',
  kind: 'policy',
  scope: ['security-assistance'],
  from: '2018-01-04',
  basis: 'suspension of security assistance',
  authority: 'Secretary of State',
};

const job = (status: string, extra: object = {}) => ({
  id: 'job_1',
  kind: 'restriction.record',
  status,
  input: body,
  progress: { done: 0, total: 1, note: 'applying it to 66 seats' },
  result: null,
  outcome: null,
  createdBy: 'user:pm@demo.attache',
  createdAt: '2026-11-30T12:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  starts: 1,
  ...extra,
});

/** A server answering each request with the next of `answers`, recording the requests. */
function server(answers: readonly [number, unknown][]) {
  const fetch = vi.fn((_request: Request) => {
    const [status, answer] = answers[fetch.mock.calls.length - 1]!;
    return Promise.resolve(
      new Response(JSON.stringify(answer), {
        status,
        headers: { 'content-type': 'application/json' },
      }),
    );
  });
  return { api: createApi({ baseUrl: 'http://attache.test', fetch }), fetch };
}

describe('recordRestriction in the background', () => {
  it('asks for an answer async, follows the job, and answers its summary', async () => {
    const recorded = { id: 'rst_1', impact: { seats: 66 } };
    const { api, fetch } = server([
      [202, job('queued')],
      [200, job('running')],
      [200, job('succeeded', { outcome: { summary: recorded } })],
    ]);
    const notes: string[] = [];
    const answer = await recordRestriction(api, body, false, { progress: (n) => notes.push(n) });
    expect(answer).toEqual({ ok: true, value: recorded });
    const [post, poll] = fetch.mock.calls.map(([request]) => request);
    expect(post!.method).toBe('POST');
    expect(post!.headers.get('prefer')).toBe('respond-async');
    expect(poll!.url).toBe('http://attache.test/api/v1/jobs/job_1');
    expect(notes).toContain('applying it to 66 seats');
  });

  it('answers the job’s problem as the route would have refused', async () => {
    const problem = {
      status: 409,
      code: 'RESTRICTION.OVERLAP',
      detail: 'rst_0 already restricts PAK',
      field: 'from',
    };
    const { api } = server([[202, job('failed', { outcome: { problem } })]]);
    expect(await recordRestriction(api, body, false, { progress: () => undefined })).toEqual({
      ok: false,
      error: {
        kind: 'http',
        status: 409,
        detail: problem.detail,
        code: problem.code,
        field: 'from',
      },
    });
  });

  it('asks nothing async for a dry run or when not told to', async () => {
    const preview = { id: 'rst_1', impact: { seats: 2 } };
    const { api, fetch } = server([
      [200, preview],
      [201, preview],
    ]);
    expect(await recordRestriction(api, body, true, { progress: () => undefined })).toEqual({
      ok: true,
      value: preview,
    });
    expect(await recordRestriction(api, body, false)).toEqual({ ok: true, value: preview });
    expect(fetch.mock.calls.map(([r]) => r.headers.get('prefer'))).toEqual([null, null]);
  });
});
