// /decisions/restrictions/:id: a restriction with every version, its reliefs and what it did to
// seats; the forms to correct it, end it, add or end a relief (?action=…), and after a write what
// that write did.
import { Scroll } from './Scroll.js';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { fetchCountries } from '../../api/countries.js';
import { useApiQuery } from '../../api/query.js';
import { formatDate, formatFrom, formatUntil } from '../../format.js';
import { useSession } from '../../session.js';
import { Page } from '../../ui/Page.js';
import { QueryView } from '../../ui/Status.js';
import {
  fetchImpact,
  fetchRestriction,
  fetchTimeline,
  keys,
  type Relief,
  type Restriction,
  type RestrictionRecord,
} from './api.js';
import { WriteImpact, RecordedImpactView } from './ImpactView.js';
import { NotAllowed } from './NotAllowed.js';
import { CorrectForm, EndForm, EndReliefForm, ReliefForm, type Done } from './RestrictionForms.js';
import { ScopeNotStated } from '../../ui/ScopeNotStated.js';
import { GROUNDS_LABELS, KIND_LABELS, KIND_NAMES } from './words.js';
import type { WrittenState } from './written.js';

const ACTIONS = ['correct', 'end', 'relief', 'end-relief'] as const;
type Action = (typeof ACTIONS)[number];

export default function RestrictionPage() {
  const { id = '' } = useParams();
  const { api } = useSession();
  const restriction = useApiQuery(keys.restriction(id), (signal) =>
    fetchRestriction(api, id, signal),
  );
  return (
    <QueryView query={restriction} what="the restriction">
      {(record) => <RestrictionView record={record} />}
    </QueryView>
  );
}

