// The Attaché page: countries with their latest IMET allocation and the restrictions in force today.
import { useMemo, useState } from 'react';
import { describeLoadError, type CountryList } from './api.js';
import { CountryFilters } from './components/CountryFilters.js';
import { CountryTable } from './components/CountryTable.js';
import { visibleCountries, type CountryFilter, type SortKey, type SortOrder } from './countries.js';
import { useCountries } from './use-countries.js';

export function App() {
  const { state, reload } = useCountries();
  return (
    <>
      <header className="masthead">
        <h1>Attaché</h1>
        <p>International Military Education and Training: countries, allocations, restrictions</p>
      </header>
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
