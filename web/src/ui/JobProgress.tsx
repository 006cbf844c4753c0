// A job the server runs in the background (a report, an import): its progress while it runs, read
// again every half second, then its file to download or the reason it failed. The server decides
// everything; this only shows it.
import type { MethodResponse } from 'openapi-fetch';
import type { ReactNode } from 'react';
import type { ApiHttp } from '../api/client.js';
import { load } from '../api/client.js';
import { useApiQuery } from '../api/query.js';
import { useSession } from '../session.js';
import { Failure } from './Status.js';

export type Job = MethodResponse<ApiHttp, 'get', '/api/v1/jobs/{id}'>;
export type JobProblem = NonNullable<NonNullable<Job['outcome']>['problem']>;

const POLL_MS = 500;

function ended(job: Job | undefined): boolean {
  return job !== undefined && (job.status === 'succeeded' || job.status === 'failed');
}

/** The job, read again until it has ended. */
export function useJob(id: string | undefined) {
  const { api } = useSession();
  return useApiQuery(
    ['job', id],
    (signal) =>
      load(api.http.GET('/api/v1/jobs/{id}', { params: { path: { id: id ?? '' } }, signal })),
    {
      enabled: id !== undefined,
      refetchInterval: (query) => (ended(query.state.data) ? false : POLL_MS),
      staleTime: 0,
    },
  );
}

function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Where a job stands: a progress bar with the server's note while queued or running; when it
 * succeeded, its file to download and `done(job)`; when it failed, `failed(problem)` or the
 * problem's sentence.
 */
export function JobProgress({
  id,
  what,
  done,
  failed,
}: {
  readonly id: string;
  /** What the job makes, for the status line (e.g. "the report"). */
  readonly what: string;
  readonly done?: (job: Job) => ReactNode;
  readonly failed?: (problem: JobProblem) => ReactNode;
}) {
  const query = useJob(id);
  if (query.isError) return <Failure error={query.error} onRetry={() => void query.refetch()} />;
  const job = query.data;
  if (job === undefined)
    return (
      <p className="status" role="status">
        Asking the server for {what}…
      </p>
    );
  const { done: count, total, note } = job.progress;
  if (job.status === 'queued' || job.status === 'running')
    return (
      <div className="job-progress" role="status" aria-live="polite">
        <p>
          {job.status === 'queued' ? `Waiting to make ${what}…` : `Making ${what}…`}
          {note === null ? '' : ` ${note}`}
        </p>
        <progress
          max={total ?? undefined}
          value={total === null ? undefined : count}
          aria-label={`Progress of ${what}`}
        />
      </div>
    );
  if (job.status === 'failed') {
    const problem = job.outcome?.problem;
    return (
      <div className="status error" role="alert" data-testid="job-failed">
        {problem === undefined ? (
          <p>The server could not finish {what}.</p>
        ) : failed !== undefined ? (
          failed(problem)
        ) : (
          <p>{problem.detail}</p>
        )}
      </div>
    );
  }
  return (
    <div className="job-done" role="status" data-testid="job-succeeded">
      {job.result !== null && (
        <p>
          <a className="button primary" href={job.result.href} download={job.result.fileName}>
            Download {job.result.fileName}
          </a>{' '}
          <span className="hint">({bytesText(job.result.bytes)})</span>
        </p>
      )}
      {done?.(job)}
    </div>
  );
}
