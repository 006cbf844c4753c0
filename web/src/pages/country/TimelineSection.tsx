// The country's record over time: restrictions as bars, their reliefs nested under them with the
// congressional notification window before each, allocations as marks by fiscal year. Drawn by
// hand in SVG on a d3 time scale; the same events are listed in a table for those who need one.
import { scaleUtc } from 'd3-scale';
import { useEffect, useRef } from 'react';
import { load } from '../../api/client.js';
import { useApiQuery } from '../../api/query.js';
import { formatDate, formatFrom, formatRecordDate, formatUntil, today } from '../../format.js';
import { useSession } from '../../session.js';
import { QueryView } from '../../ui/Status.js';
import type { CountryDetail, Timeline } from './api.js';
import { formatInstant, type Question } from './state.js';
import { EVENT_LABELS, extentOf, layoutTimeline, type Bar, type Row } from './timeline.js';
import { useWidth } from './useWidth.js';

export function TimelineSection({
  country,
  question,
}: {
  readonly country: CountryDetail;
  readonly question: Question;
}) {
  const { api } = useSession();
  const knownOn = question.knownOn;
  const timeline = useApiQuery(['timeline', country.iso3, knownOn ?? null], (signal) =>
    load(
      api.http.GET('/api/v1/countries/{iso3}/timeline', {
        params: { path: { iso3: country.iso3 }, query: knownOn === undefined ? {} : { knownOn } },
        signal,
      }),
      signal,
    ),
  );
  return (
    <section className="country-section" aria-labelledby="country-timeline-title">
      <h2 id="country-timeline-title">Timeline</h2>
      <p className="country-muted">
        {knownOn === undefined
          ? 'The record as known now.'
          : `The record as it stood on ${formatInstant(timeline.data?.knownOn ?? knownOn, formatDate)}: later entries are not shown.`}
      </p>
      <QueryView query={timeline} what="the timeline">
        {(data) => (
          <TimelineView
            timeline={data}
            asked={question.on}
            knownOn={knownOn?.slice(0, 10)}
            name={country.name}
          />
        )}
      </QueryView>
    </section>
  );
}

const ROW = 34;
const LABEL = 200;
const AXIS = 28;
const MIN_PLOT = 560;

