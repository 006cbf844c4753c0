// The decisions pages' requests and types: restrictions and reliefs as the API document describes
// them (generated types, never written here), each write with its dry run.
import type { MethodResponse } from 'openapi-fetch';
import { load, type Api, type ApiHttp, type LoadResult } from '../../api/client.js';
import type { components, operations } from '../../api/schema.js';
import type { Job } from '../../ui/JobProgress.js';

export type Restriction = components['schemas']['Restriction'];
export type Relief = components['schemas']['Relief'];
export type Impact = components['schemas']['Impact'];
export type RestrictionWithImpact = components['schemas']['RestrictionWithImpact'];
export type ReliefRecorded = components['schemas']['ReliefRecorded'];
export type ReliefWithImpact = components['schemas']['ReliefWithImpact'];
export type RecordedImpact = MethodResponse<ApiHttp, 'get', '/api/v1/restrictions/{id}/impact'>;
export type RestrictionRecord = MethodResponse<ApiHttp, 'get', '/api/v1/restrictions/{id}'>;
export type Timeline = MethodResponse<ApiHttp, 'get', '/api/v1/countries/{iso3}/timeline'>;
export type Seat = RecordedImpact['seatList'][number];

type Body<K extends keyof operations> = operations[K] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;
export type RestrictionBody = Body<'recordRestriction'>;
export type CorrectionBody = Body<'correctRestriction'>;
export type EndBody = Body<'endRestriction'>;
export type ReliefBody = Body<'recordRelief'>;

export type RestrictionKind = Restriction['kind'];
export type ScopeTerm = RestrictionBody['scope'][number];
export type SeatPolicy = Restriction['seatPolicy'];
export type ReliefType = Relief['type'];
export type WaiverGrounds = NonNullable<Relief['grounds']>;

const dry = (dryRun: boolean) => ({ dryRun: dryRun ? ('true' as const) : ('false' as const) });
/** The version read, as If-Match sends it: the ETag of GET /restrictions/{id}. */
const ifMatch = (version: number) => ({ 'if-match': `"${String(version)}"` });

/** A cascade over at least this many seats is saved in the background, its progress shown. */
export const BACKGROUND_SEATS = 500;
/** How often a restriction saved in the background is asked after. */
const JOB_POLL_MS = 300;

/**
 * Records a restriction (or, `dryRun`, says what it would do). `background`: as a job the server
 * runs (`Prefer: respond-async`), asked after until it ends, `progress` told its note meanwhile;
 * its answer is the job's summary, its refusal the job's problem, as the route would answer them.
 */
export async function recordRestriction(
  api: Api,
  body: RestrictionBody,
  dryRun: boolean,
  background?: { readonly progress: (note: string) => void },
): Promise<LoadResult<RestrictionWithImpact>> {
  const asked = await load(
    api.http.POST('/api/v1/restrictions', {
      params: {
        query: dry(dryRun),
        ...(background === undefined || dryRun ? {} : { header: { prefer: 'respond-async' } }),
      },
      body,
    }),
  );
  if (!asked.ok || 'impact' in asked.value) return asked as LoadResult<RestrictionWithImpact>;
  for (let job: Job = asked.value; ;) {
    if (job.status === 'succeeded')
      return { ok: true, value: job.outcome?.summary as RestrictionWithImpact };
    if (job.status === 'failed') {
      const problem = job.outcome?.problem;
      return {
        ok: false,
        error: {
          kind: 'http',
          status: problem?.status ?? 500,
          detail: problem?.detail,
          ...(problem === undefined ? {} : { code: problem.code }),
          ...(problem?.field === undefined ? {} : { field: problem.field }),
        },
      };
    }
    background?.progress(job.progress.note ?? 'waiting for the server');
    await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
    const next = await load(
      api.http.GET('/api/v1/jobs/{id}', { params: { path: { id: job.id } } }),
    );
    if (!next.ok) return next;
    job = next.value;
  }
}

export function correctRestriction(
  api: Api,
  id: string,
  version: number,
  body: CorrectionBody,
  dryRun: boolean,
): Promise<LoadResult<RestrictionWithImpact>> {
  return load(
    api.http.POST('/api/v1/restrictions/{id}/versions', {
      params: { path: { id }, query: dry(dryRun), header: ifMatch(version) },
      body,
    }),
  );
}

export function endRestriction(
  api: Api,
  id: string,
  version: number,
  body: EndBody,
  dryRun: boolean,
): Promise<LoadResult<RestrictionWithImpact>> {
  return load(
    api.http.POST('/api/v1/restrictions/{id}/end', {
      params: { path: { id }, query: dry(dryRun), header: ifMatch(version) },
      body,
    }),
  );
}

export function recordRelief(
  api: Api,
  restrictionId: string,
  body: ReliefBody,
  dryRun: boolean,
): Promise<LoadResult<ReliefRecorded>> {
  return load(
    api.http.POST('/api/v1/restrictions/{id}/reliefs', {
      params: { path: { id: restrictionId }, query: dry(dryRun) },
      body,
    }),
  );
}

export function endRelief(
  api: Api,
  reliefId: string,
  body: EndBody,
  dryRun: boolean,
): Promise<LoadResult<ReliefWithImpact>> {
  return load(
    api.http.POST('/api/v1/reliefs/{id}/end', {
      params: { path: { id: reliefId }, query: dry(dryRun) },
      body,
    }),
  );
}

export function fetchRestriction(
  api: Api,
  id: string,
  signal: AbortSignal,
): Promise<LoadResult<RestrictionRecord>> {
  return load(
    api.http.GET('/api/v1/restrictions/{id}', { params: { path: { id } }, signal }),
    signal,
  );
}

export function fetchImpact(
  api: Api,
  id: string,
  signal: AbortSignal,
): Promise<LoadResult<RecordedImpact>> {
  return load(
    api.http.GET('/api/v1/restrictions/{id}/impact', { params: { path: { id } }, signal }),
    signal,
  );
}

export function fetchTimeline(
  api: Api,
  iso3: string,
  signal?: AbortSignal,
): Promise<LoadResult<Timeline>> {
  return load(
    api.http.GET('/api/v1/countries/{iso3}/timeline', {
      params: { path: { iso3 } },
      ...(signal === undefined ? {} : { signal }),
    }),
    signal,
  );
}

export type CourseList = MethodResponse<ApiHttp, 'get', '/api/v1/courses'>;

/** Every course, retired ones included: a seat's course is named by its title. */
export function fetchCourses(api: Api, signal: AbortSignal): Promise<LoadResult<CourseList>> {
  return load(
    api.http.GET('/api/v1/courses', {
      params: { query: { includeRetired: 'true', limit: '10000' } },
      signal,
    }),
    signal,
  );
}

/** Query keys, so a write can invalidate what it changed. */
export const keys = {
  timeline: (iso3: string) => ['decisions', 'timeline', iso3] as const,
  restriction: (id: string) => ['decisions', 'restriction', id] as const,
  impact: (id: string) => ['decisions', 'impact', id] as const,
};
