// Who a write request acts for. Until sign-in exists, the caller names itself in `X-Actor`
// (e.g. `user:alice`); every write is attributed to it in the audit log.
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../core/actor.js';
import { err, invalid, ok, type Result } from '../core/result.js';

const ACTOR = /^[a-z][a-z0-9-]*:[A-Za-z0-9._@-]{1,64}$/;

export function actorOf(request: FastifyRequest): Result<Actor> {
  const header = request.headers['x-actor'];
  const id = Array.isArray(header) ? header[0] : header;
  if (id === undefined || !ACTOR.test(id)) {
    return err(
      invalid('X-Actor', 'writes name who acts in the X-Actor header, e.g. X-Actor: user:alice'),
    );
  }
  return ok({ id, role: 'program-manager' });
}
