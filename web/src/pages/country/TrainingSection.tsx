// The training list of a fiscal year: each line with its seats by status, the checks the API runs
// on the list before approval (with its verdict and reason), and the way to the seats board.
import { Link, useSearchParams } from 'react-router';
import { load } from '../../api/client.js';
import { ApiError, useApiQuery } from '../../api/query.js';
import { formatDate, formatUsd } from '../../format.js';
import { useSession } from '../../session.js';
import { Badge } from '../../ui/Badge.js';
import { QueryView } from '../../ui/Status.js';
import type { CountryDetail, ProgramCheck, SeatList, TrainingYears } from './api.js';
import { words } from './labels.js';
import { yearOf } from './state.js';
import { countByStatus, linesOf } from './training.js';

export function TrainingSection({ country }: { readonly country: CountryDetail }) {
  const { api } = useSession();
  const years = useApiQuery(['training-years', country.iso3], (signal) =>
    load(
      api.http.GET('/api/v1/countries/{iso3}/training-years', {
        params: { path: { iso3: country.iso3 } },
        signal,
      }),
      signal,
    ),
  );
  return (
    <section className="country-section" aria-labelledby="country-training-title">
      {years.error instanceof ApiError && years.error.status === 404 ? (
        // Restrictions are public; a country's training lines are its SCO's (and the PM's).
        <p className="status" data-testid="training-out-of-scope">
          The training lines and seats of {country.name} are outside what you may see.
        </p>
      ) : (
        <QueryView query={years} what="the training years">
          {(data) => <TrainingYear country={country} years={data} />}
        </QueryView>
      )}
    </section>
  );
}

