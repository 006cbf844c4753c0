// One seat: its line, course, status with dates and reasons, student and money; its history from
// the audit log; and, for who may write, a move to a status the API allows next and a cancellation
// whose penalty the API computes (a dry run) before it is confirmed. Each write sends the version
// read; a stale one shows the conflict and the seat as it is now.
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useParams } from 'react-router';
import { load } from '../../api/client.js';
import { ApiError, describeFailure, useApiMutation, useApiQuery } from '../../api/query.js';
import { formatDate, formatUsd, today } from '../../format.js';
import { useSession } from '../../session.js';
import { Badge } from '../../ui/Badge.js';
import { ConfirmDialog } from '../../ui/Dialog.js';
import { Field } from '../../ui/Field.js';
import { Page } from '../../ui/Page.js';
import { QueryView } from '../../ui/Status.js';
import {
  actionLabel,
  actorName,
  changeValue,
  fieldLabel,
  formatInstant,
  statusLabel,
  statusTone,
  type SeatDetail,
  type SeatStatus,
} from './seats.js';

/** What the page says after a write: done, or refused because someone changed the seat first. */
type Outcome =
  | { readonly kind: 'done'; readonly text: string }
  | { readonly kind: 'conflict'; readonly text: string }
  | { readonly kind: 'failed'; readonly text: string };

export default function SeatDetailPage() {
  const { id = '' } = useParams();
  const { api } = useSession();
  const seat = useApiQuery(['seats', 'seat', id], (signal) =>
    load(api.http.GET('/api/v1/seats/{id}', { params: { path: { id } }, signal }), signal),
  );
  return (
    <QueryView query={seat} what="the seat">
      {(data) => <SeatView seat={data} />}
    </QueryView>
  );
}

