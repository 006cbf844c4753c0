// Find a student: by any spelling or order of the name (the server matches name variants) or by
// unit. The search lives in the address (?name=… or ?unit=…), so a result list can be shared.
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { load } from '../../api/client.js';
import { useApiQuery } from '../../api/query.js';
import { formatDate } from '../../format.js';
import { useSession } from '../../session.js';
import { Badge } from '../../ui/Badge.js';
import { Page } from '../../ui/Page.js';
import { QueryView } from '../../ui/Status.js';
import { count, passportName, seatStatusText } from './gates.js';
import { keys, type StudentSearchResult } from './students-api.js';

type Mode = 'name' | 'unit';

const SCROLL_LABEL = 'Students found, scrolls sideways on a narrow screen';

export function StudentSearchPage() {
  const [params, setParams] = useSearchParams();
  const name = params.get('name')?.trim() ?? '';
  const unit = params.get('unit')?.trim() ?? '';
  const mode: Mode = unit !== '' && name === '' ? 'unit' : 'name';
  return (
    <Page title="Students">
      <p className="students-lead">
        Find a student by any spelling of the name — “Mohammad”, “Muhammad” and “Mohammed” find the
        same officer — or by unit, then open them to clear their seat for travel.
      </p>
      <SearchForm
        key={`${name}|${unit}`}
        mode={mode}
        text={mode === 'name' ? name : unit}
        onSearch={(m, text) => setParams(text === '' ? {} : { [m]: text })}
      />
      {name !== '' || unit !== '' ? (
        <Results name={name} unit={unit} />
      ) : (
        <p className="status">Type a name or a unit to search.</p>
      )}
    </Page>
  );
}

function SearchForm({
  mode: initialMode,
  text: initialText,
  onSearch,
}: {
  readonly mode: Mode;
  readonly text: string;
  readonly onSearch: (mode: Mode, text: string) => void;
}) {
  const [mode, setMode] = useState<Mode>(initialMode);
  const [text, setText] = useState(initialText);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(mode, text.trim());
  };
  return (
    <form className="students-search" role="search" onSubmit={submit}>
      <fieldset className="students-mode">
        <legend>Search by</legend>
        <label>
          <input
            type="radio"
            name="mode"
            value="name"
            checked={mode === 'name'}
            onChange={() => setMode('name')}
          />
          Name
        </label>
        <label>
          <input
            type="radio"
            name="mode"
            value="unit"
            checked={mode === 'unit'}
            onChange={() => setMode('unit')}
          />
          Unit
        </label>
      </fieldset>
      <div className="field students-query">
        <label htmlFor="students-query">{mode === 'name' ? 'Name, any spelling' : 'Unit'}</label>
        <input
          id="students-query"
          type="search"
          value={text}
          autoComplete="off"
          placeholder={mode === 'name' ? 'e.g. Muhammad Ali Khan' : 'e.g. Punjab Regiment'}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      <button type="submit" className="primary students-button">
        Search
      </button>
    </form>
  );
}

function Results({ name, unit }: { readonly name: string; readonly unit: string }) {
  const { api } = useSession();
  const query = useApiQuery(keys.search(name, unit), (signal) =>
    load(
      api.http.GET('/api/v1/students', {
        params: { query: name !== '' ? { name, limit: '100' } : { unit, limit: '100' } },
        signal,
      }),
      signal,
    ),
  );
  return (
    <QueryView query={query} what="students">
      {(result) => <ResultTable result={result} by={name !== '' ? 'name' : 'unit'} />}
    </QueryView>
  );
}

function ResultTable({ result, by }: { readonly result: StudentSearchResult; readonly by: Mode }) {
  if (result.items.length === 0)
    return (
      <p className="status" role="status">
        No student found. Try another spelling, part of the name, or search by unit.
      </p>
    );
  return (
    <section aria-label="Students found">
      <p className="count" role="status">
        {count(result.total, 'student')} found
        {result.items.length < result.total && `, the first ${result.items.length} shown`}
        {by === 'name' && ', best matches first'}
      </p>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={SCROLL_LABEL}>
        <table className="students-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Spellings matched</th>
              <th scope="col">Country</th>
              <th scope="col">Unit</th>
              <th scope="col">Rank</th>
              <th scope="col">Seats</th>
            </tr>
          </thead>
          <tbody>
            {result.items.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  <Link to={`/students/${encodeURIComponent(s.id)}`}>{passportName(s)}</Link>
                </th>
                <td>
                  {s.matchedNames.length === 0 ? (
                    <span className="none">—</span>
                  ) : (
                    <ul className="students-plain">
                      {s.matchedNames.map((n) => (
                        <li key={n}>{n}</li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  <span className="code">{s.country}</span>
                </td>
                <td>{s.unit ?? <span className="none">—</span>}</td>
                <td>
                  {s.rank ?? <span className="none">—</span>}
                  {s.usGrade !== null && <span className="tag">{s.usGrade}</span>}
                </td>
                <td>
                  {s.seats.length === 0 ? (
                    <span className="none">none</span>
                  ) : (
                    <ul className="students-plain">
                      {s.seats.map((seat) => (
                        <li key={seat.id}>
                          {seat.courseTitle}{' '}
                          <span className="fy">
                            {seat.schoolId}, {formatDate(seat.classStart)}
                          </span>{' '}
                          <Badge tone={seatTone(seat.status)}>{seatStatusText(seat.status)}</Badge>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function seatTone(status: string): 'ok' | 'blocked' | 'warn' | 'neutral' | 'relieved' {
  switch (status) {
    case 'completed':
    case 'ito-issued':
    case 'in-training':
    case 'cleared':
      return 'ok';
    case 'nominated':
      return 'warn';
    case 'cancelled':
    case 'not-completed':
    case 'held':
      return 'blocked';
    default:
      return 'neutral';
  }
}
