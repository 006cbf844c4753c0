// Answers kept in memory (decision 019): a GET of a route that reads only the record answers the
// same bytes to the same caller, for the same URL and media type, on the same day, until anything
// is written. A write of this process, a write heard from any server (every write appends to the
// audit log, whose trigger notifies), a change of access, or a loss of the listening connection
// forgets them all; while the connection is down nothing is kept. An answer that audited a read is
// kept with the reads it audited, and every answer from memory appends them again for its caller,
// committed before it is sent: a profile asked a thousand times is on the chain a thousand times.
// An audited read forgets no answer of the record (it changes no record), only the answers kept
// with the audit log (`keptWith: 'audit-log'`: its pages and its summary), which count it. Jobs are
// kept too, until a job's row is written (`keptWith: 'jobs'`): they move off the one road. An
// answer that also rests on what is outside the database (the audit keys' files) names how to read
// that cheaply (`keptAlong`), and holds only while it reads the same. Health, which no write moves,
// is kept for a time (`keptFor`). Routes opt in (`kept`).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  auditReadsAgain,
  capturingReads,
  type RecordRead,
} from '../services/audit/audit-read.service.js';
import type { AppContext } from '../services/context.js';
import { JOBS_CHANGED, READS_APPENDED } from '../services/change-feed.js';
import { watchAge, watchChanges, type Marks, type Watch } from '../services/watch-changes.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A GET whose answer depends only on the record, the caller and the day: kept until a write. */
    kept?: boolean;
    /**
     * A kept GET whose answer also moves with what is not a write of the record: the audit log's
     * (kept until any entry is appended, an audited read's too), or jobs' (until a job's row is
     * written, a job's progress too).
     */
    keptWith?: 'audit-log' | 'jobs';
    /**
     * A kept GET whose answer also rests on what is outside the database (files a variable names):
     * read cheaply, what it rests on as of now. A kept answer holds only while this reads the same.
     */
    keptAlong?: () => string;
    /**
     * A kept GET whose answer no write moves, but time may (health: the database still answers):
     * kept this many milliseconds at most, and not forgotten by a write.
     */
    keptFor?: number;
  }
  interface FastifyRequest {
    /**
     * Set when this request's answer may be kept: under which key, read as of which marks (and what
     * outside the database it rests on), how many reads this process had audited when it began, and
     * the reads its own work audited.
     */
    keptAs?: {
      readonly key: string;
      readonly marks: Marks;
      /** What tells whether the marks still hold. */
      readonly watch: Watch;
      readonly along: Along | undefined;
      readonly auditedReads: number;
      readonly reads: RecordRead[];
      readonly flight: Flight;
    };
    /** Set when this request is answered with a kept answer the front door has no copy of yet. */
    keptHit?: { readonly key: string; readonly kept: Kept };
  }
}

/** Bytes kept at most per server; the least recently used answers go first. */
const MAX_BYTES = 64 * 1024 * 1024;
/** An answer larger than this is not kept. */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
/** The headers of an answer that belong to it (the rest each request's hooks set again). */
const KEPT_HEADERS = [
  'content-type',
  'content-disposition',
  'cache-control',
  'etag',
  'location',
] as const;

/** What an answer rests on outside the database (`keptAlong`): how to read it, and what it read. */
interface Along {
  readonly of: () => string;
  readonly value: string;
}

interface Kept {
  readonly marks: Marks;
  /** What tells whether the marks still hold: the record's writes, and what else (`keptWith`). */
  readonly watch: Watch;
  readonly along: Along | undefined;
  /** The reads working it out audited: appended again for each caller it is answered to. */
  readonly reads: readonly RecordRead[];
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
  readonly bytes: number;
  /** The answer as the front door sends it (decision 022): in the headers of its first hit through Fastify. */
  door?: DoorCopy;
}

/**
 * A kept answer as it was sent from memory through Fastify's request cycle: every header but the
 * request id (the hooks' security headers included), the body, and the route it answers (for the
 * metrics). The front door sends it again with a request id of its own.
 */
