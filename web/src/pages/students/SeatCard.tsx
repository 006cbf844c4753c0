// One seat of a student, with its gate checklist at the centre: red gates first, each with what
// clears it (the screening form opens right there), then the travel order and the school's reports.
import { useState } from 'react';
import { load } from '../../api/client.js';
import { useApiQuery } from '../../api/query.js';
import { formatDate } from '../../format.js';
import { useSession } from '../../session.js';
import { Badge } from '../../ui/Badge.js';
import { QueryView } from '../../ui/Status.js';
import {
  count,
  GATE_LABELS,
  gateTitle,
  orderGates,
  screeningFor,
  seatStatusText,
  STATUS_WORDS,
  type GateName,
} from './gates.js';
import { ScreeningForm } from './ScreeningForm.js';
import { SchoolEvents } from './SchoolEvents.js';
import { seatTone } from './StudentSearchPage.js';
import { keys, type GateChecklist, type StudentSeat } from './students-api.js';
import { TravelOrderPanel } from './TravelOrder.js';

/** Seats whose gates still matter: before the travel order (afterwards the order records them). */
const BEFORE_TRAVEL = new Set(['programmed', 'nominated', 'cleared', 'ito-issued']);

export function SeatCard({
  seat,
  studentId,
  seats,
}: {
  readonly seat: StudentSeat;
  readonly studentId: string;
  readonly seats: readonly StudentSeat[];
}) {
  const { api } = useSession();
  const gates = useApiQuery(keys.gates(seat.id), (signal) =>
    load(
      api.http.GET('/api/v1/seats/{id}/gates', { params: { path: { id: seat.id } }, signal }),
      signal,
    ),
  );
  const pending = BEFORE_TRAVEL.has(seat.status);
  const headingId = `seat-${seat.id}`;
  return (
    <article className="students-seat" aria-labelledby={headingId}>
      <header className="students-seat-head">
        <h3 id={headingId}>{seat.courseTitle}</h3>
        <Badge tone={seatTone(seat.status)}>{seatStatusText(seat.status)}</Badge>
      </header>
      <p className="students-seat-meta">
        {seat.schoolName}, {seat.location} · class {formatDate(seat.classStart)} –{' '}
        {formatDate(seat.classEnd)} ({count(seat.lengthWeeks, 'week')}) · {seat.program} FY
        {seat.fiscalYear} · <span className="code">{seat.courseId}</span>
      </p>
      {seat.flagged && (
        <p className="notice">
          <strong>Flagged:</strong> {seat.flagReason ?? 'see the seat'}
        </p>
      )}
      {pending ? (
        <QueryView query={gates} what="the gate checklist">
          {(checklist) => (
            <Checklist checklist={checklist} seat={seat} studentId={studentId} seats={seats} />
          )}
        </QueryView>
      ) : (
        <details className="students-gates-after">
          <summary>Gate checklist</summary>
          <QueryView query={gates} what="the gate checklist">
            {(checklist) => (
              <Checklist checklist={checklist} seat={seat} studentId={studentId} seats={seats} />
            )}
          </QueryView>
        </details>
      )}
      <TravelOrderPanel seat={seat} clear={gates.data?.clear} />
      <SchoolEvents seat={seat} />
    </article>
  );
}

function Checklist({
  checklist,
  seat,
  studentId,
  seats,
}: {
  readonly checklist: GateChecklist;
  readonly seat: StudentSeat;
  readonly studentId: string;
  readonly seats: readonly StudentSeat[];
}) {
  const { can } = useSession();
  const [recording, setRecording] = useState<GateName>();
  const [done, setDone] = useState<string>();
  const gates = orderGates(checklist.gates);
  const red = gates.filter((g) => g.status === 'red');
  const before = BEFORE_TRAVEL.has(seat.status);
  return (
    <section className="students-checklist" aria-label={`Gate checklist, ${seat.courseTitle}`}>
      {before && (
        <div
          className={red.length === 0 ? 'students-next students-next-clear' : 'students-next'}
          data-testid={`gates-summary-${seat.id}`}
        >
          {red.length === 0 ? (
            <p>
              <strong>All gates clear.</strong>{' '}
              {seat.travelOrder === null
                ? 'Next: issue the travel order below.'
                : 'The travel order is issued: download it below.'}
            </p>
          ) : (
            <p>
              <strong>{count(red.length, 'gate')} red: no travel order yet.</strong> Next:{' '}
              {red
                .map(
                  (g) =>
                    `${screeningFor(g.gate) === undefined ? 'clear' : 'record'} the ${GATE_LABELS[g.gate]}${g.reVetBy === undefined ? '' : ` (re-vet by ${formatDate(g.reVetBy)})`}`,
                )
                .join('; ')}
              .
            </p>
          )}
          <p className="students-report">Reports {formatDate(checklist.reportOn)}</p>
        </div>
      )}
      {done !== undefined && (
        <p className="students-done" role="status">
          {done}
        </p>
      )}
      <ul className="students-gates">
        {gates.map((g) => {
          const words = STATUS_WORDS[g.status];
          const kind = screeningFor(g.gate);
          return (
            <li
              key={g.gate}
              className={`students-gate students-gate-${g.status}`}
              data-testid={`gate-${g.gate}`}
              data-status={g.status}
            >
              <Badge tone={words.tone}>{words.text}</Badge>
              <div className="students-gate-body">
                <span className="students-gate-name">{gateTitle(g.gate)}</span>
                <p className="students-gate-reason">{g.reason}</p>
              </div>
              <p className="students-gate-dates">
                {g.date !== null && <span>Screened {formatDate(g.date)}</span>}
                {g.reVetBy !== undefined && (
                  <strong className="students-revet">Re-vet by {formatDate(g.reVetBy)}</strong>
                )}
              </p>
              {g.proposal !== undefined && (
                <p className="students-gate-wide students-hint">
                  Proposed: {g.proposal.title} ({count(g.proposal.weeks, 'week')}), starting by{' '}
                  {formatDate(g.proposal.startBy)}. {g.proposal.reason}
                </p>
              )}
              {g.status === 'red' && g.gate === 'leahy-unit' && (
                <p className="students-gate-wide students-hint">
                  The unit&apos;s vetting is recorded for the whole unit.
                </p>
              )}
              {g.status === 'red' &&
                kind !== undefined &&
                before &&
                can('students.write') &&
                recording !== g.gate && (
                  <button
                    type="button"
                    className="students-button students-gate-wide"
                    onClick={() => {
                      setDone(undefined);
                      setRecording(g.gate);
                    }}
                  >
                    Record the {GATE_LABELS[g.gate]}
                  </button>
                )}
              {recording === g.gate && kind !== undefined && (
                <div className="students-gate-wide">
                  <ScreeningForm
                    studentId={studentId}
                    seats={seats}
                    kind={kind}
                    seatId={seat.id}
                    title={`Record the ${GATE_LABELS[g.gate]}`}
                    onDone={(message) => {
                      setRecording(undefined);
                      setDone(message);
                    }}
                    onCancel={() => setRecording(undefined)}
                  />
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
