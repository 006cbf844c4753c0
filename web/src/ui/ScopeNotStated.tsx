// The mark of a relief whose source does not say which programs it covers: the programs are those
// of its restriction, shown but never relied on (an answer names it, it relieves nothing).

export const SCOPE_NOT_STATED = 'scope not stated in its source';

export function ScopeNotStated() {
  return (
    <span
      className="tag"
      data-testid="scope-not-stated"
      title="Its source does not say which programs it covers: it is shown, never relied on."
    >
      {SCOPE_NOT_STATED}
    </span>
  );
}
