// The Attaché page: countries with their latest IMET allocation and the restrictions in force today.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { describeLoadError, type Api, type LoadError } from './api/client.js';
import type { CountryList } from './api/countries.js';
import { signOut, whoAmI, type SignedInUser } from './api/session.js';
import { CountryFilters } from './components/CountryFilters.js';
import { SignIn } from './components/SignIn.js';
import { CountryTable } from './components/CountryTable.js';
import { visibleCountries, type CountryFilter, type SortKey, type SortOrder } from './countries.js';
import { useCountries } from './use-countries.js';

type Who =
  | { readonly status: 'checking' }
  | { readonly status: 'signed-out' }
  | { readonly status: 'signed-in'; readonly user: SignedInUser }
  | { readonly status: 'failed'; readonly error: LoadError };

export function App({ api }: { readonly api: Api }) {
  const [who, setWho] = useState<Who>({ status: 'checking' });
  const check = useCallback(() => {
    whoAmI(api).then(
      (result) =>
        setWho(
          !result.ok
            ? { status: 'failed', error: result.error }
            : result.value === null
              ? { status: 'signed-out' }
              : { status: 'signed-in', user: result.value },
        ),
      (error: unknown) => {
        reportError(error);
        setWho({ status: 'failed', error: { kind: 'unexpected' } });
      },
    );
  }, [api]);
  useEffect(check, [check]);
  // Whatever the server answered, asking again who is signed in shows the outcome.
  const leave = () => void signOut(api).then(check, check);
  return (
    <>
      <header className="masthead">
        <h1>Attaché</h1>
        <p>International Military Education and Training: countries, allocations, restrictions</p>
        {who.status === 'signed-in' && (
          <p className="who">
            Signed in as {who.user.actor.replace(/^user:/, '')} ({who.user.role}
            {[...who.user.countries, ...who.user.schools].length > 0 &&
              `: ${[...who.user.countries, ...who.user.schools].join(', ')}`}
            ){' '}
            <button type="button" onClick={leave}>
              Sign out
            </button>
          </p>
        )}
      </header>
      {who.status === 'checking' && (
        <main>
          <p className="status" role="status">
            Checking who is signed in…
          </p>
        </main>
      )}
      {who.status === 'failed' && (
        <main>
          <div className="status error" role="alert">
            <p>{describeLoadError(who.error)}</p>
            <button type="button" onClick={check}>
              Try again
            </button>
          </div>
        </main>
      )}
      {who.status === 'signed-out' && (
        <main>
          <SignIn api={api} onSignedIn={check} />
        </main>
      )}
      {who.status === 'signed-in' && <Countries api={api} />}
    </>
  );
}

function Countries({ api }: { readonly api: Api }) {
  const { state, reload } = useCountries(api);
  return (
    <>
      <main>
        {state.status === 'loading' && (
          <p className="status" role="status">
            Loading countries…
          </p>
        )}
        {state.status === 'error' && (
          <div className="status error" role="alert">
            <p>{describeLoadError(state.error)}</p>
            <button type="button" onClick={reload}>
              Try again
            </button>
          </div>
        )}
        {state.status === 'loaded' && <CountryList list={state.list} />}
      </main>
    </>
  );
}

function CountryList({ list }: { readonly list: CountryList }) {
  const [filter, setFilter] = useState<CountryFilter>({
    query: '',
    onlyWithImet: true,
    onlyRestricted: false,
  });
  const [order, setOrder] = useState<SortOrder>({ key: 'name', direction: 'ascending' });
  const rows = useMemo(() => visibleCountries(list.items, filter, order), [list, filter, order]);

  const sortBy = (key: SortKey) =>
    setOrder((current) => ({
      key,
      direction:
        current.key === key && current.direction === 'ascending' ? 'descending' : 'ascending',
    }));

  return (
    <section aria-labelledby="countries-heading">
      <h2 id="countries-heading">Countries</h2>
      <CountryFilters filter={filter} onChange={setFilter} />
      <p className="count" aria-live="polite">
        Showing {rows.length} of {list.items.length} countries
        {list.items.length < list.total && (
          <>
            {' '}
            (the server returned {list.items.length} of {list.total})
          </>
        )}
      </p>
      <CountryTable rows={rows} order={order} onSort={sortBy} />
    </section>
  );
}
