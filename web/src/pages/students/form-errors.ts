// A refused write shown where it belongs: beside the field the API named, else above the buttons.
import { ApiError, describeFailure } from '../../api/query.js';

/**
 * Puts the API's message beside the field it names when the form has that field (bad input, or a
 * rule refusing that field's value) and returns undefined; else returns the sentence for the form.
 */
export function placeProblem<F extends string>(
  error: unknown,
  fields: readonly F[],
  setFieldError: (field: F, message: string) => void,
): string | undefined {
  if (error instanceof ApiError && (error.status === 400 || error.status === 422)) {
    const field = fields.find((f) => f === error.field);
    if (field !== undefined) {
      setFieldError(field, error.message);
      return undefined;
    }
  }
  return describeFailure(error);
}

/** An empty text box is no value. */
export function blankToNull(value: string | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
