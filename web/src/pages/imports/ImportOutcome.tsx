// What an import did, in words and tables: the counts, each budget table's stage and its
// reconciliation account by account (a source's own discrepancy named), or every refused cell.
import type { JobProblem } from '../../ui/JobProgress.js';
import { Badge } from '../../ui/Badge.js';
import { TableScroll } from '../../ui/TableScroll.js';
import {
  countsText,
  isBudgetSummary,
  isEntitySummary,
  isHistorySummary,
  rowErrorsOf,
  type BudgetFileSummary,
} from './imports.js';

export function ImportOutcome({ summary }: { readonly summary: unknown }) {
  if (isHistorySummary(summary))
    return (
      <div className="import-outcome" data-testid="import-outcome">
        <p>
          <strong>{summary.dryRun ? 'The check found nothing wrong. ' : 'Imported. '}</strong>
          {summary.file}: {summary.rows} rows ({kindsText(summary.byKind)}), {countsText(summary)}
          {summary.dryRun ? ' if imported; nothing was written.' : '.'}
        </p>
        <p className="count">
          {summary.restrictions} restrictions ({summary.inferred} child-soldiers listings inferred
          from a waiver), {summary.reliefs} reliefs, {summary.lifts} lifts; {summary.notes} rows are
          notes, which record no restriction.
        </p>
        {!summary.dryRun && summary.runId === null && (
          <p className="count">Nothing changed, so nothing was written.</p>
        )}
      </div>
    );
  if (isEntitySummary(summary))
    return (
      <div className="import-outcome" data-testid="import-outcome">
        <p>
          <strong>{summary.dryRun ? 'The check found nothing wrong. ' : 'Imported. '}</strong>
          {summary.file}: {summary.rows} row{summary.rows === 1 ? '' : 's'}, {countsText(summary)}
          {summary.dryRun ? ' if imported; nothing was written.' : '.'}
        </p>
        {!summary.dryRun && summary.runId === null && (
          <p className="count">Nothing changed, so nothing was written.</p>
        )}
      </div>
    );
  if (isBudgetSummary(summary))
    return (
      <div className="import-outcome" data-testid="import-outcome">
        <p>
          <Badge tone={summary.reconciled ? 'ok' : 'blocked'}>
            {summary.reconciled ? 'Every account reconciles' : 'Some accounts do not add up'}
          </Badge>{' '}
          {summary.dryRun
            ? 'The check read every table; nothing was written.'
            : `${summary.files.length} table${summary.files.length === 1 ? '' : 's'} imported.`}
        </p>
        {summary.files.map((f) => (
          <BudgetFile key={f.file} file={f} />
        ))}
      </div>
    );
  return null;
}

function BudgetFile({ file }: { readonly file: BudgetFileSummary }) {
  const discrepancies = file.reconciliation.flatMap((r) =>
    r.discrepancies.map((d) => ({ ...d, account: r.account })),
  );
  return (
    <details className="budget-file">
      <summary>
        <strong>{file.file}</strong> FY{file.fiscalYear} ({file.stage}): figures{' '}
        {countsText(file.figures)}; allocations {countsText(file.allocations)}{' '}
        <Badge tone={file.reconciled ? 'ok' : 'blocked'}>
          {file.reconciled ? 'reconciled' : 'does not add up'}
        </Badge>
      </summary>
      <TableScroll label="Reconciliation by account">
        <table className="data-table budget-checks">
          <caption>
            Each account: its regions against their lines, TOTAL against the regions and central
            lines
          </caption>
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Regions</th>
              <th scope="col">TOTAL</th>
            </tr>
          </thead>
          <tbody>
            {file.reconciliation.map((r) => (
              <tr key={r.account}>
                <th scope="row">{r.account}</th>
                <td>
                  {r.regionsOk}/{r.regions} {r.regionsOk === r.regions ? 'ok' : 'off'}
                </td>
                <td>{r.totalOk === null ? 'no TOTAL' : r.totalOk ? 'ok' : 'off'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {discrepancies.length > 0 && (
        <ul className="budget-notes">
          {discrepancies.map((d) => (
            <li key={`${d.account}-${d.line}`}>
              Source discrepancy in {d.account}: “{d.line}” states{' '}
              {d.stated.toLocaleString('en-US')} thousand, its {d.partLines} lines add up to{' '}
              {d.parts.toLocaleString('en-US')}; TOTAL adds the stated figure.
            </li>
          ))}
        </ul>
      )}
      {file.notes.length > 0 && (
        <ul className="budget-notes">
          {file.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </details>
  );
}

/** A refused import: the sentence, then every refused cell by row and column. */
export function RowErrors({ problem }: { readonly problem: JobProblem }) {
  const { count, errors } = rowErrorsOf(problem.details);
  return (
    <>
      <p>
        {problem.field === undefined ? '' : <strong>{problem.field}: </strong>}
        {problem.detail}
      </p>
      {errors.length > 0 && (
        <TableScroll label="Refused cells">
          <table className="data-table row-errors" data-testid="row-errors">
            <caption>
              {count === errors.length
                ? `${count} refused cell${count === 1 ? '' : 's'}`
                : `The first ${errors.length} of ${count} refused cells`}
            </caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  Row
                </th>
                <th scope="col">Column</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {errors.map((e, i) => (
                <tr key={`${e.row}-${e.column}-${i}`}>
                  <td className="numeric">{e.row}</td>
                  <td>{e.column}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

/** "child-soldiers 210, coup 32, …", in the order of the kinds' names. */
function kindsText(byKind: Readonly<Record<string, number>>): string {
  return Object.entries(byKind)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
}
