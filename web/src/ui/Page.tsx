// A page's frame: its title in the tab and as the one h1, and where focus lands after navigation
// (a screen reader hears the new page's name, a keyboard user starts at its top).
import { useEffect, useRef, type ReactNode } from 'react';

/** The first page of a visit keeps the browser's focus (the skip link comes first); later ones take it. */
let firstPage = true;

export function Page({
  title,
  actions,
  children,
}: {
  readonly title: string;
  /** Controls beside the title, e.g. "Record a restriction". */
  readonly actions?: ReactNode;
  readonly children: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Attaché`;
  }, [title]);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <>
      <div className="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions !== undefined && <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}
