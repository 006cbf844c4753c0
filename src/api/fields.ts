// Response fields of the kinds every schema uses, with the format a client generator reads:
// calendar dates, instants, whole cents (which pass 2^31: int64), values from a fixed list.
import { z } from 'zod';

/** A calendar date `YYYY-MM-DD` (dates in the domain carry no time and no zone). */
export function isoDate(description?: string) {
  return z.string().meta({
    format: 'date',
    ...(description === undefined ? {} : { description }),
    example: '2018-08-01',
  });
}

/** An instant in UTC with milliseconds, e.g. when a record was written. */
export function instant(description?: string) {
  return z.string().meta({
    format: 'date-time',
    ...(description === undefined ? {} : { description }),
    example: '2026-11-27T12:00:00.000Z',
  });
}

/** An amount in whole US cents: FMF allocations pass 2^31 cents, so 64 bits. */
export function cents(description?: string) {
  return z
    .number()
    .int()
    .meta({ format: 'int64', ...(description === undefined ? {} : { description }) });
}

/** A value from one of the domain's fixed lists (statuses, kinds, programs, roles). */
export function oneOfValues<const T extends readonly [string, ...string[]]>(
  values: T,
  description?: string,
) {
  return z.enum(values).meta(description === undefined ? {} : { description });
}
