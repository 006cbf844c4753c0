// The explain panel: is the country eligible for a program on a date (for a course), as the record
// stands now or as it stood on an earlier day, and why. Every reason is the API's own; the panel's
// question lives in the address so an explanation can be shared and survives a reload.
import { useForm } from 'react-hook-form';
import { useSearchParams } from 'react-router';
import { load } from '../../api/client.js';
import { ApiError, useApiQuery } from '../../api/query.js';
import { formatDate } from '../../format.js';
import { useSession } from '../../session.js';
import { Badge } from '../../ui/Badge.js';
import { DecisionNotes } from '../../ui/DecisionNotes.js';
import { Field } from '../../ui/Field.js';
import { Failure, Loading } from '../../ui/Status.js';
import { PROGRAM_NAMES, PROGRAMS, type CountryDetail, type Decision, type Program } from './api.js';
import { Reasons } from './Reasons.js';
import { verdictOf } from './views.js';
import { joinKnownOn, splitKnownOn, withQuestion, type Question, formatInstant } from './state.js';

interface FormValues {
  program: Program;
  on: string;
  course: string;
  asKnownOn: boolean;
  knownOnDate: string;
  knownOnTime: string;
}

function formValuesOf(question: Question): FormValues {
  const known = splitKnownOn(question.knownOn);
  return {
    program: question.program,
    on: question.on,
    course: question.course ?? '',
    asKnownOn: question.knownOn !== undefined,
    knownOnDate: known.date,
    knownOnTime: known.time,
  };
}

/** The fields of the form a problem's `field` may name. */
const FIELDS = ['program', 'on', 'course', 'knownOn'] as const;

