// Reports at /reports: pick a report and its format, the server makes it as a job (its progress
// shown), then the file is downloaded. The choices are in the address (`?report=fmt&year=2020`),
// so a link reopens the same form; the job's id too, so a reload finds it again. The server reads
// the record within the caller's scope and refuses what it must; nothing is computed here.
import { useState, type FormEvent } from 'react';
import { load } from '../../api/client.js';
import { ApiError, useApiMutation, useApiQuery } from '../../api/query.js';
import { today } from '../../format.js';
import { useSession } from '../../session.js';
import { Field } from '../../ui/Field.js';
import { JobProgress } from '../../ui/JobProgress.js';
import { Page } from '../../ui/Page.js';
import { QueryView } from '../../ui/Status.js';
import { TableScroll } from '../../ui/TableScroll.js';
import {
  REPORT_CHOICES,
  FORMAT_CHOICES,
  readReportForm,
  reportBody,
  writeReportForm,
  type ReportForm,
} from './reports.js';
import './reports.css';

export default function ReportsPage() {
  const { api } = useSession();
  const [form, setForm] = useState<ReportForm>(() =>
    readReportForm(new URLSearchParams(window.location.search), today()),
  );
  const [jobId, setJobId] = useState<string | undefined>(
    () => new URLSearchParams(window.location.search).get('job') ?? undefined,
  );
  const submit = useApiMutation(
    (body: ReturnType<typeof reportBody>) => load(api.http.POST('/api/v1/reports', { body })),
    {
      onSuccess: (job) => {
        setJobId(job.id);
        remember(form, job.id);
      },
    },
  );
  const error = submit.error instanceof ApiError ? submit.error : undefined;
  const fieldError = (name: string) => (error?.field === name ? error.message : undefined);

  const change = (next: Partial<ReportForm>) => {
    const updated = { ...form, ...next };
    setForm(updated);
    remember(updated, undefined);
    setJobId(undefined);
    submit.reset();
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit.mutate(reportBody(form));
  };

  const choice = REPORT_CHOICES.find((c) => c.value === form.report) ?? REPORT_CHOICES[0]!;
  return (
    <Page title="Reports">
      <p className="lead">
        Every report comes from the record as it stands, within what you may see, and carries the
        same numbers in each format.
      </p>
      <form className="narrow-form" onSubmit={onSubmit} noValidate>
        <Field label="Report" hint={choice.hint}>
          <select
            value={form.report}
            onChange={(e) => change({ report: e.target.value as ReportForm['report'] })}
          >
            {REPORT_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
        {form.report === 'fmt' && (
          <Field
            label="Report year"
            hint="Training of the fiscal year before (actual) and of this one (planned)"
            error={fieldError('year')}
          >
            <input
              type="number"
              inputMode="numeric"
              min={1950}
              max={2100}
              value={form.year}
              onChange={(e) => change({ year: e.target.value })}
            />
          </Field>
        )}
        {form.report === 'impact' && (
          <>
            <Field
              label="Restriction id"
              hint="As its page shows it, e.g. rst_…; or give a relief instead"
              error={fieldError('restriction')}
            >
              <input
                value={form.restriction}
                onChange={(e) => change({ restriction: e.target.value })}
              />
            </Field>
            <Field label="Relief id" hint="e.g. rlf_…" error={fieldError('relief')}>
              <input value={form.relief} onChange={(e) => change({ relief: e.target.value })} />
            </Field>
          </>
        )}
        {form.report !== 'fmt' && form.report !== 'impact' && (
          <Field label="Country" hint="ISO alpha-3 code, e.g. PAK" error={fieldError('country')}>
            <input
              value={form.country}
              maxLength={3}
              autoCapitalize="characters"
              onChange={(e) => change({ country: e.target.value.toUpperCase() })}
            />
          </Field>
        )}
        {form.report === 'timeline' && (
          <div className="report-dates">
            <Field label="From" hint="Optional" error={fieldError('from')}>
              <input
                type="date"
                value={form.from}
                onChange={(e) => change({ from: e.target.value })}
              />
            </Field>
            <Field label="To" hint="Optional" error={fieldError('to')}>
              <input type="date" value={form.to} onChange={(e) => change({ to: e.target.value })} />
            </Field>
          </div>
        )}
        {form.report === 'records' && (
          <Field
            label="Unit"
            hint="Optional: only this unit's participants"
            error={fieldError('unit')}
          >
            <input value={form.unit} onChange={(e) => change({ unit: e.target.value })} />
          </Field>
        )}
        <fieldset className="choice-group">
          <legend>Format</legend>
          {FORMAT_CHOICES.map((f) => (
            <label key={f.value} className="toggle">
              <input
                type="radio"
                name="format"
                value={f.value}
                checked={form.format === f.value}
                onChange={() => change({ format: f.value })}
              />
              {f.label}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="primary" disabled={submit.isPending}>
          {submit.isPending ? 'Asking…' : 'Make the report'}
        </button>
        {error !== undefined && error.field === undefined && (
          <p className="status error" role="alert">
            {error.message}
          </p>
        )}
      </form>
      <div aria-live="polite">
        {jobId !== undefined && (
          <JobProgress id={jobId} what={`the ${choice.label.toLowerCase()}`} />
        )}
      </div>
      <RecentJobs />
    </Page>
  );
}

/** The address keeps the form and the job, without a render in between (two changes never race). */
function remember(form: ReportForm, jobId: string | undefined): void {
  const params = writeReportForm(form);
  if (jobId !== undefined) params.set('job', jobId);
  window.history.replaceState(window.history.state, '', `${window.location.pathname}?${params}`);
}

function RecentJobs() {
  const { api } = useSession();
  const jobs = useApiQuery(['jobs', 'recent'], (signal) =>
    load(api.http.GET('/api/v1/jobs', { params: { query: { limit: '10' } }, signal })),
  );
  return (
    <section className="recent-jobs" aria-labelledby="recent-jobs-title">
      <h2 id="recent-jobs-title">Your recent reports and imports</h2>
      <QueryView query={jobs} what="your recent jobs">
        {(page) =>
          page.items.length === 0 ? (
            <p className="count">None yet.</p>
          ) : (
            <TableScroll label="Your recent reports and imports">
              <table className="data-table jobs-table">
                <thead>
                  <tr>
                    <th scope="col">Asked</th>
                    <th scope="col">What</th>
                    <th scope="col">Status</th>
                    <th scope="col">File</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((job) => (
                    <tr key={job.id}>
                      <td>{new Date(job.createdAt).toLocaleString('en-US')}</td>
                      <td>{describeJob(job.kind, job.input)}</td>
                      <td>{job.status}</td>
                      <td>
                        {job.result === null ? (
                          '—'
                        ) : (
                          <a href={job.result.href} download={job.result.fileName}>
                            {job.result.fileName}
                          </a>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </QueryView>
    </section>
  );
}

function describeJob(kind: string, input: unknown): string {
  const fields = (typeof input === 'object' && input !== null ? input : {}) as Record<
    string,
    unknown
  >;
  if (kind === 'report') {
    const label = REPORT_CHOICES.find((c) => c.value === fields.report)?.label ?? 'Report';
    const about = [fields.year, fields.country, fields.restriction, fields.relief]
      .filter((v) => typeof v === 'string' || typeof v === 'number')
      .join(' ');
    return `${label}${about === '' ? '' : ` ${about}`} (${typeof fields.format === 'string' ? fields.format : '?'})`;
  }
  if (kind.startsWith('import.')) {
    const files = Array.isArray(fields.files) ? fields.files.length : 0;
    return `Import of ${kind.slice('import.'.length)}: ${files} file${files === 1 ? '' : 's'}${fields.dryRun === true ? ' (dry run)' : ''}`;
  }
  return kind;
}