export interface DoorCopy {
  /** Names and values in turn (what `writeHead` takes fastest), with the body's length. */
  readonly headers: readonly string[];
  /** Encoded once: a string would be encoded again by every write. */
  readonly body: Buffer;
  /** The route's pattern (`/api/v1/countries/:iso3`). */
  readonly route: string;
  /** Answered past any rate limit (the route's `unlimited`). */
  readonly unlimited: boolean;
}

/** Headers a door copy leaves out: the request's own id, and what Node's server writes for any answer. */
const NOT_COPIED = new Set(['x-request-id', 'content-length', 'date', 'connection', 'keep-alive']);

/** A request waiting for the answer another is working out: given it, or undefined if it was not kept. */
type Waiter = (kept: Kept | undefined) => void;

/** An answer being worked out, and who waits for it. */
interface Flight {
  readonly key: string;
  readonly waiters: Waiter[];
  /** Its waiters have been given the answer, or sent on their own. */
  settled: boolean;
}

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
  /** Hits answered at the front door (decision 022), before Fastify's request cycle. */
  door: number;
  bytes: number;
}

/** The answers kept, as the front door reads them. */
export interface ReadCache {
  readonly stats: ReadCacheStats;
  /**
   * The copy the front door may send for `key` (who asks, the day, the media type, the URL): only
   * of an answer kept and still current, that audited no read, and that Fastify has answered from
   * memory once already; undefined otherwise (the request then goes through Fastify).
   */
  doorCopy(key: string): DoorCopy | undefined;
  /** The front door answered `key` with its copy: a hit, and the most recently used answer. */
  answeredAtDoor(key: string): void;
}

/**
 * Answers kept GETs from memory and keeps their answers: added to the /api/v1 scope after the
 * access hook and the rate limits (a kept answer is still signed in and counted).
 */
