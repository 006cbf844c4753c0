import { describe, expect, it } from 'vitest';
import type { Timeline } from './api.js';
import { extentOf, layoutTimeline, type Bar } from './timeline.js';

const timeline = {
  country: 'PAK',
  knownOn: null,
  events: [
    {
      date: '2016-10-01',
      type: 'allocation',
      id: 'IMET-FY2017',
      summary: 'FY2017 IMET allocation $4,800,000.00',
      dateQuality: null,
    },
    {
      date: '2016-10-01',
      type: 'allocation',
      id: 'FMF-FY2017',
      summary: 'FY2017 FMF allocation $1.00',
      dateQuality: null,
    },
  ],
  restrictions: [
    {
      id: 'rst_a',
      kind: 'policy',
      scope: ['security-assistance'],
      programs: ['FMF', 'IMET'],
      basis: 'Suspension',
      from: '2018-01-04',
      until: null,
      dateQuality: 'exact',
      untilQuality: null,
    },
  ],
  reliefs: [
    {
      id: 'rlf_late',
      restrictionId: 'rst_a',
      type: 'exception',
      grounds: null,
      programs: ['IMET'],
      from: '2020-01-03',
      until: null,
      dateQuality: 'exact',
      untilQuality: null,
      scopeStated: true,
      authority: 'President',
      notificationId: 'cn_1',
    },
    {
      id: 'rlf_early',
      restrictionId: 'rst_a',
      type: 'exception',
      grounds: null,
      programs: ['IMET'],
      from: '2018-01-04',
      until: '2018-08-01',
      dateQuality: 'exact',
      untilQuality: 'month',
      scopeStated: true,
      authority: 'Secretary of State',
      notificationId: null,
    },
  ],
  notifications: [
    {
      id: 'cn_1',
      country: 'PAK',
      subject: 'exception',
      notifiedOn: '2019-12-19',
      waitDays: 15,
      windowEndsOn: '2020-01-03',
      source: null,
    },
    {
      id: 'cn_2',
      country: 'PAK',
      subject: 'allocation',
      notifiedOn: '2021-03-01',
      waitDays: 15,
      windowEndsOn: '2021-03-16',
      source: null,
    },
  ],
} as unknown as Timeline;

describe('the timeline layout', () => {
  const layout = layoutTimeline(timeline, '2026-11-27');

  it('nests each restriction’s reliefs under it, oldest first, then other notifications, then allocations (IMET first)', () => {
    expect(layout.rows.map((r) => [r.kind, r.key])).toEqual([
      ['restriction', 'rst_a'],
      ['relief', 'rlf_early'],
      ['relief', 'rlf_late'],
      ['notifications', 'notifications'],
      ['allocations', 'allocations-IMET'],
      ['allocations', 'allocations-FMF'],
    ]);
  });

  it('draws a relief’s notification window before it, from notification to effective date', () => {
    const late = layout.rows[2]!;
    expect(late.bars.map((b) => [b.kind, b.from, b.until])).toEqual([
      ['window', '2019-12-19', '2020-01-03'],
      ['relief', '2020-01-03', null],
    ]);
    expect(late.bars[0]!.text).toMatch(
      /^Congress notified 19 Dec 2019: 15-day waiting period until 3 Jan 2020/,
    );
    expect(late.bars[1]!.text).toMatch(
      /^Exception of the policy restriction for IMET: from 3 Jan 2020, no end set/,
    );
  });

  it('marks allocations at the start of their fiscal year, and spans whole years to today', () => {
    const imet = layout.rows[4]!;
    expect(imet.points).toEqual([
      {
        id: 'IMET-FY2017',
        date: '2016-10-01',
        label: 'FY2017',
        text: 'FY2017 IMET allocation $4,800,000.00 (from 1 Oct 2016)',
      },
    ]);
    expect([layout.start, layout.end]).toEqual(['2016-01-01', '2027-01-01']);
  });

  it('has no row for an empty record', () => {
    const empty = layoutTimeline(
      { ...timeline, events: [], restrictions: [], reliefs: [], notifications: [] },
      '2026-11-27',
    );
    expect(empty.rows).toEqual([]);
    expect([empty.start, empty.end]).toEqual(['2026-01-01', '2027-01-01']);
  });
});

describe('dates known only to the month, the year or roughly', () => {
  const layout = layoutTimeline(timeline, '2026-11-27');
  const early = layout.rows[1]!.bars[0]!;

  it('never says a day of an end known only to the month', () => {
    expect(early.text).toMatch(/: 4 Jan 2018 – Aug 2018 \(month only\)\./);
    expect(early.text).not.toContain('1 Aug 2018');
  });

  it('draws the days an imprecise date may stand for apart from the days it surely ran', () => {
    expect(extentOf(early)).toEqual({
      from: '2018-01-04',
      solidFrom: '2018-01-04',
      solidUntil: '2018-08-01',
      until: '2018-09-01',
    });
    const bar = (over: Partial<Bar>): Bar => ({
      kind: 'restriction',
      id: 'x',
      from: '2015-10-01',
      until: null,
      fromQuality: null,
      untilQuality: null,
      text: '',
      ...over,
    });
    // A fiscal year known only as a year: the whole of FY2016 may be its first day.
    expect(extentOf(bar({ fromQuality: 'year' }))).toEqual({
      from: '2015-10-01',
      solidFrom: '2016-10-01',
      solidUntil: null,
      until: null,
    });
    expect(
      extentOf(bar({ from: '2014-10-30', fromQuality: 'approx', until: '2014-11-10' })),
    ).toEqual({
      from: '2014-10-15',
      solidFrom: '2014-10-15',
      solidUntil: '2014-10-15',
      until: '2014-11-10',
    });
  });

  it('says of a relief whose source does not name its programs that its scope is not stated', () => {
    const unstated = layoutTimeline(
      { ...timeline, reliefs: [{ ...timeline.reliefs[1]!, scopeStated: false }] },
      '2026-11-27',
    );
    expect(unstated.rows[1]!.detail).toBe('scope not stated in its source');
    expect(unstated.rows[1]!.bars[0]!.text).toContain(
      'for IMET (scope not stated in its source): 4 Jan 2018',
    );
  });
});
