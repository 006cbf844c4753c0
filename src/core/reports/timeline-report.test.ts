import { describe, expect, it } from 'vitest';
import { isoDate } from '../dates.js';
import { buildTimeline } from '../eligibility/timeline.js';
import type { ReliefVersion, RestrictionVersion } from '../restrictions.js';
import { buildTimelineReport } from './timeline-report.js';

const recorded = {
  recordedAt: '2018-01-04T00:00:00.000Z',
  supersededAt: null,
  recordedBy: 'user:pm',
};
const restriction: RestrictionVersion = {
  id: 'rst_1',
  version: 1,
  country: 'PAK',
  kind: 'policy',
  scope: ['security-assistance'],
  programs: ['IMET', 'FMF'],
  courseFilter: null,
  dateQuality: 'month',
  basis: 'suspension of security assistance',
  authority: 'President',
  determinedOn: null,
  from: isoDate('2018-01-01'),
  until: null,
  seatPolicy: 'cancel',
  source: null,
  description: null,
  untilQuality: null,
  liftNotificationId: null,
  importRunId: null,
  ...recorded,
};
const relief = (id: string, from: string, until: string | null): ReliefVersion => ({
  id,
  version: 1,
  restrictionId: 'rst_1',
  type: 'exception',
  grounds: null,
  programs: ['IMET'],
  courseIds: null,
  schoolIds: null,
  notificationId: null,
  dateQuality: null,
  untilQuality: null,
  scopeStated: true,
  importRunId: null,
  from: isoDate(from),
  until: until === null ? null : isoDate(until),
  authority: 'Secretary of State',
  justification: 'national security',
  source: null,
  ...recorded,
});
const allocation = (fiscalYear: number, cents: number) => ({
  program: 'IMET',
  fiscalYear,
  cents,
  recordedAt: recorded.recordedAt,
  supersededAt: null,
});
const allocations = [
  allocation(2017, 480_000_000),
  allocation(2019, 100_000_000),
  allocation(2021, 200_000_000),
];
const timeline = buildTimeline(
  {
    restrictions: [restriction],
    reliefs: [relief('rlf_1', '2018-01-04', '2018-08-01'), relief('rlf_2', '2020-01-03', null)],
    notifications: [
      {
        id: 'cn_1',
        country: 'PAK',
        subject: 'exception rlf_2',
        notifiedOn: isoDate('2019-12-19'),
        waitDays: 15,
        windowEndsOn: isoDate('2020-01-03'),
        source: null,
      },
    ],
  },
  allocations,
  'PAK',
  null,
);
const amounts = allocations.map(({ program, fiscalYear, cents }) => ({
  program,
  fiscalYear,
  cents,
}));

describe('buildTimelineReport', () => {
  const whole = buildTimelineReport(timeline, 'Pakistan', amounts, {}, isoDate('2026-11-30'));
  const section = (doc: typeof whole, heading: string) =>
    doc.sections.find((s) => s.heading === heading)!;

  it('runs by default from the year of the first event to the day it is drawn', () => {
    expect(whole.chart?.from).toBe('2016-01-01');
    expect(whole.chart?.until).toBe('2026-11-30');
    expect(section(whole, 'Events').rows).toHaveLength(timeline.events.length);
  });

  it('shows a restriction start to the precision the record knows', () => {
    const start = section(whole, 'Events').rows.find((r) => r[1] === 'restriction starts');
    expect(start?.[0]).toEqual({ date: '2018-01-01', quality: 'month' });
  });

  it('totals the allocations of the fiscal years that start in the period', () => {
    expect(section(whole, 'Allocations').totals).toEqual(['Total', null, 780_000_000]);
    const period = buildTimelineReport(
      timeline,
      'Pakistan',
      amounts,
      { from: isoDate('2018-01-01'), to: isoDate('2019-12-31') },
      isoDate('2026-11-30'),
    );
    expect(section(period, 'Allocations').rows).toEqual([['FY2019', 'IMET', 100_000_000]]);
    expect(period.chart?.amounts).toEqual([
      { program: 'IMET', fiscalYear: 2019, cents: 100_000_000 },
    ]);
  });

  it('keeps the records in force during the period and the events in it', () => {
    const period = buildTimelineReport(
      timeline,
      'Pakistan',
      amounts,
      { from: isoDate('2018-09-01'), to: isoDate('2019-12-31') },
      isoDate('2026-11-30'),
    );
    expect(section(period, 'Reliefs').rows.map((r) => r[0])).toEqual([]);
    expect(section(period, 'Restrictions').rows.map((r) => r[0])).toEqual(['rst_1']);
    expect(section(period, 'Events').rows.map((r) => r[1])).toEqual([
      'allocation',
      'Congress notified',
    ]);
    expect(period.chart?.spans.map((s) => s.lane)).toEqual(['rst_1']);
    expect(period.chart?.marks).toEqual([
      { date: '2019-12-19', label: 'CN 2019-12-19, window ends 2020-01-03' },
    ]);
  });

  it('charts each restriction and relief as a span, open ones without an end', () => {
    expect(whole.chart?.spans).toEqual([
      expect.objectContaining({ lane: 'rst_1', kind: 'restriction', until: null }),
      expect.objectContaining({ lane: 'rlf_1', kind: 'relief', until: '2018-08-01' }),
      expect.objectContaining({ lane: 'rlf_2', kind: 'relief', until: null }),
    ]);
  });
});

