// The filters above the entries: actor, action, kind of record, record id and a time range. Applied
// to the address on submit; a value the API refuses is shown beside its field, in its words.
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { ApiError } from '../../api/query.js';
import { Field } from '../../ui/Field.js';
import {
  FILTER_FIELDS,
  hasFilters,
  type AuditFilters,
  type AuditOverview,
  type FilterField,
} from './audit.js';

const EMPTY: AuditFilters = {
  actor: '',
  action: '',
  entityType: '',
  entityId: '',
  from: '',
  to: '',
};

export function AuditFilterForm({
  filters,
  overview,
  error,
  onApply,
}: {
  readonly filters: AuditFilters;
  readonly overview: AuditOverview | undefined;
  /** The entries query's failure: a refusal naming a filter is shown beside it. */
  readonly error: Error | null;
  readonly onApply: (filters: AuditFilters) => void;
}) {
  const form = useForm<AuditFilters>({ values: filters });
  const { register, handleSubmit, setError, clearErrors, formState } = form;

  useEffect(() => {
    clearErrors();
    const field = error instanceof ApiError ? error.field : undefined;
    if (field !== undefined && (FILTER_FIELDS as readonly string[]).includes(field))
      setError(field as FilterField, { message: error!.message });
  }, [error, setError, clearErrors]);

  const message = (field: FilterField) => formState.errors[field]?.message;
  const types = overview?.entityTypes ?? [];
  const knownType = filters.entityType === '' || types.some((t) => t.value === filters.entityType);

  return (
    <form
      className="audit-filters"
      role="search"
      aria-label="Filter the entries"
      onSubmit={(event) => void handleSubmit((values) => onApply(trimmed(values)))(event)}
    >
      <div className="audit-filter-grid">
        <Field label="Kind of record" error={message('entityType')}>
          <select {...register('entityType')}>
            <option value="">Any</option>
            {!knownType && <option value={filters.entityType}>{filters.entityType}</option>}
            {types.map((t) => (
              <option key={t.value} value={t.value}>
                {t.value} ({t.entries.toLocaleString('en-US')})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Record id" error={message('entityId')}>
          <input type="text" autoComplete="off" spellCheck={false} {...register('entityId')} />
        </Field>
        <Field label="Action" error={message('action')}>
          <input
            type="text"
            list="audit-actions"
            autoComplete="off"
            spellCheck={false}
            {...register('action')}
          />
        </Field>
        <Field label="Actor" error={message('actor')}>
          <input
            type="text"
            list="audit-actors"
            autoComplete="off"
            spellCheck={false}
            {...register('actor')}
          />
        </Field>
        <Field label="From" hint="a date YYYY-MM-DD, or an instant (UTC)" error={message('from')}>
          <input type="text" autoComplete="off" placeholder="2026-11-01" {...register('from')} />
        </Field>
        <Field label="To" hint="that whole day included" error={message('to')}>
          <input type="text" autoComplete="off" placeholder="2026-11-30" {...register('to')} />
        </Field>
      </div>
      <datalist id="audit-actions">
        {(overview?.actions ?? []).map((a) => (
          <option key={a.value} value={a.value} />
        ))}
      </datalist>
      <datalist id="audit-actors">
        {(overview?.actors ?? []).map((a) => (
          <option key={a.value} value={a.value} />
        ))}
      </datalist>
      <div className="audit-filter-actions">
        <button type="submit" className="primary">
          Show entries
        </button>
        {hasFilters(filters) && (
          <button type="button" onClick={() => onApply(EMPTY)}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}

function trimmed(values: AuditFilters): AuditFilters {
  return Object.fromEntries(
    FILTER_FIELDS.map((field) => [field, (values[field] ?? '').trim()]),
  ) as unknown as AuditFilters;
}
