// What a write changes (or changed) in seats, students and money, as the API computed it: the totals
// first, in words, then by course, then seat by seat. Nothing here is computed in the browser.
import { Scroll } from './Scroll.js';
import { Link } from 'react-router';
import { useApiQuery } from '../../api/query.js';
import { formatDate, formatUsd } from '../../format.js';
import { useSession } from '../../session.js';
import { fetchCourses, type Impact, type RecordedImpact } from './api.js';
import { impactSentence, seatsWord, statusCounts } from './words.js';

interface Totals {
  readonly seats: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly students: readonly string[];
  readonly releasedCents: number;
  readonly penaltiesCents: number;
  readonly heldCents?: number;
}

/** Course titles by id, for the tables (the id alone while they load). */
function useCourseTitles(): (id: string) => string {
  const { api } = useSession();
  const courses = useApiQuery(['decisions', 'courses'], (signal) => fetchCourses(api, signal), {
    staleTime: Infinity,
  });
  const titles = new Map((courses.data?.items ?? []).map((c) => [c.id, c.title]));
  return (id) => titles.get(id) ?? id;
}

/** The totals as a row of figures a reader takes in at a glance. */
export function ImpactTotals({
  totals,
  testId,
}: {
  readonly totals: Totals;
  readonly testId: string;
}) {
  const statuses = statusCounts(totals.byStatus);
  return (
    <dl className="decisions-totals" data-testid={testId}>
      <div>
        <dt>Seats</dt>
        <dd data-testid={`${testId}-seats`}>
          <span className="decisions-figure">{totals.seats}</span>
          <span className="decisions-figure-note">
            {statuses.length === 0
              ? 'none changed'
              : statuses.map((s) => `${String(s.count)} ${s.label}`).join(', ')}
          </span>
        </dd>
      </div>
      <div>
        <dt>Students</dt>
        <dd data-testid={`${testId}-students`}>
          <span className="decisions-figure">{totals.students.length}</span>
          <span className="decisions-figure-note">on those seats</span>
        </dd>
      </div>
      <div>
        <dt>Money released</dt>
        <dd data-testid={`${testId}-released`}>
          <span className="decisions-figure">{formatUsd(totals.releasedCents)}</span>
          <span className="decisions-figure-note">tuition and allowances that come back</span>
        </dd>
      </div>
      {totals.heldCents !== undefined && totals.heldCents > 0 && (
        <div>
          <dt>Money held</dt>
          <dd data-testid={`${testId}-held`}>
            <span className="decisions-figure">{formatUsd(totals.heldCents)}</span>
            <span className="decisions-figure-note">not spent, not yet released</span>
          </dd>
        </div>
      )}
      <div>
        <dt>Penalties</dt>
        <dd data-testid={`${testId}-penalties`}>
          <span className="decisions-figure">{formatUsd(totals.penaltiesCents)}</span>
          <span className="decisions-figure-note">
            {totals.penaltiesCents === 0 ? 'none: the US decided' : 'charged to the country'}
          </span>
        </dd>
      </div>
    </dl>
  );
}

