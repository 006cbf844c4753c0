// The timeline chart's layout: the API's restrictions, reliefs, notifications and allocations as
// rows of marks on one time scale. Pure, so the shape of the chart is tested without a browser.
import { formatDate } from '../../format.js';
import type { Timeline } from './api.js';
import { span, words } from './labels.js';

export interface Bar {
  readonly kind: 'restriction' | 'relief' | 'window';
  readonly id: string;
  readonly from: string;
  /** Exclusive end; null: no end set (drawn to the chart's right edge). */
  readonly until: string | null;
  /** What the mark says to a screen reader and in its tooltip. */
  readonly text: string;
}

export interface Point {
  readonly id: string;
  readonly date: string;
  readonly label: string;
  readonly text: string;
}

export interface Row {
  readonly key: string;
  readonly kind: 'restriction' | 'relief' | 'allocations' | 'notifications';
  readonly label: string;
  readonly detail: string;
  readonly bars: readonly Bar[];
  readonly points: readonly Point[];
}

export interface TimelineLayout {
  readonly rows: readonly Row[];
  /** The first day of the first year shown and the first day of the year after the last. */
  readonly start: string;
  readonly end: string;
}

/** The rows of the chart: each restriction with its reliefs under it, then allocations by program. */
export function layoutTimeline(timeline: Timeline, today: string): TimelineLayout {
  const notifications = new Map(timeline.notifications.map((n) => [n.id, n]));
  const used = new Set<string>();
  const rows: Row[] = [];
  const restrictions = [...timeline.restrictions].sort((a, b) => a.from.localeCompare(b.from));
  for (const r of restrictions) {
    rows.push({
      key: r.id,
      kind: 'restriction',
      label: `${words(r.kind)} restriction`,
      detail: r.scope.join(', '),
      bars: [
        {
          kind: 'restriction',
          id: r.id,
          from: r.from,
          until: r.until,
          text: `${words(r.kind)} restriction of ${r.programs.join(', ')}: ${span(r.from, r.until)}. ${r.basis}`,
        },
      ],
      points: [],
    });
    const reliefs = timeline.reliefs
      .filter((relief) => relief.restrictionId === r.id)
      .sort((a, b) => a.from.localeCompare(b.from));
    for (const relief of reliefs) {
      const bars: Bar[] = [];
      const notice =
        relief.notificationId === null ? undefined : notifications.get(relief.notificationId);
      if (notice !== undefined) {
        used.add(notice.id);
        bars.push(windowBar(notice));
      }
      bars.push({
        kind: 'relief',
        id: relief.id,
        from: relief.from,
        until: relief.until,
        text: `${words(relief.type)} of the ${r.kind} restriction for ${relief.programs.join(', ')}: ${span(relief.from, relief.until)}. ${relief.authority}`,
      });
      rows.push({
        key: relief.id,
        kind: 'relief',
        label: `${words(relief.type)} · ${relief.programs.join(', ')}`,
        detail: relief.grounds === null ? relief.authority : words(relief.grounds),
        bars,
        points: [],
      });
    }
  }
  const others = timeline.notifications.filter((n) => !used.has(n.id));
  if (others.length > 0)
    rows.push({
      key: 'notifications',
      kind: 'notifications',
      label: 'Other notifications',
      detail: 'congressional notification windows',
      bars: others.map(windowBar),
      points: [],
    });
  const byProgram = new Map<string, Point[]>();
  for (const event of timeline.events) {
    if (event.type !== 'allocation') continue;
    const match = /^([A-Z0-9-]+?)-FY(\d{4})$/.exec(event.id);
    const program = match?.[1] ?? 'Allocation';
    const points = byProgram.get(program) ?? [];
    points.push({
      id: event.id,
      date: event.date,
      label: match === null ? '' : `FY${match[2]}`,
      text: `${event.summary} (from ${formatDate(event.date)})`,
    });
    byProgram.set(program, points);
  }
  const programs = [...byProgram.keys()].sort((a, b) =>
    a === 'IMET' ? -1 : b === 'IMET' ? 1 : a.localeCompare(b),
  );
  for (const program of programs)
    rows.push({
      key: `allocations-${program}`,
      kind: 'allocations',
      label: `${program} allocations`,
      detail: 'by fiscal year',
      bars: [],
      points: byProgram.get(program) ?? [],
    });
  const dates = [today];
  for (const row of rows) {
    for (const bar of row.bars) dates.push(bar.from, ...(bar.until === null ? [] : [bar.until]));
    for (const point of row.points) dates.push(point.date);
  }
  dates.sort();
  const first = Number((dates[0] ?? today).slice(0, 4));
  const last = Number((dates[dates.length - 1] ?? today).slice(0, 4));
  return { rows, start: `${first}-01-01`, end: `${last + 1}-01-01` };
}

function windowBar(notice: Timeline['notifications'][number]): Bar {
  return {
    kind: 'window',
    id: notice.id,
    from: notice.notifiedOn,
    until: notice.windowEndsOn,
    text: `Congress notified ${formatDate(notice.notifiedOn)}: ${notice.waitDays}-day waiting period until ${formatDate(notice.windowEndsOn)}. ${notice.subject}`,
  };
}

/** An event type of the timeline as words, for its table. */
export const EVENT_LABELS: Readonly<Record<Timeline['events'][number]['type'], string>> = {
  'restriction.start': 'Restriction starts',
  'restriction.end': 'Restriction ends',
  'relief.start': 'Relief starts',
  'relief.end': 'Relief ends',
  notification: 'Congress notified',
  allocation: 'Allocation',
};
