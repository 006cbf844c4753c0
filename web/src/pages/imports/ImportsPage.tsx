// Imports at /imports: choose what the files hold and the files, check them first (a dry run that
// writes nothing), then import; the server runs it as a job, all or nothing, and answers what it
// did (created, updated, unchanged; each budget account's reconciliation) or every refused cell by
// row and column. Templates and exports sit beside it; below, the files imported so far.
import { useRef, useState, type FormEvent } from 'react';
import { load } from '../../api/client.js';
import { ApiError, useApiMutation, useApiQuery } from '../../api/query.js';
import { useSession } from '../../session.js';
import { Field } from '../../ui/Field.js';
import { JobProgress } from '../../ui/JobProgress.js';
import { Page } from '../../ui/Page.js';
import { QueryView } from '../../ui/Status.js';
import { TableScroll } from '../../ui/TableScroll.js';
import { ImportOutcome, RowErrors } from './ImportOutcome.js';
import {
  BUDGET_STAGES,
  csvOnly,
  IMPORT_CHOICES,
  importableKinds,
  toBase64,
  type BudgetStage,
  type ImportKind,
} from './imports.js';
import './imports.css';

interface Submission {
  readonly kind: ImportKind;
  readonly dryRun: boolean;
  readonly files: { name: string; content: string }[];
  readonly stage?: BudgetStage;
}

