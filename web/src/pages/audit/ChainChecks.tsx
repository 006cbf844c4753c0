// "Verify now" and "Export a checkpoint": the server walks the whole chain (against a checkpoint
// file, and the records, when asked) and says what it found in words; a checkpoint it signs is
// saved as a JSON file to keep where the database's administrators cannot change it.
import { useRef, useState } from 'react';
import { load } from '../../api/client.js';
import { describeFailure, useApiMutation } from '../../api/query.js';
import { useSession } from '../../session.js';
import { Badge } from '../../ui/Badge.js';
import { Failure } from '../../ui/Status.js';
import {
  attachmentName,
  formatInstant,
  plural,
  shortHash,
  type AuditCheckpoint,
  type AuditOverview,
  type AuditVerification,
} from './audit.js';

export function ChainChecks({ overview }: { readonly overview: AuditOverview }) {
  return (
    <section className="audit-checks" aria-label="Check the chain">
      <VerifyPanel overview={overview} />
      <ExportPanel overview={overview} />
    </section>
  );
}

function VerifyPanel({ overview }: { readonly overview: AuditOverview }) {
  const { api } = useSession();
  const [deep, setDeep] = useState(false);
  const [fileError, setFileError] = useState<string | undefined>();
  const file = useRef<HTMLInputElement>(null);
  const verify = useApiMutation((body: { deep: boolean; checkpoint?: AuditCheckpoint }) =>
    load(api.http.POST('/api/v1/audit/verify', { body })),
  );

  const run = async () => {
    setFileError(undefined);
    const chosen = file.current?.files?.[0];
    let checkpoint: AuditCheckpoint | undefined;
    if (chosen !== undefined) {
      try {
        checkpoint = JSON.parse(await chosen.text()) as AuditCheckpoint;
      } catch {
        setFileError(`${chosen.name} is not JSON: choose a checkpoint file this page exported.`);
        return;
      }
    }
    verify.mutate({ deep, ...(checkpoint === undefined ? {} : { checkpoint }) });
  };

  return (
    <div className="audit-panel">
      <h2>Verify the chain</h2>
      <p className="audit-panel-text">
        Recomputes every entry’s hash and link, from the first to the last.
      </p>
      <label className="toggle">
        <input type="checkbox" checked={deep} onChange={(e) => setDeep(e.target.checked)} />
        Also compare the log with the records (slower)
      </label>
      <div className={fileError === undefined ? 'field audit-file' : 'field audit-file invalid'}>
        <label htmlFor="audit-checkpoint-file">Against a checkpoint file (optional)</label>
        <input
          id="audit-checkpoint-file"
          ref={file}
          type="file"
          accept="application/json,.json"
          aria-describedby={fileError === undefined ? undefined : 'audit-checkpoint-file-error'}
          aria-invalid={fileError === undefined ? undefined : true}
          onChange={() => setFileError(undefined)}
        />
        {fileError !== undefined && (
          <span className="field-error" id="audit-checkpoint-file-error" role="alert">
            {fileError}
          </span>
        )}
        {overview.keys.verifyingKeyId === null && (
          <span className="hint">This server has no key to check a checkpoint’s signature.</span>
        )}
      </div>
      <button
        type="button"
        className="primary"
        disabled={verify.isPending}
        onClick={() => void run()}
      >
        {verify.isPending ? 'Verifying…' : 'Verify now'}
      </button>
      <div aria-live="polite">
        {verify.isPending && (
          <p className="status" role="status">
            Verifying {plural(overview.entries, 'entry')}…
          </p>
        )}
        {verify.isError && <Failure error={verify.error} />}
        {verify.isSuccess && <VerificationResult result={verify.data} />}
      </div>
    </div>
  );
}