function SeatView({ seat }: { readonly seat: SeatDetail }) {
  const { can } = useSession();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const moves = seat.nextStatuses.filter((status) => status !== 'cancelled');
  const cancellable = seat.nextStatuses.includes('cancelled');
  const writer = can('training.write') && (moves.length > 0 || cancellable);
  return (
    <Page title={`Seat ${seat.ordinal} of ${seat.courseId}, ${seat.country} FY${seat.fiscalYear}`}>
      <p className="seats-back">
        <Link to={`/seats?country=${seat.country}&fy=${seat.fiscalYear}`}>
          ← All {seat.country} FY{seat.fiscalYear} seats
        </Link>
      </p>
      {outcome !== null && (
        <div
          className={outcome.kind === 'done' ? 'status' : 'status error'}
          role={outcome.kind === 'done' ? 'status' : 'alert'}
          data-testid="seat-outcome"
        >
          <p>{outcome.text}</p>
        </div>
      )}
      {writer && (
        <SeatActions
          key={seat.version}
          seat={seat}
          moves={moves}
          cancellable={cancellable}
          onOutcome={setOutcome}
        />
      )}
      <div className="seat-cards">
        <section className="seat-card" aria-labelledby="seat-status">
          <h2 id="seat-status">Status</h2>
          <dl>
            <dt>Now</dt>
            <dd data-testid="seat-status">
              <Badge tone={statusTone(seat.status)}>{statusLabel(seat.status)}</Badge>{' '}
              <span className="seats-muted">version {seat.version}</span>
            </dd>
            {seat.previousStatus !== null && (
              <>
                <dt>{seat.status === 'held' ? 'Returns to' : 'Was'}</dt>
                <dd>{statusLabel(seat.previousStatus)}</dd>
              </>
            )}
            {seat.cancelledOn !== null && (
              <>
                <dt>Cancelled on</dt>
                <dd>{formatDate(seat.cancelledOn)}</dd>
              </>
            )}
            {seat.heldOn !== null && (
              <>
                <dt>Held on</dt>
                <dd>{formatDate(seat.heldOn)}</dd>
              </>
            )}
            {seat.reason !== null && (
              <>
                <dt>Why</dt>
                <dd>{seat.reason}</dd>
              </>
            )}
            {seat.restrictionId !== null && (
              <>
                <dt>Restriction</dt>
                <dd>
                  <Link to={`/seats?restriction=${encodeURIComponent(seat.restrictionId)}`}>
                    {seat.restrictionId}
                  </Link>
                </dd>
              </>
            )}
            {seat.flagged && (
              <>
                <dt>Flagged</dt>
                <dd>
                  <Badge tone="warn">Flagged</Badge> {seat.flagReason ?? ''}
                  {seat.flaggedOn !== null && ` (${formatDate(seat.flaggedOn)})`}
                </dd>
              </>
            )}
            <dt>Student</dt>
            <dd>
              {seat.studentId === null ? (
                <span className="none">none nominated</span>
              ) : (
                <Link to={`/students/${seat.studentId}`}>{seat.studentId}</Link>
              )}
            </dd>
          </dl>
        </section>
        <section className="seat-card" aria-labelledby="seat-line">
          <h2 id="seat-line">Course and line</h2>
          <dl>
            <dt>Course</dt>
            <dd>
              {seat.courseId} · {seat.courseTitle}
            </dd>
            <dt>School</dt>
            <dd>{seat.schoolId}</dd>
            <dt>Category</dt>
            <dd>
              {seat.category}
              {seat.eImet ? ' · E-IMET' : ''}
              {seat.dedicated ? ' · dedicated' : ''}
            </dd>
            <dt>Class starts</dt>
            <dd>{formatDate(seat.classStart)}</dd>
            <dt>Line</dt>
            <dd>
              {seat.lineId}, seat {seat.ordinal} · {seat.program} · priority {seat.priority}
            </dd>
            <dt>Country, year</dt>
            <dd>
              <Link to={`/countries/${seat.country}`}>{seat.country}</Link> · FY{seat.fiscalYear}
            </dd>
          </dl>
        </section>
        <section className="seat-card" aria-labelledby="seat-money">
          <h2 id="seat-money">Money</h2>
          <dl>
            <dt>Tuition</dt>
            <dd>{formatUsd(seat.tuitionCents)}</dd>
            <dt>Allowance</dt>
            <dd>{formatUsd(seat.allowanceCents)}</dd>
            <dt>Penalty</dt>
            <dd>
              {formatUsd(seat.penaltyCents)}
              {seat.penaltyRule !== null && <span className="seats-sub">{seat.penaltyRule}</span>}
            </dd>
            {seat.refilled && (
              <>
                <dt>Refilled</dt>
                <dd>yes: given to another student</dd>
              </>
            )}
          </dl>
        </section>
      </div>
      <History seat={seat} />
    </Page>
  );
}

