// Request schemas of the values people type, one per kind (calendar date, instant, page size,
// offset): each checks with the same parser as the services and the CLI, so every edge agrees.
import { z } from 'zod';
import type { Result } from '../core/result.js';
import {
  FISCAL_YEAR_RANGE,
  DATE_RANGE,
  parseDateField,
  parseInstantField,
  parseWholeNumberField,
  type WholeNumberBounds,
} from '../services/field-input.js';

/** A Zod check from a field parser; the error mapper prefixes the field's name. */
function checkedBy(parse: (text: string) => Result<unknown>) {
  return (text: string, ctx: z.RefinementCtx) => {
    const result = parse(text);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.error.message });
  };
}

/** A calendar date `YYYY-MM-DD`, a real day, in 1950–2100. */
export const IsoDateInput = z
  .string()
  .superRefine(checkedBy((text) => parseDateField('', text)))
  .meta({
    format: 'date',
    description: `a calendar date YYYY-MM-DD, ${DATE_RANGE.text}`,
    example: '2020-01-04',
  });

/** An ISO 8601 instant with a real date and time (30 February is refused, not rolled over). */
export const InstantInput = z
  .string()
  .superRefine(checkedBy((text) => parseInstantField('', text)))
  .meta({
    description: 'an ISO 8601 instant with an offset (or a bare date: its start in UTC)',
    example: '2020-01-02T12:00:00Z',
  });

/** A whole number typed as text (a query or path parameter), within its bounds (from 1 unless told). */
export function wholeNumberInput(bounds: WholeNumberBounds = {}) {
  return z
    .string()
    .superRefine(checkedBy((text) => parseWholeNumberField('', text, bounds)))
    .transform(Number);
}

export const MAX_PAGE = 10_000;

/** `limit`: a page size, a whole number from 1 to 10,000. */
export const LimitInput = wholeNumberInput({ min: 1, max: MAX_PAGE }).meta({
  description: `page size, 1–${MAX_PAGE}`,
  example: '100',
});

/** `offset`: rows to skip, a whole number from 0. */
export const OffsetInput = wholeNumberInput({ min: 0 }).meta({
  description: 'rows to skip',
  example: '0',
});

/** A US federal fiscal year, 1950–2100, as the services check it. */
export const FiscalYearInput = wholeNumberInput({
  min: FISCAL_YEAR_RANGE.first,
  max: FISCAL_YEAR_RANGE.last,
}).meta({
  description: 'US federal fiscal year, 1950–2100',
  example: '2018',
});