export function keepAnswers(api: FastifyInstance, ctx: AppContext): ReadCache {
  const entries = new Map<string, Kept>();
  const stats: ReadCacheStats = { hits: 0, misses: 0, door: 0, bytes: 0 };
  /** The keys kept (in `entries`) under each watch but the record's. */
  const keptUnder = new Map<Watch, Set<string>>();
  const keep = (key: string, kept: Kept) => {
    forget(key);
    entries.set(key, kept);
    keptUnder.get(kept.watch)?.add(key);
    stats.bytes += kept.bytes;
  };
  const forget = (key: string) => {
    const kept = entries.get(key);
    if (kept === undefined) return;
    entries.delete(key);
    keptUnder.get(kept.watch)?.delete(key);
    stats.bytes -= kept.bytes;
  };
  // An answer of the record holds until anything is written; an audited read appends an entry to
  // the audit log but changes no record (migrations 0019, 0024), and jobs are not the record.
  const records = watchChanges(
    ctx.store,
    (payload) => payload !== READS_APPENDED && payload !== JOBS_CHANGED,
    () => {
      entries.clear();
      for (const keys of keptUnder.values()) keys.clear();
      stats.bytes = 0;
    },
  );
  /** A watch of its own: `local` counts this process's own (once each is over). */
  const watchOwn = (
    concerns: (payload: string) => boolean,
    local: (store: AppContext['store']) => number,
  ) => {
    const keys = new Set<string>();
    const watch = watchChanges(
      ctx.store,
      concerns,
      () => {
        for (const key of keys) forget(key);
      },
      local,
    );
    keptUnder.set(watch, keys);
    return watch;
  };
  const watches = {
    // A page of the audit log holds until any entry is appended: a write's, or an audited read's
    // (this process's counted once committed, since a page read before may lack it).
    'audit-log': watchOwn(
      (payload) => payload !== JOBS_CHANGED,
      (store) => store.writes.count + store.readsAppended.count,
    ),
    // A job's answer holds until a job's row is written (migration 0025) or access changes (or,
    // simpler than telling them apart, anything is written).
    jobs: watchOwn(
      (payload) => payload !== READS_APPENDED,
      (store) => store.writes.count + store.jobWrites.count,
    ),
  };
  /** Watches of answers kept for a time (`keptFor`), by how long. */
  const aging = new Map<number, Watch>();
  const watchOf = (request: FastifyRequest) => {
    const { keptWith, keptFor } = request.routeOptions.config;
    if (keptFor !== undefined) {
      let watch = aging.get(keptFor);
      if (watch === undefined) aging.set(keptFor, (watch = watchAge(keptFor)));
      return watch;
    }
    return keptWith === undefined ? records : watches[keptWith];
  };
  /** Whether `kept` may be answered now (under `watch`, its route's): nothing it rests on has moved. */
  const current = (kept: Kept, watch: Watch = kept.watch) =>
    kept.watch === watch &&
    watch.holds(kept.marks) &&
    (kept.along === undefined || kept.along.of() === kept.along.value);

  // Answers being worked out, by key: a request for the same answer waits for it rather than
  // working it out again (fifty callers of a slow page cost one answer, not fifty).
  const inFlight = new Map<string, Flight>();
  const settle = (request: FastifyRequest, kept: Kept | undefined) => {
    const flight = request.keptAs?.flight;
    if (flight === undefined || flight.settled) return;
    flight.settled = true;
    if (inFlight.get(flight.key) === flight) inFlight.delete(flight.key);
    for (const waiter of flight.waiters) waiter(kept);
  };
  /** Leads the work of an answer others may wait for. */
  const lead = (
    request: FastifyRequest,
    reply: FastifyReply,
    key: string,
    marks: Marks,
    watch: Watch,
    done: () => void,
  ) => {
    // A caller gone before this hook ran: its response has closed already and will not say so
    // again, so it leads no one.
    if (reply.raw.closed || request.raw.destroyed) return done();
    const reads: RecordRead[] = [];
    const flight: Flight = { key, waiters: [], settled: false };
    // Read before the work, as the marks are: what moves meanwhile makes the answer not hold.
    const alongOf = request.routeOptions.config.keptAlong;
    request.keptAs = {
      key,
      marks,
      watch,
      along: alongOf === undefined ? undefined : { of: alongOf, value: alongOf() },
      auditedReads: ctx.store.auditedReads.count,
      reads,
      flight,
    };
    inFlight.set(key, flight);
    // Whatever becomes of the leader's answer (not kept, an error, its caller gone before it was
    // sent: then no hook runs), its waiters go on when its response closes.
    reply.raw.once('close', () => settle(request, undefined));
    // The request works for its own copy of its actor: the reads audited for it are its own.
    if (request.actor !== null) request.actor = capturingReads(request.actor, reads);
    done();
  };

  api.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET' || request.routeOptions.config.kept !== true) return done();
    const watch = watchOf(request);
    const marks = watch.marks();
    if (marks === undefined) return done();
    const key = keyOf(request, ctx);
    const kept = entries.get(key);
    if (kept !== undefined && current(kept, watch)) {
      hit(key, kept);
      // The first hit of an answer that audited no read gives the front door its copy.
      if (kept.door === undefined && kept.reads.length === 0) request.keptHit = { key, kept };
      answerWith(ctx, request, reply, kept);
      return;
    }
    const flight = inFlight.get(key);
    if (flight !== undefined) {
      // Answered with it when it comes and still holds; else this request works it out itself
      // (its actor is not the leader's: its reads are its own).
      flight.waiters.push((answer) => {
        if (answer !== undefined && current(answer, watch)) {
          stats.hits += 1;
          answerWith(ctx, request, reply, answer);
        } else {
          stats.misses += 1;
          done();
        }
      });
      return;
    }
    stats.misses += 1;
    lead(request, reply, key, marks, watch, done);
  });

  api.addHook('onSend', (request, reply, payload, done) => {
    const keptHit = request.keptHit;
    if (keptHit !== undefined) {
      // Every hook before this one has set its headers: what Fastify sends but the length.
      if (reply.statusCode === 200 && entries.get(keptHit.key) === keptHit.kept)
        keptHit.kept.door = doorCopyOf(request, reply, keptHit.kept);
      return done(null, payload);
    }
    const keptAs = request.keptAs;
    if (keptAs === undefined || reply.statusCode !== 200 || !keptAs.watch.holds(keptAs.marks))
      return done(null, payload);
    // Every read audited while this answer was worked out must be one it captured: one it did not
    // (another request's, at the same time) might have been its own, lost to the capture, and kept
    // it would be answered again without its audit entry. So it is not kept.
    if (ctx.store.auditedReads.count - keptAs.auditedReads !== keptAs.reads.length)
      return done(null, payload);
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (bytes > MAX_ANSWER_BYTES) return done(null, payload);
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    const kept: Kept = {
      marks: keptAs.marks,
      watch: keptAs.watch,
      along: keptAs.along,
      reads: [...keptAs.reads],
      headers,
      body: payload,
      bytes,
    };
    keep(keptAs.key, kept);
    settle(request, kept);
    for (const key of entries.keys()) {
      if (stats.bytes <= MAX_BYTES) break;
      forget(key);
    }
    done(null, payload);
  });
  /** Counted as a hit, and moved last: the first in the map are the first to go. */
  const hit = (key: string, kept: Kept) => {
    stats.hits += 1;
    entries.delete(key);
    entries.set(key, kept);
  };
  return {
    stats,
    doorCopy(key) {
      const kept = entries.get(key);
      if (kept?.door === undefined) return undefined;
      // Not listening (a write could go unheard) or anything moved since: as the hook decides.
      if (kept.watch.marks() === undefined || !current(kept)) return undefined;
      return kept.door;
    },
    answeredAtDoor(key) {
      const kept = entries.get(key);
      if (kept === undefined) return;
      hit(key, kept);
      stats.door += 1;
    },
  };
}

