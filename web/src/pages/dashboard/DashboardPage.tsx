// The dashboard: the world coloured by eligibility for a program on a date (one batch question to
// the API for every country it lists), history replayed by month, the countries restricted with
// their reasons, and the fiscal year's seats and the money restrictions released. Program and date
// live in the address (`/?program=IMET&on=2019-06-01`), so a view can be reloaded and shared.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { fetchCountries } from '../../api/countries.js';
import { load } from '../../api/client.js';
import { ApiError, unwrap, useApiQuery } from '../../api/query.js';
import {
  fiscalYearOf,
  formatDate,
  formatFrom,
  formatUntil,
  formatUsd,
  today as todayOf,
} from '../../format.js';
import { useSession } from '../../session.js';
import { Page } from '../../ui/Page.js';
import { Failure, Loading } from '../../ui/Status.js';
import { DateControl } from './DateControl.js';
import {
  caveatsOf,
  PROGRAM_NAMES,
  PROGRAMS,
  readQuery,
  groundsOf,
  kindWords,
  STATUS_WORDS,
  tally,
  VERDICT_WORDS,
  type Decision,
  type Program,
  type SeatStatus,
  type SeatSummary,
  type Verdict,
} from './dashboard.js';
import { worldAtlas } from './geo.js';
import { WorldMap, type MapAnswer } from './WorldMap.js';
import './dashboard.css';

/** Answers per program and date stay fresh this long: scrubbing back to a date asks nothing. */
const ANSWER_FRESH_MS = 10 * 60_000;

export default function DashboardPage() {
  const { api } = useSession();
  const [params, setParams] = useSearchParams();
  const today = todayOf();
  const { program, on } = readQuery(params, today);
  const fy = fiscalYearOf(on);

  const setQuery = useCallback(
    (next: { program?: Program; on?: string }) =>
      setParams(
        (current) => {
          const merged = new URLSearchParams(current);
          if (next.program !== undefined) merged.set('program', next.program);
          if (next.on !== undefined) merged.set('on', next.on);
          return merged;
        },
        { replace: true },
      ),
    [setParams],
  );
  const setOn = useCallback((value: string) => setQuery({ on: value }), [setQuery]);

  const countries = useApiQuery(['countries'], (signal) => fetchCountries(api, signal), {
    staleTime: ANSWER_FRESH_MS,
  });
  const codes = useMemo(() => countries.data?.items.map((c) => c.iso3), [countries.data]);
  const names = useMemo(
    () => new Map((countries.data?.items ?? []).map((c) => [c.iso3, c.name])),
    [countries.data],
  );

  const eligibility = useQuery({
    queryKey: ['dashboard', 'eligibility', program, on, codes?.length],
    enabled: codes !== undefined && codes.length > 0,
    staleTime: ANSWER_FRESH_MS,
    gcTime: 3 * ANSWER_FRESH_MS,
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) => {
      const decisions = await unwrap(
        load(
          api.http.POST('/api/v1/eligibility/batch', {
            body: { queries: (codes ?? []).map((country) => ({ country, program, on })) },
            signal,
          }),
          signal,
        ),
      );
      performance.mark(`dashboard:answer:${program}:${on}`);
      return {
        program,
        on,
        decisions: new Map(decisions.decisions.map((d) => [d.country, d])),
      };
    },
  });

  const seats = useApiQuery(
    ['dashboard', 'seat-summary', fy, program],
    (signal) =>
      load(
        api.http.GET('/api/v1/seats/summary', {
          params: { query: { fy: String(fy), program } },
          signal,
        }),
        signal,
      ),
    { staleTime: ANSWER_FRESH_MS, placeholderData: keepPreviousData },
  );

  // The map's shapes are projected while the first answers are on their way, not before asking.
  useEffect(() => {
    const timer = setTimeout(() => worldAtlas(), 0);
    return () => clearTimeout(timer);
  }, []);

  const answer: MapAnswer | undefined = useMemo(
    () => (eligibility.data === undefined ? undefined : { ...eligibility.data, names: names }),
    [eligibility.data, names],
  );
  const counted = useMemo(
    () => (answer === undefined ? undefined : tally([...answer.decisions.values()])),
    [answer],
  );

  // Performance marks a test (or a person with the browser's tools) reads: a map painted with the
  // answer for a date, and the first time the page shows map and counts together.
  const ready = useRef(false);
  const seatsShown = seats.data !== undefined;
  const onPainted = useCallback(
    (painted: MapAnswer) => {
      performance.mark(`dashboard:painted:${painted.program}:${painted.on}`);
      if (!ready.current && seatsShown) {
        ready.current = true;
        performance.mark('dashboard:ready');
      }
    },
    [seatsShown],
  );

  const stale = eligibility.isPlaceholderData || eligibility.isFetching;
  return (
    <Page title="Dashboard">
      <form className="dashboard-controls" onSubmit={(event) => event.preventDefault()}>
        <div className="dashboard-field">
          <label htmlFor="dashboard-program">Program</label>
          <select
            id="dashboard-program"
            value={program}
            onChange={(event) => setQuery({ program: event.target.value as Program })}
          >
            {PROGRAMS.map((code) => (
              <option key={code} value={code}>
                {code} — {PROGRAM_NAMES[code]}
              </option>
            ))}
          </select>
        </div>
        <DateControl on={on} today={today} onChange={setOn} busy={eligibility.isFetching} />
      </form>

      <p className="dashboard-caption" aria-live="polite">
        {PROGRAM_NAMES[program]} ({program}) on <strong>{formatDate(on)}</strong>, fiscal year {fy}
        {stale && answer !== undefined && <span className="dashboard-updating"> · updating…</span>}
      </p>

      <Tiles
        counted={counted}
        known={answer?.decisions.size}
        seats={seats.data}
        fy={fy}
        program={program}
        on={on}
      />
      {seats.isError && <Failure error={seats.error} onRetry={() => void seats.refetch()} />}

      {countries.isError ? (
        <Failure error={countries.error} onRetry={() => void countries.refetch()} />
      ) : eligibility.isError && answer === undefined ? (
        <EligibilityFailure error={eligibility.error} onRetry={() => void eligibility.refetch()} />
      ) : answer === undefined || counted === undefined ? (
        <Loading what="the map" />
      ) : (
        <div className="dashboard-body">
          <section className="dashboard-map-section" aria-labelledby="dashboard-map-heading">
            <h2 id="dashboard-map-heading">
              Eligibility for {program} on {formatDate(answer.on)}
            </h2>
            <a className="dashboard-skip" href="#dashboard-restricted">
              Skip the map to the list of restricted countries
            </a>
            {eligibility.isError && (
              <EligibilityFailure
                error={eligibility.error}
                onRetry={() => void eligibility.refetch()}
              />
            )}
            <WorldMap answer={answer} onPainted={onPainted} />
            <Legend counted={counted} />
            <AnswerNotes answer={answer} />
          </section>
          <RestrictedList
            blocked={counted.blocked}
            names={names}
            on={answer.on}
            program={answer.program}
          />
        </div>
      )}
    </Page>
  );
}

