// The date the map answers for: typed as a date, or scrubbed by month from 2000 to today on a
// slider, or played forward a month at a time; history replays as the API records it.
import { useEffect, useState } from 'react';
import { formatDate } from '../../format.js';
import { FIRST_MONTH, isCalendarDate, monthIndex, monthStart } from './dashboard.js';

export function DateControl({
  on,
  today,
  onChange,
  busy,
}: {
  readonly on: string;
  readonly today: string;
  readonly onChange: (on: string) => void;
  /** The answer for `on` is on its way: playing waits for it before the next month. */
  readonly busy: boolean;
}) {
  const [typed, setTyped] = useState(on);
  const [playing, setPlaying] = useState(false);
  useEffect(() => setTyped(on), [on]);
  const last = monthIndex(today);
  const index = monthIndex(on);

  useEffect(() => {
    if (!playing || busy) return;
    if (index >= last) {
      setPlaying(false);
      return;
    }
    const timer = setTimeout(() => onChange(monthStart(index + 1, today)), 700);
    return () => clearTimeout(timer);
  }, [playing, busy, index, last, onChange, today]);

  const min = `${FIRST_MONTH}-01`;
  return (
    <div className="dashboard-date">
      <div className="dashboard-field">
        <label htmlFor="dashboard-on">Date</label>
        <input
          id="dashboard-on"
          type="date"
          min={min}
          max={today}
          value={typed}
          onChange={(event) => {
            const value = event.target.value;
            setTyped(value);
            if (isCalendarDate(value) && value >= min && value <= today) onChange(value);
          }}
        />
      </div>
      <div className="dashboard-field dashboard-slider">
        <label htmlFor="dashboard-month">
          Month <span className="dashboard-hint">(2000 to today)</span>
        </label>
        <input
          id="dashboard-month"
          type="range"
          min={0}
          max={last}
          step={1}
          value={index}
          aria-valuetext={formatDate(on, 'month')}
          onChange={(event) => onChange(monthStart(Number(event.target.value), today))}
        />
        <div className="dashboard-ticks" aria-hidden="true">
          <span>2000</span>
          <span>{formatDate(today, 'month')}</span>
        </div>
      </div>
      <button
        type="button"
        className="dashboard-play"
        aria-pressed={playing}
        onClick={() => {
          if (!playing && index >= last) onChange(monthStart(0, today));
          setPlaying(!playing);
        }}
      >
        {playing ? 'Pause' : 'Play history'}
      </button>
    </div>
  );
}