function RestrictionView({ record }: { readonly record: RestrictionRecord }) {
  const { api, can } = useSession();
  const queryClient = useQueryClient();
  const { current } = record;
  const countries = useApiQuery(['countries'], (signal) => fetchCountries(api, signal));
  const countryName =
    countries.data?.items.find((c) => c.iso3 === current.country)?.name ?? current.country;
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const written = (location.state ?? undefined) as WrittenState | undefined;
  const [done, setDone] = useState<Done>();
  const requested = params.get('action');
  const action = (ACTIONS as readonly string[]).includes(requested ?? '')
    ? (requested as Action)
    : undefined;
  const timeline = useApiQuery(keys.timeline(current.country), (signal) =>
    fetchTimeline(api, current.country, signal),
  );
  const impact = useApiQuery(keys.impact(current.id), (signal) =>
    fetchImpact(api, current.id, signal),
  );
  const reliefs = (timeline.data?.reliefs ?? []).filter(
    (r) => r.restrictionId === current.id && r.supersededAt === null,
  );
  const writer = can('restrictions.write');
  const doneRef = useRef<HTMLDivElement>(null);

  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.restriction(current.id) }),
      queryClient.invalidateQueries({ queryKey: keys.impact(current.id) }),
      queryClient.invalidateQueries({ queryKey: keys.timeline(current.country) }),
    ]);
  };
  const open = (next: Action | undefined, relief?: string) => {
    setDone(undefined);
    setParams(
      next === undefined ? {} : { action: next, ...(relief === undefined ? {} : { relief }) },
      { replace: false },
    );
  };
  const onDone = (d: Done) => {
    setDone(d);
    setParams({}, { replace: true });
    void refresh();
  };
  useEffect(() => {
    if (done !== undefined) doneRef.current?.focus();
  }, [done]);

  const readAgain = async (): Promise<Restriction | undefined> => {
    await refresh();
    const again = await fetchRestriction(api, current.id, new AbortController().signal);
    return again.ok ? again.value.current : undefined;
  };
  const knownReliefs = async () => {
    const t = await fetchTimeline(api, current.country);
    if (!t.ok) throw new Error('the record could not be read');
    return t.value.reliefs.filter((r) => r.restrictionId === current.id).map((r) => r.id);
  };
  const endingRelief = reliefs.find((r) => r.id === params.get('relief'));

  return (
    <Page title={`${KIND_NAMES[current.kind]} of ${countryName}`}>
      <p className="decisions-lead">
        <Link to={`/decisions?country=${current.country}`}>All decisions for {countryName}</Link>
      </p>
      {written?.action === 'recorded' && done === undefined && (
        <div className="decisions-done" role="status" data-testid="written">
          <h2>Recorded</h2>
          <p>
            The restriction is recorded as <span className="code">{current.id}</span>. Below, what
            it did to seats, read back from the record.
          </p>
        </div>
      )}
      {written?.action === 'found' && done === undefined && (
        <div className="decisions-done" role="status" data-testid="written">
          <p>
            The save had reached the server before the connection failed: the restriction is
            recorded once, here.
          </p>
        </div>
      )}
      {done !== undefined && (
        <div
          className="decisions-done"
          role="status"
          data-testid="written"
          ref={doneRef}
          tabIndex={-1}
        >
          <h2>Saved</h2>
          <p>{done.what}</p>
          <WriteImpact impact={done.impact} testId="done-impact" heading="What this change did" />
        </div>
      )}

      <section aria-labelledby="decisions-current" className="decisions-section">
        <h2 id="decisions-current">As recorded now (version {current.version})</h2>
        <Summary restriction={current} />
        {writer ? (
          <p className="decisions-actions">
            <button
              type="button"
              onClick={() => open('correct')}
              aria-pressed={action === 'correct'}
            >
              Correct
            </button>
            <button type="button" onClick={() => open('end')} aria-pressed={action === 'end'}>
              End (lift)
            </button>
            <button type="button" onClick={() => open('relief')} aria-pressed={action === 'relief'}>
              Add a relief
            </button>
          </p>
        ) : (
          <NotAllowed />
        )}
      </section>

      {writer && action !== undefined && (
        <section
          className="decisions-section decisions-action"
          aria-label="Change this restriction"
        >
          {action === 'correct' && (
            <CorrectForm restriction={current} onDone={onDone} onStale={readAgain} />
          )}
          {action === 'end' && (
            <EndForm restriction={current} onDone={onDone} onStale={readAgain} />
          )}
          {action === 'relief' && (
            <ReliefForm restriction={current} onDone={onDone} knownReliefs={knownReliefs} />
          )}
          {action === 'end-relief' &&
            (endingRelief === undefined ? (
              timeline.isPending ? null : (
                <p className="status">That relief is not a current relief of this restriction.</p>
              )
            ) : (
              <EndReliefForm key={endingRelief.id} relief={endingRelief} onDone={onDone} />
            ))}
          <p>
            <button type="button" onClick={() => open(undefined)}>
              Close this form without saving
            </button>
          </p>
        </section>
      )}

      <section aria-labelledby="decisions-seats" className="decisions-section">
        <h2 id="decisions-seats">What it has done to seats</h2>
        <p className="decisions-muted">
          From the record: every seat this restriction cancelled, held or flagged.
        </p>
        <QueryView query={impact} what="what it did to seats">
          {(i) => <RecordedImpactView impact={i} country={current.country} />}
        </QueryView>
      </section>

      <section aria-labelledby="decisions-reliefs" className="decisions-section">
        <h2 id="decisions-reliefs">Reliefs</h2>
        <QueryView query={timeline} what="its reliefs">
          {() => (
            <ReliefTable
              reliefs={reliefs}
              writer={writer}
              onEnd={(relief) => open('end-relief', relief)}
            />
          )}
        </QueryView>
      </section>

      <section aria-labelledby="decisions-versions" className="decisions-section">
        <h2 id="decisions-versions">Every version recorded</h2>
        <Versions versions={record.versions} />
      </section>
    </Page>
  );
}

