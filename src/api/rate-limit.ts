// Rate limits at the door of /api/v1 (decision 019): each address before anyone is signed in (so a
// flood of bad tokens costs no database read), each caller after; a route that takes a batch
// spends more once its body is read. Past a limit: 429 RATE.LIMITED with Retry-After.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimiter, RateLimits } from '../services/access/rate-limit.service.js';
import { problemOf } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answered past any rate limit (health: load balancers and monitors ask it all the time). */
    unlimited?: boolean;
    /** Units this request spends beyond its first, from its parsed body (a batch's size). */
    rateCost?: (body: unknown) => number;
  }
}

type Who = 'address' | 'caller';

function limited(
  request: FastifyRequest,
  reply: FastifyReply,
  who: Who,
  limit: number,
  retryAfterSeconds: number,
): FastifyReply {
  const whom =
    who === 'address'
      ? `the address ${request.ip}`
      : request.actor?.id.includes('/token:') === true
        ? 'this API token'
        : 'this account';
  const problem = problemOf(
    {
      code: 'TOO_MANY',
      reason: 'RATE.LIMITED',
      message: `${whom} may spend ${limit} units a minute (a request is 1, a batch of questions 1 more per 100): try again in ${retryAfterSeconds} s`,
      details: { retryAfterSeconds, limit },
    },
    request.url,
  );
  return reply
    .code(429)
    .header('retry-after', String(retryAfterSeconds))
    .type('application/problem+json')
    .send(problem);
}

const addressKey = (ip: string) => `address:${ip}`;
const callerKey = (id: string) => `caller:${id}`;

/**
 * The units of one request answered at the front door (decision 022): when both its address and
 * its caller have one left, both are spent, as the two hooks would spend them; when either has
 * not, nothing is spent and the request goes on to the hooks, which refuse it as they always do.
 */
export function spendAtDoor(
  limiter: RateLimiter,
  limits: RateLimits,
  ip: string,
  /** Undefined: a public route's answer, which no caller is charged for. */
  callerId: string | undefined,
): boolean {
  const keys: [string, number][] = [[addressKey(ip), limits.perAddress]];
  if (callerId !== undefined) keys.push([callerKey(callerId), limits.perCaller]);
  const counted = keys.filter(([, limit]) => Number.isFinite(limit));
  if (!counted.every(([key, limit]) => limiter.allows(key, limit))) return false;
  for (const [key, limit] of counted) limiter.take(key, limit);
  return true;
}

function spend(
  limiter: RateLimiter,
  limits: RateLimits,
  request: FastifyRequest,
  reply: FastifyReply,
  who: readonly Who[],
  cost: number,
): FastifyReply | undefined {
  for (const scope of who) {
    const limit = scope === 'address' ? limits.perAddress : limits.perCaller;
    if (!Number.isFinite(limit)) continue;
    const key = scope === 'address' ? addressKey(request.ip) : callerKey(request.actor?.id ?? '');
    const verdict = limiter.take(key, limit, cost);
    if (!verdict.allowed) return limited(request, reply, scope, limit, verdict.retryAfterSeconds);
  }
  return undefined;
}

/** The address limit: added to the /api/v1 scope before the access hook. */
export function limitAddresses(
  api: FastifyInstance,
  limiter: RateLimiter,
  limits: RateLimits,
): void {
  api.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config.unlimited === true) return done();
    if (spend(limiter, limits, request, reply, ['address'], 1) === undefined) done();
  });
}

/**
 * The caller limit (after the access hook has named the caller), and the extra units of a batch
 * once its body is parsed and before it is validated: to both the caller and the address.
 */
export function limitCallers(api: FastifyInstance, limiter: RateLimiter, limits: RateLimits): void {
  api.addHook('onRequest', (request, reply, done) => {
    if (request.actor === null || request.routeOptions.config.unlimited === true) return done();
    if (spend(limiter, limits, request, reply, ['caller'], 1) === undefined) done();
  });
  api.addHook('preValidation', (request, reply, done) => {
    const cost = request.routeOptions.config.rateCost?.(request.body) ?? 0;
    if (cost <= 0) return done();
    const who: Who[] = request.actor === null ? ['address'] : ['address', 'caller'];
    if (spend(limiter, limits, request, reply, who, cost) === undefined) done();
  });
}
