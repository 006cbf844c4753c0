// The seats board: one row per seat of a country (or of what a restriction reached), filtered by
// FY, course, status and restriction, all kept in the address; counts by status and the money of
// what matched, as the API reports them.
import { useEffect } from 'react';
import { Link, useSearchParams } from 'react-router';
import { fetchCountries } from '../../api/countries.js';
import { load } from '../../api/client.js';
import { useApiQuery } from '../../api/query.js';
import { fiscalYearOf, formatDate, formatUsd, today } from '../../format.js';
import { useSession } from '../../session.js';
import { Badge } from '../../ui/Badge.js';
import { Page } from '../../ui/Page.js';
import { QueryView } from '../../ui/Status.js';
import {
  boardQuery,
  filtersFromParams,
  fiscalYearChoices,
  hasScope,
  paramsWith,
  statusDate,
  statusLabel,
  statusTone,
  STATUSES,
  type BoardFilters,
  type BoardSeat,
  type FilterKey,
  type SeatBoard,
} from './seats.js';

/**
 * The address's parameters as they are now. React Router hands a functional update the parameters
 * of the last render, so two filters changed before a render (a quick user, a test) would lose the
 * first; the browser's location already holds both.
 */
function latestParams(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}

export default function SeatBoardPage() {
  const { api, user } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  // An SCO of one country starts on it: there is nothing else they may see.
  const only = user.countries.length === 1 ? user.countries[0] : undefined;
  useEffect(() => {
    if (!hasScope(filters) && only !== undefined)
      setParams(paramsWith(latestParams(), 'country', only), { replace: true });
  }, [filters, only, params, setParams]);

  const set = (key: FilterKey | 'offset', value: string) =>
    setParams(paramsWith(latestParams(), key, value));
  const query = boardQuery(filters);
  const board = useApiQuery(
    ['seats', 'board', query],
    (signal) => load(api.http.GET('/api/v1/seats', { params: { query }, signal }), signal),
    { enabled: hasScope(filters), placeholderData: (previous) => previous },
  );

  return (
    <Page title="Seats">
      <Filters filters={filters} board={board.data} onChange={set} />
      {!hasScope(filters) ? (
        <p className="status">
          Choose a country to see its seats (or open a restriction&apos;s seats from its page).
        </p>
      ) : (
        <QueryView query={board} what="the seats">
          {(data) => <Board board={data} filters={filters} onChange={set} />}
        </QueryView>
      )}
    </Page>
  );
}

