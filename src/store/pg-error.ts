// The PostgreSQL error under a driver's or an ORM's wrapping (Drizzle wraps the driver's error as
// its cause), found by its SQLSTATE.

/** The server's error, if `error` is one or wraps one: its SQLSTATE, message and constraint. */
export function findPgError(
  error: unknown,
): { code: string; constraint?: string; message: string } | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      const constraint = (e as { constraint?: unknown }).constraint;
      return {
        code,
        message: e.message,
        ...(typeof constraint === 'string' ? { constraint } : {}),
      };
    }
  }
  return undefined;
}
