// Request bodies are closed: a field the route does not know is refused, at any depth, naming it.
// A misspelt `untill` must not quietly record an open-ended restriction, and a client must not set
// what the server decides (an id, a version, who recorded it: OWASP API3, mass assignment).
import { z } from 'zod';

/**
 * The schema a body is validated with and documented by: `schema` with every object in it closed
 * (`additionalProperties: false` in the document), its own checks (lengths, refinements) and
 * descriptions kept.
 */
export function strictBody(schema: z.ZodType): z.ZodType {
  const strict = closed(schema);
  if (strict === schema) return schema;
  // The document reads descriptions and examples from the registry, keyed by the schema itself.
  const meta = z.globalRegistry.get(schema);
  if (meta !== undefined) {
    // An id names one schema: the closed copy is described in place instead.
    const { id: _id, ...rest } = meta;
    strict.register(z.globalRegistry, rest);
  }
  return strict;
}

function closed(schema: z.ZodType): z.ZodType {
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
  // A union (a discriminated one too) is closed in each of its options.
  if (schema instanceof z.ZodUnion)
    return schema.clone({
      ...schema.def,
      options: (schema.options as z.ZodType[]).map((option) => strictBody(option)),
    });
  // Text, numbers, dates, enums and their refinements are checked as written.
  return schema;
}
