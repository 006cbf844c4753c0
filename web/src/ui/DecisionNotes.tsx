// What an eligibility answer cannot settle, said quietly under its verdict (issue #15): the starts
// and ends it rests on that are known only to the month, the year or roughly, and the kinds of
// restriction whose recorded history is partial for that country and date.

/** The part of a decision (single or batch) the notes read. */
export interface DecisionCaveats {
  readonly precision: readonly string[];
  readonly coverage: {
    readonly partial: readonly { readonly kind: string; readonly note: string }[];
    readonly note: string;
  } | null;
}

/** The API's notes begin in lower case, inside its sentences; here each stands alone. */
function sentence(note: string): string {
  const text = note.charAt(0).toUpperCase() + note.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Whether a decision has anything to say beyond its verdict and reasons. */
export function hasCaveats(decision: DecisionCaveats): boolean {
  return decision.precision.length > 0 || decision.coverage !== null;
}

export function DecisionNotes({ decision }: { readonly decision: DecisionCaveats }) {
  if (!hasCaveats(decision)) return null;
  const { precision, coverage } = decision;
  return (
    <div className="decision-notes" data-testid="decision-notes">
      {precision.length > 0 && (
        <div data-testid="decision-precision">
          <p className="decision-notes-head">
            {precision.length === 1
              ? 'A date this answer rests on is known only roughly:'
              : `${precision.length} dates this answer rests on are known only roughly:`}
          </p>
          <ul>
            {precision.map((note) => (
              <li key={note}>{sentence(note)}</li>
            ))}
          </ul>
        </div>
      )}
      {coverage !== null && (
        <details className="decision-coverage" data-testid="decision-coverage">
          <summary>{sentence(coverage.note)}</summary>
          <ul>
            {coverage.partial.map((p) => (
              <li key={p.kind}>
                <span className="code">{p.kind}</span>: {p.note}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