function Filters({
  filters,
  board,
  onChange,
}: {
  readonly filters: BoardFilters;
  readonly board: SeatBoard | undefined;
  readonly onChange: (key: FilterKey, value: string) => void;
}) {
  const { api } = useSession();
  const countries = useApiQuery(['countries'], (signal) => fetchCountries(api, signal));
  const countryItems = [...(countries.data?.items ?? [])].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const courses = board?.courses ?? [];
  const restrictions = board?.restrictions ?? [];
  return (
    <form
      className="filters seats-filters"
      role="search"
      aria-label="Filter the seats"
      onSubmit={(event) => event.preventDefault()}
    >
      <div className="seats-filter">
        <label htmlFor="seats-country">Country</label>
        <select
          id="seats-country"
          name="country"
          value={filters.country}
          onChange={(event) => onChange('country', event.target.value)}
        >
          <option value="">
            {countries.isPending ? 'Loading countries…' : 'Choose a country'}
          </option>
          {filters.country !== '' && !countryItems.some((c) => c.iso3 === filters.country) && (
            <option value={filters.country}>{filters.country}</option>
          )}
          {countryItems.map((country) => (
            <option key={country.iso3} value={country.iso3}>
              {country.name} ({country.iso3})
            </option>
          ))}
        </select>
      </div>
      <div className="seats-filter">
        <label htmlFor="seats-fy">Fiscal year</label>
        <select
          id="seats-fy"
          name="fy"
          value={filters.fy}
          onChange={(event) => onChange('fy', event.target.value)}
        >
          <option value="">Every year</option>
          {filters.fy !== '' &&
            !fiscalYearChoices(fiscalYearOf(today())).includes(Number(filters.fy)) && (
              <option value={filters.fy}>FY{filters.fy}</option>
            )}
          {fiscalYearChoices(fiscalYearOf(today())).map((fy) => (
            <option key={fy} value={String(fy)}>
              FY{fy}
            </option>
          ))}
        </select>
      </div>
      <div className="seats-filter">
        <label htmlFor="seats-status">Status</label>
        <select
          id="seats-status"
          name="status"
          value={filters.status}
          onChange={(event) => onChange('status', event.target.value)}
        >
          <option value="">Every status</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {statusLabel(status)}
            </option>
          ))}
        </select>
      </div>
      <div className="seats-filter">
        <label htmlFor="seats-course">Course</label>
        <select
          id="seats-course"
          name="course"
          value={filters.course}
          onChange={(event) => onChange('course', event.target.value)}
        >
          <option value="">Every course</option>
          {filters.course !== '' && !courses.some((c) => c.id === filters.course) && (
            <option value={filters.course}>{filters.course}</option>
          )}
          {courses.map((course) => (
            <option key={course.id} value={course.id}>
              {course.id} · {course.title} ({course.seats})
            </option>
          ))}
        </select>
      </div>
      <div className="seats-filter">
        <label htmlFor="seats-restriction">Restriction</label>
        <select
          id="seats-restriction"
          name="restriction"
          value={filters.restriction}
          onChange={(event) => onChange('restriction', event.target.value)}
        >
          <option value="">Any or none</option>
          {filters.restriction !== '' &&
            !restrictions.some((r) => r.id === filters.restriction) && (
              <option value={filters.restriction}>{filters.restriction}</option>
            )}
          {restrictions.map((restriction) => (
            <option key={restriction.id} value={restriction.id}>
              {restriction.id} ({restriction.seats} reached)
            </option>
          ))}
        </select>
      </div>
      {FILTER_KEYS_SET.some((key) => filters[key] !== '') && (
        <Link className="seats-clear" to="/seats">
          Clear filters
        </Link>
      )}
    </form>
  );
}

const FILTER_KEYS_SET: readonly FilterKey[] = ['country', 'fy', 'status', 'course', 'restriction'];

