// Loading and failure, shown the same way on every page: a polite status line while waiting, an
// alert with the reason in people's words and a retry button when a request failed.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ApiError, describeFailure } from '../api/query.js';

export function Loading({ what }: { readonly what: string }) {
  return (
    <p className="status" role="status">
      Loading {what}…
    </p>
  );
}

export function Failure({
  error,
  onRetry,
}: {
  readonly error: unknown;
  readonly onRetry?: () => void;
}) {
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <div className="status error" role="alert">
      <p>
        {notFound
          ? 'Not found: it does not exist, or it is outside what you may see.'
          : describeFailure(error)}
      </p>
      {onRetry !== undefined && !notFound && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** A query's data through `children`, or its loading line, or its failure with a retry. */
export function QueryView<T>({
  query,
  what,
  children,
}: {
  readonly query: UseQueryResult<T, Error>;
  readonly what: string;
  readonly children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError) return <Failure error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
