// The country timeline chart laid out once as plain shapes (rectangles, lines, texts, diamonds), so
// the HTML (SVG) and the PDF (vector drawing) show the same picture. Coordinates in points, y down,
// text y at its baseline.
import { shownDate, uncertainDays } from '../core/date-precision.js';
import { addDays, fiscalYearInterval, type IsoDate } from '../core/dates.js';
import { formatUsd } from '../core/money.js';
import type { ChartSpan, TimelineChart } from '../core/reports/report-document.js';

export type Shape =
  | {
      readonly type: 'rect';
      readonly x: number;
      readonly y: number;
      readonly w: number;
      readonly h: number;
      readonly fill: string;
    }
  | {
      readonly type: 'line';
      readonly x1: number;
      readonly y1: number;
      readonly x2: number;
      readonly y2: number;
      readonly stroke: string;
      readonly width: number;
    }
  | {
      readonly type: 'text';
      readonly x: number;
      readonly y: number;
      readonly text: string;
      readonly size: number;
      readonly fill: string;
      readonly anchor: 'start' | 'middle' | 'end';
      readonly bold?: boolean;
    }
  | {
      readonly type: 'diamond';
      readonly x: number;
      readonly y: number;
      readonly r: number;
      readonly fill: string;
    };

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly shapes: readonly Shape[];
}

const COLORS = {
  restriction: '#b23b3b',
  relief: '#3b7f4f',
  /** The same, half-way to white: the days an imprecise start or end may stand for. */
  restrictionUncertain: '#d89d9d',
  reliefUncertain: '#9dbfa7',
  notification: '#1f3a5f',
  grid: '#d5dbe3',
  axis: '#555555',
  ink: '#111111',
};
const PROGRAM_COLORS = [
  '#1f3a5f',
  '#6c8ebf',
  '#d79b00',
  '#82b366',
  '#9673a6',
  '#b85450',
  '#999999',
];

const GUTTER = 150;
const LANE = 18;
const BAR = 10;
const AMOUNTS = 70;

