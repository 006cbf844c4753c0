// The timeline chart's layout: the API's restrictions, reliefs, notifications and allocations as
// rows of marks on one time scale. Pure, so the shape of the chart is tested without a browser.
import { formatDate, type DateQuality } from '../../format.js';
import { SCOPE_NOT_STATED } from '../../ui/ScopeNotStated.js';
import type { Timeline } from './api.js';
import { span, words } from './labels.js';

export interface Bar {
  readonly kind: 'restriction' | 'relief' | 'window';
  readonly id: string;
  readonly from: string;
  /** Exclusive end; null: no end set (drawn to the chart's right edge). */
  readonly until: string | null;
  /** How precisely `from` and `until` are known (null: as recorded, a day). */
  readonly fromQuality: DateQuality | null;
  readonly untilQuality: DateQuality | null;
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
          fromQuality: r.dateQuality,
          untilQuality: r.untilQuality,
          text: `${words(r.kind)} restriction of ${r.programs.join(', ')}: ${span(r)}. ${r.basis}`,
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
        fromQuality: relief.dateQuality,
        untilQuality: relief.untilQuality,
        text: `${words(relief.type)} of the ${r.kind} restriction for ${relief.programs.join(', ')}${relief.scopeStated ? '' : ` (${SCOPE_NOT_STATED})`}: ${span(relief)}. ${relief.authority}`,
      });
      rows.push({
        key: relief.id,
        kind: 'relief',
        label: `${words(relief.type)} · ${relief.programs.join(', ')}`,
        detail: !relief.scopeStated
          ? SCOPE_NOT_STATED
          : relief.grounds === null
            ? relief.authority
            : words(relief.grounds),
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
    for (const bar of row.bars) {
      const extent = extentOf(bar);
      dates.push(extent.from, ...(extent.until === null ? [] : [extent.until]));
    }
    for (const point of row.points) dates.push(point.date);
  }
  dates.sort();
  const first = Number((dates[0] ?? today).slice(0, 4));
  const last = Number((dates[dates.length - 1] ?? today).slice(0, 4));
  return { rows, start: `${first}-01-01`, end: `${last + 1}-01-01` };
}

/** `date` moved by `days` (UTC calendar days). */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The days `[first, after)` an imprecise date may stand for: its month, its year (its fiscal year
 * for a 1 October), or about a fortnight either side; undefined for a day.
 */
function uncertainDays(
  date: string,
  quality: DateQuality | null,
): { readonly first: string; readonly after: string } | undefined {
  const year = Number(date.slice(0, 4));
  switch (quality) {
    case 'month': {
      const first = `${date.slice(0, 7)}-01`;
      return { first, after: `${addDays(`${date.slice(0, 7)}-28`, 4).slice(0, 7)}-01` };
    }
    case 'year':
      return date.slice(5) === '10-01'
        ? { first: date, after: `${year + 1}-10-01` }
        : { first: `${year}-01-01`, after: `${year + 1}-01-01` };
    case 'approx':
      return { first: addDays(date, -15), after: addDays(date, 16) };
    default:
      return undefined;
  }
}

/**
 * Where a bar surely runs, `[solidFrom, solidUntil)`, and where it may, `[from, until)`: an
 * imprecise start or end widens it by the days that date may stand for (drawn paler). `until` null
 * runs to the chart's edge.
 */
export function extentOf(bar: Bar): {
  readonly from: string;
  readonly solidFrom: string;
  readonly solidUntil: string | null;
  readonly until: string | null;
} {
  const start = uncertainDays(bar.from, bar.fromQuality);
  const end = bar.until === null ? undefined : uncertainDays(bar.until, bar.untilQuality);
  const from = start?.first ?? bar.from;
  let solidFrom = start?.after ?? bar.from;
  let solidUntil = end?.first ?? bar.until;
  if (solidUntil !== null && solidFrom > solidUntil) solidFrom = solidUntil = from;
  return { from, solidFrom, solidUntil, until: end?.after ?? bar.until };
}

function windowBar(notice: Timeline['notifications'][number]): Bar {
  return {
    kind: 'window',
    id: notice.id,
    from: notice.notifiedOn,
    until: notice.windowEndsOn,
    fromQuality: null,
    untilQuality: null,
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
