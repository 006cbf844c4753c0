// Re-programming at /reprogramming: the optimizer's proposal for a fiscal year's released (or
// end-of-year) IMET money, as `attache reprogram` gives it: the lines and seats to fund, each
// country's money and its list's checks as the proposal leaves it, the value against the greedy
// baseline, the rules that bind with their shadow prices, and why each other line was left out.
// The form is in the address, so a link reopens the same proposal. A program manager may apply it:
// one write, refused whole when the record has moved since.
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { load } from '../../api/client.js';
import { ApiError, useApiMutation, useApiQuery } from '../../api/query.js';
import { fiscalYearOf, formatUsd, today } from '../../format.js';
import { useSession } from '../../session.js';
import { Field } from '../../ui/Field.js';
import { Page } from '../../ui/Page.js';
import { QueryView } from '../../ui/Status.js';
import { TableScroll } from '../../ui/TableScroll.js';
import {
  applyBody,
  mayReprogram,
  pricePerThousand,
  ratioText,
  readReprogramForm,
  reprogramQuery,
  ruleLabel,
  writeReprogramForm,
  type Answer,
  type ApplyBody,
  type Proposal,
  type ReprogramForm,
} from './reprogram.js';
import './reprogram.css';

export default function ReprogramPage() {
  const { user } = useSession();
  if (!mayReprogram(user.role))
    return (
      <Page title="Re-programming">
        <p className="status">
          Re-programming moves money between countries: only roles that see every country (program
          managers, analysts and administrators) may ask for a proposal.
        </p>
      </Page>
    );
  return <ProposalForm />;
}

