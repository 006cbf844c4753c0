// The country table: one row per country with its latest IMET allocation and restrictions in force.
import { Link } from 'react-router';
import type { CountrySummary } from '../../api/countries.js';
import { formatFrom, formatUntil, formatUsd } from '../../format.js';
import { ScopeNotStated } from '../../ui/ScopeNotStated.js';
import { kindLabel, type SortKey, type SortOrder } from './countries.js';

interface Props {
  readonly rows: readonly CountrySummary[];
  readonly order: SortOrder;
  readonly onSort: (key: SortKey) => void;
}

const columns: readonly { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Country' },
  { key: 'iso3', label: 'ISO3' },
  { key: 'imet', label: 'Latest IMET allocation', numeric: true },
  { key: 'restricted', label: 'Restriction in force today' },
];

export function CountryTable({ rows, order, onSort }: Props) {
  return (
    // On a narrow screen the table scrolls sideways rather than squeezing its columns over each other.
    <div className="table-scroll">
      <table className="countries">
        <thead>
          <tr>
            {columns.map((column) => {
              const active = order.key === column.key;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={column.numeric === true ? 'numeric' : undefined}
                  aria-sort={active ? order.direction : 'none'}
                >
                  <button type="button" onClick={() => onSort(column.key)}>
                    {column.label}
                    <span className="sort-mark" aria-hidden="true">
                      {active ? (order.direction === 'ascending' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="empty">
                No country matches these filters.
              </td>
            </tr>
          ) : (
            rows.map((country) => <CountryRow key={country.iso3} country={country} />)
          )}
        </tbody>
      </table>
    </div>
  );
}

function CountryRow({ country }: { readonly country: CountrySummary }) {
  const { flags, latestImet } = country;
  return (
    <tr data-iso3={country.iso3}>
      <th scope="row">
        <Link to={`/countries/${country.iso3}`}>{country.name}</Link>
        {flags.natoMember && (
          <>
            {' '}
            <span className="tag">NATO</span>
          </>
        )}
        {flags.grantImetExcluded && (
          <>
            {' '}
            <span className="tag" title="Excluded from grant IMET by law (22 USC 2347e)">
              No grant IMET
            </span>
          </>
        )}
      </th>
      <td className="code">{country.iso3}</td>
      <td className="numeric" data-testid={`imet-${country.iso3}`}>
        {latestImet === null ? (
          <span className="none" title="No IMET allocation on record">
            —
          </span>
        ) : (
          <>
            <span className="amount">{formatUsd(latestImet.cents)}</span>{' '}
            <span className="fy">FY{latestImet.fy}</span>
          </>
        )}
      </td>
      <td data-testid={`restrictions-${country.iso3}`}>
        <RestrictionCell country={country} />
      </td>
    </tr>
  );
}

function RestrictionCell({ country }: { readonly country: CountrySummary }) {
  if (country.restrictionsInForce.length === 0) {
    return (
      <span className="none" title="No restriction in force today">
        —
      </span>
    );
  }
  return (
    <ul className="in-force">
      {country.restrictionsInForce.map((r) => (
        <li key={r.id} title={`${r.basis} (${r.authority})`}>
          <span className="badge badge-blocked">Restricted</span> {kindLabel(r.kind)}{' '}
          <span className="since">
            since {formatFrom(r)}
            {r.until !== null && ` until ${formatUntil(r)}`}
          </span>
          {r.reliefs.map((relief) => (
            <span key={relief.id} className="relief">
              {' '}
              ·{' '}
              {relief.scopeStated ? (
                <>
                  <span className="badge badge-relieved">Relieved</span>{' '}
                  {relief.programs.join(', ')} by {kindLabel(relief.type)} since{' '}
                  {formatFrom(relief)}
                </>
              ) : (
                <>
                  {kindLabel(relief.type)} since {formatFrom(relief)} <ScopeNotStated />
                </>
              )}
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}