function EligibilityFailure({
  error,
  onRetry,
}: {
  readonly error: unknown;
  readonly onRetry: () => void;
}) {
  if (error instanceof ApiError && error.code === 'ACCESS.CSRF')
    return (
      <div className="status error" role="alert">
        <p>
          The server refused the eligibility question because this page no longer holds your
          session&rsquo;s security token (it is lost when the page is reloaded). Sign out and sign
          in again to see the map.
        </p>
      </div>
    );
  return <Failure error={error} onRetry={onRetry} />;
}

function Tiles({
  counted,
  known,
  seats,
  fy,
  program,
  on,
}: {
  readonly counted: ReturnType<typeof tally> | undefined;
  readonly known: number | undefined;
  readonly seats: SeatSummary | undefined;
  readonly fy: number;
  readonly program: Program;
  readonly on: string;
}) {
  const statuses =
    seats === undefined
      ? []
      : (Object.entries(seats.byStatus) as [SeatStatus, number][])
          .filter(([, n]) => n > 0)
          .sort(([, a], [, b]) => b - a);
  const seatsFresh = seats !== undefined && seats.fiscalYear === fy && seats.program === program;
  return (
    <ul className="dashboard-tiles" aria-label="Counts">
      <li className="dashboard-tile tile-restricted" data-testid="tile-restricted">
        <span className="tile-label">Countries restricted on {formatDate(on)}</span>
        <span className="tile-value">{counted === undefined ? '…' : counted.blocked.length}</span>
        <span className="tile-note">
          {counted === undefined || known === undefined
            ? 'Asking the API…'
            : `of ${known} countries for ${program}; ${counted.relieved} eligible with a relief`}
        </span>
      </li>
      <li className="dashboard-tile" data-testid="tile-seats" aria-busy={!seatsFresh}>
        <span className="tile-label">
          {program} seats, FY{fy}
        </span>
        <span className="tile-value">{seats === undefined ? '…' : seats.seats}</span>
        <span className="tile-note">
          {seats === undefined
            ? 'Counting…'
            : statuses.length === 0
              ? 'No seats programmed in this fiscal year'
              : statuses.map(([status, n]) => `${n} ${STATUS_WORDS[status]}`).join(' · ')}
        </span>
      </li>
      <li className="dashboard-tile" data-testid="tile-released" aria-busy={!seatsFresh}>
        <span className="tile-label">Money released by restrictions, FY{fy}</span>
        <span className="tile-value">
          {seats === undefined ? '…' : formatUsd(seats.restricted.releasedCents)}
        </span>
        <span className="tile-note">
          {seats === undefined
            ? 'Counting…'
            : `${seats.restricted.cancelled} seat${seats.restricted.cancelled === 1 ? '' : 's'} cancelled` +
              (seats.restricted.held > 0
                ? `; ${formatUsd(seats.restricted.heldCents)} held on ${seats.restricted.held} seat${seats.restricted.held === 1 ? '' : 's'}`
                : '; none held')}
        </span>
      </li>
    </ul>
  );
}

