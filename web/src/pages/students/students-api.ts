// What the students pages read and write, typed from the API document (never written by hand).
import type { MethodResponse } from 'openapi-fetch';
import type { ApiHttp } from '../../api/client.js';

export type StudentSearchResult = MethodResponse<ApiHttp, 'get', '/api/v1/students'>;
export type StudentHit = StudentSearchResult['items'][number];
export type StudentProfile = MethodResponse<ApiHttp, 'get', '/api/v1/students/{id}'>;
export type StudentSeat = StudentProfile['seats'][number];
export type Screening = StudentProfile['screenings'][number];
export type GateChecklist = MethodResponse<ApiHttp, 'get', '/api/v1/seats/{id}/gates'>;
export type GateResult = GateChecklist['gates'][number];
export type ScreeningKind = Screening['kind'];

/** The query keys of the pages: a write invalidates what it changed. */
export const keys = {
  search: (name: string, unit: string) => ['students', 'search', name, unit] as const,
  student: (id: string) => ['students', 'profile', id] as const,
  gates: (seatId: string) => ['students', 'gates', seatId] as const,
};

/** Where the PDF of a seat's travel order is read (the session cookie goes with a plain link). */
export function travelOrderPdfUrl(seatId: string): string {
  return `/api/v1/seats/${encodeURIComponent(seatId)}/travel-order?format=pdf`;
}