function TrainingYear({
  country,
  years,
}: {
  readonly country: CountryDetail;
  readonly years: TrainingYears;
}) {
  const { api } = useSession();
  const [params, setParams] = useSearchParams();
  const latest = years.fiscalYears[0]?.fiscalYear;
  const fy = yearOf(params, 'fy') ?? latest;
  const seats = useApiQuery(
    ['seats', country.iso3, fy],
    (signal) =>
      load(
        api.http.GET('/api/v1/seats', {
          params: { query: { country: country.iso3, fy: String(fy) } },
          signal,
        }),
        signal,
      ),
    { enabled: fy !== undefined },
  );
  const check = useApiQuery(
    ['program-check', country.iso3, fy],
    (signal) =>
      load(
        api.http.GET('/api/v1/programs/{iso3}/{fy}/check', {
          params: { path: { iso3: country.iso3, fy: String(fy) } },
          signal,
        }),
        signal,
      ),
    { enabled: fy !== undefined },
  );
  const listed = years.fiscalYears.some((y) => y.fiscalYear === fy);
  return (
    <>
      <div className="country-section-head">
        <h2 id="country-training-title">Training {fy === undefined ? '' : `in FY${fy}`}</h2>
        {years.fiscalYears.length > 0 && (
          <label className="country-inline-field">
            Fiscal year{' '}
            <select
              value={fy}
              onChange={(event) => {
                const next = new URLSearchParams(params);
                next.set('fy', event.target.value);
                setParams(next, { replace: true });
              }}
            >
              {!listed && fy !== undefined && <option value={fy}>FY{fy}</option>}
              {years.fiscalYears.map((y) => (
                <option key={y.fiscalYear} value={y.fiscalYear}>
                  FY{y.fiscalYear} ({y.lines} {y.lines === 1 ? 'line' : 'lines'}, {y.seats} seats)
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {fy === undefined ? (
        <p className="empty">No training line is recorded for {country.name}.</p>
      ) : (
        <>
          <p>
            <Link to={`/seats?country=${country.iso3}&fy=${fy}`} data-testid="seats-board-link">
              Open the seats board for {country.name}, FY{fy}
            </Link>
          </p>
          <div className="country-training-grid">
            <div>
              <h3>Lines and seats by status</h3>
              <QueryView query={seats} what="the seats">
                {(data) => <Lines seats={data} fy={fy} />}
              </QueryView>
            </div>
            <div>
              <h3>Checks of the list before approval</h3>
              <QueryView query={check} what="the checks">
                {(data) => <Checks check={data} />}
              </QueryView>
            </div>
          </div>
        </>
      )}
    </>
  );
}

function StatusCounts({ counts }: { readonly counts: readonly (readonly [string, number])[] }) {
  return (
    <ul className="country-status-counts">
      {counts.map(([status, n]) => (
        <li key={status}>
          <span className={`country-status country-status-${status}`}>{words(status)}</span> {n}
        </li>
      ))}
    </ul>
  );
}

function Lines({ seats, fy }: { readonly seats: SeatList; readonly fy: number }) {
  if (seats.items.length === 0) return <p className="empty">No seat in FY{fy}.</p>;
  const lines = linesOf(seats.items);
  return (
    <>
      <div className="country-totals" data-testid="seat-totals">
        <span>
          {seats.items.length} seats on {lines.length} {lines.length === 1 ? 'line' : 'lines'}:
        </span>
        <StatusCounts counts={countByStatus(seats.items)} />
      </div>
      <div
        className="table-scroll"
        tabIndex={0}
        role="region"
        aria-label="Training lines, scroll sideways"
      >
        <table className="country-table country-lines" data-testid="lines-table">
          <caption className="country-visually-hidden">
            Training lines of FY{fy} with their seats by status
          </caption>
          <thead>
            <tr>
              <th scope="col">Course</th>
              <th scope="col">Class start</th>
              <th scope="col">Priority</th>
              <th scope="col">Seats by status</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.lineId}>
                <th scope="row">
                  <span className="code">{line.courseId}</span> {line.courseTitle}
                  <span className="country-muted">
                    {' '}
                    · {line.schoolId} · {line.program}
                  </span>
                </th>
                <td className="country-nowrap">{formatDate(line.classStart)}</td>
                <td>{line.priority}</td>
                <td>
                  <StatusCounts counts={line.byStatus} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

const RULES: Readonly<Record<ProgramCheck['checks'][number]['rule'], string>> = {
  PRIORITY_A_WITHIN_ALLOCATION: 'Priority A lines within the allocation',
  PME_AT_LEAST_HALF: 'Professional military education at least half',
  LINE_ELIGIBLE: 'Line eligible at its class start',
};

function Checks({ check }: { readonly check: ProgramCheck }) {
  const { funds } = check;
  return (
    <div data-testid="program-check">
      <p className="country-check-verdict">
        {check.ok ? (
          <Badge tone="ok">All checks pass</Badge>
        ) : (
          <Badge tone="blocked">Checks fail</Badge>
        )}
      </p>
      <dl className="country-funds">
        <dt>Allocation</dt>
        <dd>{formatUsd(funds.allocationCents)}</dd>
        <dt>Committed</dt>
        <dd>{formatUsd(funds.committedCents)}</dd>
        <dt>Released by cancellations</dt>
        <dd>{formatUsd(funds.releasedCents)}</dd>
        <dt>Penalties</dt>
        <dd>{formatUsd(funds.penaltiesCents)}</dd>
        <dt>Unprogrammed</dt>
        <dd>{formatUsd(funds.unprogrammedCents)}</dd>
      </dl>
      <ul className="country-checks">
        {check.checks.map((c, i) => (
          <li
            key={`${c.rule}-${c.lineId ?? i}`}
            className={c.ok ? 'country-check-ok' : 'country-check-fail'}
          >
            <Badge tone={c.ok ? 'ok' : 'blocked'}>{c.ok ? 'Pass' : 'Fail'}</Badge>{' '}
            <strong>{RULES[c.rule]}</strong>
            {c.lineId !== undefined && <span className="code country-muted"> {c.lineId}</span>}
            <p>{c.message}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