function time(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** First days of the years to mark: every year, or every 2nd, 5th or 10th on a long period. */
function yearTicks(from: string, until: string): number[] {
  const first = Number(from.slice(0, 4));
  const last = Number(until.slice(0, 4));
  const step = [1, 2, 5, 10].find((s) => (last - first) / s <= 12) ?? 20;
  const years: number[] = [];
  for (let y = Math.ceil(first / step) * step; y <= last; y += step) years.push(y);
  return years.filter((y) => `${y}-01-01` >= from);
}

/** Millions, or thousands when smaller: `$4.8M`, `$250K`. */
function shortUsd(cents: number): string {
  const dollars = cents / 100;
  if (dollars >= 1e6) return `$${(dollars / 1e6).toFixed(dollars >= 1e8 ? 0 : 1)}M`;
  if (dollars >= 1e3) return `$${Math.round(dollars / 1e3)}K`;
  return formatUsd(cents);
}

/**
 * Where a span surely runs and where it may: `[from, until)` drawn solid, with the days an
 * imprecise start or end may stand for (its month, its year, ±15 days) before and after it.
 * `until` null runs to the chart's end.
 */
function spanExtent(span: ChartSpan): {
  from: IsoDate;
  solidFrom: IsoDate;
  solidUntil: IsoDate | null;
  until: IsoDate | null;
} {
  const start = uncertainDays(span.from, span.fromQuality);
  const end = span.until === null ? undefined : uncertainDays(span.until, span.untilQuality);
  const from = start?.first ?? span.from;
  const until = end === undefined ? span.until : addDays(end.last, 1);
  let solidFrom = start === undefined ? span.from : addDays(start.last, 1);
  let solidUntil = end?.first ?? span.until;
  if (solidUntil !== null && solidFrom > solidUntil) solidFrom = solidUntil = from;
  return { from, solidFrom, solidUntil, until };
}

/** A span's label: what it is, from when to when, each date to its known precision. */
function spanLabel(span: ChartSpan): string {
  const until = span.until === null ? 'open' : shownDate(span.until, span.untilQuality);
  return `${span.label}: ${shownDate(span.from, span.fromQuality)} to ${until}`;
}

/** Helvetica 6.5 pt averages about 3.3 pt a letter. */
function labelWidth(label: string): number {
  return label.length * 3.3 + 8;
}

/**
 * Where a span's label goes: inside its sure part when it fits, else after it, else before it (not
 * over the lane names); when neither side has room for it all, only its dates.
 */
function placeLabel(
  span: ChartSpan,
  at: { x1: number; x2: number; s1: number; s2: number; right: number },
): { x: number; anchor: 'start' | 'end'; fill: string; text: string } {
  const { x1, x2, s1, s2, right } = at;
  const full = spanLabel(span);
  if (s2 - s1 > labelWidth(full))
    return { x: s1 + 4, anchor: 'start', fill: '#ffffff', text: full };
  const dates = full.slice(span.label.length + 2);
  for (const text of [full, dates]) {
    if (x2 + labelWidth(text) < right)
      return { x: x2 + 4, anchor: 'start', fill: COLORS.ink, text };
    if (x1 - labelWidth(text) > GUTTER) return { x: x1 - 4, anchor: 'end', fill: COLORS.ink, text };
  }
  return { x: x2 + 4, anchor: 'start', fill: COLORS.ink, text: dates };
}

/** Lays the chart out `width` points wide; the height follows from its lanes. */
export function layoutTimelineChart(chart: TimelineChart, width: number): ChartLayout {
  const shapes: Shape[] = [];
  const start = time(chart.from);
  const end = time(chart.until) + 86_400_000; // the last day shown is included
  const right = width - 8;
  const x = (date: string) =>
    GUTTER +
    ((Math.min(Math.max(time(date), start), end) - start) / (end - start)) * (right - GUTTER);
  const text = (t: Omit<Extract<Shape, { type: 'text' }>, 'type'>) =>
    shapes.push({ type: 'text', ...t });

  const lanes = chart.spans.length + (chart.marks.length > 0 ? 1 : 0);
  const top = 16;
  const lanesBottom = top + lanes * LANE + 4;
  const amountsTop = lanesBottom + 14;
  const hasAmounts = chart.amounts.length > 0;
  const bottom = hasAmounts ? amountsTop + AMOUNTS : lanesBottom;
  const programs = [...new Set(chart.amounts.map((a) => a.program))].sort();
  const height = bottom + 18 + (hasAmounts ? 14 : 0);

  for (const year of yearTicks(chart.from, chart.until)) {
    const at = x(`${year}-01-01`);
    shapes.push({
      type: 'line',
      x1: at,
      y1: top - 4,
      x2: at,
      y2: bottom,
      stroke: COLORS.grid,
      width: 0.5,
    });
    text({
      x: at,
      y: bottom + 11,
      text: String(year),
      size: 7,
      fill: COLORS.axis,
      anchor: 'middle',
    });
  }
  shapes.push({
    type: 'line',
    x1: GUTTER,
    y1: bottom,
    x2: right,
    y2: bottom,
    stroke: COLORS.axis,
    width: 0.75,
  });
  text({ x: GUTTER, y: 9, text: chart.from, size: 6.5, fill: COLORS.axis, anchor: 'start' });
  text({ x: right, y: 9, text: chart.until, size: 6.5, fill: COLORS.axis, anchor: 'end' });

  chart.spans.forEach((span, i) => {
    const y = top + i * LANE;
    const extent = spanExtent(span);
    const x1 = x(extent.from);
    const x2 = extent.until === null ? right : x(extent.until);
    const s1 = x(extent.solidFrom);
    const s2 = extent.solidUntil === null ? right : x(extent.solidUntil);
    const uncertain = COLORS[`${span.kind}Uncertain`];
    text({ x: GUTTER - 6, y: y + 9, text: span.lane, size: 6.5, fill: COLORS.ink, anchor: 'end' });
    if (s1 > x1)
      shapes.push({ type: 'rect', x: x1, y: y + 1, w: s1 - x1, h: BAR, fill: uncertain });
    if (x2 > s2)
      shapes.push({ type: 'rect', x: s2, y: y + 1, w: x2 - s2, h: BAR, fill: uncertain });
    if (s2 > s1 || x2 <= x1)
      shapes.push({
        type: 'rect',
        x: s1,
        y: y + 1,
        w: Math.max(s2 - s1, 1.5),
        h: BAR,
        fill: COLORS[span.kind],
      });
    text({ y: y + 9, size: 6.5, ...placeLabel(span, { x1, x2, s1, s2, right }) });
  });
  if (
    chart.spans.some(
      (span) => spanExtent(span).from !== span.from || spanExtent(span).until !== span.until,
    )
  )
    text({
      x: (GUTTER + right) / 2,
      y: 9,
      text: 'paler: the days a date known only to the month, the year or roughly may stand for',
      size: 6,
      fill: COLORS.axis,
      anchor: 'middle',
    });
  if (chart.marks.length > 0) {
    const y = top + chart.spans.length * LANE;
    text({
      x: GUTTER - 6,
      y: y + 9,
      text: 'Congress notified',
      size: 6.5,
      fill: COLORS.ink,
      anchor: 'end',
    });
    for (const mark of chart.marks) {
      const at = x(mark.date);
      shapes.push({ type: 'diamond', x: at, y: y + 6, r: 4.5, fill: COLORS.notification });
      const leftSide = at > right - 160;
      text({
        x: leftSide ? at - 7 : at + 7,
        y: y + 9,
        text: mark.label,
        size: 6.5,
        fill: COLORS.ink,
        anchor: leftSide ? 'end' : 'start',
      });
    }
  }

  if (hasAmounts) {
    const totals = new Map<number, number>();
    for (const a of chart.amounts)
      totals.set(a.fiscalYear, (totals.get(a.fiscalYear) ?? 0) + a.cents);
    const max = Math.max(...totals.values(), 1);
    const scale = (cents: number) => (cents / max) * (AMOUNTS - 10);
    text({
      x: GUTTER - 6,
      y: amountsTop + 9,
      text: 'Allocations by FY',
      size: 6.5,
      fill: COLORS.ink,
      anchor: 'end',
    });
    text({
      x: GUTTER - 6,
      y: amountsTop + 18,
      text: `tallest ${shortUsd(max)}`,
      size: 6,
      fill: COLORS.axis,
      anchor: 'end',
    });
    for (const [fiscalYear, total] of totals) {
      const fy = fiscalYearInterval(fiscalYear);
      const x1 = x(fy.from) + 0.6;
      const w = Math.max(x(`${fiscalYear}-10-01`) - x1 - 0.6, 0.8);
      let y = bottom;
      for (const program of programs) {
        const amount = chart.amounts.find(
          (a) => a.fiscalYear === fiscalYear && a.program === program,
        );
        if (amount === undefined || amount.cents === 0) continue;
        const h = scale(amount.cents);
        y -= h;
        const fill = PROGRAM_COLORS[programs.indexOf(program) % PROGRAM_COLORS.length]!;
        shapes.push({ type: 'rect', x: x1, y, w, h, fill });
      }
      if (w > 22)
        text({
          x: x1 + w / 2,
          y: y - 2,
          text: shortUsd(total),
          size: 5.5,
          fill: COLORS.axis,
          anchor: 'middle',
        });
    }
    let legend = GUTTER;
    for (const program of programs) {
      const fill = PROGRAM_COLORS[programs.indexOf(program) % PROGRAM_COLORS.length]!;
      shapes.push({ type: 'rect', x: legend, y: height - 11, w: 8, h: 8, fill });
      text({
        x: legend + 11,
        y: height - 4,
        text: program,
        size: 7,
        fill: COLORS.ink,
        anchor: 'start',
      });
      legend += 18 + program.length * 5;
    }
  }
  return { width, height, shapes };
}
