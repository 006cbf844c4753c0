// A student's page: who they are, each seat with its gate checklist at the centre (red first, and
// what to do next), their screenings, the travel order, the school's reports and the 2347g record.
// A student outside the caller's scope is answered as not found.
import { Link, useParams } from 'react-router';
import { load } from '../../api/client.js';
import { ApiError, useApiQuery } from '../../api/query.js';
import { formatDate } from '../../format.js';
import { useSession } from '../../session.js';
import { Page } from '../../ui/Page.js';
import { Failure, Loading } from '../../ui/Status.js';
import { passportName, SCREENING_LABELS } from './gates.js';
import { ParticipantRecord } from './ParticipantRecord.js';
import { ScreeningForm } from './ScreeningForm.js';
import { SeatCard } from './SeatCard.js';
import { keys, type StudentProfile } from './students-api.js';

const SCROLL_LABEL = 'Screenings table, scrolls sideways on a narrow screen';

export function StudentPage() {
  const { id = '' } = useParams();
  const { api } = useSession();
  const query = useApiQuery(keys.student(id), (signal) =>
    load(api.http.GET('/api/v1/students/{id}', { params: { path: { id } }, signal }), signal),
  );
  if (query.isPending)
    return (
      <Page title="Student">
        <Loading what="the student" />
      </Page>
    );
  if (query.isError) {
    const notFound = query.error instanceof ApiError && query.error.status === 404;
    return (
      <Page title={notFound ? 'Student not found' : 'Student'}>
        {notFound ? (
          <div className="status error" role="alert">
            <p>
              No student with this address: it does not exist, or the student is outside what you
              may see.
            </p>
            <Link to="/students">Search students</Link>
          </div>
        ) : (
          <Failure error={query.error} onRetry={() => void query.refetch()} />
        )}
      </Page>
    );
  }
  return <StudentView profile={query.data} />;
}

function StudentView({ profile }: { readonly profile: StudentProfile }) {
  const { can } = useSession();
  const { student, seats } = profile;
  return (
    <Page title={passportName(student)}>
      <p className="students-crumbs">
        <Link to="/students">Students</Link> › {passportName(student)}
      </p>
      <p className="students-summary">
        <span className="code">{student.country}</span>
        {student.rank !== null && <> · {student.rank}</>}
        {student.usGrade !== null && <> ({student.usGrade})</>}
        {student.unit !== null && <> · {student.unit}</>}
      </p>
      <div className="students-layout">
        <div className="students-main">
          <section aria-labelledby="students-seats">
            <h2 id="students-seats">Seats and gates</h2>
            {seats.length === 0 ? (
              <p className="status">No seat you may see is held by this student.</p>
            ) : (
              seats.map((seat) => (
                <SeatCard key={seat.id} seat={seat} studentId={student.id} seats={seats} />
              ))
            )}
          </section>
          <Screenings profile={profile} />
          {can('students.write') && (
            <details className="students-more">
              <summary>Record another screening</summary>
              <ScreeningForm studentId={student.id} seats={seats} title="Record a screening" />
            </details>
          )}
          <ParticipantRecord profile={profile} />
        </div>
        <aside className="students-side" aria-labelledby="students-identity">
          <Identity profile={profile} />
        </aside>
      </div>
    </Page>
  );
}

function Identity({ profile }: { readonly profile: StudentProfile }) {
  const { student, unitVettings, englishExemption } = profile;
  const rows: [string, string | null][] = [
    ['Name in the passport', passportName(student)],
    ['Country', student.country],
    ['Service', student.service],
    ['Rank', student.rank],
    ['US-equivalent grade', student.usGrade],
    ['Unit', student.unit],
    [
      'Born',
      student.birthDate === null
        ? student.birthPlace
        : `${formatDate(student.birthDate)}${student.birthPlace === null ? '' : `, ${student.birthPlace}`}`,
    ],
    ['Passport', student.passportNumber],
    [
      'Passport expires',
      student.passportExpiresOn === null ? null : formatDate(student.passportExpiresOn),
    ],
    ['Service number', student.serviceNumber],
    ['Contact', student.contact],
  ];
  return (
    <>
      <h2 id="students-identity">Identity</h2>
      <dl className="students-facts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value ?? <span className="none">not recorded</span>}</dd>
          </div>
        ))}
        <div>
          <dt>Other spellings</dt>
          <dd>
            {student.nameVariants.length === 0 ? (
              <span className="none">none recorded</span>
            ) : (
              <ul className="students-plain">
                {student.nameVariants.map((v) => (
                  <li key={v}>{v}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>Unit vetting</dt>
          <dd>
            {unitVettings.length === 0 ? (
              <span className="none">none recorded</span>
            ) : (
              <ul className="students-plain">
                {unitVettings.map((v) => (
                  <li key={v.id}>
                    {v.outcome} {formatDate(v.onDate)}
                    {v.validUntil !== null && `, until ${formatDate(v.validUntil)}`}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        {englishExemption !== null && (
          <div>
            <dt>English exemption</dt>
            <dd>
              {englishExemption.scope === 'full' ? 'full' : 'from in-country testing'}:{' '}
              {englishExemption.basis}
            </dd>
          </div>
        )}
      </dl>
    </>
  );
}

function Screenings({ profile }: { readonly profile: StudentProfile }) {
  const screenings = [...profile.screenings].sort((a, b) =>
    a.onDate === b.onDate
      ? b.recordedAt.localeCompare(a.recordedAt)
      : b.onDate.localeCompare(a.onDate),
  );
  return (
    <section aria-labelledby="students-screenings">
      <h2 id="students-screenings">Screenings</h2>
      {screenings.length === 0 ? (
        <p className="status">No screening recorded.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={SCROLL_LABEL}>
          <table className="students-table" data-testid="screenings">
            <caption className="students-caption">
              Latest first; the latest of a kind counts at the gates.
            </caption>
            <thead>
              <tr>
                <th scope="col">Screening</th>
                <th scope="col">Outcome</th>
                <th scope="col">On</th>
                <th scope="col">Valid until</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {screenings.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{SCREENING_LABELS[s.kind]}</th>
                  <td>
                    {s.kind === 'ecl' && s.score !== null
                      ? `score ${s.score}`
                      : s.kind === 'opi' && s.level !== null
                        ? `level ${s.level}`
                        : s.outcome.replace(/-/g, ' ')}
                  </td>
                  <td className="students-nowrap">{formatDate(s.onDate)}</td>
                  <td className="students-nowrap">
                    {s.validUntil === null ? (
                      <span className="none">—</span>
                    ) : (
                      formatDate(s.validUntil)
                    )}
                  </td>
                  <td>{s.notes ?? <span className="none">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
