// What the school reported on a seat (arrival, in training, completed, not completed), and the
// form an IMSO records them with (POST /seats/{id}/events).
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { load } from '../../api/client.js';
import { useApiMutation } from '../../api/query.js';
import { formatDate } from '../../format.js';
import { useSession } from '../../session.js';
import { Field } from '../../ui/Field.js';
import { blankToNull, placeProblem } from './form-errors.js';
import type { StudentSeat } from './students-api.js';

const EVENT_WORDS: Readonly<Record<string, string>> = {
  arrival: 'Arrived',
  'in-training': 'In training',
  completed: 'Completed',
  'not-completed': 'Did not complete',
};

export function SchoolEvents({ seat }: { readonly seat: StudentSeat }) {
  const { can } = useSession();
  const open = seat.status === 'ito-issued' || seat.status === 'in-training';
  if (seat.events.length === 0 && !(open && can('school-events.write'))) return null;
  return (
    <div className="students-events">
      <h4 className="students-form-title">School reports</h4>
      {seat.events.length === 0 ? (
        <p className="none">Nothing reported by the school yet.</p>
      ) : (
        <ol className="students-timeline">
          {seat.events.map((e, i) => (
            <li key={`${e.event}-${e.on}-${i}`}>
              <strong>{EVENT_WORDS[e.event] ?? e.event}</strong> {formatDate(e.on)}
              {e.cause !== null && <> ({e.cause})</>}
              {e.academicReport !== null && (
                <span className="students-note"> — {e.academicReport}</span>
              )}
            </li>
          ))}
        </ol>
      )}
      {open && can('school-events.write') && <SchoolEventForm seat={seat} />}
    </div>
  );
}

interface Values {
  event: 'arrival' | 'in-training' | 'completed' | 'not-completed';
  on: string;
  cause: string;
  academicReport: string;
}
const FIELDS = ['event', 'on', 'cause', 'academicReport'] as const;

function SchoolEventForm({ seat }: { readonly seat: StudentSeat }) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string>();
  const { register, handleSubmit, formState, setError, watch, reset } = useForm<Values>({
    defaultValues: {
      event: seat.status === 'ito-issued' ? 'arrival' : 'completed',
      on: '',
      cause: '',
      academicReport: '',
    },
  });
  const event = watch('event');
  const write = useApiMutation((v: Values) =>
    load(
      api.http.POST('/api/v1/seats/{id}/events', {
        params: { path: { id: seat.id } },
        body: {
          event: v.event,
          on: v.on,
          ...(v.event === 'not-completed'
            ? { cause: (blankToNull(v.cause) ?? '') as 'failed' | 'withdrawn' | 'awol' }
            : {}),
          ...(v.event === 'completed' ? { academicReport: blankToNull(v.academicReport) } : {}),
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
        setFormError(placeProblem(error, FIELDS, (f, message) => setError(f, { message }))),
    });
  });
  const err = (f: keyof Values) => formState.errors[f]?.message;
  return (
    <form className="students-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="students-form-grid">
        <Field label="Report" error={err('event')}>
          <select {...register('event')}>
            {Object.entries(EVENT_WORDS).map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </Field>
        <Field label="On" hint="not in the future" error={err('on')}>
          <input type="date" {...register('on')} />
        </Field>
        {event === 'not-completed' && (
          <Field label="Cause" error={err('cause')}>
            <select {...register('cause')}>
              <option value="">Choose…</option>
              <option value="failed">failed</option>
              <option value="withdrawn">withdrawn</option>
              <option value="awol">absent without leave</option>
            </select>
          </Field>
        )}
      </div>
      {event === 'completed' && (
        <Field label="Academic report" error={err('academicReport')}>
          <textarea rows={3} {...register('academicReport')} />
        </Field>
      )}
      {formError !== undefined && (
        <p className="students-form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="students-form-actions">
        <button type="submit" className="primary students-button" disabled={write.isPending}>
          {write.isPending ? 'Recording…' : 'Record the report'}
        </button>
      </div>
    </form>
  );
}