describe('buildTimelineReport with dates known only to the month or year', () => {
  const ended: ReliefVersion = {
    ...relief('rlf_1', '2018-01-04', '2018-08-01'),
    untilQuality: 'month',
  };
  const unstated: ReliefVersion = {
    ...relief('rlf_3', '2021-10-01', '2022-10-01'),
    dateQuality: 'year',
    untilQuality: 'exact',
    scopeStated: false,
  };
  const doc = buildTimelineReport(
    buildTimeline(
      {
        restrictions: [{ ...restriction, until: isoDate('2023-10-01'), untilQuality: 'year' }],
        reliefs: [ended, unstated],
        notifications: [],
      },
      [],
      'PAK',
      null,
    ),
    'Pakistan',
    [],
    {},
    isoDate('2026-11-30'),
  );
  const rows = (heading: string) => doc.sections.find((s) => s.heading === heading)!.rows;

  it("dates each event with its own record's precision: a restriction's end, a relief's start and end", () => {
    const event = (type: string, id: string) =>
      rows('Events').find((r) => r[1] === type && r[2] === id)?.[0];
    expect(event('restriction starts', 'rst_1')).toEqual({ date: '2018-01-01', quality: 'month' });
    expect(event('restriction ends', 'rst_1')).toEqual({ date: '2023-10-01', quality: 'year' });
    expect(event('relief in force', 'rlf_1')).toEqual({ date: '2018-01-04', quality: 'exact' });
    expect(event('relief ends', 'rlf_1')).toEqual({ date: '2018-08-01', quality: 'month' });
    expect(event('relief in force', 'rlf_3')).toEqual({ date: '2021-10-01', quality: 'year' });
  });

  it('shows the same precision in the restrictions, the reliefs and the chart', () => {
    expect(rows('Restrictions')[0]?.slice(4, 6)).toEqual([
      { date: '2018-01-01', quality: 'month' },
      { date: '2023-10-01', quality: 'year' },
    ]);
    expect(rows('Reliefs').map((r) => r.slice(4, 6))).toEqual([
      [
        { date: '2018-01-04', quality: 'exact' },
        { date: '2018-08-01', quality: 'month' },
      ],
      [
        { date: '2021-10-01', quality: 'year' },
        { date: '2022-10-01', quality: 'exact' },
      ],
    ]);
    expect(doc.chart?.spans.map((s) => [s.lane, s.fromQuality, s.untilQuality])).toEqual([
      ['rst_1', 'month', 'year'],
      ['rlf_1', 'exact', 'month'],
      ['rlf_3', 'year', 'exact'],
    ]);
  });

  it('says of a relief whose source does not name its programs that its scope is not stated', () => {
    expect(rows('Reliefs')[1]?.[3]).toBe('IMET (scope not stated in its source)');
    expect(doc.chart?.spans[2]?.label).toContain('scope not stated in its source');
  });
});
