// The front door (decision 022): a kept answer (decision 019) asked again with an API token this
// process remembers is answered from the HTTP server's request event, before Fastify's request
// cycle (routing, hooks, reply objects), which costs more than the answer itself. It does what
// that cycle does for such a request: the Host checked, the token's caller named, the
// answer found in memory and still current, the address's and the caller's rate units spent, the
// same headers and bytes sent with a request id of its own, the request counted and timed under
// its route, and the same two log lines. The headers are a copy of those Fastify sent when it gave
// the same answer from memory before. Whatever the door cannot answer exactly so goes on to Fastify
// untouched: another method, a body, a cookie or an unknown token, an Origin (CORS), a header the
// routes check, an answer not kept, one that audited a read or that Fastify has not answered from
// memory yet, a rate limit that would refuse, a server closing.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyBaseLogger } from 'fastify';
import type { RateLimiter, RateLimits } from '../services/access/rate-limit.service.js';
import type { AppContext } from '../services/context.js';
import type { HttpPolicy } from '../services/config.js';
import { rememberedBearer } from './access.js';
import { bodyAnnounced, hostAllowedBy } from './hardening.js';
import type { RequestMetrics } from './metrics.js';
import { spendAtDoor } from './rate-limit.js';
import { keptKey, type DoorCopy, type ReadCache } from './read-cache.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A request's id: its X-Request-Id when that is 1–128 letters, digits, `.`, `_`, `:` or `-`, else a new UUID. */
export function requestId(request: {
  headers: Record<string, string | string[] | undefined>;
}): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Whether the proxy at `address`, `hop` hops from this server, is trusted to name the client. */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * The policy's trusted proxies as one function (a hop count, the proxies' addresses, or none):
 * given to Fastify as its trustProxy, and used by the front door, so both name the same client.
 */
export function trustProxyOf(trust: HttpPolicy['trustProxy']): TrustProxy | false {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyAddr.compile([...trust]);
}

/**
 * Headers that send a request on to Fastify: a body's, CORS's, and those a route reads and the
 * hooks check (the read cache's own hits run before that check, as the door does, but a request
 * that names them is rare enough to go the long way).
 */
const PASSED_ON = ['origin', 'cookie', 'x-actor', 'if-match', 'if-none-match', 'if-modified-since'];
/** The longest Accept header the door answers (the hooks answer 400 past 8,192 characters). */
const MAX_ACCEPT = 1_024;

export interface FrontDoorParts {
  readonly ctx: AppContext;
  readonly policy: HttpPolicy;
  readonly trustProxy: TrustProxy | false;
  readonly limiter: RateLimiter | undefined;
  readonly limits: RateLimits | null;
  readonly readCache: ReadCache;
  readonly metrics: RequestMetrics;
  readonly log: FastifyBaseLogger;
  /** True once the server has begun to close (Fastify then answers 503). */
  readonly closing: () => boolean;
}

/** Answers a request at the front door; `onward` hands it to Fastify, untouched (decision 022). */
export type Door = (request: IncomingMessage, response: ServerResponse, onward: () => void) => void;

