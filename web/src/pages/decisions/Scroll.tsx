// A table that scrolls sideways on a narrow screen: a named region a keyboard can focus and scroll.
import type { ReactNode } from 'react';

export function Scroll({
  label,
  children,
}: {
  readonly label: string;
  readonly children: ReactNode;
}) {
  return (
    // A focusable region, so a keyboard user can scroll it (axe: scrollable-region-focusable).
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
