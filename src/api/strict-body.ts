// Request bodies are closed: a field the route does not know is refused, at any depth, naming it.
// A misspelt `untill` must not quietly record an open-ended restriction, and a client must not set
// what the server decides (an id, a version, who recorded it: OWASP API3, mass assignment).
import { z } from 'zod';

/**
 * The schema a body is validated with: `schema` with every object in it closed, its own checks
 * (lengths, refinements) kept. Only validation uses it; the OpenAPI document is generated from the
 * route's own schema.
 */
export function strictBody(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape: Record<string, z.ZodType> = {};
    for (const [key, value] of Object.entries<z.ZodType>(schema.shape))
      shape[key] = strictBody(value);
    return schema.clone({ ...schema.def, shape, catchall: z.never() });
  }
  if (schema instanceof z.ZodArray)
    return schema.clone({ ...schema.def, element: strictBody(schema.element as z.ZodType) });
  if (schema instanceof z.ZodOptional)
    return schema.clone({ ...schema.def, innerType: strictBody(schema.unwrap() as z.ZodType) });
  if (schema instanceof z.ZodNullable)
    return schema.clone({ ...schema.def, innerType: strictBody(schema.unwrap() as z.ZodType) });
  // Text, numbers, dates, enums and their refinements are checked as written.
  return schema;
}
