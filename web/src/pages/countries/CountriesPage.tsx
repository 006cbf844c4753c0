// Every country with its latest IMET allocation and the restrictions and reliefs in force today;
// a country's name opens its page.
import { useMemo, useState } from 'react';
import type { CountryList } from '../../api/countries.js';
import { fetchCountries } from '../../api/countries.js';
import { useApiQuery } from '../../api/query.js';
import { useSession } from '../../session.js';
import { Page } from '../../ui/Page.js';
import { QueryView } from '../../ui/Status.js';
import { CountryFilters } from './CountryFilters.js';
import { CountryTable } from './CountryTable.js';
import { visibleCountries, type CountryFilter, type SortKey, type SortOrder } from './countries.js';

export default function CountriesPage() {
  const { api } = useSession();
  const countries = useApiQuery(['countries'], (signal) => fetchCountries(api, signal));
  return (
    <Page title="Countries">
      <QueryView query={countries} what="countries">
        {(list) => <CountryListView list={list} />}
      </QueryView>
    </Page>
  );
}

function CountryListView({ list }: { readonly list: CountryList }) {
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
    <section aria-label="Country list">
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
