// The fields of a restriction, labelled with hints, shared by recording one and correcting one.
import type { FieldErrors, UseFormRegister } from 'react-hook-form';
import { Field } from '../../ui/Field.js';
import type { RestrictionKind, ScopeTerm, SeatPolicy } from './api.js';
import {
  KIND_LABELS,
  KINDS,
  SCOPE_LABELS,
  SCOPE_TERMS,
  SEAT_POLICIES,
  SEAT_POLICY_LABELS,
} from './words.js';

export interface RestrictionValues {
  kind: RestrictionKind;
  scope: ScopeTerm[];
  from: string;
  until: string;
  basis: string;
  authority: string;
  source: string;
  seatPolicy: SeatPolicy;
  courseFilter: string;
  determinedOn: string;
  description: string;
}

export const RESTRICTION_INPUTS = [
  'kind',
  'scope',
  'from',
  'until',
  'basis',
  'authority',
  'source',
  'seatPolicy',
  'courseFilter',
  'determinedOn',
  'description',
] as const satisfies readonly (keyof RestrictionValues)[];

export function RestrictionFields<V extends RestrictionValues>({
  register,
  errors,
}: {
  readonly register: UseFormRegister<V>;
  readonly errors: FieldErrors<V>;
}) {
  // The fields are those of RestrictionValues whatever else V holds.
  const reg = register as unknown as UseFormRegister<RestrictionValues>;
  const err = errors as FieldErrors<RestrictionValues>;
  const scopeError = err.scope?.message;
  return (
    <>
      <Field
        label="Kind of restriction"
        hint="The law or decision behind it decides which reliefs it allows."
        error={err.kind?.message}
      >
        <select {...reg('kind')}>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {KIND_LABELS[kind]}
            </option>
          ))}
        </select>
      </Field>
      <fieldset
        className={scopeError === undefined ? 'decisions-checks' : 'decisions-checks invalid'}
        aria-describedby={`scope-hint${scopeError === undefined ? '' : ' scope-error'}`}
      >
        <legend>Programs it restricts</legend>
        <span className="hint" id="scope-hint">
          Tick the programs, or a group that covers several.
        </span>
        <div className="decisions-check-grid">
          {SCOPE_TERMS.map((term) => (
            <label key={term}>
              <input type="checkbox" value={term} {...reg('scope')} /> {SCOPE_LABELS[term]}
            </label>
          ))}
        </div>
        {scopeError !== undefined && (
          <span className="field-error" id="scope-error" role="alert">
            {scopeError}
          </span>
        )}
      </fieldset>
      <div className="decisions-row">
        <Field
          label="In force from"
          hint="The first day it applies. Seats whose class starts on or after it are reached."
          error={err.from?.message}
        >
          <input type="date" {...reg('from')} />
        </Field>
        <Field
          label="Until (optional)"
          hint="The first day it no longer applies. Leave empty while open-ended."
          error={err.until?.message}
        >
          <input type="date" {...reg('until')} />
        </Field>
      </div>
      <Field
        label="What happens to the seats it reaches"
        hint="Cancelled seats give their money back; held seats wait for it to be lifted."
        error={err.seatPolicy?.message}
      >
        <select {...reg('seatPolicy')}>
          {SEAT_POLICIES.map((policy) => (
            <option key={policy} value={policy}>
              {SEAT_POLICY_LABELS[policy]}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Basis"
        hint="The law, section or decision it rests on, e.g. “Presidential policy decision (4 January 2018)”."
        error={err.basis?.message}
      >
        <input type="text" {...reg('basis')} />
      </Field>
      <Field
        label="Authority"
        hint="Who determined it, e.g. “President; Secretary of State”."
        error={err.authority?.message}
      >
        <input type="text" {...reg('authority')} />
      </Field>
      <Field
        label="Determined on (optional)"
        hint="The day the determination was made, if not the day it takes effect."
        error={err.determinedOn?.message}
      >
        <input type="date" {...reg('determinedOn')} />
      </Field>
      <Field
        label="Source (optional)"
        hint="The document, statement or link it is recorded from."
        error={err.source?.message}
      >
        <input type="text" {...reg('source')} />
      </Field>
      <Field
        label="Courses a proviso allows (provisos only)"
        hint="Leave empty unless the kind is a proviso; a proviso allows E-IMET courses."
        error={err.courseFilter?.message}
      >
        <select {...reg('courseFilter')}>
          <option value="">— not a proviso —</option>
          <option value="E-IMET">E-IMET courses</option>
        </select>
      </Field>
      <Field
        label="Description (optional)"
        hint="Anything a reader of the record should know."
        error={err.description?.message}
      >
        <textarea rows={3} {...reg('description')} />
      </Field>
    </>
  );
}

/** Empty text is left out (or null, for a correction clearing it). */
export const textOrUndefined = (text: string): string | undefined =>
  text.trim() === '' ? undefined : text;
