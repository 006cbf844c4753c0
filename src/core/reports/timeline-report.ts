// The country timeline report (DESIGN §5): restrictions, reliefs, notifications and allocations of
// one country over a period, as tables and as the data of a chart.
import { fiscalYearInterval, type IsoDate } from '../dates.js';
import type { Timeline, TimelineEventType } from '../eligibility/timeline.js';
import type { ReliefVersion, RestrictionVersion } from '../restrictions.js';
import {
  dateCell,
  fileStem,
  totalsRow,
  type Cell,
  type ChartSpan,
  type ReportColumn,
  type ReportDocument,
} from './report-document.js';

/** An allocation as the timeline shows it: one program, one fiscal year, in cents. */
export interface TimelineAmount {
  readonly program: string;
  readonly fiscalYear: number;
  readonly cents: number;
}

export interface TimelinePeriod {
  /** First day shown; default the 1st of January of the year of the first event. */
  readonly from?: IsoDate | undefined;
  /** Last day shown (inclusive); default `asOf`. */
  readonly to?: IsoDate | undefined;
}

const EVENT_NAMES: Readonly<Record<TimelineEventType, string>> = {
  'restriction.start': 'restriction starts',
  'restriction.end': 'restriction ends',
  'relief.start': 'relief in force',
  'relief.end': 'relief ends',
  notification: 'Congress notified',
  allocation: 'allocation',
};

/** Whether [from, until) meets the period [first, last]. */
function overlaps(from: IsoDate, until: IsoDate | null, first: IsoDate, last: IsoDate): boolean {
  return from <= last && (until === null || until > first);
}

/**
 * The timeline report of a country over a period, drawn on `asOf`: the events of the period in
 * date order, the records in force during it, the allocations of the fiscal years that start in
 * it, and the chart of the same.
 */
