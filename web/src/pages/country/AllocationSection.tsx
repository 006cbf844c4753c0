// A program's allocation to the country by fiscal year: the amount in force as a bar, a change
// waiting for its notification window or a revised amount noted beside it; a table says the same.
import { scaleLinear } from 'd3-scale';
import { useSearchParams } from 'react-router';
import { load } from '../../api/client.js';
import { useApiQuery } from '../../api/query.js';
import { formatUsd } from '../../format.js';
import { useSession } from '../../session.js';
import { QueryView } from '../../ui/Status.js';
import { PROGRAMS, isProgram, type Allocations, type CountryDetail } from './api.js';
import { useWidth } from './useWidth.js';
import { noteOf } from './views.js';

export function AllocationSection({ country }: { readonly country: CountryDetail }) {
  const { api } = useSession();
  const [params, setParams] = useSearchParams();
  const wanted = params.get('allocations')?.toUpperCase() ?? null;
  const program = isProgram(wanted) ? wanted : 'IMET';
  const allocations = useApiQuery(['allocations', country.iso3, program], (signal) =>
    load(
      api.http.GET('/api/v1/allocations', {
        params: { query: { country: country.iso3, program } },
        signal,
      }),
      signal,
    ),
  );
  return (
    <section className="country-section" aria-labelledby="country-allocations-title">
      <div className="country-section-head">
        <h2 id="country-allocations-title">{program} allocations by fiscal year</h2>
        <label className="country-inline-field">
          Allocations of{' '}
          <select
            value={program}
            onChange={(event) => {
              const next = new URLSearchParams(params);
              if (event.target.value === 'IMET') next.delete('allocations');
              else next.set('allocations', event.target.value);
              setParams(next, { replace: true });
            }}
          >
            {PROGRAMS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      </div>
      <QueryView query={allocations} what="the allocations">
        {(data) => <AllocationView data={data} name={country.name} />}
      </QueryView>
    </section>
  );
}

const LABEL = 64;
const VALUE = 116;
const BAR_ROW = 28;

function AllocationView({ data, name }: { readonly data: Allocations; readonly name: string }) {
  const [box, available] = useWidth<HTMLDivElement>(700);
  const years = data.fiscalYears;
  if (years.length === 0)
    return (
      <p className="empty">
        No {data.program} allocation is recorded for {name}.
      </p>
    );
  const width = Math.max(320, Math.min(available, 880));
  const amounts = years.map((y) =>
    Math.max(y.inForce?.amountCents ?? 0, ...y.pending.map((p) => p.amountCents)),
  );
  const x = scaleLinear()
    .domain([0, Math.max(1, ...amounts)])
    .range([0, width - LABEL - VALUE]);
  const height = years.length * BAR_ROW + 4;
  return (
    <>
      <div className="country-chart-scroll" ref={box}>
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="group"
          aria-label={`${data.program} allocations of ${name} by fiscal year`}
          className="country-allocations"
          data-testid="allocation-chart"
        >
          {years.map((year, i) => {
            const cents = year.inForce?.amountCents ?? null;
            const note = noteOf(year);
            const text = `FY${year.fiscalYear}: ${cents === null ? 'no amount in force' : `${formatUsd(cents)} in force`}${note === '' ? '' : ` (${note})`}`;
            const y = i * BAR_ROW;
            return (
              <g
                key={year.fiscalYear}
                role="img"
                aria-label={text}
                data-testid={`allocation-FY${year.fiscalYear}`}
              >
                <title>{text}</title>
                <text
                  x={LABEL - 8}
                  y={y + 18}
                  textAnchor="end"
                  className="country-tick"
                  aria-hidden="true"
                >
                  FY{year.fiscalYear}
                </text>
                <rect
                  x={LABEL}
                  y={y + 5}
                  width={Math.max(cents === null ? 0 : 2, x(cents ?? 0))}
                  height={BAR_ROW - 10}
                  className="country-bar-allocation"
                />
                {year.pending.map((p) => (
                  <rect
                    key={p.id}
                    x={LABEL}
                    y={y + 5}
                    width={Math.max(2, x(p.amountCents))}
                    height={BAR_ROW - 10}
                    className="country-bar-pending"
                  />
                ))}
                <text
                  x={LABEL + x(cents ?? 0) + 6}
                  y={y + 18}
                  className="country-value"
                  aria-hidden="true"
                >
                  {cents === null ? '—' : formatUsd(cents)}
                  {note !== '' && ' *'}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
      {years.some((y) => noteOf(y) !== '') && (
        <p className="country-muted">
          * a change pending its notification window, or an amount revised: see the table.
        </p>
      )}
      <details className="country-table-toggle">
        <summary>Show as a table</summary>
        <div
          className="table-scroll"
          tabIndex={0}
          role="region"
          aria-label="Allocations table, scrolls sideways"
        >
          <table className="country-table" data-testid="allocation-table">
            <caption className="country-visually-hidden">
              {data.program} allocations of {name} by fiscal year
            </caption>
            <thead>
              <tr>
                <th scope="col">Fiscal year</th>
                <th scope="col" className="country-numeric">
                  In force
                </th>
                <th scope="col">Source</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {years.map((year) => (
                <tr key={year.fiscalYear}>
                  <th scope="row">FY{year.fiscalYear}</th>
                  <td className="country-numeric">
                    {year.inForce === null ? '—' : formatUsd(year.inForce.amountCents)}
                  </td>
                  <td>{year.inForce?.reason ?? ''}</td>
                  <td>{noteOf(year)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
