// The country list as the API document describes it: the types are generated, never written here.
import type { MethodResponse } from 'openapi-fetch';
import { load, type Api, type ApiHttp, type LoadResult } from './client.js';

export type CountryList = MethodResponse<ApiHttp, 'get', '/api/v1/countries'>;
export type CountrySummary = CountryList['items'][number];

/** GET /api/v1/countries. Rejects only when aborted (an AbortError), never for an HTTP or network failure. */
export async function fetchCountries(
  api: Api,
  signal: AbortSignal,
): Promise<LoadResult<CountryList>> {
  return load(api.http.GET('/api/v1/countries', { signal }), signal);
}
