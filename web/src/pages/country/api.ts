// What the country page reads, typed from the API document (npm run api:types): never written here.
import type { MethodResponse } from 'openapi-fetch';
import type { ApiHttp } from '../../api/client.js';

export type CountryDetail = MethodResponse<ApiHttp, 'get', '/api/v1/countries/{iso3}'>;
export type RestrictionInForce = CountryDetail['restrictionsInForce'][number];
export type Timeline = MethodResponse<ApiHttp, 'get', '/api/v1/countries/{iso3}/timeline'>;
export type Decision = MethodResponse<ApiHttp, 'get', '/api/v1/eligibility'>;
export type DecisionRestriction = Decision['restrictions'][number];
export type Program = Decision['program'];
export type Allocations = MethodResponse<ApiHttp, 'get', '/api/v1/allocations'>;
export type AllocationYear = Allocations['fiscalYears'][number];
export type TrainingYears = MethodResponse<
  ApiHttp,
  'get',
  '/api/v1/countries/{iso3}/training-years'
>;
export type SeatList = MethodResponse<ApiHttp, 'get', '/api/v1/seats'>;
export type Seat = SeatList['items'][number];
export type ProgramCheck = MethodResponse<ApiHttp, 'get', '/api/v1/programs/{iso3}/{fy}/check'>;
export type CourseList = MethodResponse<ApiHttp, 'get', '/api/v1/courses'>;
export type Course = CourseList['items'][number];

/** The programs the API knows, with their names (a program the API adds fails the typecheck here). */
export const PROGRAM_NAMES: Readonly<Record<Program, string>> = {
  IMET: 'International Military Education and Training',
  FMF: 'Foreign Military Financing',
  PKO: 'Peacekeeping Operations',
  INCLE: 'International Narcotics Control and Law Enforcement',
  NADR: 'Nonproliferation, Anti-terrorism, Demining and Related',
  EDA: 'Excess Defense Articles',
  CTFP: 'Counterterrorism Fellowship Program',
  FMS: 'Foreign Military Sales',
  DCS: 'Direct Commercial Sales (export licences)',
  SEC333: 'Section 333 building partner capacity',
};

export const PROGRAMS = Object.keys(PROGRAM_NAMES) as Program[];

export function isProgram(value: string | null): value is Program {
  return value !== null && Object.hasOwn(PROGRAM_NAMES, value);
}
