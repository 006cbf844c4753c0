// Each restriction the API weighed, as a card: what it is, on what basis and whose authority, the
// API's reason in its own words, and the relief that lifts it (with its notification), if any.
import { useParams } from 'react-router';
import { load } from '../../api/client.js';
import { useApiQuery } from '../../api/query.js';
import { formatDate } from '../../format.js';
import { useSession } from '../../session.js';
import { Badge } from '../../ui/Badge.js';
import type { Decision, DecisionRestriction, Timeline } from './api.js';
import { sourceParts, span, words } from './labels.js';

type Notification = Timeline['notifications'][number];

export function Reasons({ decision }: { readonly decision: Decision }) {
  const notifications = useNotifications(decision.knownOn ?? undefined);
  if (decision.restrictions.length === 0)
    return (
      <p className="country-no-reason">
        No restriction applies to {decision.program} on {formatDate(decision.on)}.
      </p>
    );
  return (
    <>
      <h3 className="country-reasons-title">
        {decision.restrictions.length === 1
          ? 'The restriction that applies'
          : `The ${decision.restrictions.length} restrictions that apply`}
      </h3>
      <ol className="country-reasons">
        {decision.restrictions.map((r) => (
          <ReasonCard key={`${r.id}-${r.version}`} reason={r} notifications={notifications} />
        ))}
      </ol>
    </>
  );
}

/** The notifications of the country's record (as known at `knownOn`), to describe a relief's. */
function useNotifications(knownOn: string | undefined): ReadonlyMap<string, Notification> {
  const { api } = useSession();
  const iso3 = (useParams().iso3 ?? '').toUpperCase();
  const timeline = useApiQuery(['timeline', iso3, knownOn ?? null], (signal) =>
    load(
      api.http.GET('/api/v1/countries/{iso3}/timeline', {
        params: { path: { iso3 }, query: knownOn === undefined ? {} : { knownOn } },
        signal,
      }),
      signal,
    ),
  );
  return new Map((timeline.data?.notifications ?? []).map((n) => [n.id, n]));
}

function ReasonCard({
  reason: r,
  notifications,
}: {
  readonly reason: DecisionRestriction;
  readonly notifications: ReadonlyMap<string, Notification>;
}) {
  const relieved = r.status === 'relieved';
  return (
    <li className={`country-reason country-reason-${r.status}`} data-testid={`reason-${r.id}`}>
      <div className="country-reason-head">
        <Badge tone={relieved ? 'relieved' : 'blocked'}>{relieved ? 'Relieved' : 'Blocking'}</Badge>
        <h4>{words(r.kind)} restriction</h4>
        <span className="code country-muted">
          {r.id} v{r.version}
        </span>
      </div>
      <p className="country-reason-text">{r.reason}</p>
      <dl className="country-facts">
        <dt>Legal basis</dt>
        <dd>{r.basis}</dd>
        <dt>Authority</dt>
        <dd>{r.authority}</dd>
        <dt>In force</dt>
        <dd>{span(r)}</dd>
        {r.liftNotifiedOn !== null && (
          <>
            <dt>Rescission reported</dt>
            <dd>to Congress on {formatDate(r.liftNotifiedOn)}</dd>
          </>
        )}
        <dt>Seats it reaches</dt>
        <dd>{r.seatPolicy === 'cancel' ? 'cancelled' : 'held'}</dd>
        {r.source !== null && (
          <>
            <dt>Source</dt>
            <dd>
              <Source source={r.source} />
            </dd>
          </>
        )}
      </dl>
      {r.relief !== null && (
        <div className="country-relief" data-testid={`relief-${r.relief.id}`}>
          <h5>
            Lifted by {r.relief.type} <span className="code country-muted">{r.relief.id}</span>
          </h5>
          <dl className="country-facts">
            <dt>Type</dt>
            <dd>{words(r.relief.type)}</dd>
            {r.relief.grounds !== null && (
              <>
                <dt>Grounds</dt>
                <dd>{words(r.relief.grounds)}</dd>
              </>
            )}
            <dt>Authority</dt>
            <dd>{r.relief.authority}</dd>
            <dt>In force</dt>
            <dd>{span(r.relief)}</dd>
            <dt>Notification</dt>
            <dd>
              <NotificationText id={r.relief.notificationId} notifications={notifications} />
            </dd>
            <dt>Justification</dt>
            <dd>{r.relief.justification}</dd>
            {r.relief.source !== null && (
              <>
                <dt>Source</dt>
                <dd>
                  <Source source={r.relief.source} />
                </dd>
              </>
            )}
          </dl>
        </div>
      )}
    </li>
  );
}

function NotificationText({
  id,
  notifications,
}: {
  readonly id: string | null;
  readonly notifications: ReadonlyMap<string, Notification>;
}) {
  if (id === null) return <>none required</>;
  const notice = notifications.get(id);
  if (notice === undefined) return <span className="code">{id}</span>;
  return (
    <>
      Congress notified {formatDate(notice.notifiedOn)}; {notice.waitDays}-day waiting period ended{' '}
      {formatDate(notice.windowEndsOn)} <span className="code country-muted">({id})</span>
    </>
  );
}

/** A source as the API keeps it: each URL in it a link, other text as it is. */
export function Source({ source }: { readonly source: string }) {
  const parts = sourceParts(source);
  return (
    <ul className="country-sources">
      {parts.map((part) => (
        <li key={part.text}>
          {part.href === undefined ? (
            part.text
          ) : (
            <a href={part.href} rel="noreferrer noopener" target="_blank">
              {hostOf(part.href)}
              <span className="country-visually-hidden"> (opens in a new tab)</span>
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}

function hostOf(href: string): string {
  try {
    const url = new URL(href);
    return `${url.hostname.replace(/^www\./, '')}${url.pathname.length > 1 ? url.pathname : ''}`;
  } catch {
    return href;
  }
}
