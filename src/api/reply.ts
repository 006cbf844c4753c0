// Sends a service result: the value, or its error as problem JSON with the right status.
import type { FastifyReply } from 'fastify';
import type { Result } from '../core/result.js';
import { problemOf } from './problem.js';

export function sendResult<T>(reply: FastifyReply, result: Result<T>): T | FastifyReply {
  if (result.ok) return result.value;
  const problem = problemOf(result.error, reply.request.url);
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** sendResult for a handler that answers without a promise: the value, else nothing (the problem is sent). */
export function answer<T>(reply: FastifyReply, result: Result<T>): T | undefined {
  if (result.ok) return result.value;
  sendResult(reply, result);
  return undefined;
}
