// The writes on a restriction's page: correct it (a new version, made against the version read),
// end it, add a relief, end a relief. Each previews, then saves exactly what it previewed.
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { formatDate, formatFrom, formatUntil } from '../../format.js';
import { useSession } from '../../session.js';
import type { ApiError } from '../../api/query.js';
import { Field } from '../../ui/Field.js';
import {
  correctRestriction,
  endRelief,
  endRestriction,
  recordRelief,
  type CorrectionBody,
  type EndBody,
  type Impact,
  type Relief,
  type ReliefBody,
  type ReliefType,
  type Restriction,
  type ScopeTerm,
  type WaiverGrounds,
} from './api.js';
import { placeRefusal } from './problems.js';
import {
  RESTRICTION_INPUTS,
  RestrictionFields,
  textOrUndefined,
  type RestrictionValues,
} from './RestrictionFields.js';
import { usePreviewedWrite } from './usePreviewedWrite.js';
import {
  GROUNDS,
  GROUNDS_LABELS,
  idList,
  KIND_NAMES,
  PROGRAM_TERMS,
  RELIEF_LABELS,
  RELIEF_TYPES,
  SCOPE_LABELS,
} from './words.js';
import { FormProblem, WriteControls } from './WriteControls.js';

/** What a write on this page did, for the page to show after it. */
export interface Done {
  readonly what: string;
  readonly impact: Impact;
}

interface FormProps {
  readonly onDone: (done: Done) => void;
}

/** A write made against a version: the version is part of what was previewed. */
interface Versioned<B> {
  readonly version: number;
  readonly body: B;
}

const STALE = 'RESTRICTION.STALE';

// ---- Correct -------------------------------------------------------------------------------

interface CorrectionValues extends RestrictionValues {
  reason: string;
}

function valuesOf(r: Restriction): RestrictionValues {
  return {
    kind: r.kind,
    scope: [...r.scope] as ScopeTerm[],
    from: r.from,
    until: r.until ?? '',
    basis: r.basis,
    authority: r.authority,
    source: r.source ?? '',
    seatPolicy: r.seatPolicy,
    courseFilter: r.courseFilter ?? '',
    determinedOn: r.determinedOn ?? '',
    description: r.description ?? '',
  };
}

/** The fields that differ from the version read, and the reason: a field left out keeps its value. */
export function correctionOf(read: Restriction, v: CorrectionValues): CorrectionBody {
  const was = valuesOf(read);
  const body: Record<string, unknown> = {};
  const text = (key: 'basis' | 'authority' | 'from') => {
    if (v[key] !== was[key]) body[key] = v[key];
  };
  if (v.kind !== was.kind) body.kind = v.kind;
  if ([...v.scope].sort().join() !== [...was.scope].sort().join()) body.scope = v.scope;
  text('from');
  text('basis');
  text('authority');
  if (v.seatPolicy !== was.seatPolicy) body.seatPolicy = v.seatPolicy;
  for (const key of ['until', 'source', 'courseFilter', 'determinedOn', 'description'] as const)
    if (v[key] !== was[key]) body[key] = textOrUndefined(v[key]) ?? null;
  return { ...(body as Omit<CorrectionBody, 'reason'>), reason: v.reason };
}

