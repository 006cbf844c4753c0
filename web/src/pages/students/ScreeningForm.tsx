// Record a screening of a student (POST /students/{id}/screenings): the kind decides the outcomes
// offered and whether a score (ECL) or a level (OPI) is asked; the API checks everything and its
// message stands beside the field it names.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { load } from '../../api/client.js';
import { useApiMutation } from '../../api/query.js';
import { formatDate } from '../../format.js';
import { useSession } from '../../session.js';
import { Field } from '../../ui/Field.js';
import { blankToNull, placeProblem } from './form-errors.js';
import { SCREENING_LABELS, SCREENING_OUTCOMES } from './gates.js';
import type { ScreeningKind, StudentSeat } from './students-api.js';

interface Values {
  kind: ScreeningKind;
  outcome: string;
  on: string;
  validUntil: string;
  score: string;
  level: string;
  seat: string;
  notes: string;
}
const FIELDS = ['kind', 'outcome', 'on', 'validUntil', 'score', 'level', 'seat', 'notes'] as const;

export function ScreeningForm({
  studentId,
  seats,
  kind,
  seatId,
  title,
  onDone,
  onCancel,
}: {
  readonly studentId: string;
  readonly seats: readonly StudentSeat[];
  /** The kind to start with (a red gate's screening). */
  readonly kind?: ScreeningKind;
  readonly seatId?: string;
  readonly title: string;
  readonly onDone?: (message: string) => void;
  readonly onCancel?: () => void;
}) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string>();
  const [done, setDone] = useState<string>();
  const form = useForm<Values>({
    defaultValues: {
      kind: kind ?? 'leahy-person',
      outcome: SCREENING_OUTCOMES[kind ?? 'leahy-person'][0] ?? '',
      on: '',
      validUntil: '',
      score: '',
      level: '',
      seat: seatId ?? '',
      notes: '',
    },
  });
  const { register, handleSubmit, formState, setError, watch, setValue } = form;
  const chosen = watch('kind');
  const outcomes = SCREENING_OUTCOMES[chosen];
  const write = useApiMutation((v: Values) =>
    load(
      api.http.POST('/api/v1/students/{id}/screenings', {
        params: { path: { id: studentId } },
        body: {
          kind: v.kind,
          ...(v.kind === 'ecl' || v.kind === 'opi' ? {} : { outcome: v.outcome }),
          on: v.on,
          validUntil: blankToNull(v.validUntil),
          ...(v.kind === 'ecl' ? { score: v.score.trim() === '' ? null : Number(v.score) } : {}),
          ...(v.kind === 'opi' ? { level: blankToNull(v.level) } : {}),
          seat: blankToNull(v.seat),
          notes: blankToNull(v.notes),
        },
      }),
    ),
  );
  const submit = handleSubmit((values) => {
    setFormError(undefined);
    setDone(undefined);
    write.mutate(values, {
      onSuccess: (screening) => {
        const message = `${SCREENING_LABELS[screening.kind]} recorded: ${screening.outcome} on ${formatDate(screening.onDate)}.`;
        void queryClient.invalidateQueries({ queryKey: ['students'] });
        form.reset({ ...values, on: '', validUntil: '', score: '', level: '', notes: '' });
        setDone(message);
        onDone?.(message);
      },
      onError: (error) =>
        setFormError(placeProblem(error, FIELDS, (field, message) => setError(field, { message }))),
    });
  });
  const err = (field: keyof Values) => formState.errors[field]?.message;
  return (
    <form className="students-form" onSubmit={(e) => void submit(e)} noValidate>
      <h4 className="students-form-title">{title}</h4>
      <div className="students-form-grid">
        <Field label="Screening" error={err('kind')}>
          <select
            {...register('kind', {
              onChange: (e: { target: { value: ScreeningKind } }) =>
                setValue('outcome', SCREENING_OUTCOMES[e.target.value][0] ?? ''),
            })}
          >
            {Object.entries(SCREENING_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        {chosen !== 'ecl' && chosen !== 'opi' && (
          <Field label="Outcome" error={err('outcome')}>
            <select {...register('outcome')}>
              {outcomes.map((o) => (
                <option key={o} value={o}>
                  {o.replace(/-/g, ' ')}
                </option>
              ))}
            </select>
          </Field>
        )}
        {chosen === 'ecl' && (
          <Field label="ECL score" hint="0 to 100" error={err('score')}>
            <input type="number" inputMode="numeric" {...register('score')} />
          </Field>
        )}
        {chosen === 'opi' && (
          <Field label="OPI level" hint="listening/speaking, e.g. 2+/2" error={err('level')}>
            <input type="text" {...register('level')} />
          </Field>
        )}
        <Field label="Screened on" hint="not in the future" error={err('on')}>
          <input type="date" {...register('on')} />
        </Field>
        <Field label="Valid until" hint="if it lapses; optional" error={err('validUntil')}>
          <input type="date" {...register('validUntil')} />
        </Field>
        {seats.length > 0 && (
          <Field label="For seat" hint="optional" error={err('seat')}>
            <select {...register('seat')}>
              <option value="">Any seat</option>
              {seats.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.courseTitle}, {formatDate(s.classStart)}
                </option>
              ))}
            </select>
          </Field>
        )}
      </div>
      <Field label="Notes" hint="optional" error={err('notes')}>
        <textarea rows={2} {...register('notes')} />
      </Field>
      {formError !== undefined && (
        <p className="students-form-error" role="alert">
          {formError}
        </p>
      )}
      {done !== undefined && onDone === undefined && (
        <p className="students-done" role="status">
          {done}
        </p>
      )}
      <div className="students-form-actions">
        <button type="submit" className="primary students-button" disabled={write.isPending}>
          {write.isPending ? 'Recording…' : 'Record the screening'}
        </button>
        {onCancel !== undefined && (
          <button
            type="button"
            className="students-button"
            onClick={onCancel}
            disabled={write.isPending}
          >
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
