// Answers kept in memory (decision 019): a GET of a route that reads only the record answers the
// same bytes to the same caller, for the same URL and media type, on the same day, until anything
// is written. A write of this process, a write heard from any server (every write appends to the
// audit log, whose trigger notifies), a change of access, or a loss of the listening connection
// forgets them all; while the connection is down nothing is kept. An answer that audited a read is
// not kept (the next caller is audited too), and an audited read forgets nothing (it changes no
// record). Routes opt in (`kept`): those whose answer moves without a write (jobs, imports under
// way, sessions, health) do not.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../services/context.js';
import { watchChanges, type Marks } from '../services/watch-changes.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET whose answer depends only on the record, the caller and the day: kept until a write. */
    kept?: boolean;
  }
  interface FastifyRequest {
    /**
     * Set when this request's answer may be kept: under which key, read as of which marks, and
     * how many reads this process had audited when it began.
     */
    keptAs?: { readonly key: string; readonly marks: Marks; readonly auditedReads: number };
  }
}

/** Bytes kept at most per server; the least recently used answers go first. */
const MAX_BYTES = 64 * 1024 * 1024;
/** An answer larger than this is not kept. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
/** The headers of an answer that belong to it (the rest each request's hooks set again). */
const KEPT_HEADERS = ['content-type', 'content-disposition', 'etag', 'location'] as const;

interface Kept {
  readonly marks: Marks;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
  readonly bytes: number;
}

/** A request waiting for the answer another is working out: given it, or undefined if it was not kept. */
type Waiter = (kept: Kept | undefined) => void;

/** Marks every GET route registered in `scope` as kept. */
export function keepAnswersOf(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.includes('GET')) route.config = { ...route.config, kept: true };
  });
}

export interface ReadCacheStats {
  hits: number;
  misses: number;
  bytes: number;
}

/**
 * Answers kept GETs from memory and keeps their answers: added to the /api/v1 scope after the
 * access hook and the rate limits (a kept answer is still signed in and counted).
 */
export function keepAnswers(api: FastifyInstance, ctx: AppContext): ReadCacheStats {
  const entries = new Map<string, Kept>();
  const stats: ReadCacheStats = { hits: 0, misses: 0, bytes: 0 };
  const watch = watchChanges(
    ctx.store,
    () => true,
    () => {
      entries.clear();
      stats.bytes = 0;
    },
  );

  // Answers being worked out, by key: a request for the same answer waits for it rather than
  // working it out again (fifty callers of a slow page cost one answer, not fifty).
  const inFlight = new Map<
    string,
    { readonly leader: FastifyRequest; readonly waiters: Waiter[] }
  >();
  const settle = (request: FastifyRequest, kept: Kept | undefined) => {
    const key = request.keptAs?.key;
    const flight = key === undefined ? undefined : inFlight.get(key);
    if (flight?.leader !== request) return;
    inFlight.delete(key!);
    for (const waiter of flight.waiters) waiter(kept);
  };

  api.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET' || request.routeOptions.config.kept !== true) return done();
    const marks = watch.marks();
    if (marks === undefined) return done();
    const key = keyOf(request, ctx);
    const kept = entries.get(key);
    if (kept !== undefined && watch.holds(kept.marks)) {
      stats.hits += 1;
      // Most recently used last: the first in the map are the first to go.
      entries.delete(key);
      entries.set(key, kept);
      void answerWith(reply, kept);
      return;
    }
    const flight = inFlight.get(key);
    if (flight !== undefined) {
      flight.waiters.push((answer) => {
        if (answer !== undefined && watch.holds(answer.marks)) {
          stats.hits += 1;
          void answerWith(reply, answer);
        } else {
          // Not kept (an error, too large, a write meanwhile): this request works it out itself.
          stats.misses += 1;
          done();
        }
      });
      return;
    }
    stats.misses += 1;
    // A caller gone before this hook ran: its response has closed already and will not say so
    // again, so it leads no one.
    if (reply.raw.closed || request.raw.destroyed) return done();
    request.keptAs = { key, marks, auditedReads: ctx.store.auditedReads.count };
    inFlight.set(key, { leader: request, waiters: [] });
    // Whatever becomes of the leader's answer (not kept, an error, its caller gone before it was
    // sent: then no hook runs), its waiters go on when its response closes.
    reply.raw.once('close', () => settle(request, undefined));
    done();
  });

  api.addHook('onSend', (request, reply, payload, done) => {
    const keptAs = request.keptAs;
    if (keptAs === undefined || reply.statusCode !== 200 || !watch.holds(keptAs.marks))
      return done(null, payload);
    // A read was audited while this answer was worked out, perhaps by it: kept, it would be answered
    // again without its audit entry. (Another request's audited read costs this one its keeping.)
    if (ctx.store.auditedReads.count !== keptAs.auditedReads) return done(null, payload);
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (bytes > MAX_ANSWER_BYTES) return done(null, payload);
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const previous = entries.get(keptAs.key);
    if (previous !== undefined) stats.bytes -= previous.bytes;
    const kept: Kept = { marks: keptAs.marks, headers, body: payload, bytes };
    entries.set(keptAs.key, kept);
    stats.bytes += bytes;
    settle(request, kept);
    for (const [key, old] of entries) {
      if (stats.bytes <= MAX_BYTES) break;
      entries.delete(key);
      stats.bytes -= old.bytes;
    }
    done(null, payload);
  });
  return stats;
}

function answerWith(reply: FastifyReply, kept: Kept): FastifyReply {
  return reply.code(200).headers(kept.headers).send(kept.body);
}

/** Who asks (an SCO sees less), the day (some answers count from today), the media type, the URL. */
function keyOf(request: FastifyRequest, ctx: AppContext): string {
  const accept = request.headers.accept ?? '';
  return `${request.actor?.id ?? ''}\n${ctx.clock().slice(0, 10)}\n${accept}\n${request.url}`;
}