function TimelineView({
  timeline,
  asked,
  knownOn,
  name,
}: {
  readonly timeline: Timeline;
  readonly asked: string;
  /** The day the record is read as it stood, when not as known now. */
  readonly knownOn: string | undefined;
  readonly name: string;
}) {
  const [box, available] = useWidth<HTMLDivElement>(1000);
  const scroller = useRef<HTMLDivElement>(null);
  const now = today();
  const layout = layoutTimeline(timeline, now);
  // The row names stay in view while the years scroll sideways beside them on a narrow screen.
  const labelWidth = available < 640 ? 140 : LABEL;
  const width = Math.max(available - labelWidth - 2, MIN_PLOT);
  const right = width - 14;
  const x = scaleUtc()
    .domain([new Date(layout.start), new Date(layout.end)])
    .range([10, right]);
  const at = (date: string) => x(new Date(date));
  const years = Number(layout.end.slice(0, 4)) - Number(layout.start.slice(0, 4));
  const every = Math.max(1, Math.ceil(years / (width / 48)));
  // A year label too near the right edge would be cut off.
  const ticks = x
    .ticks(years)
    .filter((tick) => tick.getUTCFullYear() % every === 0 && x(tick) > 14 && x(tick) < right - 16);
  const shown = (date: string | undefined): date is string =>
    date !== undefined && date >= layout.start && date < layout.end;
  const bottom = AXIS + layout.rows.length * ROW;
  const height = bottom + (shown(knownOn) ? 36 : 22);
  // On a narrow screen the chart opens scrolled to the date asked about, not to its first year.
  const askedX = shown(asked) ? at(asked) : right;
  useEffect(() => {
    const element = scroller.current;
    if (element === null || element.scrollWidth <= element.clientWidth) return;
    element.scrollLeft = Math.max(0, askedX - element.clientWidth * 0.6);
  }, [askedX, available]);
  return (
    <>
      <Legend />
      {layout.rows.length === 0 ? (
        <p className="empty">Nothing is recorded for {name}.</p>
      ) : (
        <div className="country-timeline-frame" ref={box}>
          <svg
            className="country-timeline-labels"
            width={labelWidth}
            height={height}
            aria-hidden="true"
          >
            {layout.rows.map((row, index) => (
              <RowLabel key={row.key} row={row} y={AXIS + index * ROW} width={labelWidth} />
            ))}
          </svg>
          <div
            className="country-chart-scroll country-timeline-scroll"
            ref={scroller}
            tabIndex={0}
            role="region"
            aria-label={`Timeline of ${name}, scrolls sideways`}
          >
            <svg
              className="country-timeline"
              width={width}
              height={height}
              viewBox={`0 0 ${width} ${height}`}
              role="group"
              aria-label={`Timeline of ${name}: restrictions, reliefs, notifications and allocations`}
              data-testid="timeline-chart"
            >
              <defs>
                <pattern
                  id="country-hatch"
                  width="6"
                  height="6"
                  patternUnits="userSpaceOnUse"
                  patternTransform="rotate(45)"
                >
                  <rect width="6" height="6" fill="#fff4d6" />
                  <line x1="0" y1="0" x2="0" y2="6" stroke="#8a5a00" strokeWidth="2.5" />
                </pattern>
              </defs>
              <g aria-hidden="true">
                {ticks.map((tick) => (
                  <g key={tick.toISOString()} transform={`translate(${x(tick)},0)`}>
                    <line y1={AXIS - 6} y2={bottom} className="country-grid" />
                    <text y={AXIS - 10} textAnchor="middle" className="country-tick">
                      {tick.getUTCFullYear()}
                    </text>
                  </g>
                ))}
                <line x1={0} x2={width} y1={AXIS - 6} y2={AXIS - 6} className="country-axis" />
              </g>
              {layout.rows.map((row, index) => (
                <RowMarks
                  key={row.key}
                  row={row}
                  y={AXIS + index * ROW}
                  at={at}
                  right={right}
                  width={width}
                />
              ))}
              <DayLine x={at(now)} bottom={bottom} label="Today" className="country-today" />
              {shown(asked) && (
                <DayLine
                  x={at(asked)}
                  bottom={bottom}
                  label={`Asked: ${formatDate(asked)}`}
                  className="country-asked"
                />
              )}
              {shown(knownOn) && (
                <DayLine
                  x={at(knownOn)}
                  bottom={bottom}
                  label={`Known on: ${formatDate(knownOn)}`}
                  className="country-known-on-line"
                  line={2}
                />
              )}
            </svg>
          </div>
        </div>
      )}
      <details className="country-table-toggle">
        <summary>Show as a table</summary>
        <div
          className="table-scroll"
          tabIndex={0}
          role="region"
          aria-label="Timeline events, scrolls sideways"
        >
          <table className="country-table" data-testid="timeline-table">
            <caption className="country-visually-hidden">Events of the timeline of {name}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Event</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {timeline.events.map((event, i) => (
                <tr key={`${event.id}-${event.type}-${i}`}>
                  <td className="country-nowrap">
                    {formatRecordDate(event.date, event.dateQuality)}
                  </td>
                  <th scope="row">{EVENT_LABELS[event.type]}</th>
                  <td>{event.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}

function Legend() {
  return (
    <ul className="country-legend" aria-label="Legend">
      <li>
        <span className="country-key country-key-restriction" aria-hidden="true" /> Restriction
      </li>
      <li>
        <span className="country-key country-key-relief" aria-hidden="true" /> Relief (indented
        under its restriction)
      </li>
      <li>
        <span className="country-key country-key-window" aria-hidden="true" /> Notification: from
        Congress notified to the end of the waiting period
      </li>
      <li>
        <span className="country-key country-key-allocation" aria-hidden="true" /> Allocation, at
        the start of its fiscal year
      </li>
      <li>
        <span className="country-key country-key-open" aria-hidden="true" /> No end set
      </li>
      <li>
        <span className="country-key country-key-uncertain" aria-hidden="true" /> Paler: a date
        known only to the month, the year or roughly
      </li>
    </ul>
  );
}

function DayLine({
  x,
  bottom,
  label,
  className,
  line = 1,
}: {
  readonly x: number;
  /** Where the rows end: the line stops there and its label is written under it. */
  readonly bottom: number;
  readonly label: string;
  readonly className: string;
  /** Which line of labels under the chart: 1 or 2 (for a day close to another). */
  readonly line?: 1 | 2;
}) {
  return (
    <g className={className} aria-hidden="true">
      <line x1={x} x2={x} y1={AXIS - 6} y2={bottom + (line - 1) * 14 + 3} />
      <text x={x} y={bottom + line * 14} textAnchor="middle">
        {label}
      </text>
    </g>
  );
}

function RowLabel({
  row,
  y,
  width,
}: {
  readonly row: Row;
  readonly y: number;
  readonly width: number;
}) {
  const indent = row.kind === 'relief' ? 14 : 0;
  const chars = (width - indent - 8) / 7.2;
  return (
    <g className={`country-row country-row-${row.kind}`}>
      <line x1={0} x2={width} y1={y + ROW} y2={y + ROW} className="country-row-line" />
      <text x={4 + indent} y={y + 14} className="country-row-label">
        {clip(`${row.kind === 'relief' && width >= LABEL ? '↳ ' : ''}${row.label}`, chars)}
      </text>
      <text x={4 + indent} y={y + 28} className="country-row-detail">
        {clip(row.detail, chars * 1.2)}
      </text>
    </g>
  );
}

function RowMarks({
  row,
  y,
  at,
  right,
  width,
}: {
  readonly row: Row;
  readonly y: number;
  readonly at: (date: string) => number;
  readonly right: number;
  readonly width: number;
}) {
  const mid = y + ROW / 2;
  return (
    <g className={`country-row country-row-${row.kind}`} data-testid={`timeline-row-${row.key}`}>
      <line
        x1={0}
        x2={width}
        y1={y + ROW}
        y2={y + ROW}
        className="country-row-line"
        aria-hidden="true"
      />
      {row.bars.map((bar) => (
        <BarMark key={bar.id} bar={bar} mid={mid} at={at} right={right} />
      ))}
      {row.points.map((point) => (
        <g key={point.id} role="img" aria-label={point.text} data-testid={`mark-${point.id}`}>
          <title>{point.text}</title>
          <path
            d={`M${at(point.date)},${mid - 6} l6,6 l-6,6 l-6,-6 z`}
            className="country-mark-allocation"
          />
        </g>
      ))}
    </g>
  );
}

function BarMark({
  bar,
  mid,
  at,
  right,
}: {
  readonly bar: Bar;
  readonly mid: number;
  readonly at: (date: string) => number;
  readonly right: number;
}) {
  const extent = extentOf(bar);
  const x0 = at(extent.from);
  const open = bar.until === null;
  const x1 = open ? right : at(extent.until ?? bar.from);
  const width = Math.max(bar.kind === 'window' ? 8 : 3, x1 - x0);
  const left = bar.kind === 'window' ? Math.min(x0, x1 - width) : x0;
  // The days an imprecise start or end may stand for are drawn paler than the days it surely ran.
  const solidLeft = at(extent.solidFrom);
  const solidRight = extent.solidUntil === null ? right : at(extent.solidUntil);
  const uncertain = solidLeft > x0 || solidRight < x1;
  const solidWidth = uncertain ? Math.max(solidRight - solidLeft, 0) : width;
  const h = bar.kind === 'restriction' ? 16 : 12;
  const label = bar.kind === 'window' ? '' : shortSpan(bar);
  const fits = label.length * 6.4 + 10 < (uncertain ? solidWidth : width);
  return (
    <g role="img" aria-label={bar.text} data-testid={`mark-${bar.id}`}>
      <title>{bar.text}</title>
      {uncertain && (
        <rect
          x={left}
          y={mid - h / 2}
          width={width}
          height={h}
          rx={2}
          className={`country-bar country-bar-${bar.kind} country-bar-uncertain`}
          data-testid={`uncertain-${bar.id}`}
        />
      )}
      {solidWidth > 0 && (
        <rect
          x={uncertain ? solidLeft : left}
          y={mid - h / 2}
          width={solidWidth}
          height={h}
          rx={2}
          className={`country-bar country-bar-${bar.kind}`}
        />
      )}
      {open && (
        <path
          d={`M${right - 1},${mid - h / 2 - 3} l8,${h / 2 + 3} l-8,${h / 2 + 3} z`}
          className={`country-open country-bar-${bar.kind}`}
        />
      )}
      {bar.kind === 'window' && (
        <path d={`M${x0},${mid - h / 2 - 8} l-4,-6 h8 z`} className="country-mark-notified" />
      )}
      {label !== '' && (
        <text
          x={fits ? (uncertain ? solidLeft : left) + 6 : left + width + 5}
          y={mid + 4}
          className={fits ? 'country-bar-text-in' : 'country-bar-text-out'}
          aria-hidden="true"
        >
          {label}
        </text>
      )}
    </g>
  );
}

/** A bar's own label: its months (or years, when that is all the record knows). */
function shortSpan(bar: Bar): string {
  const from = formatFrom(bar, true);
  const until = formatUntil(bar, true);
  return until === null ? `from ${from}` : `${from} – ${until}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, Math.floor(max) - 1))}…`;
}
