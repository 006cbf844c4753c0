// A refusal as the decisions forms show it: beside its field, or above the form in words.
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import type { ApiError } from '../../api/query.js';
import { placeProblem, sentence } from './words.js';

/** The sentence above a form for a refusal it cannot place beside a field. */
export function refusalSentence(error: ApiError): string {
  if (error.code === 'ACCESS.CSRF')
    return 'This page cannot make changes for your session: sign out and sign in again, then retry.';
  if (error.status === 403)
    return 'You may not record decisions: recording restrictions and reliefs is for program managers and administrators.';
  if (error.status === 404) return `Not found: ${error.message}`;
  return sentence(error.message);
}

/**
 * Shows a refusal beside the input it names (setError) and answers undefined, or answers the
 * sentence to show above the form.
 */
export function placeRefusal<V extends FieldValues>(
  error: ApiError,
  inputs: readonly Path<V>[],
  setError: UseFormSetError<V>,
  aliases: Readonly<Record<string, Path<V>>> = {},
): string | undefined {
  const field = placeProblem(error.field, inputs, aliases);
  if (field === undefined || (error.status ?? 0) >= 500) return refusalSentence(error);
  setError(field, { type: 'server', message: sentence(error.message) }, { shouldFocus: true });
  return undefined;
}
