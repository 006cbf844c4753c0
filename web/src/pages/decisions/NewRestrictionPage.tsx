// /decisions/new?country=XXX: record a restriction. Preview shows the seats, students and money it
// will change; Save records exactly that and opens the restriction with what it did.
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { fetchCountries } from '../../api/countries.js';
import { useApiQuery } from '../../api/query.js';
import { useSession } from '../../session.js';
import { Field } from '../../ui/Field.js';
import { Page } from '../../ui/Page.js';
import { QueryView } from '../../ui/Status.js';
import {
  BACKGROUND_SEATS,
  fetchTimeline,
  keys,
  recordRestriction,
  type RestrictionBody,
} from './api.js';
import { NotAllowed } from './NotAllowed.js';
import { placeRefusal } from './problems.js';
import {
  RESTRICTION_INPUTS,
  RestrictionFields,
  textOrUndefined,
  type RestrictionValues,
} from './RestrictionFields.js';
import { usePreviewedWrite } from './usePreviewedWrite.js';
import { FormProblem, WriteControls } from './WriteControls.js';
import type { WrittenState } from './written.js';

interface Values extends RestrictionValues {
  country: string;
}

const INPUTS = ['country', ...RESTRICTION_INPUTS] as const;

export function bodyOf(v: Values): RestrictionBody {
  const until = textOrUndefined(v.until);
  const source = textOrUndefined(v.source);
  const courseFilter = textOrUndefined(v.courseFilter);
  const determinedOn = textOrUndefined(v.determinedOn);
  const description = textOrUndefined(v.description);
  return {
    country: v.country,
    kind: v.kind,
    scope: v.scope,
    from: v.from,
    basis: v.basis,
    authority: v.authority,
    seatPolicy: v.seatPolicy,
    ...(until === undefined ? {} : { until }),
    ...(source === undefined ? {} : { source }),
    ...(courseFilter === undefined ? {} : { courseFilter }),
    ...(determinedOn === undefined ? {} : { determinedOn }),
    ...(description === undefined ? {} : { description }),
  };
}

export default function NewRestrictionPage() {
  const { can } = useSession();
  if (!can('restrictions.write'))
    return (
      <Page title="Record a restriction">
        <NotAllowed />
      </Page>
    );
  return <RecordRestriction />;
}

function RecordRestriction() {
  const { api, user } = useSession();
  const [params, setParams] = useSearchParams();
  const country = (params.get('country') ?? '').toUpperCase();
  const countries = useApiQuery(['countries'], (signal) => fetchCountries(api, signal));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string>();
  const {
    register,
    handleSubmit,
    control,
    setError,
    clearErrors,
    formState: { errors },
  } = useForm<Values>({
    defaultValues: {
      country,
      kind: 'policy',
      scope: [],
      from: '',
      until: '',
      basis: '',
      authority: '',
      source: '',
      seatPolicy: 'cancel',
      courseFilter: '',
      determinedOn: '',
      description: '',
    },
  });
  const values = useWatch({ control }) as Values;
  const body = bodyOf(values);

  // The seats the last preview reached: a save reaching many runs in the background, its progress shown.
  const previewed = useRef(0);
  const [savingNote, setSavingNote] = useState<string>();
  const write = usePreviewedWrite({
    write: (b: RestrictionBody, dryRun) => {
      setSavingNote(undefined);
      const background =
        !dryRun && previewed.current >= BACKGROUND_SEATS ? { progress: setSavingNote } : undefined;
      return recordRestriction(api, b, dryRun, background);
    },
    onRefused: (error) => setProblem(placeRefusal(error, INPUTS, setError)),
    onSaved: (answer, b) => {
      void queryClient.invalidateQueries({ queryKey: keys.timeline(b.country.toUpperCase()) });
      const state: WrittenState = { action: 'recorded', impact: answer.impact };
      void navigate(`/decisions/restrictions/${answer.id}`, { state });
    },
    // The same restriction, recorded by this user: the save before the failure reached the server.
    wasWritten: async (b) => {
      const timeline = await fetchTimeline(api, b.country);
      if (!timeline.ok) throw new Error('the record could not be read');
      const found = timeline.value.restrictions.find(
        (r) =>
          r.kind === b.kind &&
          r.from === b.from &&
          r.basis === b.basis.trim() &&
          r.recordedBy === user.actor,
      );
      if (found === undefined) return false;
      void queryClient.invalidateQueries({ queryKey: keys.timeline(found.country) });
      const state: WrittenState = { action: 'found' };
      void navigate(`/decisions/restrictions/${found.id}`, { state });
      return true;
    },
  });

  previewed.current = write.preview?.answer.impact.seats ?? 0;

  const preview = handleSubmit(async (v) => {
    clearErrors();
    setProblem(undefined);
    if (v.country !== country) setParams({ country: v.country }, { replace: true });
    await write.runPreview(bodyOf(v));
  });

  return (
    <Page title="Record a restriction">
      <p className="decisions-lead">
        Record a suspension or other restriction of a country&rsquo;s programs. Preview first: the
        page shows which seats it cancels or holds, the students on them and the money it releases,
        before anything is recorded.{' '}
        <Link to={country === '' ? '/decisions' : `/decisions?country=${country}`}>
          Back to the decisions
        </Link>
      </p>
      <QueryView query={countries} what="the countries">
        {(list) => (
          <form className="decisions-form" onSubmit={(e) => void preview(e)} noValidate>
            <FormProblem message={problem} />
            <Field
              label="Country"
              hint="The country the restriction applies to."
              error={errors.country?.message}
            >
              <select {...register('country')}>
                <option value="">— choose a country —</option>
                {list.items.map((c) => (
                  <option key={c.iso3} value={c.iso3}>
                    {c.name} ({c.iso3})
                  </option>
                ))}
              </select>
            </Field>
            <RestrictionFields register={register} errors={errors} />
            <WriteControls
              write={write}
              body={body}
              impactOf={(answer) => answer.impact}
              saveLabel="Save the restriction"
              what="the restriction"
            />
            {write.state.stage === 'saving' && savingNote !== undefined ? (
              <p className="status" role="status" aria-live="polite">
                Saving in the background ({previewed.current.toLocaleString('en-US')} seats):{' '}
                {savingNote}
              </p>
            ) : null}
          </form>
        )}
      </QueryView>
    </Page>
  );
}