function History({ seat }: { readonly seat: SeatDetail }) {
  return (
    <section aria-labelledby="seat-history" className="seat-history">
      <h2 id="seat-history">History</h2>
      <p className="seats-muted">
        Every write on this seat, oldest first, from the audit log ({seat.history.length}{' '}
        {seat.history.length === 1 ? 'entry' : 'entries'}; the seat is at version {seat.version}).
      </p>
      <div className="seats-scroll" tabIndex={0} role="region" aria-label="Seat history, scrolls">
        <table className="seats-table seat-history-table" data-testid="seat-history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Version</th>
              <th scope="col">What changed</th>
            </tr>
          </thead>
          <tbody>
            {seat.history.map((entry) => (
              <tr key={entry.seq}>
                <td>
                  {formatInstant(entry.recordedAt)}
                  <span className="seats-sub">entry {entry.seq}</span>
                </td>
                <td>{actorName(entry.actor)}</td>
                <th scope="row">
                  {actionLabel(entry.action)}
                  {entry.reason !== null && <span className="seats-sub">{entry.reason}</span>}
                </th>
                <td>{entry.version ?? <span className="none">—</span>}</td>
                <td>
                  {entry.changes.length === 0 ? (
                    <span className="none">—</span>
                  ) : (
                    <ul className="seat-changes">
                      {entry.changes.map((change) => (
                        <li key={change.field}>
                          <span className="seat-change-field">{fieldLabel(change.field)}</span>{' '}
                          {changeValue(change.field, change.from)} →{' '}
                          <strong>{changeValue(change.field, change.to)}</strong>
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

/** A reason a person may give; the form may hold none yet (the API then names `reason`). */
type CancelReason = Exclude<SeatDetail['cancellationReasons'][number]['code'], 'us-restriction'>;

/** Text as a sentence: its first letter a capital, and (unless told) a full stop at its end. */
function sentence(text: string, stop = true): string {
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return stop && !/[.!?]$/.test(capital) ? `${capital}.` : capital;
}

const FORM_FIELDS: readonly string[] = ['reason', 'on', 'refilled', 'note'];

interface CancelForm {
  reason: string;
  on: string;
  refilled: boolean;
  note: string;
}

function SeatActions({
  seat,
  moves,
  cancellable,
  onOutcome,
}: {
  readonly seat: SeatDetail;
  readonly moves: readonly SeatStatus[];
  readonly cancellable: boolean;
  readonly onOutcome: (outcome: Outcome | null) => void;
}) {
  const { api } = useSession();
  const queryClient = useQueryClient();
  const [target, setTarget] = useState<SeatStatus | ''>(moves[0] ?? '');
  const [dialog, setDialog] = useState<'move' | 'cancel' | null>(null);
  // A second click before the first write's state is drawn still writes once.
  const writing = useRef(false);
  const ifMatch = `"${seat.version}"`;
  const form = useForm<CancelForm>({
    defaultValues: { reason: '', on: today(), refilled: false, note: '' },
  });
  const [reason, on, refilled] = form.watch(['reason', 'on', 'refilled']);

  const preview = useApiQuery(
    ['seats', 'cancel-preview', seat.id, seat.version, reason, on, refilled],
    (signal) =>
      load(
        api.http.POST('/api/v1/seats/{id}/cancel', {
          params: {
            path: { id: seat.id },
            query: { dryRun: 'true' },
            header: { 'if-match': ifMatch },
          },
          body: { reason: reason as CancelReason, on, refilled },
          signal,
        }),
        signal,
      ),
    { enabled: dialog === 'cancel' && reason !== '', staleTime: 0, gcTime: 0, retry: false },
  );

  const settle = async (error: unknown) => {
    if (error instanceof ApiError && error.status === 409) {
      setDialog(null);
      onOutcome({
        kind: 'conflict',
        text: `Not saved: this seat changed since you opened it (you had version ${seat.version}). ${sentence(error.message)} The seat as it is now is shown below; check it before trying again.`,
      });
    } else if (error instanceof ApiError && error.field !== undefined && dialog === 'cancel') {
      form.setError(error.field as keyof CancelForm, { message: error.message });
    } else {
      setDialog(null);
      onOutcome({ kind: 'failed', text: describeFailure(error) });
    }
    await queryClient.invalidateQueries({ queryKey: ['seats'] });
  };

  const move = useApiMutation(
    (to: Exclude<SeatStatus, 'cancelled'>) =>
      load(
        api.http.POST('/api/v1/seats/{id}/status', {
          params: { path: { id: seat.id }, header: { 'if-match': ifMatch } },
          body: { to },
        }),
      ),
    {
      onSuccess: async (after) => {
        setDialog(null);
        onOutcome({ kind: 'done', text: `Moved to ${statusLabel(after.status)}.` });
        await queryClient.invalidateQueries({ queryKey: ['seats'] });
      },
      onError: settle,
      onSettled: () => {
        writing.current = false;
      },
    },
  );
  const cancel = useApiMutation(
    (values: CancelForm) =>
      load(
        api.http.POST('/api/v1/seats/{id}/cancel', {
          params: { path: { id: seat.id }, header: { 'if-match': ifMatch } },
          body: {
            reason: values.reason as CancelReason,
            on: values.on,
            refilled: values.refilled,
            ...(values.note.trim() === '' ? {} : { note: values.note.trim() }),
          },
        }),
      ),
    {
      onSuccess: async (after) => {
        setDialog(null);
        form.reset();
        onOutcome({
          kind: 'done',
          text: `Cancelled. Penalty ${formatUsd(after.penaltyCents)}; ${formatUsd(after.releasedCents)} released.`,
        });
        await queryClient.invalidateQueries({ queryKey: ['seats'] });
      },
      onError: settle,
      onSettled: () => {
        writing.current = false;
      },
    },
  );
  const busy = move.isPending || cancel.isPending;
  const once = (write: () => void) => {
    if (writing.current) return;
    writing.current = true;
    write();
  };
  const previewError = preview.error instanceof ApiError ? preview.error : undefined;
  const fieldError = (field: keyof CancelForm) =>
    form.formState.errors[field]?.message ??
    (previewError?.field === field ? previewError.message : undefined);

  return (
    <section className="seat-actions" aria-labelledby="seat-actions">
      <h2 id="seat-actions">Change this seat</h2>
      <div className="seat-action-row">
        {moves.length > 0 && (
          <form
            className="seat-move"
            onSubmit={(event) => {
              event.preventDefault();
              onOutcome(null);
              setDialog('move');
            }}
          >
            <div className="seat-move-field">
              <label htmlFor="seat-move-to">Move to</label>
              <select
                id="seat-move-to"
                name="to"
                value={target}
                onChange={(event) => setTarget(event.target.value as SeatStatus)}
              >
                {moves.map((status) => (
                  <option key={status} value={status}>
                    {statusLabel(status)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" disabled={busy || target === ''}>
              Move…
            </button>
          </form>
        )}
        {cancellable && (
          <button
            type="button"
            className="seat-cancel-button"
            disabled={busy}
            onClick={() => {
              onOutcome(null);
              form.clearErrors();
              setDialog('cancel');
            }}
          >
            Cancel seat…
          </button>
        )}
      </div>
      <ConfirmDialog
        open={dialog === 'move'}
        title="Move this seat?"
        confirmLabel={target === '' ? 'Move' : `Move to ${statusLabel(target)}`}
        busy={move.isPending}
        onClose={() => setDialog(null)}
        onConfirm={() => {
          if (target !== '' && target !== 'cancelled') once(() => move.mutate(target));
        }}
      >
        <p>
          From <strong>{statusLabel(seat.status)}</strong> to{' '}
          <strong>{target === '' ? '—' : statusLabel(target)}</strong> (seat version {seat.version}
          ).
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'cancel'}
        title="Cancel this seat?"
        confirmLabel="Cancel the seat"
        busy={cancel.isPending}
        onClose={() => setDialog(null)}
        onConfirm={() => once(() => void form.handleSubmit((values) => cancel.mutate(values))())}
      >
        <form className="seat-cancel-form" onSubmit={(event) => event.preventDefault()}>
          <Field label="Reason" error={fieldError('reason')}>
            <select {...form.register('reason')}>
              <option value="">Choose why</option>
              {seat.cancellationReasons.map((r) => (
                <option key={r.code} value={r.code}>
                  {sentence(r.label, false)}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Cancelled on"
            hint="The penalty counts the days from this date to class start"
            error={fieldError('on')}
          >
            <input type="date" {...form.register('on')} />
          </Field>
          <label className="seat-check">
            <input type="checkbox" {...form.register('refilled')} /> The seat was given to another
            student (refilled)
          </label>
          <Field
            label="Note (optional)"
            hint="Evidence, e.g. of a timely visa application"
            error={fieldError('note')}
          >
            <input type="text" {...form.register('note')} />
          </Field>
        </form>
        <div className="seat-penalty" aria-live="polite" data-testid="cancel-preview">
          {reason === '' ? (
            <p>Choose a reason to see the penalty before you confirm.</p>
          ) : preview.isPending || preview.isFetching ? (
            <p>Working out the penalty…</p>
          ) : preview.data !== undefined ? (
            <dl>
              <dt>Penalty</dt>
              <dd>
                <strong>{formatUsd(preview.data.penaltyCents)}</strong>
                {preview.data.penaltyRule !== null && (
                  <span className="seats-sub">{preview.data.penaltyRule}</span>
                )}
              </dd>
              <dt>Money released</dt>
              <dd>
                <strong>{formatUsd(preview.data.releasedCents)}</strong>
              </dd>
            </dl>
          ) : previewError !== undefined && !FORM_FIELDS.includes(previewError.field ?? '') ? (
            <p className="field-error">{previewError.message}</p>
          ) : null}
        </div>
      </ConfirmDialog>
    </section>
  );
}
