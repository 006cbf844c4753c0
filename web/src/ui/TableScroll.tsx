// A wide table's scrolling frame: a named region a keyboard can reach and scroll (WCAG 2.1.1).
import type { ReactNode } from 'react';

export function TableScroll({
  label,
  children,
}: {
  /** What the table holds, as a screen reader announces the region. */
  readonly label: string;
  readonly children: ReactNode;
}) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}
