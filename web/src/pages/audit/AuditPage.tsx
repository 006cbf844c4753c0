// The audit log: the chain at a glance with "Verify now" and "Export a checkpoint", the filters
// (kept in the address, so a filtered view can be shared), and the entries newest first, a page at
// a time, each opening to what it changed.
import { keepPreviousData } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { load } from '../../api/client.js';
import { useApiQuery } from '../../api/query.js';
import { useSession } from '../../session.js';
import { Page } from '../../ui/Page.js';
import { QueryView } from '../../ui/Status.js';
import {
  entriesQuery,
  formatInstant,
  paramsFromView,
  plural,
  viewFromParams,
  type AuditOverview,
  type AuditView,
} from './audit.js';
import { AuditEntries } from './AuditEntries.js';
import { AuditFilterForm } from './AuditFilterForm.js';
import { ChainChecks } from './ChainChecks.js';

export function AuditPage() {
  const { api } = useSession();
  const [params, setParams] = useSearchParams();
  const view = viewFromParams(params);
  const go = (next: AuditView) => setParams(paramsFromView(next));

  const overview = useApiQuery(['audit', 'overview'], (signal) =>
    load(api.http.GET('/api/v1/audit', { signal }), signal),
  );
  const query = entriesQuery(view);
  const entries = useApiQuery(
    ['audit', 'entries', query],
    (signal) => load(api.http.GET('/api/v1/audit/entries', { params: { query }, signal }), signal),
    { placeholderData: keepPreviousData },
  );

  return (
    <Page title="Audit log">
      <p className="audit-lede">
        Every write to Attaché, in the order it was made: who, when, what it changed and why. Each
        entry is sealed with a hash that covers the one before it, so a change to any entry breaks
        the chain from there on.
      </p>
      <QueryView query={overview} what="the audit log">
        {(data) => <AuditSummary overview={data} />}
      </QueryView>
      {overview.data !== undefined && <ChainChecks overview={overview.data} />}
      <section className="audit-entries-section" aria-labelledby="audit-entries-heading">
        <h2 id="audit-entries-heading">Entries</h2>
        <AuditFilterForm
          // Drawn again once the kinds of record are known, so the select shows the one asked for.
          key={overview.data === undefined ? 'waiting' : 'ready'}
          filters={view.filters}
          overview={overview.data}
          error={entries.error}
          onApply={(filters) => go({ filters, page: 1, size: view.size, open: null })}
        />
        <AuditEntries view={view} query={entries} onView={go} />
      </section>
    </Page>
  );
}

function AuditSummary({ overview }: { readonly overview: AuditOverview }) {
  const head = overview.head;
  return (
    <dl className="audit-summary">
      <div>
        <dt>Entries</dt>
        <dd>{overview.entries.toLocaleString('en-US')}</dd>
      </div>
      <div>
        <dt>Last entry</dt>
        <dd>
          {head === null ? (
            'none yet'
          ) : (
            <>
              #{head.seq.toLocaleString('en-US')}, {formatInstant(head.recordedAt)}
            </>
          )}
        </dd>
      </div>
      <div>
        <dt>Head hash</dt>
        <dd className="audit-hash" title={head?.hash}>
          {head === null ? '—' : head.hash}
        </dd>
      </div>
      <div>
        <dt>Recorded by</dt>
        <dd>
          {plural(overview.actors.length, 'actor')}, {plural(overview.entityTypes.length, 'kind')}{' '}
          of record
        </dd>
      </div>
    </dl>
  );
}
