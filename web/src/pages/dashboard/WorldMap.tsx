// The world coloured by the API's verdicts on one date: each country it lists is a link to its page,
// named with its verdict and first reason on hover and on keyboard focus; a country it does not
// list stays grey. The shapes are drawn once; a new answer only changes their classes.
import {
  memo,
  useCallback,
  useEffect,
  useRef,
  useState,
  type FocusEvent,
  type MouseEvent,
} from 'react';
import { useNavigate } from 'react-router';
import { formatDate, formatFrom } from '../../format.js';
import {
  firstReason,
  groundsOf,
  kindWords,
  VERDICT_WORDS,
  verdictOf,
  type Decision,
  type Verdict,
} from './dashboard.js';
import { MAP_WIDTH, worldAtlas } from './geo.js';

export interface MapAnswer {
  readonly program: string;
  readonly on: string;
  readonly decisions: ReadonlyMap<string, Decision>;
  readonly names: ReadonlyMap<string, string>;
}

interface Pointed {
  readonly iso3: string | undefined;
  readonly name: string;
  readonly x: number;
  readonly y: number;
}

export function WorldMap({
  answer,
  onPainted,
}: {
  readonly answer: MapAnswer;
  /** Called once the browser painted the map with a new answer. */
  readonly onPainted?: (answer: MapAnswer) => void;
}) {
  const frame = useRef<HTMLDivElement>(null);
  const [pointed, setPointed] = useState<Pointed | undefined>();
  const point = useCallback((target: Element, x?: number, y?: number) => {
    const box = frame.current?.getBoundingClientRect();
    const shape = target.closest('[data-name]');
    if (box === undefined || shape === null) return;
    const rect = shape.getBoundingClientRect();
    setPointed({
      iso3: shape.getAttribute('data-iso3') ?? undefined,
      name: shape.getAttribute('data-name') ?? '',
      x: (x ?? rect.left + rect.width / 2) - box.left,
      y: (y ?? rect.top + rect.height / 2) - box.top,
    });
  }, []);
  const onMove = (event: MouseEvent<SVGSVGElement>) =>
    point(event.target as Element, event.clientX, event.clientY);
  const onFocus = (event: FocusEvent<SVGSVGElement>) => point(event.target);
  const leave = () => setPointed(undefined);

  useEffect(() => {
    if (onPainted === undefined) return;
    // After the commit, the next frame paints it: the callback runs once that frame is done.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const raf = requestAnimationFrame(() => {
      timer = setTimeout(() => onPainted(answer), 0);
    });
    return () => {
      cancelAnimationFrame(raf);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [answer, onPainted]);

  const decision = pointed?.iso3 === undefined ? undefined : answer.decisions.get(pointed.iso3);
  const verdict = verdictOf(decision);
  const ground = decision === undefined ? undefined : groundsOf(decision)[0];
  const name =
    (pointed?.iso3 !== undefined ? answer.names.get(pointed.iso3) : undefined) ?? pointed?.name;
  return (
    <div className="dashboard-map" ref={frame} onMouseLeave={leave}>
      <svg
        viewBox={`0 0 ${MAP_WIDTH} ${worldAtlas().height}`}
        data-on={answer.on}
        data-program={answer.program}
        aria-label={`World map: ${answer.program} eligibility on ${formatDate(answer.on)}`}
        onMouseMove={onMove}
        onFocus={onFocus}
        onBlur={leave}
      >
        <defs>
          {/* Relieved countries are hatched as well as coloured: colour is not the only cue. */}
          <pattern
            id="dashboard-hatch"
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" className="hatch-ground" />
            <line x1="0" y1="0" x2="0" y2="6" className="hatch-line" />
          </pattern>
        </defs>
        <Shapes answer={answer} />
      </svg>
      {pointed !== undefined && (
        <div
          className={`dashboard-tip tip-${verdict}`}
          role="status"
          style={{
            left: `clamp(0.5rem, ${pointed.x}px - 8rem, calc(100% - 16.5rem))`,
            top: `${pointed.y + 14}px`,
          }}
        >
          <strong>{name}</strong>
          <span className="dashboard-tip-verdict">{VERDICT_WORDS[verdict]}</span>
          {ground !== undefined && (
            <span className="dashboard-tip-reason">
              {kindWords(ground.kind)} since {formatFrom(ground)}: {ground.basis}
            </span>
          )}
          {verdict === 'no-data' && (
            <span className="dashboard-tip-reason">The API does not list this territory.</span>
          )}
        </div>
      )}
    </div>
  );
}

/** The shapes, redrawn only when the answer changes (not on hover). */
const Shapes = memo(function Shapes({ answer }: { readonly answer: MapAnswer }) {
  const navigate = useNavigate();
  return (
    <g className="dashboard-shapes">
      {worldAtlas().shapes.map((shape, i) => {
        const decision = shape.iso3 === undefined ? undefined : answer.decisions.get(shape.iso3);
        const verdict: Verdict = verdictOf(decision);
        const key = shape.iso3 ?? `x${i}`;
        if (shape.iso3 === undefined || decision === undefined)
          return (
            <path
              key={key}
              d={shape.d}
              className="shape shape-no-data"
              data-name={shape.name}
              data-iso3={shape.iso3}
              data-verdict={verdict}
            />
          );
        const iso3 = shape.iso3;
        const name = answer.names.get(iso3) ?? shape.name;
        const reason = firstReason(decision);
        const href = `/countries/${iso3}`;
        return (
          <a
            key={key}
            href={href}
            data-name={name}
            data-iso3={iso3}
            aria-label={`${name}: ${VERDICT_WORDS[verdict]}${reason === undefined ? '' : `, ${reason}`}`}
            onClick={(event) => {
              if (event.metaKey || event.ctrlKey || event.shiftKey) return;
              event.preventDefault();
              void navigate(href);
            }}
          >
            <path
              d={shape.d}
              className={`shape shape-${verdict}`}
              data-iso3={iso3}
              data-verdict={verdict}
            />
          </a>
        );
      })}
    </g>
  );
});