function VerificationResult({ result }: { readonly result: AuditVerification }) {
  return (
    <div
      className={result.ok ? 'audit-result ok' : 'audit-result broken'}
      data-testid="audit-verification"
    >
      <p className="audit-result-head">
        <Badge tone={result.ok ? 'ok' : 'blocked'}>{result.ok ? 'Verified' : 'Not verified'}</Badge>{' '}
        <span>{result.summary}</span>
      </p>
      <dl className="audit-facts">
        <div>
          <dt>Entries checked</dt>
          <dd>{result.entries.toLocaleString('en-US')}</dd>
        </div>
        <div>
          <dt>Checked at</dt>
          <dd>{formatInstant(result.checkedAt)}</dd>
        </div>
        <div>
          <dt>{result.ok ? 'Head hash' : 'Last good hash'}</dt>
          <dd className="audit-hash" title={result.headHash}>
            {shortHash(result.headHash)}
          </dd>
        </div>
      </dl>
      {result.break !== null && (
        <p className="audit-break">
          <strong>First break:</strong> {result.break.description}.
        </p>
      )}
      {result.checkpoint !== null && (
        <p>
          <strong>Checkpoint</strong> of entry {result.checkpoint.seq.toLocaleString('en-US')}, made{' '}
          {formatInstant(result.checkpoint.recordedAt)}, key {shortHash(result.checkpoint.keyId)}:{' '}
          {result.checkpoint.holds
            ? `holds${result.checkpoint.entriesSince ? `; ${plural(result.checkpoint.entriesSince, 'entry')} written since are not covered by it` : ''}.`
            : 'does not hold.'}
        </p>
      )}
      {result.deep !== null && (
        <div className="audit-deep">
          <p>
            <strong>Records:</strong>{' '}
            {result.deep.ok
              ? `every record compared matches the log (${plural(
                  result.deep.compared.reduce((n, c) => n + c.count, 0),
                  'record',
                )} of ${plural(result.deep.compared.length, 'kind')}).`
              : `${plural(result.deep.differenceCount, 'record')} differ from the log.`}
          </p>
          {result.deep.differences.length > 0 && (
            <ul>
              {result.deep.differences.map((d) => (
                <li key={`${d.record}-${d.id}-${d.version ?? ''}-${d.field ?? ''}`}>
                  {d.description}
                </li>
              ))}
            </ul>
          )}
          {(result.deep.limits.length > 0 || result.deep.notCompared.length > 0) && (
            <details>
              <summary>What the comparison does not cover</summary>
              <ul>
                {result.deep.limits.map((limit) => (
                  <li key={limit}>{limit}</li>
                ))}
                {result.deep.notCompared.map((n) => (
                  <li key={`${n.entityType}-${n.action}`}>
                    {n.entityType} {n.action}: {plural(n.entries, 'entry')} no rule reads
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </div>
  );
}

interface Exported {
  readonly checkpoint: AuditCheckpoint;
  readonly fileName: string;
}

function ExportPanel({ overview }: { readonly overview: AuditOverview }) {
  const { api } = useSession();
  const exporter = useApiMutation(
    async (_: undefined) => {
      let fileName = 'attache-audit-checkpoint.json';
      const answer = await api.http.POST('/api/v1/audit/checkpoints').then((settled) => {
        fileName = attachmentName(settled.response.headers.get('content-disposition'), fileName);
        return settled;
      });
      const loaded = await load(Promise.resolve(answer));
      return loaded.ok
        ? { ok: true as const, value: { checkpoint: loaded.value, fileName } }
        : loaded;
    },
    {
      onSuccess: (exported: Exported) => save(exported),
    },
  );
  const signing = overview.keys.signingKeyId;

  return (
    <div className="audit-panel">
      <h2>Export a checkpoint</h2>
      <p className="audit-panel-text">
        The server signs the head of the chain and the hashes along it. Keep the file where the
        database’s administrators cannot change it: verifying against it later proves every entry up
        to it unchanged and none removed.
      </p>
      <p className="audit-panel-text">
        {signing === null
          ? 'This server has no signing key yet: the administrator must configure one before checkpoints can be exported.'
          : `Signed with key ${shortHash(signing)}.`}
      </p>
      <button
        type="button"
        className="primary"
        disabled={exporter.isPending}
        onClick={() => exporter.mutate(undefined)}
      >
        {exporter.isPending ? 'Signing…' : 'Export a checkpoint'}
      </button>
      <div aria-live="polite">
        {exporter.isError && (
          <div className="status error" role="alert">
            <p>{describeFailure(exporter.error)}</p>
          </div>
        )}
        {exporter.isSuccess && (
          <p className="audit-result ok" role="status">
            <Badge tone="ok">Saved</Badge> Checkpoint of entry{' '}
            {exporter.data.checkpoint.seq.toLocaleString('en-US')} (head{' '}
            <span className="audit-hash">{shortHash(exporter.data.checkpoint.headHash)}</span>)
            saved as <span className="code">{exporter.data.fileName}</span>.
          </p>
        )}
      </div>
    </div>
  );
}

/** Hands the checkpoint to the browser as a file download. */
function save({ checkpoint, fileName }: Exported): void {
  const blob = new Blob([`${JSON.stringify(checkpoint, null, 2)}\n`], {
    type: 'application/json',
  });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