export default function ImportsPage() {
  const { api, can } = useSession();
  const kinds = importableKinds(can);
  const [kind, setKind] = useState<ImportKind | undefined>(kinds[0]?.kind);
  const [stage, setStage] = useState<BudgetStage | ''>('');
  const [fileError, setFileError] = useState<string | undefined>();
  const [job, setJob] = useState<{ id: string; dryRun: boolean } | undefined>();
  const files = useRef<HTMLInputElement>(null);
  const submit = useApiMutation(
    ({ kind: k, ...body }: Submission) =>
      load(api.http.POST('/api/v1/imports/{kind}', { params: { path: { kind: k } }, body })),
    { onSuccess: (started, sent) => setJob({ id: started.id, dryRun: sent.dryRun }) },
  );

  const send = async (dryRun: boolean) => {
    setFileError(undefined);
    setJob(undefined);
    submit.reset();
    const chosen = Array.from(files.current?.files ?? []);
    if (kind === undefined) return;
    if (chosen.length === 0) {
      setFileError('Choose a file to import.');
      return;
    }
    const read = await Promise.all(
      chosen.map(async (f) => ({
        name: f.name,
        content: toBase64(new Uint8Array(await f.arrayBuffer())),
      })),
    );
    submit.mutate({
      kind,
      dryRun,
      files: read,
      ...(kind === 'budget' && stage !== '' ? { stage } : {}),
    });
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void send(false);
  };

  const choice = IMPORT_CHOICES.find((c) => c.kind === kind);
  const refused = submit.error instanceof ApiError ? submit.error : undefined;
  return (
    <Page title="Import">
      {kind === undefined || choice === undefined ? (
        <p className="status" role="status">
          Your role imports nothing. Program managers import budget tables, restriction histories,
          allocations, courses and training lines; security cooperation officers their countries’
          students and lines.
        </p>
      ) : (
        <form className="import-form" onSubmit={onSubmit} noValidate>
          <Field label="What the files hold" hint={choice.hint}>
            <select
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as ImportKind);
                setJob(undefined);
                submit.reset();
              }}
            >
              {kinds.map((c) => (
                <option key={c.kind} value={c.kind}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label={kind === 'budget' ? 'Files (one per fiscal year)' : 'File'}
            hint={csvOnly(kind) ? 'CSV' : 'CSV or XLSX'}
            error={
              fileError ??
              (refused?.field?.startsWith('files') === true ? refused.message : undefined)
            }
          >
            <input
              ref={files}
              type="file"
              multiple={kind === 'budget'}
              accept={csvOnly(kind) ? '.csv,text/csv' : '.csv,.xlsx,text/csv'}
              onChange={() => {
                setFileError(undefined);
                setJob(undefined);
              }}
            />
          </Field>
          {kind === 'budget' && (
            <Field
              label="Budget stage"
              hint="Only an enacted table becomes allocations in force; a request or an estimate is kept as figures"
              error={refused?.field === 'stage' ? refused.message : undefined}
            >
              <select value={stage} onChange={(e) => setStage(e.target.value as BudgetStage | '')}>
                <option value="">Not stated</option>
                {BUDGET_STAGES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </Field>
          )}
          <div className="import-actions">
            <button type="button" disabled={submit.isPending} onClick={() => void send(true)}>
              Check (dry run)
            </button>
            <button type="submit" className="primary" disabled={submit.isPending}>
              Import
            </button>
          </div>
          {refused !== undefined &&
            refused.field?.startsWith('files') !== true &&
            refused.field !== 'stage' && (
              <p className="status error" role="alert">
                {refused.message}
              </p>
            )}
        </form>
      )}
      <div aria-live="polite">
        {job !== undefined && (
          <JobProgress
            key={job.id}
            id={job.id}
            what={job.dryRun ? 'the check' : 'the import'}
            done={(j) => <ImportOutcome summary={j.outcome?.summary} />}
            failed={(problem) => <RowErrors problem={problem} />}
          />
        )}
      </div>
      <Templates />
      <ImportRuns />
    </Page>
  );
}

function Templates() {
  const entities = IMPORT_CHOICES.filter((c) => c.kind !== 'budget' && c.kind !== 'history');
  return (
    <section className="import-templates" aria-labelledby="templates-title">
      <h2 id="templates-title">Templates and exports</h2>
      <p className="count">
        A template lists each column, whether it is required and its allowed values. An export has
        the same columns: imported back, it changes nothing.
      </p>
      <ul>
        {entities.map((c) => (
          <li key={c.kind}>
            <span className="import-template-name">{c.label}</span> template{' '}
            <a href={`/api/v1/imports/templates/${c.kind}?format=xlsx`}>XLSX</a> ·{' '}
            <a href={`/api/v1/imports/templates/${c.kind}?format=csv`}>CSV</a>; export{' '}
            <a href={`/api/v1/exports/${c.kind}?format=xlsx`}>XLSX</a> ·{' '}
            <a href={`/api/v1/exports/${c.kind}?format=csv`}>CSV</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ImportRuns() {
  const { api } = useSession();
  const runs = useApiQuery(['imports', 'runs'], (signal) =>
    load(api.http.GET('/api/v1/imports', { params: { query: { limit: '20' } }, signal })),
  );
  return (
    <section className="import-runs" aria-labelledby="runs-title">
      <h2 id="runs-title">Files imported</h2>
      <QueryView query={runs} what="the files imported">
        {(page) =>
          page.items.length === 0 ? (
            <p className="count">No file imported yet.</p>
          ) : (
            <TableScroll label="Files imported">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">File</th>
                    <th scope="col">Holds</th>
                    <th scope="col" className="numeric">
                      Created
                    </th>
                    <th scope="col" className="numeric">
                      Updated
                    </th>
                    <th scope="col" className="numeric">
                      Unchanged
                    </th>
                    <th scope="col">SHA-256</th>
                    <th scope="col">By</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((run) => (
                    <tr key={run.id}>
                      <td>{new Date(run.recordedAt).toLocaleString('en-US')}</td>
                      <td>{run.fileName}</td>
                      <td>
                        {IMPORT_CHOICES.find((c) => c.kind === run.kind)?.label ?? run.kind}
                        {run.budgetStage === null ? '' : ` (${run.budgetStage})`}
                      </td>
                      <td className="numeric">{run.created}</td>
                      <td className="numeric">{run.updated}</td>
                      <td className="numeric">{run.unchanged}</td>
                      <td>
                        <code title={run.sha256}>{run.sha256.slice(0, 12)}…</code>
                      </td>
                      <td>{run.recordedBy}</td>
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
