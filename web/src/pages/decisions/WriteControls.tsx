// The foot of every decision form: Preview (a dry run of the same request), the preview's impact
// in view, then Save, enabled only while the form still holds the input previewed.
import { useEffect, useRef, type ReactNode } from 'react';
import type { Impact } from './api.js';
import { WriteImpact } from './ImpactView.js';
import type { PreviewedWrite } from './usePreviewedWrite.js';

export function WriteControls<Body, Answer>({
  write,
  body,
  impactOf,
  saveLabel,
  what,
  children,
}: {
  readonly write: PreviewedWrite<Body, Answer>;
  /** The request the form holds now. */
  readonly body: Body;
  readonly impactOf: (answer: Answer) => Impact;
  readonly saveLabel: string;
  /** What is being written, for sentences: "the restriction", "the relief". */
  readonly what: string;
  /** What the preview says besides the impact (e.g. a relief's effective date). */
  readonly children?: (answer: Answer) => ReactNode;
}) {
  const { state, preview, busy } = write;
  const fresh = write.isFresh(body);
  const heading = useRef<HTMLHeadingElement>(null);
  const previewKey = preview?.key;
  useEffect(() => {
    if (previewKey !== undefined) heading.current?.focus();
  }, [previewKey]);

  return (
    <div className="decisions-controls">
      {preview !== undefined && (
        <section
          className={fresh ? 'decisions-preview' : 'decisions-preview stale'}
          aria-labelledby="decisions-preview-heading"
          data-testid="preview"
        >
          <h2 id="decisions-preview-heading" ref={heading} tabIndex={-1}>
            Preview: what saving will change
          </h2>
          {!fresh && (
            <p className="notice" role="status">
              You changed the form after this preview. Preview again: Save records only the input
              you previewed.
            </p>
          )}
          <p className="decisions-muted">
            Computed by the server from the record as it stands now; nothing is recorded yet.
          </p>
          {children?.(preview.answer)}
          <WriteImpact
            impact={impactOf(preview.answer)}
            testId="preview-impact"
            heading={`If you save ${what}`}
          />
        </section>
      )}
      {state.stage === 'unsure' && (
        <div className="status error" role="alert">
          <p>
            The server could not be reached while saving, so we cannot tell whether {what} was
            recorded. Check your connection, then try again: the page first checks the record and
            does not record it twice.
          </p>
          <button type="button" onClick={() => void write.retry(body)} disabled={busy}>
            Check and try again
          </button>
        </div>
      )}
      <div className="decisions-buttons">
        <button type="submit" disabled={busy}>
          {state.stage === 'previewing'
            ? 'Previewing…'
            : preview === undefined
              ? 'Preview what it will change'
              : 'Preview again'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || !fresh}
          aria-describedby="decisions-save-hint"
          onClick={() => void write.save(body)}
        >
          {state.stage === 'saving' ? 'Saving…' : saveLabel}
        </button>
        <span id="decisions-save-hint" className="decisions-muted">
          {fresh
            ? 'Saving records exactly what the preview shows.'
            : 'Save is available after a preview of this input.'}
        </span>
      </div>
    </div>
  );
}

/** A refusal the form cannot place beside a field, above the form. */
export function FormProblem({ message }: { readonly message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <div className="status error" role="alert" data-testid="form-problem">
      <p>{message}</p>
    </div>
  );
}