/** The front door of `parts`' server: answers what it can answer exactly as Fastify would. */
export function frontDoor(parts: FrontDoorParts): Door {
  const { ctx, readCache, metrics, log, trustProxy } = parts;
  const hostAllowed = hostAllowedBy(parts.policy);
  const limited = parts.limiter !== undefined && parts.limits !== null;
  /** Sends `copy` if the address and the caller have a unit left; false: nothing sent or spent. */
  const send = (
    request: IncomingMessage,
    response: ServerResponse,
    copy: DoorCopy,
    callerId: string | undefined,
    ip: string,
    started: number,
  ): boolean => {
    if (limited && !copy.unlimited && !spendAtDoor(parts.limiter, parts.limits, ip, callerId))
      return false;
    const id = requestId(request);
    // As Fastify logs each request: a child logger named by the request id, two lines at info.
    const requestLog = logsAtInfo(log) ? log.child({ reqId: id }) : undefined;
    requestLog?.info({ req: loggedRequest(request, ip, trustProxy) }, 'incoming request');
    // The request has no body (the door answers none that announces one): Node drains its end once
    // the answer has gone, as it does for Fastify's answers.
    response.writeHead(200, [...copy.headers, 'x-request-id', id]);
    response.end(copy.body);
    const elapsed = performance.now() - started;
    metrics.answered('GET', copy.route, 200, elapsed / 1000);
    requestLog?.info({ res: { statusCode: 200 }, responseTime: elapsed }, 'request completed');
    return true;
  };
  /**
   * Answers `request` if it can: true when it has; false when Fastify is to answer it. The door's
   * work runs before Fastify's error handling: a failure of its own is logged and the request
   * handed on, if nothing was sent yet.
   */
  const answer = (request: IncomingMessage, response: ServerResponse, started: number): boolean => {
    const { headers } = request;
    if (request.method !== 'GET' || parts.closing() || bodyAnnounced(request)) return false;
    if (!hostAllowed(headers.host)) return false;
    for (const name of PASSED_ON) if (headers[name] !== undefined) return false;
    const accept = headers.accept;
    if (accept !== undefined && accept.length > MAX_ACCEPT) return false;
    const ip = clientAddress(request, trustProxy);
    if (ip === undefined) return false;
    const url = request.url ?? '';
    // The answers of the token's caller; then a public route's, answered to anyone (its answer is
    // kept under no caller, and no caller is charged for it: the token is not even looked at).
    const actor = rememberedBearer(ctx, headers.authorization);
    for (const callerId of actor ? [actor.id, undefined] : [undefined]) {
      const key = keptKey(ctx, callerId ?? '', accept, url);
      const copy = readCache.doorCopy(key);
      if (copy !== undefined) {
        if (!send(request, response, copy, callerId, ip, started)) return false;
        readCache.answeredAtDoor(key);
        return true;
      }
    }
    return false;
  };
  /** Runs the door's `work`; hands the request on when it says so, or fails before sending. */
  const guarded = (response: ServerResponse, onward: () => void, work: () => boolean) => {
    let answered: boolean;
    try {
      answered = work();
    } catch (error) {
      log.error({ err: error }, 'the front door failed: the request goes on to the framework');
      answered = response.headersSent;
      // Begun and not finished: the client is told by the connection's end, not left waiting.
      if (answered) response.destroy();
    }
    if (!answered) onward();
  };
  return (request, response, onward) => {
    const started = performance.now();
    guarded(response, onward, () => answer(request, response, started));
  };
}

/** Whether `log` writes info lines (Fastify's logger when off has no levels: it writes nothing). */
function logsAtInfo(log: FastifyBaseLogger): boolean {
  const { isLevelEnabled } = log as { isLevelEnabled?: (level: string) => boolean };
  return typeof isLevelEnabled === 'function' && isLevelEnabled.call(log, 'info');
}

/** The client's address as Fastify names it (request.ip): the socket's, or the trusted proxies'. */
function clientAddress(request: IncomingMessage, trust: TrustProxy | false): string | undefined {
  if (trust === false) return request.socket.remoteAddress;
  return proxyAddr.all(request, trust).at(-1);
}

/** What Fastify's request serializer reads from a request, for the `incoming request` line. */
function loggedRequest(request: IncomingMessage, ip: string, trust: TrustProxy | false) {
  const { headers, socket } = request;
  const forwarded = headers['x-forwarded-host'];
  const host =
    trust !== false &&
    typeof forwarded === 'string' &&
    socket.remoteAddress !== undefined &&
    trust(socket.remoteAddress, 0)
      ? (forwarded.split(',').at(-1) ?? '').trim()
      : (headers.host ?? '');
  return { method: 'GET', url: request.url, headers, host, ip, socket };
}

/**
 * Puts the front door before Fastify's handler on `server` (the one Fastify made: its timeouts
 * and bindings stay as they are).
 */
export function openFrontDoor(server: Server, door: Door): void {
  const handlers = server.listeners('request') as ((
    request: IncomingMessage,
    response: ServerResponse,
  ) => void)[];
  if (handlers.length !== 1) throw new Error(`the server has ${handlers.length} request handlers`);
  const fastify = handlers[0]!;
  server.removeListener('request', fastify);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    door(request, response, () => fastify.call(server, request, response));
  });
}