export function CorrectForm({
  restriction,
  onDone,
  onStale,
}: FormProps & {
  readonly restriction: Restriction;
  /** Another version was recorded since this one was read: the page reads it again. */
  readonly onStale: () => Promise<Restriction | undefined>;
}) {
  const { api } = useSession();
  const [read, setRead] = useState(restriction);
  const [latest, setLatest] = useState<Restriction>();
  const [problem, setProblem] = useState<string>();
  const {
    register,
    handleSubmit,
    control,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<CorrectionValues>({ defaultValues: { ...valuesOf(restriction), reason: '' } });
  const values = useWatch({ control }) as CorrectionValues;
  const current: Versioned<CorrectionBody> = {
    version: read.version,
    body: correctionOf(read, values),
  };
  const refused = (error: ApiError) => {
    if (error.code === STALE) {
      setProblem(undefined);
      void onStale().then(setLatest);
      return;
    }
    setProblem(placeRefusal(error, [...RESTRICTION_INPUTS, 'reason'], setError));
  };
  const write = usePreviewedWrite({
    write: (w: Versioned<CorrectionBody>, dryRun) =>
      correctRestriction(api, restriction.id, w.version, w.body, dryRun),
    onRefused: refused,
    onSaved: (answer) =>
      onDone({
        what: `Corrected: version ${String(answer.version)} recorded.`,
        impact: answer.impact,
      }),
  });
  const preview = handleSubmit(async (v) => {
    clearErrors();
    setProblem(undefined);
    await write.runPreview({ version: read.version, body: correctionOf(read, v) });
  });
  return (
    <form className="decisions-form" onSubmit={(e) => void preview(e)} noValidate>
      <h2>Correct this restriction</h2>
      <p className="decisions-muted">
        A correction records a new version; version {read.version} is kept as it was. Change the
        fields that were wrong and say why.
      </p>
      {latest !== undefined && latest.version !== read.version && (
        <div className="status error" role="alert" data-testid="stale">
          <p>
            Someone recorded version {latest.version} of this restriction on{' '}
            {formatDate(latest.recordedAt.slice(0, 10))} ({latest.recordedBy.replace(/^user:/, '')})
            after you read version {read.version}. Nothing was saved. It now reads:{' '}
            {KIND_NAMES[latest.kind]} of {latest.programs.join(', ')} from {formatFrom(latest)}
            {latest.until === null ? ', open-ended' : ` until ${formatUntil(latest)}`}; basis:{' '}
            {latest.basis}.
          </p>
          <button
            type="button"
            onClick={() => {
              setRead(latest);
              setLatest(undefined);
            }}
          >
            Correct version {latest.version} instead (keeps your changes)
          </button>
        </div>
      )}
      <FormProblem message={problem} />
      <RestrictionFields register={register} errors={errors} />
      <Field
        label="Reason for the correction"
        hint="Why the record was wrong, e.g. “the suspension was announced on 4 January”."
        error={errors.reason?.message}
      >
        <input type="text" {...register('reason')} />
      </Field>
      <WriteControls
        write={write}
        body={current}
        impactOf={(a) => a.impact}
        saveLabel="Save the correction"
        what="the correction"
      />
    </form>
  );
}

// ---- End (a restriction or a relief) ---------------------------------------------------------

interface EndValues {
  on: string;
  reason: string;
}

function endBodyOf(v: EndValues): EndBody {
  const reason = textOrUndefined(v.reason);
  return { on: v.on, ...(reason === undefined ? {} : { reason }) };
}

export function EndForm({
  restriction,
  onDone,
  onStale,
}: FormProps & {
  readonly restriction: Restriction;
  readonly onStale: () => Promise<Restriction | undefined>;
}) {
  const { api } = useSession();
  const [problem, setProblem] = useState<string>();
  const form = useForm<EndValues>({ defaultValues: { on: '', reason: '' } });
  const values = useWatch({ control: form.control }) as EndValues;
  const write = usePreviewedWrite({
    write: (w: Versioned<EndBody>, dryRun) =>
      endRestriction(api, restriction.id, w.version, w.body, dryRun),
    onRefused: (error) => {
      if (error.code === STALE) void onStale();
      setProblem(placeRefusal(error, ['on', 'reason'], form.setError));
    },
    onSaved: (answer) =>
      onDone({
        what: `Ended: it no longer applies from ${formatDate(answer.until ?? '')}.`,
        impact: answer.impact,
      }),
  });
  const preview = form.handleSubmit(async (v) => {
    form.clearErrors();
    setProblem(undefined);
    await write.runPreview({ version: restriction.version, body: endBodyOf(v) });
  });
  return (
    <form className="decisions-form" onSubmit={(e) => void preview(e)} noValidate>
      <h2>End (lift) this restriction</h2>
      <p className="decisions-muted">
        Held seats whose class starts on or after the end are released back to where they were.
      </p>
      <FormProblem message={problem} />
      <EndFields form={form} />
      <WriteControls
        write={write}
        body={{ version: restriction.version, body: endBodyOf(values) }}
        impactOf={(a) => a.impact}
        saveLabel="Save the end"
        what="the end"
      />
    </form>
  );
}

function EndFields({ form }: { readonly form: ReturnType<typeof useForm<EndValues>> }) {
  const { errors } = form.formState;
  return (
    <>
      <Field
        label="No longer applies from"
        hint="The first day it no longer applies; after its start."
        error={errors.on?.message}
      >
        <input type="date" {...form.register('on')} />
      </Field>
      <Field
        label="Reason (optional)"
        hint="e.g. “lifted by the Secretary of State on …”."
        error={errors.reason?.message}
      >
        <input type="text" {...form.register('reason')} />
      </Field>
    </>
  );
}

export function EndReliefForm({ relief, onDone }: FormProps & { readonly relief: Relief }) {
  const { api } = useSession();
  const [problem, setProblem] = useState<string>();
  const form = useForm<EndValues>({ defaultValues: { on: '', reason: '' } });
  const values = useWatch({ control: form.control }) as EndValues;
  const write = usePreviewedWrite({
    write: (b: EndBody, dryRun) => endRelief(api, relief.id, b, dryRun),
    onRefused: (error) => setProblem(placeRefusal(error, ['on', 'reason'], form.setError)),
    onSaved: (answer) =>
      onDone({
        what: `The ${answer.type} ${answer.id} ends on ${formatDate(answer.until ?? '')}.`,
        impact: answer.impact,
      }),
  });
  const preview = form.handleSubmit(async (v) => {
    form.clearErrors();
    setProblem(undefined);
    await write.runPreview(endBodyOf(v));
  });
  return (
    <form className="decisions-form" onSubmit={(e) => void preview(e)} noValidate>
      <h2>
        End the {relief.type} of {relief.programs.join(', ')} (from {formatFrom(relief)})
      </h2>
      <p className="decisions-muted">
        Seats the restriction reaches again are cancelled or held as its seat policy says.
      </p>
      <FormProblem message={problem} />
      <EndFields form={form} />
      <WriteControls
        write={write}
        body={endBodyOf(values)}
        impactOf={(a) => a.impact}
        saveLabel="Save the end of the relief"
        what="the end of the relief"
      />
    </form>
  );
}

// ---- Add a relief ----------------------------------------------------------------------------

interface ReliefValues {
  type: ReliefType;
  grounds: WaiverGrounds | '';
  programs: ScopeTerm[];
  courses: string;
  schools: string;
  start: 'from' | 'notified';
  from: string;
  notified: string;
  waitDays: string;
  until: string;
  authority: string;
  justification: string;
  source: string;
}

const RELIEF_INPUTS = [
  'type',
  'grounds',
  'programs',
  'courses',
  'schools',
  'from',
  'notified',
  'waitDays',
  'until',
  'authority',
  'justification',
  'source',
] as const;

export function reliefBodyOf(v: ReliefValues): ReliefBody {
  const courses = idList(v.courses);
  const schools = idList(v.schools);
  const until = textOrUndefined(v.until);
  const source = textOrUndefined(v.source);
  const wait = v.waitDays.trim();
  return {
    type: v.type,
    programs: v.programs,
    authority: v.authority,
    justification: v.justification,
    ...(v.grounds === '' ? {} : { grounds: v.grounds }),
    ...(courses.length === 0 ? {} : { courses }),
    ...(schools.length === 0 ? {} : { schools }),
    ...(v.start === 'from'
      ? { from: v.from }
      : { notified: v.notified, ...(wait === '' ? {} : { waitDays: Number(wait) }) }),
    ...(until === undefined ? {} : { until }),
    ...(source === undefined ? {} : { source }),
  };
}

export function ReliefForm({
  restriction,
  onDone,
  knownReliefs,
}: FormProps & {
  readonly restriction: Restriction;
  /** Reads the relief ids the record holds now: after a lost answer, one not known before is it. */
  readonly knownReliefs: () => Promise<readonly string[]>;
}) {
  const { api } = useSession();
  const [problem, setProblem] = useState<string>();
  const [before, setBefore] = useState<readonly string[]>();
  const {
    register,
    handleSubmit,
    control,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<ReliefValues>({
    defaultValues: {
      type: 'exception',
      grounds: '',
      programs: [],
      courses: '',
      schools: '',
      start: 'from',
      from: '',
      notified: '',
      waitDays: '',
      until: '',
      authority: '',
      justification: '',
      source: '',
    },
  });
  const values = useWatch({ control }) as ReliefValues;
  const write = usePreviewedWrite({
    write: (b: ReliefBody, dryRun) => recordRelief(api, restriction.id, b, dryRun),
    onRefused: (error) => setProblem(placeRefusal(error, RELIEF_INPUTS, setError)),
    onSaved: (answer) =>
      onDone({
        what: `Relief recorded: the ${answer.relief.type} relieves ${answer.relief.programs.join(', ')} from ${formatDate(answer.relief.from)}.`,
        impact: answer.impact,
      }),
    wasWritten: async () => {
      const now = await knownReliefs();
      return before !== undefined && now.some((id) => !before.includes(id));
    },
  });
  const preview = handleSubmit(async (v) => {
    clearErrors();
    setProblem(undefined);
    setBefore(await knownReliefs().catch(() => undefined));
    await write.runPreview(reliefBodyOf(v));
  });
  const programsError = errors.programs?.message;
  return (
    <form className="decisions-form" onSubmit={(e) => void preview(e)} noValidate>
      <h2>Add a relief</h2>
      <p className="decisions-muted">
        A relief lets some programs go ahead despite the restriction, as the law behind a{' '}
        {KIND_NAMES[restriction.kind].toLowerCase()} allows. Seats it makes eligible again are
        released.
      </p>
      <FormProblem message={problem} />
      <Field label="Type of relief" error={errors.type?.message}>
        <select {...register('type')}>
          {RELIEF_TYPES.map((t) => (
            <option key={t} value={t}>
              {RELIEF_LABELS[t]}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Grounds (waivers only)"
        hint="A waiver states its grounds; leave empty for other types."
        error={errors.grounds?.message}
      >
        <select {...register('grounds')}>
          <option value="">— none —</option>
          {GROUNDS.map((g) => (
            <option key={g} value={g}>
              {GROUNDS_LABELS[g]}
            </option>
          ))}
        </select>
      </Field>
      <fieldset
        className={programsError === undefined ? 'decisions-checks' : 'decisions-checks invalid'}
        aria-describedby={`programs-hint${programsError === undefined ? '' : ' programs-error'}`}
      >
        <legend>Programs it relieves</legend>
        <span className="hint" id="programs-hint">
          Of those the restriction covers ({restriction.programs.join(', ')}).
        </span>
        <div className="decisions-check-grid">
          {PROGRAM_TERMS.map((term) => (
            <label key={term}>
              <input type="checkbox" value={term} {...register('programs')} /> {SCOPE_LABELS[term]}
            </label>
          ))}
        </div>
        {programsError !== undefined && (
          <span className="field-error" id="programs-error" role="alert">
            {programsError}
          </span>
        )}
      </fieldset>
      <div className="decisions-row">
        <Field
          label="Only these courses (optional)"
          hint="Course ids, separated by commas; empty: all courses."
          error={errors.courses?.message}
        >
          <input type="text" {...register('courses')} />
        </Field>
        <Field
          label="Only these schools (optional)"
          hint="School ids, separated by commas; empty: all schools."
          error={errors.schools?.message}
        >
          <input type="text" {...register('schools')} />
        </Field>
      </div>
      <fieldset className="decisions-checks">
        <legend>When it starts to relieve</legend>
        <label>
          <input type="radio" value="from" {...register('start')} /> From a date
        </label>
        <label>
          <input type="radio" value="notified" {...register('start')} /> When the waiting period
          after Congress was notified ends
        </label>
      </fieldset>
      {values.start === 'from' ? (
        <Field label="Relieves from" hint="The first day it relieves." error={errors.from?.message}>
          <input type="date" {...register('from')} />
        </Field>
      ) : (
        <div className="decisions-row">
          <Field
            label="Congress notified on"
            hint="It relieves from the end of the waiting period."
            error={errors.notified?.message}
          >
            <input type="date" {...register('notified')} />
          </Field>
          <Field
            label="Waiting period in days (optional)"
            hint="0 to 365; 15 when left empty."
            error={errors.waitDays?.message}
          >
            <input type="number" min={0} max={365} inputMode="numeric" {...register('waitDays')} />
          </Field>
        </div>
      )}
      <Field
        label="Until (optional)"
        hint="The first day it no longer relieves; empty while open-ended."
        error={errors.until?.message}
      >
        <input type="date" {...register('until')} />
      </Field>
      <Field
        label="Authority"
        hint="Who grants it, e.g. “Secretary of State”."
        error={errors.authority?.message}
      >
        <input type="text" {...register('authority')} />
      </Field>
      <Field
        label="Justification"
        hint="Why it is granted, in a sentence the record will keep."
        error={errors.justification?.message}
      >
        <textarea rows={3} {...register('justification')} />
      </Field>
      <Field label="Source (optional)" error={errors.source?.message}>
        <input type="text" {...register('source')} />
      </Field>
      <WriteControls
        write={write}
        body={reliefBodyOf(values)}
        impactOf={(a) => a.impact}
        saveLabel="Save the relief"
        what="the relief"
      >
        {(answer) => (
          <p data-testid="preview-relief-start">
            It would relieve {answer.relief.programs.join(', ')} from{' '}
            <strong>{formatDate(answer.relief.from)}</strong>
            {answer.notification !== null &&
              ` (Congress notified ${formatDate(answer.notification.notifiedOn)}, ${String(answer.notification.waitDays)}-day wait)`}
            .
          </p>
        )}
      </WriteControls>
    </form>
  );
}
