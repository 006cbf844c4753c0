// Metrics for Prometheus at GET /metrics (text exposition format), for an account that may read
// the audit log (admin, program manager, analyst: a scraper uses an API token of such an account):
// requests and their latency by route, how the eligibility index is kept current, jobs by status,
// the PostgreSQL pool, and the process (memory, CPU, event loop, garbage collection).
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
} from 'prom-client';
import { can, forbidden } from '../core/access.js';
import { err } from '../core/result.js';
import type { ReadCacheStats } from './read-cache.js';
import type { AppContext } from '../services/context.js';
import {
  CHANGES_CHANNEL,
  indexStats,
  type IndexStats,
} from '../services/eligibility/eligibility.service.js';
import { jobCounts } from '../services/jobs/job.service.js';
import { guardRoutes } from './access.js';
import { sendResult } from './reply.js';

/** The process's own metrics, once per process however many servers it builds (tests build many). */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'attache_' });
  }
  return processRegistry;
}

/** A counter whose value is read from elsewhere when scraped. */
function readCounter(
  registry: Registry,
  config: Omit<CounterConfiguration<string>, 'registers' | 'collect'>,
  read: () => number,
): void {
  new Counter({
    ...config,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/**
 * Times every route of `app` (call it before any route is registered) and gathers the metrics;
 * `metricsRoute` serves them.
 */
export function collectMetrics(
  app: FastifyInstance,
  ctx: AppContext,
  readCache: () => ReadCacheStats | undefined = () => undefined,
): RequestMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'attache_http_requests_total',
    help: 'HTTP requests answered, by method, route (its pattern; "unmatched" for no route) and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'attache_http_request_duration_seconds',
    help: 'Time from a request received to its answer sent, by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // The series of each method, route and status, bound once: prom-client works out a series from
  // its labels on every call otherwise, a cost paid by every request.
  const series = new Map<
    string,
    {
      readonly counted: ReturnType<typeof requests.labels>;
      readonly timed: ReturnType<typeof latency.labels>;
    }
  >();
  const answered = (method: string, route: string, statusCode: number, seconds: number) => {
    const status = String(statusCode);
    const key = `${method} ${status} ${route}`;
    let bound = series.get(key);
    if (bound === undefined) {
      bound = {
        counted: requests.labels({ method, route, status_code: status }),
        timed: latency.labels({ method, route }),
      };
      series.set(key, bound);
    }
    bound.counted.inc();
    bound.timed.observe(seconds);
  };
  app.addHook('onResponse', (request, reply, done) => {
    answered(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });

  const stats = () => indexStats(ctx.store);
  const counters: [keyof IndexStats, string, string][] = [
    ['builds', 'attache_eligibility_index_builds_total', 'Whole builds of the eligibility index'],
    [
      'rebuilds',
      'attache_eligibility_index_rebuilds_total',
      'Refreshes that built again only the records a write touched',
    ],
    [
      'countriesRebuilt',
      'attache_eligibility_index_countries_rebuilt_total',
      'Countries built again by those refreshes',
    ],
    [
      'ownWritesApplied',
      'attache_eligibility_index_own_writes_applied_total',
      "This server's writes taken into the index as they returned, nothing read back",
    ],
    [
      'ownWritesPrepared',
      'attache_eligibility_index_own_writes_prepared_total',
      'Of those, the ones worked out before their commit, put in place as it returned',
    ],
    [
      'seconds',
      'attache_eligibility_index_build_seconds_total',
      'Time spent building and refreshing the index',
    ],
    [
      'notifications',
      'attache_eligibility_index_notifications_total',
      'Notifications of writes heard (PostgreSQL)',
    ],
    [
      'reconnections',
      'attache_eligibility_index_connection_losses_total',
      'Losses of the listening connection (PostgreSQL)',
    ],
  ];
  for (const [key, name, help] of counters)
    readCounter(registry, { name, help }, () => stats()[key]);
  readCounter(
    registry,
    {
      name: 'attache_read_cache_hits_total',
      help: 'GETs answered from the answers kept in memory',
    },
    () => readCache()?.hits ?? 0,
  );
  readCounter(
    registry,
    {
      name: 'attache_read_cache_misses_total',
      help: 'GETs of routes whose answers are kept, answered by the route',
    },
    () => readCache()?.misses ?? 0,
  );
  readCounter(
    registry,
    {
      name: 'attache_read_cache_door_total',
      help: 'Hits answered at the front door, before the framework reads the request (counted among the hits too)',
    },
    () => readCache()?.door ?? 0,
  );
  new Gauge({
    name: 'attache_read_cache_bytes',
    help: 'Bytes of the answers kept in memory',
    registers: [registry],
    collect() {
      this.set(readCache()?.bytes ?? 0);
    },
  });
  new Gauge({
    name: 'attache_eligibility_index_versions',
    help: 'Restriction and relief versions in the index (0 before its first build)',
    registers: [registry],
    collect() {
      this.set(stats().size ?? 0);
    },
  });
  // PostgreSQL only: the store is read when scraped (the API document builds the routes without one).
  new Gauge({
    name: 'attache_eligibility_index_listening',
    help: '1 while the connection listening for other servers writes is up (PostgreSQL only)',
    // Labelled, so that on the embedded database there is no sample at all rather than a 0.
    labelNames: ['channel'] as const,
    registers: [registry],
    collect() {
      const listening = stats().listening;
      if (listening !== null) this.set({ channel: CHANGES_CHANNEL }, listening ? 1 : 0);
    },
  });
  new Gauge({
    name: 'attache_db_pool_connections',
    help: 'Connections of the PostgreSQL pool: all of them, the idle ones, and requests waiting for one',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = ctx.store.pgPool;
      if (pool === undefined) return;
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  new Gauge({
    name: 'attache_jobs',
    help: 'Jobs on record by status (all servers of the database)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [status, count] of await jobCounts(ctx)) this.set({ status }, count);
    },
  });

  return { registry, answered };
}

/** The metrics gathered, and how a request answered outside Fastify's cycle is counted and timed. */
export interface RequestMetrics {
  readonly registry: Registry;
  /** Counts an answer of `route` (its pattern) and observes how long it took. */
  answered(method: string, route: string, statusCode: number, seconds: number): void;
}

/** GET /metrics (after the cookie plugin: sign-in reads the session cookie). */
export function metricsRoute(ctx: AppContext, { registry }: RequestMetrics): FastifyPluginAsync {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (scope) => {
    guardRoutes(scope, ctx);
    scope.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      const actor = request.actor!;
      if (!can(actor, 'audit.read')) return sendResult(reply, err(forbidden(actor, 'audit.read')));
      const merged = Registry.merge([registry, processMetrics()]);
      const text = await merged.metrics();
      return reply.type(merged.contentType).send(text);
    });
  };
}