function ByCourse({
  rows,
  caption,
}: {
  readonly rows: Impact['byCourse'];
  readonly caption: string;
}) {
  const title = useCourseTitles();
  if (rows.length === 0) return null;
  return (
    <Scroll label="By course">
      <table className="decisions-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Course</th>
            <th scope="col" className="numeric">
              Seats
            </th>
            <th scope="col" className="numeric">
              Money released
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.courseId}>
              <th scope="row">
                {title(row.courseId)} <span className="code">{row.courseId}</span>
              </th>
              <td className="numeric">{row.seats}</td>
              <td className="numeric">{formatUsd(row.releasedCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

const CHANGE_WORDS: Readonly<Record<Impact['changes'][number]['kind'], string>> = {
  cancel: 'Cancelled',
  hold: 'Held',
  flag: 'Flagged for a decision (in training)',
  release: 'Released',
};

/** What a write will do or did: its dry run's (or answer's) impact. */
export function WriteImpact({
  impact,
  testId,
  heading,
}: {
  readonly impact: Impact;
  readonly testId: string;
  readonly heading: string;
}) {
  return (
    <div className="decisions-impact">
      <h3>{heading}</h3>
      <p className="decisions-sentence" data-testid={`${testId}-sentence`}>
        It {impactSentence(impact, formatUsd)}
      </p>
      <ImpactTotals totals={impact} testId={testId} />
      {impact.seats === 0 ? null : (
        <>
          <ByCourse rows={impact.byCourse} caption="By course" />
          <details className="decisions-details">
            <summary>Seat by seat ({seatsWord(impact.changes.length)})</summary>
            <Scroll label="Each seat it changes">
              <table className="decisions-table">
                <caption>Each seat it changes</caption>
                <thead>
                  <tr>
                    <th scope="col">Seat</th>
                    <th scope="col">Change</th>
                    <th scope="col">From status</th>
                    <th scope="col">Effective</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {impact.changes.map((change) => (
                    <tr key={change.seatId}>
                      <th scope="row" className="code">
                        {change.seatId}
                      </th>
                      <td>{CHANGE_WORDS[change.kind]}</td>
                      <td>{change.from}</td>
                      <td>{formatDate(change.on)}</td>
                      <td>{change.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          </details>
        </>
      )}
    </div>
  );
}

/** Everything a restriction has done to seats, as the record holds it (GET /restrictions/{id}/impact). */
export function RecordedImpactView({
  impact,
  country,
}: {
  readonly impact: RecordedImpact;
  readonly country: string;
}) {
  const title = useCourseTitles();
  const years = [...new Set(impact.seatList.map((s) => s.fiscalYear))].sort();
  return (
    <div className="decisions-impact">
      <p className="decisions-sentence">It {impactSentence(impact, formatUsd)}</p>
      <ImpactTotals totals={impact} testId="recorded" />
      {impact.seats === 0 ? (
        <p>No seat has been cancelled, held or flagged by this restriction.</p>
      ) : (
        <>
          <p className="decisions-links">
            {years.map((fy) => (
              <Link
                key={fy}
                to={`/seats?country=${country}&fy=${String(fy)}&restriction=${impact.restrictionId}`}
              >
                See the FY{fy} seats it changed on the seats page
              </Link>
            ))}
          </p>
          <ByCourse rows={impact.byCourse} caption="By course" />
          <Scroll label="The seats it changed">
            <table className="decisions-table" data-testid="recorded-seat-list">
              <caption>The seats it changed</caption>
              <thead>
                <tr>
                  <th scope="col">Seat</th>
                  <th scope="col">Course</th>
                  <th scope="col">Class start</th>
                  <th scope="col">Status</th>
                  <th scope="col">Student</th>
                  <th scope="col" className="numeric">
                    Tuition
                  </th>
                  <th scope="col" className="numeric">
                    Allowance
                  </th>
                </tr>
              </thead>
              <tbody>
                {impact.seatList.map((seat) => (
                  <tr key={seat.id}>
                    <th scope="row" className="code">
                      {seat.id}
                    </th>
                    <td>{title(seat.courseId)}</td>
                    <td>
                      {formatDate(seat.classStart)} (FY{seat.fiscalYear})
                    </td>
                    <td>
                      {seat.flagged ? 'flagged for a decision' : seat.status}
                      {seat.cancelledOn !== null && ` on ${formatDate(seat.cancelledOn)}`}
                      {seat.heldOn !== null &&
                        seat.status === 'held' &&
                        ` since ${formatDate(seat.heldOn)}`}
                    </td>
                    <td>{seat.studentId ?? '—'}</td>
                    <td className="numeric">{formatUsd(seat.tuitionCents)}</td>
                    <td className="numeric">{formatUsd(seat.allowanceCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </>
      )}
    </div>
  );
}
