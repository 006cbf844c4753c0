// The 22 USC 2347g record of a participant: instruction received, positions held since and
// human-rights findings (appended, never edited), with the forms that add a position or a finding.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { load } from '../../api/client.js';
import { useApiMutation } from '../../api/query.js';
import { formatDate } from '../../format.js';
import { useSession } from '../../session.js';
import { Field } from '../../ui/Field.js';
import { blankToNull, placeProblem } from './form-errors.js';
import type { StudentProfile } from './students-api.js';

const PROMINENCE: Readonly<Record<string, string>> = {
  'chief-of-service': 'chief of a military service',
  'general-officer': 'general or flag officer',
  minister: 'minister or deputy minister',
  'attache-major-capital': 'defense attaché in a major capital',
};

export function ParticipantRecord({ profile }: { readonly profile: StudentProfile }) {
  const { can } = useSession();
  const { trainingRecords, careers, findings, student } = profile;
  const positions = [...careers].sort((a, b) => b.fromDate.localeCompare(a.fromDate));
  return (
    <section aria-labelledby="students-record" className="students-record">
      <h2 id="students-record">Participant record (2347g)</h2>
      <h3>Instruction</h3>
      {trainingRecords.length === 0 ? (
        <p className="none">No instruction on record yet.</p>
      ) : (
        <ul className="students-list">
          {trainingRecords.map((t) => (
            <li key={t.id}>
              <strong>{t.courseTitle}</strong> <span className="fy">{t.schoolId}</span>
              <br />
              {t.startedOn !== null && formatDate(t.startedOn)}
              {t.endedOn !== null && ` – ${formatDate(t.endedOn)}`}
              {' · '}
              {t.outcome === null
                ? 'in training'
                : t.outcome === 'completed'
                  ? 'completed'
                  : `not completed (${t.cause ?? ''})`}
            </li>
          ))}
        </ul>
      )}
      <h3>Positions held since</h3>
      {positions.length === 0 ? (
        <p className="none">No later position recorded.</p>
      ) : (
        <ul className="students-list">
          {positions.map((c) => (
            <li key={c.id}>
              <strong>{c.title}</strong>
              {c.rank !== null && `, ${c.rank}`}
              {c.usGrade !== null && ` (${c.usGrade})`}
              {c.location !== null && `, ${c.location}`} · from {formatDate(c.fromDate)}
              {c.prominence !== null && (
                <span className="tag">{PROMINENCE[c.prominence] ?? c.prominence}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {can('students.write') && (
        <details className="students-more">
          <summary>Add a position</summary>
          <CareerForm studentId={student.id} />
        </details>
      )}
      <h3>Human-rights findings</h3>
      {findings.length === 0 ? (
        <p className="none">No finding recorded.</p>
      ) : (
        <ul className="students-list">
          {findings.map((f) => (
            <li key={f.id}>
              <strong>{formatDate(f.foundOn)}</strong>: {f.summary}
              <br />
              <span className="fy">Source: {f.source}</span>
            </li>
          ))}
        </ul>
      )}
      {can('students.write') && (
        <details className="students-more">
          <summary>Append a finding</summary>
          <FindingForm studentId={student.id} />
        </details>
      )}
    </section>
  );
}

interface CareerValues {
  title: string;
  rank: string;
  usGrade: string;
  location: string;
  from: string;
  prominence: string;
}
const CAREER_FIELDS = ['title', 'rank', 'usGrade', 'location', 'from', 'prominence'] as const;

function CareerForm({ studentId }: { readonly studentId: string }) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string>();
  const { register, handleSubmit, formState, setError, reset } = useForm<CareerValues>({
    defaultValues: { title: '', rank: '', usGrade: '', location: '', from: '', prominence: '' },
  });
  const write = useApiMutation((v: CareerValues) =>
    load(
      api.http.POST('/api/v1/students/{id}/careers', {
        params: { path: { id: studentId } },
        body: {
          title: v.title,
          rank: blankToNull(v.rank),
          usGrade: blankToNull(v.usGrade),
          location: blankToNull(v.location),
          from: v.from,
          prominence: blankToNull(v.prominence) as CareerProminence,
        },
      }),
    ),
  );
  const submit = handleSubmit((values) => {
    setFormError(undefined);
    write.mutate(values, {
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: ['students'] });
        reset();
      },
      onError: (error) =>
        setFormError(placeProblem(error, CAREER_FIELDS, (f, message) => setError(f, { message }))),
    });
  });
  const err = (f: keyof CareerValues) => formState.errors[f]?.message;
  return (
    <form className="students-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="students-form-grid">
        <Field label="Position" error={err('title')}>
          <input type="text" {...register('title')} />
        </Field>
        <Field label="Rank" hint="optional" error={err('rank')}>
          <input type="text" {...register('rank')} />
        </Field>
        <Field label="US-equivalent grade" hint="e.g. O-7; optional" error={err('usGrade')}>
          <input type="text" {...register('usGrade')} />
        </Field>
        <Field label="Location" hint="optional" error={err('location')}>
          <input type="text" {...register('location')} />
        </Field>
        <Field label="Held from" error={err('from')}>
          <input type="date" {...register('from')} />
        </Field>
        <Field label="Position of prominence" error={err('prominence')}>
          <select {...register('prominence')}>
            <option value="">Not one</option>
            {Object.entries(PROMINENCE).map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {formError !== undefined && (
        <p className="students-form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="students-form-actions">
        <button type="submit" className="primary students-button" disabled={write.isPending}>
          {write.isPending ? 'Adding…' : 'Add the position'}
        </button>
      </div>
    </form>
  );
}

type CareerProminence =
  'chief-of-service' | 'general-officer' | 'minister' | 'attache-major-capital' | null;

interface FindingValues {
  on: string;
  summary: string;
  source: string;
}

function FindingForm({ studentId }: { readonly studentId: string }) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string>();
  const { register, handleSubmit, formState, setError, reset } = useForm<FindingValues>({
    defaultValues: { on: '', summary: '', source: '' },
  });
  const write = useApiMutation((v: FindingValues) =>
    load(
      api.http.POST('/api/v1/students/{id}/findings', {
        params: { path: { id: studentId } },
        body: v,
      }),
    ),
  );
  const submit = handleSubmit((values) => {
    setFormError(undefined);
    write.mutate(values, {
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: ['students'] });
        reset();
      },
      onError: (error) =>
        setFormError(
          placeProblem(error, ['on', 'summary', 'source'] as const, (f, message) =>
            setError(f, { message }),
          ),
        ),
    });
  });
  return (
    <form className="students-form" onSubmit={(e) => void submit(e)} noValidate>
      <p className="students-hint">A finding is appended to the record and never edited.</p>
      <Field label="Found on" error={formState.errors.on?.message}>
        <input type="date" {...register('on')} />
      </Field>
      <Field label="Finding" error={formState.errors.summary?.message}>
        <textarea rows={3} {...register('summary')} />
      </Field>
      <Field
        label="Source"
        hint="who found it, and where it is published"
        error={formState.errors.source?.message}
      >
        <input type="text" {...register('source')} />
      </Field>
      {formError !== undefined && (
        <p className="students-form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="students-form-actions">
        <button type="submit" className="primary students-button" disabled={write.isPending}>
          {write.isPending ? 'Appending…' : 'Append the finding'}
        </button>
      </div>
    </form>
  );
}
