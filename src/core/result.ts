// Expected outcomes as typed results with stable codes; bugs and infrastructure failures throw instead.

/** Stable error codes; each edge (API, CLI, web) maps every one of them. */
export type ErrorCode =
  | 'INPUT.INVALID'
  | 'UNAUTHENTICATED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'RULE.REFUSED'
  | 'TOO_MANY'
  /** A service Attaché depends on (an identity provider) cannot answer now. */
  | 'UNAVAILABLE';

/** An expected failure: a stable code, the field or rule it concerns, and a sentence for people. */
export interface DomainError {
  readonly code: ErrorCode;
  /** A more specific stable code, e.g. `RESTRICTION.OVERLAP`. */
  readonly reason: string;
  readonly message: string;
  /** The input field at fault, when one is. */
  readonly field?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Result<T, E = DomainError> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err<E = DomainError>(error: E): Result<never, E> {
  return { ok: false, error };
}

/** A refusal of bad input naming its field. */
export function invalid(field: string, message: string, reason = 'INPUT.INVALID'): DomainError {
  return { code: 'INPUT.INVALID', reason, field, message };
}

/** A rule that refuses the write, naming the field or rule at fault. */
export function refused(reason: string, field: string, message: string): DomainError {
  return { code: 'RULE.REFUSED', reason, field, message };
}

/** A record that does not exist (or that the actor may not see). */
export function notFound(entity: string, id: string, field?: string): DomainError {
  return {
    code: 'NOT_FOUND',
    reason: `${entity.toUpperCase()}.NOT_FOUND`,
    message: `${entity} ${id} not found`,
    ...(field === undefined ? {} : { field }),
    details: { entity, id },
  };
}
