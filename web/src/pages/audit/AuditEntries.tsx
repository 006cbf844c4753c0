// The entries, newest first, a page at a time: time, actor, action, the record (a link to its page
// when the app has one) and what changed. "Details" opens an entry in place: its reason, each field
// before and after, the records in full and its hashes. The opened entry is in the address.
import type { UseQueryResult } from '@tanstack/react-query';
import { Fragment } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/query.js';
import { Failure, Loading } from '../../ui/Status.js';
import {
  PAGE_SIZES,
  changeSummary,
  entityPath,
  formatInstant,
  formatValue,
  pageRange,
  type AuditEntry,
  type AuditEntryPage,
  type AuditView,
} from './audit.js';

export function AuditEntries({
  view,
  query,
  onView,
}: {
  readonly view: AuditView;
  readonly query: UseQueryResult<AuditEntryPage, Error>;
  readonly onView: (view: AuditView) => void;
}) {
  if (query.isPending) return <Loading what="the entries" />;
  if (query.isError) {
    // A refused filter is shown beside its field; the table says only that nothing is shown.
    if (query.error instanceof ApiError && query.error.status === 400)
      return (
        <p className="status" role="status">
          No entries are shown: correct the filter marked above.
        </p>
      );
    return <Failure error={query.error} onRetry={() => void query.refetch()} />;
  }
  const page = query.data;
  const pages = Math.max(1, Math.ceil(page.total / view.size));
  const toggle = (seq: number) => onView({ ...view, open: view.open === seq ? null : seq });

  return (
    <>
      <div className="audit-pager">
        <p className="count" aria-live="polite">
          {pageRange({ offset: page.offset, count: page.items.length, total: page.total })}
          {query.isFetching && !query.isPending ? ' (updating…)' : ''}
        </p>
        <Pager view={view} pages={pages} onView={onView} />
      </div>
      {page.items.length === 0 ? (
        <p className="empty">No entry matches these filters.</p>
      ) : (
        <div
          className="table-scroll audit-scroll"
          tabIndex={0}
          role="region"
          aria-label="Audit entries"
        >
          <table className="audit-table">
            <caption className="audit-sr-only">
              Audit entries, newest first.{' '}
              {pageRange({ offset: page.offset, count: page.items.length, total: page.total })}.
            </caption>
            <thead>
              <tr>
                <th scope="col" className="audit-seq">
                  #
                </th>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Record</th>
                <th scope="col">Change</th>
                <th scope="col">
                  <span className="audit-sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((entry) => {
                const open = view.open === entry.seq;
                const detailId = `audit-entry-${entry.seq}`;
                return (
                  <Fragment key={entry.seq}>
                    <tr className={open ? 'audit-row open' : 'audit-row'}>
                      <th scope="row" className="audit-seq">
                        {entry.seq.toLocaleString('en-US')}
                      </th>
                      <td className="audit-time" data-label="Time (UTC)">
                        {formatInstant(entry.recordedAt).replace(' UTC', '')}
                      </td>
                      <td className="audit-actor" data-label="Actor">
                        {entry.actor}
                      </td>
                      <td data-label="Action">
                        <span className="audit-action">{entry.action}</span>
                      </td>
                      <td data-label="Record">
                        <EntityCell entry={entry} />
                      </td>
                      <td className="audit-change" data-label="Change">
                        {changeSummary(entry)}
                        {entry.reason !== null && (
                          <span className="audit-reason">“{formatValue(entry.reason, 80)}”</span>
                        )}
                      </td>
                      <td className="audit-open">
                        <button
                          type="button"
                          className="audit-toggle"
                          aria-expanded={open}
                          aria-controls={open ? detailId : undefined}
                          onClick={() => toggle(entry.seq)}
                        >
                          {open ? 'Hide' : 'Details'}
                          <span className="audit-sr-only"> of entry {entry.seq}</span>
                        </button>
                      </td>
                    </tr>
                    {open && (
                      <tr className="audit-detail-row">
                        <td colSpan={7} id={detailId}>
                          <EntryDetail entry={entry} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <div className="audit-pager bottom">
          <Pager view={view} pages={pages} onView={onView} />
        </div>
      )}
    </>
  );
}

function Pager({
  view,
  pages,
  onView,
}: {
  readonly view: AuditView;
  readonly pages: number;
  readonly onView: (view: AuditView) => void;
}) {
  return (
    <nav className="audit-pages" aria-label="Pages of entries">
      <button
        type="button"
        disabled={view.page <= 1}
        onClick={() => onView({ ...view, page: view.page - 1, open: null })}
      >
        ← Newer
      </button>
      <span>
        Page {view.page.toLocaleString('en-US')} of {pages.toLocaleString('en-US')}
      </span>
      <button
        type="button"
        disabled={view.page >= pages}
        onClick={() => onView({ ...view, page: view.page + 1, open: null })}
      >
        Older →
      </button>
      <label className="audit-size">
        <span>Per page</span>
        <select
          value={view.size}
          onChange={(event) =>
            onView({ ...view, size: Number(event.target.value), page: 1, open: null })
          }
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}

function EntityCell({ entry }: { readonly entry: AuditEntry }) {
  const path = entityPath(entry.entityType, entry.entityId);
  return (
    <span className="audit-entity">
      <span className="audit-entity-type">{entry.entityType}</span>{' '}
      {path === null ? (
        <span className="code">{entry.entityId}</span>
      ) : (
        <Link className="code" to={path}>
          {entry.entityId}
        </Link>
      )}
    </span>
  );
}

function EntryDetail({ entry }: { readonly entry: AuditEntry }) {
  const path = entityPath(entry.entityType, entry.entityId);
  return (
    <div className="audit-detail">
      <h3>
        Entry {entry.seq.toLocaleString('en-US')}: {entry.action} on {entry.entityType}{' '}
        <span className="code">{entry.entityId}</span>
      </h3>
      <dl className="audit-facts">
        <div>
          <dt>When</dt>
          <dd>{formatInstant(entry.recordedAt)}</dd>
        </div>
        <div>
          <dt>Who</dt>
          <dd>{entry.actor}</dd>
        </div>
        <div>
          <dt>Reason given</dt>
          <dd>{entry.reason ?? <span className="none">none</span>}</dd>
        </div>
        {path !== null && (
          <div>
            <dt>Record</dt>
            <dd>
              <Link to={path}>Open this {entry.entityType}’s page</Link>
            </dd>
          </div>
        )}
      </dl>
      {entry.changes.length > 0 ? (
        <div className="table-scroll">
          <table className="audit-changes">
            <caption>
              {entry.before === null ? 'Fields set' : 'Fields changed'} (
              {entry.changes.length.toLocaleString('en-US')})
            </caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {entry.changes.map((change) => (
                <tr key={change.field}>
                  <th scope="row" className="code">
                    {change.field === '' ? '(value)' : change.field}
                  </th>
                  <td className="audit-before">{formatValue(change.before, 400)}</td>
                  <td className="audit-after">{formatValue(change.after, 400)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="none">
          {entry.action === 'read'
            ? 'A read: the record was looked at, nothing was changed.'
            : 'No field of the record changed.'}
        </p>
      )}
      <details className="audit-raw">
        <summary>The record before and after, in full</summary>
        <div className="audit-raw-grid">
          <div>
            <h4>Before</h4>
            <pre>{entry.before === null ? '(none)' : JSON.stringify(entry.before, null, 2)}</pre>
          </div>
          <div>
            <h4>After</h4>
            <pre>{entry.after === null ? '(none)' : JSON.stringify(entry.after, null, 2)}</pre>
          </div>
        </div>
      </details>
      <dl className="audit-facts audit-hashes">
        <div>
          <dt>Hash</dt>
          <dd className="audit-hash">{entry.hash}</dd>
        </div>
        <div>
          <dt>Previous entry’s hash</dt>
          <dd className="audit-hash">{entry.prevHash}</dd>
        </div>
      </dl>
    </div>
  );
}
