// A seat's invitational travel order: issue it once no gate is red (the API decides and says why
// it refuses), then download it as a PDF through a real link (the session cookie goes with it).
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { load } from '../../api/client.js';
import { useApiMutation } from '../../api/query.js';
import { formatDate } from '../../format.js';
import { useSession } from '../../session.js';
import { Field } from '../../ui/Field.js';
import { blankToNull, placeProblem } from './form-errors.js';
import { travelOrderPdfUrl, type StudentSeat } from './students-api.js';

export function TravelOrderPanel({
  seat,
  clear,
}: {
  readonly seat: StudentSeat;
  /** The API's verdict: no gate is red. */
  readonly clear: boolean | undefined;
}) {
  const { can } = useSession();
  const order = seat.travelOrder;
  if (order !== null) {
    const file = `${order.number}-rev${order.revision}.pdf`;
    return (
      <div className="students-ito students-ito-issued">
        <p>
          <strong>Travel order {order.number}</strong>
          {order.revision > 0 && `, revision ${order.revision}`}, issued{' '}
          {formatDate(order.issuedOn)}.
        </p>
        <a
          className="button primary students-button"
          href={travelOrderPdfUrl(seat.id)}
          download={file}
        >
          Download the travel order (PDF)
        </a>
      </div>
    );
  }
  if (seat.status !== 'nominated' && seat.status !== 'cleared') return null;
  if (!can('students.write'))
    return (
      <p className="students-ito">
        No travel order yet. An SCO or a program manager issues it once every gate is clear.
      </p>
    );
  return <IssueForm seat={seat} clear={clear} />;
}

interface IssueValues {
  on: string;
  lateReason: string;
}

function IssueForm({
  seat,
  clear,
}: {
  readonly seat: StudentSeat;
  readonly clear: boolean | undefined;
}) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string>();
  const { register, handleSubmit, formState, setError } = useForm<IssueValues>({
    defaultValues: { on: '', lateReason: '' },
  });
  const issue = useApiMutation((v: IssueValues) => {
    const on = blankToNull(v.on);
    const lateReason = blankToNull(v.lateReason);
    return load(
      api.http.POST('/api/v1/seats/{id}/travel-order', {
        params: { path: { id: seat.id } },
        body: {
          ...(on === null ? {} : { on }),
          ...(lateReason === null ? {} : { lateReason }),
        },
      }),
    );
  });
  const submit = handleSubmit((values) => {
    setFormError(undefined);
    issue.mutate(values, {
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['students'] }),
      onError: (error) =>
        setFormError(
          placeProblem(error, ['on', 'lateReason'] as const, (field, message) =>
            setError(field, { message }),
          ),
        ),
    });
  });
  const blocked = clear === false;
  return (
    <form className="students-ito" onSubmit={(e) => void submit(e)} noValidate>
      <h4 className="students-form-title">Issue the travel order</h4>
      {blocked ? (
        <p className="students-hint">
          The order can be issued once no gate is red: clear the red gates above first.
        </p>
      ) : (
        <div className="students-form-grid">
          <Field
            label="Date of the order"
            hint="blank for today"
            error={formState.errors.on?.message}
          >
            <input type="date" {...register('on')} />
          </Field>
          <Field
            label="Why it is issued late"
            hint="only when the class has already started"
            error={formState.errors.lateReason?.message}
          >
            <input type="text" {...register('lateReason')} />
          </Field>
        </div>
      )}
      {formError !== undefined && (
        <p className="students-form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="students-form-actions">
        <button
          type="submit"
          className="primary students-button"
          disabled={blocked || issue.isPending}
        >
          {issue.isPending ? 'Issuing…' : 'Issue the travel order'}
        </button>
      </div>
    </form>
  );
}
