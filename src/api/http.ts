// The one helper module of the routes: who a request acts for, the one If-Match format, and a
// write answered as its result (the status and headers on success, problem JSON on refusal).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rolesWith, type Capability } from '../core/access.js';
import type { Actor } from '../core/actor.js';
import { z } from 'zod';
import { err, invalid, ok, type Result } from '../core/result.js';
import { sendResult } from './reply.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who signed in (session or token); null only on the public routes. */
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** `public`: answered without a session or token (health, sign-in, the OpenAPI document). */
    access?: 'public';
  }
}

/** The signed-in actor; the access hook has answered 401 before any other route runs without one. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.actor === null)
    throw new Error(`${request.method} ${request.url}: no actor on a route that needs one`);
  return request.actor;
}

/**
 * The version an `If-Match` header names: `"3"` (the ETag read) or `3`. A weak ETag (`W/"3"`) or
 * `*` names no version (RFC 9110 compares If-Match strongly). Undefined when absent and not
 * `required`; `hint` tells a caller who left it out, or sent no version, what to send.
 */
export function ifMatch(
  request: FastifyRequest,
  required: { readonly reason: string; readonly hint: string } | null = null,
): Result<number | undefined> {
  const header = (request.headers as Record<string, string | string[] | undefined>)['if-match'];
  const value: string = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  if (value === '' && required === null) return ok(undefined);
  const match = /^(?:"([1-9]\d{0,8})"|([1-9]\d{0,8}))$/.exec(value);
  const version = match?.[1] ?? match?.[2];
  if (version !== undefined) return ok(Number(version));
  return err(
    required === null
      ? invalid(
          'If-Match',
          `a version the record was read at, e.g. "3" (got ${value.slice(0, 40)})`,
        )
      : invalid('If-Match', required.hint, required.reason),
  );
}

/** Runs a write as the request's actor: `status` (201 unless told) and `headers`, or the refusal. */
export async function written<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  write: (actor: Actor) => Promise<Result<T>>,
  {
    status = 201,
    headers,
  }: { status?: number; headers?: (value: T) => Record<string, string> } = {},
): Promise<T | FastifyReply> {
  const result = await write(actorOf(request));
  if (result.ok) reply.code(status).headers(headers?.(result.value) ?? {});
  return sendResult(reply, result);
}

/**
 * The If-Match header of a versioned write, as documented. A `required` one is documented required
 * but checked by `ifMatch(request, required)`, not by the schema: its refusal names the header and
 * the stable reason the route gives for a missing version (e.g. COURSE.VERSION_REQUIRED).
 */
export function ifMatchHeader(description: string, required = false) {
  const headers = z.object({
    'if-match': z.string().optional().meta({ description, example: '"1"' }),
  });
  return required ? headers.meta({ required: ['if-match'] }) : headers;
}

/** The roles that may make a write needing `capability`, for an operation's description. */
export function writers(capability: Capability): string {
  const roles = rolesWith(capability);
  return roles.length < 2 ? roles.join('') : `${roles.slice(0, -1).join(', ')} or ${roles.at(-1)}`;
}

/**
 * Text documented as one of `values` but not checked by the schema: an answer's field the database
 * holds to them (a check constraint, or the one write that sets it) though its row type is plain
 * text, or an input the service checks itself (ignoring case) and refuses naming the field.
 */
export function constrainedText(values: readonly string[], description?: string) {
  return z
    .string()
    .meta({ enum: [...values], ...(description === undefined ? {} : { description }) });
}
