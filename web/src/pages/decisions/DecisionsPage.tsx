// /decisions?country=PAK: a country's restrictions and their reliefs as the record stands, with what
// may be done to each; and "Record a restriction".
import { Link, useSearchParams } from 'react-router';
import { fetchCountries, type CountryList } from '../../api/countries.js';
import { useApiQuery } from '../../api/query.js';
import { formatFrom, formatUntil, type RecordDates } from '../../format.js';
import { useSession } from '../../session.js';
import { Badge } from '../../ui/Badge.js';
import { Field } from '../../ui/Field.js';
import { Page } from '../../ui/Page.js';
import { QueryView } from '../../ui/Status.js';
import { fetchTimeline, keys, type Relief, type Restriction, type Timeline } from './api.js';
import { NotAllowed } from './NotAllowed.js';
import { ScopeNotStated } from '../../ui/ScopeNotStated.js';
import { GROUNDS_LABELS, KIND_NAMES } from './words.js';

export default function DecisionsPage() {
  const { api, can } = useSession();
  const [params, setParams] = useSearchParams();
  const country = (params.get('country') ?? '').toUpperCase();
  const countries = useApiQuery(['countries'], (signal) => fetchCountries(api, signal));
  const writer = can('restrictions.write');
  return (
    <Page
      title="Decisions"
      actions={
        writer ? (
          <Link
            className="button primary"
            to={country === '' ? '/decisions/new' : `/decisions/new?country=${country}`}
          >
            Record a restriction
          </Link>
        ) : undefined
      }
    >
      {!writer && <NotAllowed />}
      <p className="decisions-lead">
        The restrictions of a country&rsquo;s programs and the reliefs of them, as recorded now.
        Every change is previewed with the seats, students and money it affects before it is saved.
      </p>
      <QueryView query={countries} what="the countries">
        {(list) => (
          <>
            <CountryPicker
              list={list}
              value={country}
              onChange={(iso3) => setParams(iso3 === '' ? {} : { country: iso3 })}
            />
            {country !== '' && <CountryDecisions iso3={country} writer={writer} list={list} />}
          </>
        )}
      </QueryView>
    </Page>
  );
}

function CountryPicker({
  list,
  value,
  onChange,
}: {
  readonly list: CountryList;
  readonly value: string;
  readonly onChange: (iso3: string) => void;
}) {
  return (
    <div className="decisions-picker">
      <Field label="Country" hint="Its restrictions and reliefs are listed below.">
        <select value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">— choose a country —</option>
          {list.items.map((c) => (
            <option key={c.iso3} value={c.iso3}>
              {c.name} ({c.iso3})
            </option>
          ))}
        </select>
      </Field>
    </div>
  );
}

function CountryDecisions({
  iso3,
  writer,
  list,
}: {
  readonly iso3: string;
  readonly writer: boolean;
  readonly list: CountryList;
}) {
  const { api } = useSession();
  const timeline = useApiQuery(keys.timeline(iso3), (signal) => fetchTimeline(api, iso3, signal));
  const name = list.items.find((c) => c.iso3 === iso3)?.name ?? iso3;
  return (
    <section aria-labelledby="decisions-country">
      <h2 id="decisions-country">{name}</h2>
      <QueryView query={timeline} what={`the restrictions of ${name}`}>
        {(t) => <RestrictionList timeline={t} writer={writer} name={name} />}
      </QueryView>
    </section>
  );
}

/** The current version of each, latest start first. */
function current<T extends { id: string; supersededAt: string | null; from: string }>(
  rows: readonly T[],
): T[] {
  return rows.filter((r) => r.supersededAt === null).sort((a, b) => (a.from < b.from ? 1 : -1));
}

function RestrictionList({
  timeline,
  writer,
  name,
}: {
  readonly timeline: Timeline;
  readonly writer: boolean;
  readonly name: string;
}) {
  const restrictions = current(timeline.restrictions);
  const reliefs = current(timeline.reliefs);
  if (restrictions.length === 0)
    return (
      <p className="empty" data-testid="no-restrictions">
        No restriction of {name} is recorded.
      </p>
    );
  return (
    <ul className="decisions-list" data-testid="restriction-list">
      {restrictions.map((r) => (
        <RestrictionItem
          key={r.id}
          restriction={r}
          reliefs={reliefs.filter((x) => x.restrictionId === r.id)}
          writer={writer}
        />
      ))}
    </ul>
  );
}

/** A record's days, each date to its precision: `from 4 Jan 2018 until Aug 2018 (month only)`. */
function period(record: RecordDates): string {
  const until = formatUntil(record);
  return until === null
    ? `from ${formatFrom(record)}, open-ended`
    : `from ${formatFrom(record)} until ${until}`;
}

function RestrictionItem({
  restriction: r,
  reliefs,
  writer,
}: {
  readonly restriction: Restriction;
  readonly reliefs: readonly Relief[];
  readonly writer: boolean;
}) {
  const page = `/decisions/restrictions/${r.id}`;
  return (
    <li className="decisions-card" data-testid={`restriction-${r.id}`}>
      <div className="decisions-card-head">
        <h3>
          <Link to={page}>{KIND_NAMES[r.kind]}</Link>{' '}
          <span className="decisions-muted">of {r.programs.join(', ')}</span>
        </h3>
        {r.until === null ? (
          <Badge tone="blocked">Open-ended</Badge>
        ) : (
          <Badge tone="neutral">{`Ends ${formatUntil(r) ?? ''}`}</Badge>
        )}
      </div>
      <p>
        {period(r)}. Seats it reaches are {r.seatPolicy === 'cancel' ? 'cancelled' : 'held'}.
      </p>
      <p className="decisions-muted">
        {r.basis} · {r.authority} · version {r.version} · <span className="code">{r.id}</span>
      </p>
      {writer && (
        <p className="decisions-actions">
          <Link to={`${page}?action=correct`}>Correct</Link>
          <Link to={`${page}?action=end`}>End (lift)</Link>
          <Link to={`${page}?action=relief`}>Add a relief</Link>
        </p>
      )}
      {reliefs.length > 0 && (
        <div className="decisions-reliefs">
          <h4>Reliefs</h4>
          <ul>
            {reliefs.map((x) => (
              <li key={x.id}>
                <strong>{x.type}</strong>
                {x.grounds !== null && ` (${GROUNDS_LABELS[x.grounds]})`} of {x.programs.join(', ')}
                {!x.scopeStated && <ScopeNotStated />} {period(x)}
                {writer && x.until === null && (
                  <>
                    {' '}
                    · <Link to={`${page}?action=end-relief&relief=${x.id}`}>End this relief</Link>
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}