/**
 * `kept` as the front door sends it: every header Fastify sent around it (its hooks' too) but the
 * request id and what Node writes, the body encoded once, and its route (for the metrics).
 */
function doorCopyOf(request: FastifyRequest, reply: FastifyReply, kept: Kept): DoorCopy {
  const headers: string[] = [];
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value === undefined || NOT_COPIED.has(name)) continue;
    for (const each of Array.isArray(value) ? value : [value]) headers.push(name, String(each));
  }
  headers.push('content-length', String(kept.bytes));
  return {
    headers,
    body: Buffer.isBuffer(kept.body) ? kept.body : Buffer.from(kept.body),
    route: request.routeOptions.url ?? 'unmatched',
    unlimited: request.routeOptions.config.unlimited === true,
  };
}

/** Answers `kept`, once the reads it audited are on the chain again for this caller. */
function answerWith(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  kept: Kept,
): void {
  const send = () => void reply.code(200).headers(kept.headers).send(kept.body);
  if (kept.reads.length === 0) return send();
  const fail = (error: unknown) =>
    void reply.send(error instanceof Error ? error : new Error(String(error)));
  // Reads are audited for a signed-in caller only (the key names the caller: so was the leader).
  if (request.actor === null) return fail(new Error('an audited answer asked with no caller'));
  auditReadsAgain(ctx, request.actor, kept.reads).then(send, fail);
}

/** Who asks (an SCO sees less), the day (some answers count from today), the media type, the URL. */
function keyOf(request: FastifyRequest, ctx: AppContext): string {
  return keptKey(ctx, request.actor?.id ?? '', request.headers.accept, request.url);
}

/** The key of an answer: the caller's id ('' for none), today, the Accept header, the URL. */
export function keptKey(
  ctx: AppContext,
  callerId: string,
  accept: string | undefined,
  url: string,
): string {
  return `${callerId}\n${ctx.clock().slice(0, 10)}\n${accept ?? ''}\n${url}`;
}
