// A country's timeline (DESIGN §5): restrictions, reliefs, notifications and allocations over time,
// as the record stood at a moment ("known on") or now.
import { fiscalYearInterval, type IsoDate } from '../dates.js';
import type { DateQuality } from '../restrictions.js';
import { formatUsd } from '../money.js';
import type {
  CongressionalNotification,
  ReliefVersion,
  RestrictionVersion,
} from '../restrictions.js';
import type { EligibilityRecords } from './engine.js';

export interface TimelineAllocation {
  readonly program: string;
  readonly fiscalYear: number;
  readonly cents: number;
  readonly recordedAt: string;
  readonly supersededAt: string | null;
}

export type TimelineEventType =
  | 'restriction.start'
  | 'restriction.end'
  | 'relief.start'
  | 'relief.end'
  | 'notification'
  | 'allocation';

export interface TimelineEvent {
  readonly date: IsoDate;
  /** How precisely `date` is known (a restriction's or relief's start or end); null: exact. */
  readonly dateQuality: DateQuality | null;
  readonly type: TimelineEventType;
  /** The record the event belongs to. */
  readonly id: string;
  readonly summary: string;
}

export interface Timeline {
  readonly country: string;
  readonly knownOn: string | null;
  readonly events: readonly TimelineEvent[];
  readonly restrictions: readonly RestrictionVersion[];
  readonly reliefs: readonly ReliefVersion[];
  readonly notifications: readonly CongressionalNotification[];
}

/** Whether a version was the one in force at `knownOn` (the current one when null). */
export function known(
  v: { recordedAt: string; supersededAt: string | null },
  knownOn: string | null,
): boolean {
  return knownOn === null
    ? v.supersededAt === null
    : v.recordedAt <= knownOn && (v.supersededAt === null || v.supersededAt > knownOn);
}

const ORDER: Readonly<Record<TimelineEventType, number>> = {
  allocation: 0,
  notification: 1,
  'restriction.start': 2,
  'relief.end': 3,
  'relief.start': 4,
  'restriction.end': 5,
};

/**
 * Builds the timeline of one country from every version of the records, keeping the versions
 * known at `knownOn` (the current ones when null). Events are in date order.
 */
export function buildTimeline(
  records: EligibilityRecords,
  allocations: readonly TimelineAllocation[],
  country: string,
  knownOn: string | null,
  notificationsRecordedAt: ReadonlyMap<string, string> = new Map(),
): Timeline {
  const restrictions = records.restrictions.filter(
    (r) => r.country === country && known(r, knownOn),
  );
  const ids = new Set(restrictions.map((r) => r.id));
  const reliefs = records.reliefs.filter((r) => ids.has(r.restrictionId) && known(r, knownOn));
  const notifications = records.notifications.filter((n) => {
    const recorded = notificationsRecordedAt.get(n.id);
    return (
      n.country === country && (knownOn === null || recorded === undefined || recorded <= knownOn)
    );
  });
  const events: TimelineEvent[] = [];
  for (const r of restrictions) {
    const scope = r.scope.join(', ');
    events.push({
      date: r.from,
      dateQuality: r.dateQuality,
      type: 'restriction.start',
      id: r.id,
      summary: `${r.kind} restriction of ${scope} (${r.basis})`,
    });
    if (r.until !== null)
      events.push({
        date: r.until,
        dateQuality: r.untilQuality,
        type: 'restriction.end',
        id: r.id,
        summary: `${r.kind} restriction of ${scope} ends`,
      });
  }
  for (const r of reliefs) {
    const what = `${r.type}${r.grounds === null ? '' : ` (${r.grounds})`} of ${r.restrictionId} for ${r.programs.join(', ')}`;
    events.push({
      date: r.from,
      dateQuality: r.dateQuality,
      type: 'relief.start',
      id: r.id,
      summary: `${what} in force`,
    });
    if (r.until !== null)
      events.push({
        date: r.until,
        dateQuality: r.untilQuality,
        type: 'relief.end',
        id: r.id,
        summary: `${what} ends`,
      });
  }
  for (const n of notifications) {
    events.push({
      date: n.notifiedOn,
      dateQuality: null,
      type: 'notification',
      id: n.id,
      summary: `Congress notified: ${n.subject}; waiting period of ${n.waitDays} days ends ${n.windowEndsOn}`,
    });
  }
  for (const a of allocations.filter((x) => known(x, knownOn))) {
    events.push({
      date: fiscalYearInterval(a.fiscalYear).from,
      dateQuality: null,
      type: 'allocation',
      id: `${a.program}-FY${a.fiscalYear}`,
      summary: `FY${a.fiscalYear} ${a.program} allocation ${formatUsd(a.cents)}`,
    });
  }
  events.sort((a, b) =>
    a.date < b.date
      ? -1
      : a.date > b.date
        ? 1
        : ORDER[a.type] - ORDER[b.type] || (a.id < b.id ? -1 : 1),
  );
  return { country, knownOn, events, restrictions, reliefs, notifications };
}
