// React hook that loads the country list once and on demand, cancelling stale requests.
import { useCallback, useEffect, useState } from 'react';
import type { Api, LoadError } from './api/client.js';
import { fetchCountries, type CountryList } from './api/countries.js';

export type CountriesState =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: LoadError }
  | { readonly status: 'loaded'; readonly list: CountryList };

export function useCountries(api: Api): { state: CountriesState; reload: () => void } {
  const [state, setState] = useState<CountriesState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    fetchCountries(api, controller.signal).then(
      (result) =>
        setState(
          result.ok
            ? { status: 'loaded', list: result.value }
            : { status: 'error', error: result.error },
        ),
      (error: unknown) => {
        // Aborting is how an unmounted or superseded request ends; anything else is a bug.
        if (controller.signal.aborted) return;
        reportError(error);
        setState({ status: 'error', error: { kind: 'unexpected' } });
      },
    );
    return () => controller.abort();
  }, [api, attempt]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  return { state, reload };
}
