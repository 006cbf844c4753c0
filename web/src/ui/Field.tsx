// A labelled form control with its hint and the server's message beside it: the input is marked
// invalid and described by the message, so a screen reader reads why.
import { cloneElement, useId, type ReactElement } from 'react';

export function Field({
  label,
  hint,
  error,
  children,
}: {
  readonly label: string;
  readonly hint?: string;
  /** The message the API gave for this field, shown beside it. */
  readonly error?: string | undefined;
  /** One input, select or textarea: it receives id, aria-invalid and aria-describedby. */
  readonly children: ReactElement<Record<string, unknown>>;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint !== undefined ? hintId : '', error !== undefined ? errorId : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={error === undefined ? 'field' : 'field invalid'}>
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
      {cloneElement(children, {
        id,
        'aria-invalid': error !== undefined ? true : undefined,
        'aria-describedby': describedBy === '' ? undefined : describedBy,
      })}
      {error !== undefined && (
        <span className="field-error" id={errorId} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