function Board({
  board,
  filters,
  onChange,
}: {
  readonly board: SeatBoard;
  readonly filters: BoardFilters;
  readonly onChange: (key: FilterKey | 'offset', value: string) => void;
}) {
  const first = board.total === 0 ? 0 : board.offset + 1;
  const last = board.offset + board.items.length;
  return (
    <section aria-label="Seats found">
      <div className="seats-summary">
        <p className="seats-count" aria-live="polite">
          <strong>{board.total}</strong> {board.total === 1 ? 'seat' : 'seats'}
          {board.total > board.items.length && (
            <>
              {' '}
              (showing {first}–{last})
            </>
          )}
        </p>
        <ul className="seats-by-status" aria-label="Seats by status">
          {board.byStatus.map(({ status, seats }) => (
            <li key={status}>
              <Badge tone={statusTone(status)}>{statusLabel(status)}</Badge> {seats}
            </li>
          ))}
          {board.flagged > 0 && (
            <li>
              <Badge tone="warn">Flagged</Badge> {board.flagged}
            </li>
          )}
        </ul>
        <dl className="seats-totals">
          <div>
            <dt>Tuition</dt>
            <dd>{formatUsd(board.totals.tuitionCents)}</dd>
          </div>
          <div>
            <dt>Allowance</dt>
            <dd>{formatUsd(board.totals.allowanceCents)}</dd>
          </div>
          <div>
            <dt>Committed</dt>
            <dd>{formatUsd(board.totals.committedCents)}</dd>
          </div>
          <div>
            <dt>Released</dt>
            <dd>{formatUsd(board.totals.releasedCents)}</dd>
          </div>
          <div>
            <dt>Penalties</dt>
            <dd>{formatUsd(board.totals.penaltiesCents)}</dd>
          </div>
        </dl>
      </div>
      <div className="seats-scroll" tabIndex={0} role="region" aria-label="Seats table, scrolls">
        <table className="seats-table">
          <caption className="seats-visually-hidden">
            Seats{filters.country !== '' ? ` of ${filters.country}` : ''}
            {filters.fy !== '' ? ` for FY${filters.fy}` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Seat</th>
              <th scope="col">Course</th>
              <th scope="col">School</th>
              <th scope="col">Country</th>
              <th scope="col">FY</th>
              <th scope="col">Status</th>
              <th scope="col">Student</th>
              <th scope="col" className="numeric">
                Tuition + allowance
              </th>
              <th scope="col">Flags, hold or cancel reason</th>
            </tr>
          </thead>
          <tbody>
            {board.items.length === 0 ? (
              <tr>
                <td colSpan={9} className="empty">
                  No seat matches these filters.
                </td>
              </tr>
            ) : (
              board.items.map((seat) => <SeatRow key={seat.id} seat={seat} />)
            )}
          </tbody>
        </table>
      </div>
      {board.total > board.items.length && (
        <nav className="seats-pages" aria-label="Pages of seats">
          <button
            type="button"
            disabled={board.offset === 0}
            onClick={() => onChange('offset', String(Math.max(0, board.offset - board.limit)))}
          >
            Previous {board.limit}
          </button>
          <button
            type="button"
            disabled={last >= board.total}
            onClick={() => onChange('offset', String(board.offset + board.limit))}
          >
            Next {board.limit}
          </button>
        </nav>
      )}
    </section>
  );
}

function SeatRow({ seat }: { readonly seat: BoardSeat }) {
  const dated = statusDate(seat);
  const why = [
    seat.flagged ? (seat.flagReason ?? '') : '',
    seat.status === 'cancelled' || seat.status === 'held' ? (seat.reason ?? '') : '',
  ].filter((text) => text !== '');
  return (
    <tr>
      <th scope="row">
        <Link to={`/seats/${seat.id}`} className="seats-id">
          {seat.id}
        </Link>
        <span className="seats-sub">
          #{seat.ordinal} of its line · {seat.priority}
        </span>
      </th>
      <td>
        <span className="seats-course">{seat.courseId}</span>
        <span className="seats-sub seats-title" title={seat.courseTitle}>
          {seat.courseTitle}
        </span>
      </td>
      <td>{seat.schoolId}</td>
      <td>{seat.country}</td>
      <td>{seat.fiscalYear}</td>
      <td>
        <Badge tone={statusTone(seat.status)}>{statusLabel(seat.status)}</Badge>
        {dated !== null && <span className="seats-sub">{formatDate(dated)}</span>}
      </td>
      <td>{seat.studentId ?? <span className="none">none</span>}</td>
      <td className="numeric">
        {formatUsd(seat.tuitionCents + seat.allowanceCents)}
        <span className="seats-sub">
          {formatUsd(seat.tuitionCents)} + {formatUsd(seat.allowanceCents)}
        </span>
      </td>
      <td className="seats-why">
        {seat.flagged && (
          <>
            <Badge tone="warn">Flagged</Badge>{' '}
          </>
        )}
        {why.length === 0 ? (
          <span className="none">—</span>
        ) : (
          <span className="seats-reason" title={why.join(' · ')}>
            {why.join(' · ')}
          </span>
        )}
        {seat.penaltyCents > 0 && (
          <span className="seats-sub">Penalty {formatUsd(seat.penaltyCents)}</span>
        )}
      </td>
    </tr>
  );
}
