// Search box and toggles above the country table.
import type { CountryFilter } from './countries.js';

interface Props {
  readonly filter: CountryFilter;
  readonly onChange: (filter: CountryFilter) => void;
}

export function CountryFilters({ filter, onChange }: Props) {
  return (
    <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
      <label className="search">
        <span>Search</span>
        <input
          type="search"
          name="q"
          placeholder="Country name or ISO code"
          autoComplete="off"
          value={filter.query}
          onChange={(event) => onChange({ ...filter, query: event.target.value })}
        />
      </label>
      <label className="toggle">
        <input
          type="checkbox"
          name="withImet"
          checked={filter.onlyWithImet}
          onChange={(event) => onChange({ ...filter, onlyWithImet: event.target.checked })}
        />
        Only countries with an IMET allocation
      </label>
      <label className="toggle">
        <input
          type="checkbox"
          name="restricted"
          checked={filter.onlyRestricted}
          onChange={(event) => onChange({ ...filter, onlyRestricted: event.target.checked })}
        />
        Only restricted today
      </label>
    </form>
  );
}
