// The API's one error mapper: domain errors and validation failures as RFC 9457 problem JSON.
import type { DomainError, ErrorCode } from '../core/result.js';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code: string;
  readonly field?: string;
  readonly [extension: string]: unknown;
}

const STATUS: Readonly<Record<ErrorCode, { status: number; title: string }>> = {
  'INPUT.INVALID': { status: 400, title: 'Invalid input' },
  UNAUTHENTICATED: { status: 401, title: 'Not signed in' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  CONFLICT: { status: 409, title: 'Conflict' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  'RULE.REFUSED': { status: 422, title: 'Refused by a rule' },
  TOO_MANY: { status: 429, title: 'Too many requests' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
};

export function problemType(reason: string): string {
  return `/problems/${reason.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
}

export function problemOf(error: DomainError, instance?: string): Problem {
  const { status, title } = STATUS[error.code];
  return {
    type: problemType(error.reason),
    title,
    status,
    detail: error.message,
    code: error.reason,
    ...(instance === undefined ? {} : { instance }),
    ...(error.field === undefined ? {} : { field: error.field }),
    ...(error.details === undefined ? {} : { details: error.details }),
  };
}