function Summary({ restriction: r }: { readonly restriction: Restriction }) {
  return (
    <dl className="decisions-summary">
      <dt>Kind</dt>
      <dd>{KIND_LABELS[r.kind]}</dd>
      <dt>Programs</dt>
      <dd>
        {r.programs.join(', ')}
        {r.scope.join() !== r.programs.join() && ` (as recorded: ${r.scope.join(', ')})`}
        {r.courseFilter !== null && `; allows ${r.courseFilter} courses`}
      </dd>
      <dt>In force</dt>
      <dd>
        from {formatFrom(r)}
        {r.until === null
          ? ', open-ended'
          : ` until ${formatUntil(r)}${r.untilQuality === 'month' || r.untilQuality === 'year' ? '' : ' (no longer from that day)'}`}
      </dd>
      <dt>Seats it reaches</dt>
      <dd>
        {r.seatPolicy === 'cancel'
          ? 'Cancelled (no penalty: the US decided)'
          : 'Held until it is lifted'}
      </dd>
      <dt>Basis</dt>
      <dd>{r.basis}</dd>
      <dt>Authority</dt>
      <dd>
        {r.authority}
        {r.determinedOn !== null && `, determined ${formatDate(r.determinedOn)}`}
      </dd>
      {r.source !== null && (
        <>
          <dt>Source</dt>
          <dd>{r.source}</dd>
        </>
      )}
      {r.description !== null && (
        <>
          <dt>Description</dt>
          <dd>{r.description}</dd>
        </>
      )}
      <dt>Record</dt>
      <dd>
        <span className="code">{r.id}</span>, version {r.version}, recorded{' '}
        {formatDate(r.recordedAt.slice(0, 10))} by {r.recordedBy.replace(/^user:/, '')}
      </dd>
    </dl>
  );
}

function ReliefTable({
  reliefs,
  writer,
  onEnd,
}: {
  readonly reliefs: readonly Relief[];
  readonly writer: boolean;
  readonly onEnd: (id: string) => void;
}) {
  if (reliefs.length === 0)
    return <p className="empty">No relief of this restriction is recorded.</p>;
  return (
    <Scroll label="Its current reliefs">
      <table className="decisions-table">
        <caption>Its current reliefs</caption>
        <thead>
          <tr>
            <th scope="col">Relief</th>
            <th scope="col">Programs</th>
            <th scope="col">Relieves</th>
            <th scope="col">Authority and justification</th>
            {writer && <th scope="col">Action</th>}
          </tr>
        </thead>
        <tbody>
          {reliefs.map((x) => (
            <tr key={x.id}>
              <th scope="row">
                {x.type}
                {x.grounds !== null && ` (${GROUNDS_LABELS[x.grounds]})`}
                <br />
                <span className="code">{x.id}</span>
              </th>
              <td>
                {x.programs.join(', ')}
                {!x.scopeStated && (
                  <>
                    {' '}
                    <ScopeNotStated />
                  </>
                )}
                {x.courseIds !== null && `; courses ${x.courseIds.join(', ')}`}
                {x.schoolIds !== null && `; schools ${x.schoolIds.join(', ')}`}
              </td>
              <td>
                from {formatFrom(x)}
                {x.until === null ? ', open-ended' : ` until ${formatUntil(x)}`}
              </td>
              <td>
                {x.authority}: {x.justification}
              </td>
              {writer && (
                <td>
                  {x.until === null ? (
                    <button type="button" onClick={() => onEnd(x.id)}>
                      End this relief
                    </button>
                  ) : (
                    'ends as recorded'
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function Versions({ versions }: { readonly versions: readonly Restriction[] }) {
  return (
    <Scroll label="Every version">
      <table className="decisions-table" data-testid="versions">
        <caption>Oldest first; a superseded version is kept as it was.</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Recorded</th>
            <th scope="col">Programs</th>
            <th scope="col">In force</th>
            <th scope="col">Seats</th>
            <th scope="col">Basis</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <th scope="row">
                {v.version}
                {v.supersededAt === null ? ' (current)' : ''}
              </th>
              <td>
                {formatDate(v.recordedAt.slice(0, 10))} by {v.recordedBy.replace(/^user:/, '')}
              </td>
              <td>{v.programs.join(', ')}</td>
              <td>
                {formatFrom(v)} – {formatUntil(v) ?? 'open-ended'}
              </td>
              <td>{v.seatPolicy === 'cancel' ? 'cancelled' : 'held'}</td>
              <td>{v.basis}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}