export function ExplainPanel({
  country,
  question,
}: {
  readonly country: CountryDetail;
  readonly question: Question;
}) {
  const { api } = useSession();
  const [params, setParams] = useSearchParams();
  const decision = useApiQuery(['eligibility', country.iso3, question], (signal) =>
    load(
      api.http.GET('/api/v1/eligibility', {
        params: {
          query: {
            country: country.iso3,
            program: question.program,
            on: question.on,
            ...(question.course === undefined ? {} : { course: question.course }),
            ...(question.knownOn === undefined ? {} : { knownOn: question.knownOn }),
          },
        },
        signal,
      }),
      signal,
    ),
  );
  const courses = useApiQuery(
    ['courses'],
    (signal) => load(api.http.GET('/api/v1/courses', { signal }), signal),
    { staleTime: 10 * 60_000 },
  );
  const form = useForm<FormValues>({ values: formValuesOf(question) });
  const { register, handleSubmit, watch, formState } = form;
  const asKnownOn = watch('asKnownOn');

  // The API's refusal of a field (a date it does not know, a knownOn still to come) shown beside it.
  const refusal = decision.error instanceof ApiError ? decision.error : undefined;
  const fieldError = (field: (typeof FIELDS)[number]): string | undefined =>
    refusal?.field === field ? refusal.message : undefined;
  const refusedField =
    refusal?.field !== undefined && (FIELDS as readonly string[]).includes(refusal.field);

  const submit = handleSubmit((values) => {
    const next: Question = {
      program: values.program,
      on: values.on,
      course: values.course === '' ? undefined : values.course,
      knownOn:
        values.asKnownOn && values.knownOnDate !== ''
          ? joinKnownOn(values.knownOnDate, values.knownOnTime)
          : undefined,
    };
    setParams(withQuestion(params, next));
  });

  return (
    <section className="country-explain" aria-labelledby="country-explain-title">
      <h2 id="country-explain-title">Why: is {country.name} eligible?</h2>
      <div className="country-explain-grid">
        <form className="country-explain-form" onSubmit={(event) => void submit(event)} noValidate>
          <Field label="Program" error={fieldError('program')}>
            <select {...register('program')}>
              {PROGRAMS.map((program) => (
                <option key={program} value={program}>
                  {program} — {PROGRAM_NAMES[program]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="On the date" error={formState.errors.on?.message ?? fieldError('on')}>
            <input type="date" {...register('on', { required: 'Give the date to ask about.' })} />
          </Field>
          <Field
            label="Course (optional)"
            hint="Its provisos and the limits of reliefs apply."
            error={fieldError('course')}
          >
            <select {...register('course')}>
              <option value="">Any course: the program as a whole</option>
              {question.course !== undefined &&
                !(courses.data?.items ?? []).some((c) => c.id === question.course) && (
                  <option value={question.course}>{question.course}</option>
                )}
              {(courses.data?.items ?? []).map((course) => (
                <option key={course.id} value={course.id}>
                  {course.id} — {course.title} ({course.school})
                </option>
              ))}
            </select>
          </Field>
          <fieldset className="country-known-on">
            <legend>Record</legend>
            <label className="country-switch">
              <input type="checkbox" role="switch" {...register('asKnownOn')} />
              As known on an earlier day (off: as known now)
            </label>
            {asKnownOn && (
              <div className="country-known-on-fields">
                <Field
                  label="Known on"
                  error={formState.errors.knownOnDate?.message ?? fieldError('knownOn')}
                >
                  <input
                    type="date"
                    {...register('knownOnDate', {
                      validate: (value, values) =>
                        !values.asKnownOn ||
                        value !== '' ||
                        'Give the day the record is to be read as it stood.',
                    })}
                  />
                </Field>
                <Field label="Time, UTC (optional)" hint="Start of the day if left empty.">
                  <input type="time" {...register('knownOnTime')} />
                </Field>
              </div>
            )}
          </fieldset>
          <button type="submit" className="primary country-explain-button">
            Explain
          </button>
        </form>
        <div className="country-explain-answer" aria-live="polite">
          {decision.isPending ? (
            <Loading what="the decision" />
          ) : decision.isError ? (
            refusedField ? (
              <p className="status error" role="alert">
                The question was refused: {refusal?.message}
              </p>
            ) : (
              <Failure error={decision.error} onRetry={() => void decision.refetch()} />
            )
          ) : (
            <Answer decision={decision.data} countryName={country.name} />
          )}
        </div>
      </div>
    </section>
  );
}

function Answer({
  decision,
  countryName,
}: {
  readonly decision: Decision;
  readonly countryName: string;
}) {
  const verdict = verdictOf(decision);
  return (
    <div className="country-answer" data-testid="explain-answer">
      <div className={`country-verdict country-verdict-${verdict.tone}`} data-testid="verdict">
        <span className="country-verdict-word">{verdict.label}</span>
        <span className="country-verdict-question">
          {countryName} · {decision.program} on {formatDate(decision.on)}
          {decision.course !== null && ` · course ${decision.course}`}
        </span>
      </div>
      <DecisionNotes decision={decision} />
      <p className="country-as-of" data-testid="as-of">
        {decision.knownOn === null
          ? 'As known now: '
          : `As known on ${formatInstant(decision.knownOn, formatDate)}: `}
        {decision.asOf === null
          ? 'nothing had been recorded yet.'
          : `the record as it stood at ${formatInstant(decision.asOf, formatDate)}.`}
      </p>
      <Reasons decision={decision} />
      {decision.conditions.length > 0 && (
        <div className="country-conditions">
          <h3>Conditions</h3>
          <ul>
            {decision.conditions.map((condition) => (
              <li key={condition}>{condition}</li>
            ))}
          </ul>
        </div>
      )}
      {decision.pending.length > 0 && (
        <div className="country-pending">
          <h3>Waiting for their notification window</h3>
          <ul>
            {decision.pending.map((p) => (
              <li key={p.reliefId}>
                <Badge tone="warn">Pending</Badge> Relief <span className="code">{p.reliefId}</span>{' '}
                takes effect on {formatDate(p.effectiveFrom)}.{' '}
                <span className="country-reason-text">{p.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