function ProposalForm() {
  const { api } = useSession();
  const [form, setForm] = useState<ReprogramForm>(() =>
    readReprogramForm(new URLSearchParams(window.location.search), fiscalYearOf(today())),
  );
  const [asked, setAsked] = useState<ReprogramForm | undefined>(() =>
    new URLSearchParams(window.location.search).has('fy') ? form : undefined,
  );
  const proposal = useApiQuery(
    ['reprogramming', asked],
    (signal) =>
      load(
        api.http.GET('/api/v1/reprogramming', {
          params: { query: reprogramQuery(asked!) },
          signal,
        }),
      ),
    { enabled: asked !== undefined, staleTime: 60_000 },
  );
  const error = proposal.error instanceof ApiError ? proposal.error : undefined;
  const fieldError = (name: string) => (error?.field === name ? error.message : undefined);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const params = writeReprogramForm(form);
    window.history.replaceState(window.history.state, '', `${window.location.pathname}?${params}`);
    setAsked(form);
  };
  return (
    <Page title="Re-programming">
      <p className="lead">
        The best use of money a suspension released, or the fiscal year’s end left: the lines to
        fund under every rule of the lists, and what binds. A proposal writes nothing until a
        program manager applies it.
      </p>
      <form className="narrow-form" onSubmit={onSubmit} noValidate>
        <Field label="Fiscal year" error={fieldError('fy')}>
          <input
            type="number"
            inputMode="numeric"
            min={1950}
            max={2100}
            value={form.fy}
            onChange={(e) => setForm({ ...form, fy: e.target.value })}
          />
        </Field>
        <fieldset className="choice-group">
          <legend>Money</legend>
          {(
            [
              ['released', 'Released by cancellations'],
              ['end-of-year', 'End of year (released and unprogrammed)'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="toggle">
              <input
                type="radio"
                name="pool"
                value={value}
                checked={form.pool === value}
                onChange={() => setForm({ ...form, pool: value })}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <Field
          label="From one country"
          hint="Optional: only its money, e.g. PAK"
          error={fieldError('country')}
        >
          <input
            value={form.country}
            maxLength={3}
            autoCapitalize="characters"
            onChange={(e) => setForm({ ...form, country: e.target.value.toUpperCase() })}
          />
        </Field>
        <Field
          label="As of"
          hint="Optional: classes started by then take no seat (default: when the money came back)"
          error={fieldError('on')}
        >
          <input
            type="date"
            value={form.on}
            onChange={(e) => setForm({ ...form, on: e.target.value })}
          />
        </Field>
        <button type="submit" className="primary" disabled={proposal.isFetching}>
          {proposal.isFetching ? 'Solving…' : 'Propose'}
        </button>
      </form>
      <div aria-live="polite" className="reprogram-result">
        {asked !== undefined && error?.field === undefined && (
          <QueryView query={proposal} what="the proposal">
            {(answer) => <AnswerView answer={answer} asked={asked} />}
          </QueryView>
        )}
      </div>
    </Page>
  );
}

function AnswerView({ answer, asked }: { readonly answer: Answer; readonly asked: ReprogramForm }) {
  const p = answer.proposal;
  if (p === null)
    return (
      <section className="reprogram-conflicts" aria-labelledby="conflicts-title">
        <h2 id="conflicts-title">No proposal keeps every rule</h2>
        <ul>
          {answer.conflicts.map((c) => (
            <li key={`${c.rule} ${c.subject}`}>
              <strong>{ruleLabel(c.rule)}</strong>: {c.message}
            </li>
          ))}
        </ul>
      </section>
    );
  const seats = p.chosen.reduce((n, c) => n + c.seats, 0);
  const sources = answer.sources.map((s) => `${s.country} ${formatUsd(s.cents)}`).join(', ');
  return (
    <>
      <section className="reprogram-summary" aria-labelledby="summary-title">
        <h2 id="summary-title">
          FY{p.fiscalYear}: {formatUsd(p.poolCents)}{' '}
          {p.pool === 'released' ? 'released' : 'at the year’s end'}
        </h2>
        <dl className="reprogram-figures">
          <div>
            <dt>From</dt>
            <dd>{sources === '' ? 'no country' : sources}</dd>
          </div>
          <div>
            <dt>As of</dt>
            <dd>
              {answer.on} ({answer.onReason})
            </dd>
          </div>
          <div>
            <dt>Proposed</dt>
            <dd>
              {p.chosen.length} lines, {seats} seats; {formatUsd(p.usedCents)} of the pool,{' '}
              {formatUsd(p.leftCents)} left
            </dd>
          </div>
          <div>
            <dt>Value</dt>
            <dd>
              {p.value} against the greedy baseline’s {p.greedy.value} (
              {ratioText(p.value, p.greedy.value)})
            </dd>
          </div>
          <div>
            <dt>Solver</dt>
            <dd>
              {p.status === 'optimal' ? 'optimal' : 'stopped at its time limit'}, gap{' '}
              {(p.gap * 100).toFixed(2)}%, {p.seconds.toFixed(1)} s
            </dd>
          </div>
        </dl>
      </section>
      <BindingRules proposal={p} />
      <ChosenLines proposal={p} />
      <Countries answer={answer} proposal={p} />
      <NotChosen proposal={p} />
      <ApplyProposal answer={answer} proposal={p} asked={asked} />
    </>
  );
}

function BindingRules({ proposal }: { readonly proposal: Proposal }) {
  return (
    <section aria-labelledby="binding-title">
      <h2 id="binding-title">What binds</h2>
      <p className="hint">
        Shadow prices come from the LP relaxation (seats may be fractional there): what one more
        dollar of the rule would add in value. A guide, not a promise.
      </p>
      {proposal.binding.length === 0 ? (
        <p>No rule binds: every line that may take money is funded.</p>
      ) : (
        <ul className="binding-rules">
          {proposal.binding.map((b) => (
            <li key={`${b.rule} ${b.subject}`}>
              <strong>{ruleLabel(b.rule)}</strong>: {b.message}{' '}
              <span className="price">{pricePerThousand(b.shadowPrice, b.rule)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ChosenLines({ proposal }: { readonly proposal: Proposal }) {
  return (
    <section aria-labelledby="chosen-title">
      <h2 id="chosen-title">Lines to fund</h2>
      {proposal.chosen.length === 0 ? (
        <p>No line can take this money under the rules: see below why.</p>
      ) : (
        <TableScroll label="Lines to fund">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Country</th>
                <th scope="col">Course</th>
                <th scope="col">Class</th>
                <th scope="col" className="numeric">
                  Seats
                </th>
                <th scope="col" className="numeric">
                  Cost
                </th>
                <th scope="col" className="numeric">
                  Value
                </th>
                <th scope="col">Line</th>
              </tr>
            </thead>
            <tbody>
              {proposal.chosen.map((c) => (
                <tr key={c.lineId}>
                  <td>{c.country}</td>
                  <td>{c.courseId}</td>
                  <td>{c.classStart}</td>
                  <td className="numeric">
                    {c.seats}
                    {c.seatsLeft > 0 ? ` of ${c.seats + c.seatsLeft}` : ''}
                  </td>
                  <td className="numeric">{formatUsd(c.costCents)}</td>
                  <td className="numeric">{c.value}</td>
                  <td className="mono">{c.lineId}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function Countries({ answer, proposal }: { readonly answer: Answer; readonly proposal: Proposal }) {
  return (
    <section aria-labelledby="countries-title">
      <h2 id="countries-title">Each country’s list after the proposal</h2>
      {proposal.grants.length === 0 ? (
        <p>No country’s list changes.</p>
      ) : (
        <TableScroll label="Each country's list after the proposal">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Country</th>
                <th scope="col" className="numeric">
                  From the pool
                </th>
                <th scope="col" className="numeric">
                  Own room used
                </th>
                <th scope="col" className="numeric">
                  Allocation after
                </th>
                <th scope="col" className="numeric">
                  Priority A
                </th>
                <th scope="col" className="numeric">
                  PME
                </th>
                <th scope="col">Checks</th>
              </tr>
            </thead>
            <tbody>
              {proposal.grants.map((g) => {
                const after = answer.listsAfter.find((l) => l.country === g.country);
                const passes =
                  after !== undefined && after.priorityAWithinAllocation && after.pmeAtLeastHalf;
                return (
                  <tr key={g.country}>
                    <td>{g.country}</td>
                    <td className="numeric">{formatUsd(g.cents)}</td>
                    <td className="numeric">{formatUsd(g.ownCents)}</td>
                    <td className="numeric">
                      {after === undefined ? '—' : formatUsd(after.allocationCents)}
                    </td>
                    <td className="numeric">
                      {after === undefined ? '—' : formatUsd(after.priorityACents)}
                    </td>
                    <td className="numeric">
                      {after === undefined ? '—' : formatUsd(after.pmeCents)}
                    </td>
                    <td>{passes ? 'Pass' : 'FAIL'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function NotChosen({ proposal }: { readonly proposal: Proposal }) {
  const shown = proposal.notChosen.filter((n) => n.rule !== 'PRIORITY_B_ONLY');
  const funded = proposal.notChosen.length - shown.length;
  return (
    <section aria-labelledby="not-chosen-title">
      <h2 id="not-chosen-title">Not funded, and why</h2>
      {shown.length === 0 ? (
        <p>Every line that may take money is funded.</p>
      ) : (
        <ul className="not-chosen">
          {shown.map((n) => (
            <li key={n.lineId}>
              <span className="mono">{n.lineId}</span> {n.country}, {n.seats} seat
              {n.seats === 1 ? '' : 's'}: <strong>{ruleLabel(n.rule)}</strong>: {n.message}
            </li>
          ))}
        </ul>
      )}
      {funded > 0 && (
        <p className="hint">
          {funded} priority A or D lines take no money: A lines are funded already, D lines are
          still to be cleared.
        </p>
      )}
    </section>
  );
}

/** Program managers and admins apply the proposal: one write, refused whole if the record moved. */
function ApplyProposal({
  answer,
  proposal,
  asked,
}: {
  readonly answer: Answer;
  readonly proposal: Proposal;
  readonly asked: ReprogramForm;
}) {
  const { api, can } = useSession();
  const queryClient = useQueryClient();
  const [notified, setNotified] = useState('');
  const apply = useApiMutation(
    (body: ApplyBody) => load(api.http.POST('/api/v1/reprogramming', { body })),
    { onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['reprogramming'] }) },
  );
  const error = apply.error instanceof ApiError ? apply.error : undefined;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    apply.mutate(applyBody(asked, answer, proposal, notified));
  };
  if (apply.data !== undefined) {
    const done = apply.data;
    return (
      <section aria-labelledby="applied-title" className="reprogram-applied">
        <h2 id="applied-title">Applied</h2>
        <p role="status">
          Re-programming <span className="mono">{done.id}</span>: {done.lines.length} lines made
          priority A; {formatUsd(done.usedCents)} taken from{' '}
          {done.sources.map((s) => `${s.country} ${formatUsd(s.cents)}`).join(', ')}.
        </p>
        <ul>
          {done.allocations.map((a) => (
            <li key={a.country}>
              {a.country}: {formatUsd(a.fromCents)} → {formatUsd(a.toCents)}, in force from{' '}
              {a.effectiveFrom}
            </li>
          ))}
        </ul>
      </section>
    );
  }
  if (!can('allocations.write') || !can('training.write') || proposal.chosen.length === 0)
    return null;
  return (
    <section aria-labelledby="apply-title">
      <h2 id="apply-title">Apply this proposal</h2>
      <form className="narrow-form" onSubmit={onSubmit} noValidate>
        <p className="hint">
          The lines become priority A and each country’s allocation grows by what it takes from the
          pool, in one write. A change of $25,000 or more takes effect when the congressional
          notification’s waiting period ends.
        </p>
        <Field
          label="Congress notified on"
          hint="Needed when a change is $25,000 or more"
          error={error?.field === 'notified' ? error.message : undefined}
        >
          <input type="date" value={notified} onChange={(e) => setNotified(e.target.value)} />
        </Field>
        <button type="submit" className="primary" disabled={apply.isPending}>
          {apply.isPending ? 'Applying…' : 'Apply'}
        </button>
        {error !== undefined && error.field !== 'notified' && (
          <p className="status error" role="alert">
            {error.message}
          </p>
        )}
      </form>
    </section>
  );
}
