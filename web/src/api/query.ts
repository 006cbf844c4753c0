// React Query over the API client: a request's LoadResult becomes data or a thrown ApiError, so
// every page shows loading, failure (with a retry) and data the same way, and a 401 anywhere
// tells the app the session ended.
import {
  MutationCache,
  QueryCache,
  QueryClient,
  useMutation,
  useQuery,
  type QueryKey,
  type UseMutationOptions,
  type UseQueryOptions,
} from '@tanstack/react-query';
import { describeLoadError, type LoadError, type LoadResult } from './client.js';

/** A failed request as React Query sees it: the LoadError, with a sentence for people. */
export class ApiError extends Error {
  constructor(readonly error: LoadError) {
    super(describeLoadError(error));
    this.name = 'ApiError';
  }

  get status(): number | undefined {
    return this.error.kind === 'http' ? this.error.status : undefined;
  }

  /** The problem's stable code (e.g. SEAT.STALE), when the server sent one. */
  get code(): string | undefined {
    return this.error.kind === 'http' ? this.error.code : undefined;
  }

  /** The input field the server named, for a form to show the message beside it. */
  get field(): string | undefined {
    return this.error.kind === 'http' ? this.error.field : undefined;
  }
}

/** The value of a LoadResult, or its error thrown as an ApiError. */
export async function unwrap<T>(result: Promise<LoadResult<T>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new ApiError(settled.error);
  return settled.value;
}

/** A sentence for any failure a query or mutation may throw. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return describeLoadError({ kind: 'unexpected' });
}

/**
 * The app's query client. `onUnauthorized` runs when any request answers 401: the session expired
 * or was ended elsewhere. A refusal (4xx) is not retried; a network or server failure is, twice.
 */
export function createQueryClient(onUnauthorized: () => void): QueryClient {
  const watch = (error: unknown) => {
    if (error instanceof ApiError && error.status === 401) onUnauthorized();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: watch }),
    mutationCache: new MutationCache({ onError: watch }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, error) =>
          count < 2 && !(error instanceof ApiError && (error.status ?? 500) < 500),
      },
      mutations: { retry: false },
    },
  });
}

/** useQuery over a request that settles as a LoadResult. */
export function useApiQuery<T>(
  key: QueryKey,
  request: (signal: AbortSignal) => Promise<LoadResult<T>>,
  options: Omit<UseQueryOptions<T, Error>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<T, Error>({
    queryKey: key,
    queryFn: ({ signal }) => unwrap(request(signal)),
    ...options,
  });
}

/** useMutation over a write that settles as a LoadResult. */
export function useApiMutation<T, V>(
  write: (variables: V) => Promise<LoadResult<T>>,
  options: Omit<UseMutationOptions<T, Error, V>, 'mutationFn'> = {},
) {
  return useMutation<T, Error, V>({
    mutationFn: (variables) => unwrap(write(variables)),
    ...options,
  });
}