export function buildTimelineReport(
  timeline: Timeline,
  countryName: string,
  amounts: readonly TimelineAmount[],
  period: TimelinePeriod,
  asOf: IsoDate,
): ReportDocument {
  const firstEvent = timeline.events[0]?.date;
  const first =
    period.from ??
    (((firstEvent === undefined ? asOf.slice(0, 4) : firstEvent.slice(0, 4)) +
      '-01-01') as IsoDate);
  const last = period.to ?? asOf;
  const events = timeline.events.filter((e) => e.date >= first && e.date <= last);
  const restrictions = timeline.restrictions.filter((r) => overlaps(r.from, r.until, first, last));
  const reliefs = timeline.reliefs.filter((r) => overlaps(r.from, r.until, first, last));
  const notifications = timeline.notifications.filter(
    (n) => n.notifiedOn >= first && n.notifiedOn <= last,
  );
  const shownAmounts = amounts
    .filter((a) => {
      const fy = fiscalYearInterval(a.fiscalYear).from;
      return fy >= first && fy <= last;
    })
    .toSorted((a, b) => a.fiscalYear - b.fiscalYear || (a.program < b.program ? -1 : 1));

  const eventColumns: ReportColumn[] = [
    { header: 'Date', kind: 'date' },
    { header: 'Event', kind: 'text' },
    { header: 'Record', kind: 'text', weight: 1.6 },
    { header: 'Summary', kind: 'text', weight: 4 },
  ];
  const restrictionColumns: ReportColumn[] = [
    { header: 'Restriction', kind: 'text', weight: 1.6 },
    { header: 'Kind', kind: 'text' },
    { header: 'Scope', kind: 'text' },
    { header: 'Basis', kind: 'text', weight: 3 },
    { header: 'From', kind: 'date' },
    { header: 'Until', kind: 'date' },
    { header: 'Seats on entry', kind: 'text' },
  ];
  const reliefColumns: ReportColumn[] = [
    { header: 'Relief', kind: 'text', weight: 1.6 },
    { header: 'Restriction', kind: 'text', weight: 1.6 },
    { header: 'Type', kind: 'text' },
    { header: 'Programs', kind: 'text' },
    { header: 'From', kind: 'date' },
    { header: 'Until', kind: 'date' },
    { header: 'Authority', kind: 'text', weight: 2 },
  ];
  const notificationColumns: ReportColumn[] = [
    { header: 'Notification', kind: 'text' },
    { header: 'Subject', kind: 'text', weight: 3 },
    { header: 'Notified on', kind: 'date' },
    { header: 'Waiting days', kind: 'count' },
    { header: 'Window ends', kind: 'date' },
  ];
  const allocationColumns: ReportColumn[] = [
    { header: 'Fiscal year', kind: 'text' },
    { header: 'Program', kind: 'text' },
    { header: 'Amount', kind: 'money' },
  ];
  const allocationRows = shownAmounts.map((a): Cell[] => [`FY${a.fiscalYear}`, a.program, a.cents]);
  const restrictionSpan = (r: RestrictionVersion): ChartSpan => ({
    lane: r.id,
    kind: 'restriction',
    label: `${r.kind} restriction of ${r.scope.join(', ')}`,
    from: r.from,
    until: r.until,
    fromQuality: r.dateQuality ?? 'exact',
    untilQuality: r.untilQuality ?? 'exact',
  });
  const reliefSpan = (r: ReliefVersion): ChartSpan => ({
    lane: r.id,
    kind: 'relief',
    label: `${r.type} for ${r.programs.join(', ')}${r.scopeStated ? '' : ' (scope not stated in its source)'}`,
    from: r.from,
    until: r.until,
    fromQuality: r.dateQuality ?? 'exact',
    untilQuality: r.untilQuality ?? 'exact',
  });
  // Each restriction's lane is followed by the lanes of its reliefs.
  const shownRestrictions = new Set(restrictions.map((r) => r.id));
  const spans: ChartSpan[] = [
    ...restrictions.flatMap((r) => [
      restrictionSpan(r),
      ...reliefs.filter((x) => x.restrictionId === r.id).map(reliefSpan),
    ]),
    ...reliefs.filter((x) => !shownRestrictions.has(x.restrictionId)).map(reliefSpan),
  ];
  const known = timeline.knownOn === null ? '' : ` · as the record stood at ${timeline.knownOn}`;
  return {
    kind: 'timeline',
    title: `Country timeline: ${countryName} (${timeline.country})`,
    subtitle: `${first} to ${last}${known} · as of ${asOf}`,
    asOf,
    fileStem: fileStem('timeline', timeline.country, first, last),
    orientation: 'landscape',
    chart: {
      from: first,
      until: last,
      spans,
      marks: notifications.map((n) => ({
        date: n.notifiedOn,
        label: `CN ${n.notifiedOn}, window ends ${n.windowEndsOn}`,
      })),
      amounts: shownAmounts,
    },
    sections: [
      {
        heading: 'Events',
        columns: eventColumns,
        rows: events.map((e): Cell[] => [
          // Each event's date as precisely as its record knows it (a restriction's end: its until's).
          dateCell(e.date, e.dateQuality),
          EVENT_NAMES[e.type],
          e.id,
          e.summary,
        ]),
      },
      {
        heading: 'Restrictions',
        note: 'Restrictions in force at some time in the period; an empty Until is open.',
        columns: restrictionColumns,
        rows: restrictions.map((r): Cell[] => [
          r.id,
          r.kind,
          r.scope.join(', '),
          r.basis,
          dateCell(r.from, r.dateQuality),
          dateCell(r.until, r.untilQuality),
          r.seatPolicy,
        ]),
      },
      {
        heading: 'Reliefs',
        columns: reliefColumns,
        rows: reliefs.map((r): Cell[] => [
          r.id,
          r.restrictionId,
          r.grounds === null ? r.type : `${r.type} (${r.grounds})`,
          r.scopeStated
            ? r.programs.join(', ')
            : `${r.programs.join(', ')} (scope not stated in its source)`,
          dateCell(r.from, r.dateQuality),
          dateCell(r.until, r.untilQuality),
          r.authority,
        ]),
      },
      {
        heading: 'Congressional notifications',
        columns: notificationColumns,
        rows: notifications.map((n): Cell[] => [
          n.id,
          n.subject,
          dateCell(n.notifiedOn),
          n.waitDays,
          dateCell(n.windowEndsOn),
        ]),
      },
      {
        heading: 'Allocations',
        note: 'Allocations of the fiscal years that start in the period, every program.',
        columns: allocationColumns,
        rows: allocationRows,
        totals: totalsRow('Total', allocationColumns, allocationRows),
      },
    ],
  };
}