const LEGEND: readonly Verdict[] = ['blocked', 'relieved', 'eligible', 'no-data'];

function Legend({ counted }: { readonly counted: ReturnType<typeof tally> }) {
  const counts: Record<Verdict, number | undefined> = {
    blocked: counted.blocked.length,
    relieved: counted.relieved,
    eligible: counted.eligible,
    'no-data': undefined,
  };
  return (
    <ul className="dashboard-legend" aria-label="Legend">
      {LEGEND.map((verdict) => (
        <li key={verdict}>
          <svg className="swatch" viewBox="0 0 16 16" aria-hidden="true">
            <rect width="16" height="16" className={`shape shape-${verdict}`} />
          </svg>
          {VERDICT_WORDS[verdict]}
          {counts[verdict] !== undefined && (
            <span className="legend-count"> ({counts[verdict]})</span>
          )}
          {verdict === 'no-data' && (
            <span className="legend-count"> (a territory the API does not list)</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * Under the map, quietly: the countries whose answer rests on a date known only roughly (each note
 * in its title), and how many answers fall where the recorded history is partial.
 */
function AnswerNotes({ answer }: { readonly answer: MapAnswer }) {
  const { imprecise, partial } = useMemo(
    () => caveatsOf([...answer.decisions.values()]),
    [answer.decisions],
  );
  if (imprecise.length === 0 && partial === 0) return null;
  const nameOf = (iso3: string) => answer.names.get(iso3) ?? iso3;
  const query = `?program=${answer.program}&on=${answer.on}`;
  return (
    <div className="dashboard-notes" data-testid="dashboard-notes">
      {imprecise.length > 0 && (
        <p data-testid="dashboard-precision">
          Resting on a date known only to the month, the year or roughly:{' '}
          {imprecise.map((decision, i) => (
            <span key={decision.country}>
              {i > 0 && ', '}
              <Link
                to={`/countries/${decision.country}${query}`}
                title={decision.precision.join('; ')}
              >
                {nameOf(decision.country)}
              </Link>
            </span>
          ))}
          .
        </p>
      )}
      {partial > 0 && (
        <p data-testid="dashboard-coverage">
          {partial === answer.decisions.size
            ? 'For every country'
            : `For ${partial} of the ${answer.decisions.size} countries`}{' '}
          the recorded history is partial on this date for some kinds of restriction: there
          &ldquo;no restriction&rdquo; means none is recorded, not that none existed.
        </p>
      )}
    </div>
  );
}

function RestrictedList({
  blocked,
  names,
  on,
  program,
}: {
  readonly blocked: readonly Decision[];
  readonly names: ReadonlyMap<string, string>;
  readonly on: string;
  readonly program: string;
}) {
  const nameOf = (iso3: string) => names.get(iso3) ?? iso3;
  const rows = [...blocked].sort((a, b) => nameOf(a.country).localeCompare(nameOf(b.country)));
  return (
    <section
      className="dashboard-restricted"
      id="dashboard-restricted"
      aria-labelledby="dashboard-restricted-heading"
      tabIndex={-1}
    >
      <h2 id="dashboard-restricted-heading">Restricted on {formatDate(on)}</h2>
      {rows.length === 0 ? (
        <p className="dashboard-none">No country is restricted for {program} on this date.</p>
      ) : (
        <ul>
          {rows.map((decision) => (
            <li key={decision.country} data-iso3={decision.country}>
              <Link to={`/countries/${decision.country}`}>{nameOf(decision.country)}</Link>{' '}
              <span className="dashboard-code">{decision.country}</span>
              <ul className="dashboard-reasons">
                {groundsOf(decision).map((restriction) => (
                  <li key={restriction.id} title={restriction.reason}>
                    <span className="dashboard-kind">
                      {kindWords(restriction.kind)} since {formatFrom(restriction)}
                      {restriction.until !== null && ` until ${formatUntil(restriction)}`}
                    </span>{' '}
                    <span className="dashboard-basis">{restriction.basis}</span>
                  </li>
                ))}
              </ul>
              {decision.precision.length > 0 && (
                <p className="dashboard-precision" title={decision.precision.join('; ')}>
                  Rests on a date known only roughly.
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
