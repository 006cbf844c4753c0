// `npm run bench -- reads`: every read route of the API (each GET of the API document) against a
// bare Fastify route answering the same bytes (body and headers), in the same run, each server in
// its own process. Attaché runs on the demo data, signed in by API token, with its rate limiter on
// (limits set out of reach, so it counts but never refuses). Per route: requests/s of both under 50
// connections, the ratio (target ≥ 0.5) and Attaché's p99 (target ≤ 50 ms; the bare route's beside
// it: where that is over 50 ms, the bytes alone take longer, and the target is 1.25× it). For an audited read (a foreign officer's record), the bare route first appends the same read
// entries to an audit chain of its own through the same group commit: the like work. Both servers
// are measured in turns (bare, Attaché, three times over), and each figure is the median of its
// turns: on a shared machine a burst of other work then moves one turn, not the ratio.
//
// Then health under batch load: ten signed-in clients (a token each) and ten anonymous ones post
// 10,000-question batches while one client asks GET /health; health's p99 (target ≤ 50 ms), with
// the default rate limits of `attache serve`, and with none (what slicing the batches alone gives).
//
// With --synthetic (or --scale F), Attaché serves a copy of the synthetic data set on PostgreSQL
// (bench/synthetic.ts) instead of the demo.
//
//   npm run bench -- reads [--synthetic] [--only <text>] [--skip-batch]
//   BENCH_DURATION=2 (seconds a turn)  BENCH_TURNS=3 (turns of each server a route)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Recorded } from './api-server.js';
import { startServer } from './servers.js';
import { describeScale, scaleOf, syntheticCopy } from './synthetic.js';
import { getJson, readUrls } from '../test/support/read-urls.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 2);
/** Seconds the batches of the health measure run. */
const BATCH_S = 9;
const TURNS = Math.max(1, Math.round(Number(process.env.BENCH_TURNS ?? 3)));
const CONNECTIONS = 50;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;
/**
 * Where the bare route's own p99 for the same bytes is over 50 ms (answers of hundreds of
 * kilobytes, fifty at a time), no server here meets 50 ms: the fair target is then the bare
 * route's p99 itself, with this margin. Both figures are printed.
 */
const OVER_BARE_P99 = 1.25;

/** The p99 a route must meet: 50 ms, or near the bare route's own when the bytes alone take longer. */
function p99Target(r: RouteFigures): number {
  return r.bare.p99 > TARGET_P99_MS ? r.bare.p99 * OVER_BARE_P99 : TARGET_P99_MS;
}

function routeMet(r: RouteFigures): boolean {
  return r.ratio >= TARGET_RATIO && r.attache.p99 <= p99Target(r) && r.attache.errors === 0;
}
/** Limits out of reach: the limiter runs (its cost is measured) but never refuses. */
const UNREACHED_LIMITS = {
  ATTACHE_RATE_LIMIT_CALLER: '1000000000',
  ATTACHE_RATE_LIMIT_ADDRESS: '1000000000',
};

/**
 * Headers Node's HTTP server writes for the bare route as for Attaché: the replay sends every other
 * header Attaché sent (security headers, request id, ETag, …), so both answer the same bytes.
 */
const NODE_WRITES = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
]);

function replayedHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!NODE_WRITES.has(name) && name !== 'content-type') kept[name] = value;
  });
  return kept;
}

interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

async function load(
  url: string,
  headers: Record<string, string>,
  connections = CONNECTIONS,
  duration = DURATION_S,
): Promise<Load> {
  const result = await autocannon({ url, connections, duration, headers });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The median of each figure over a server's turns; errors of every turn. */
function medianLoad(turns: readonly Load[]): Load {
  return {
    rps: median(turns.map((t) => t.rps)),
    p50: median(turns.map((t) => t.p50)),
    p99: median(turns.map((t) => t.p99)),
    errors: turns.reduce((n, t) => n + t.errors, 0),
  };
}

interface ReadEntries {
  readonly total: number;
  readonly items: { entityType: string; entityId: string; reason: string | null }[];
}

/** Read entries one answer may audit at most (a page of the audit log holds them all). */
const MAX_READS_AN_ANSWER = 100;

/** The `read` entries Attaché has audited: how many, and the newest of them. */
function auditedReads(base: string, auth: Record<string, string>, limit = 1) {
  return getJson<ReadEntries>(`${base}/api/v1/audit/entries?action=read&limit=${limit}`, auth);
}

interface RouteFigures {
  readonly url: string;
  readonly bytes: number;
  /** Read entries Attaché audits for each answer; the bare route appends as many. */
  readonly audited: number;
  readonly bare: Load;
  readonly attache: Load;
  readonly ratio: number;
}

/** Where Attaché's data is: the demo (in memory) or a copy of the synthetic set (its URL). */
type DataSet = { readonly name: 'demo' } | { readonly name: 'synthetic'; readonly url: string };
const serverArgs = (data: DataSet, tokens: number) =>
  data.name === 'demo' ? [String(tokens)] : [String(tokens), data.url];

async function readRoutes(only: string | undefined, data: DataSet): Promise<RouteFigures[]> {
  const server = await startServer('reads', serverArgs(data, 1), UNREACHED_LIMITS);
  const { base, tokens } = JSON.parse(server.base) as { base: string; tokens: string[] };
  const auth = { authorization: tokens[0]! };
  const dir = mkdtempSync(join(tmpdir(), 'attache-reads-'));
  let bare: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const urls = (await readUrls(base, auth)).filter((u) => only === undefined || u.includes(only));
    // Attaché's own answers, recorded for the bare server to replay byte for byte. The audit log's
    // pages list the reads the others audit: recorded last and measured first, so that no read is
    // appended between their recording and their measure (they would be answered other bytes).
    const ofTheLog = (url: string) => url.startsWith('/api/v1/audit');
    const recorded: Recorded[] = [];
    for (const url of [...urls.filter((u) => !ofTheLog(u)), ...urls.filter(ofTheLog)]) {
      const readsBefore = (await auditedReads(base, auth)).total;
      const res = await fetch(`${base}${url}`, { headers: auth });
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status === 404) {
        // The data has no such record (travel orders are issued by users, not by the demo or the
        // synthetic set).
        console.log(`  (left out: ${url}, 404: ${body.toString().slice(0, 120)})`);
        urls.splice(urls.indexOf(url), 1);
        continue;
      }
      if (res.status !== 200)
        throw new Error(`${url}: ${res.status} ${body.toString().slice(0, 200)}`);
      // An audited read (a foreign officer's record): the bare route appends the same entries.
      const after = await auditedReads(base, auth, MAX_READS_AN_ANSWER);
      const audited = after.total - readsBefore;
      if (audited > MAX_READS_AN_ANSWER) throw new Error(`${url}: audits ${audited} reads`);
      const reads = after.items.slice(0, audited).map((e) => ({
        entityType: e.entityType,
        entityId: e.entityId,
        ...(e.reason === null ? {} : { reason: e.reason }),
      }));
      recorded.push({
        url,
        status: res.status,
        contentType: res.headers.get('content-type') ?? 'application/octet-stream',
        headers: replayedHeaders(res.headers),
        base64: body.toString('base64'),
        reads,
      });
    }
    const file = join(dir, 'recorded.json');
    writeFileSync(file, JSON.stringify(recorded));
    bare = await startServer('replay', data.name === 'demo' ? [file] : [file, data.url]);
    const figures: RouteFigures[] = [];
    for (const url of [...urls.filter(ofTheLog), ...urls.filter((u) => !ofTheLog(u))]) {
      // Warm both up (JIT, caches), then measure the bare route and Attaché's in turns.
      await load(`${bare.base}${url}`, auth, 8, 1);
      await load(`${base}${url}`, auth, 8, 1);
      const bareTurns: Load[] = [];
      const attacheTurns: Load[] = [];
      for (let turn = 0; turn < TURNS; turn++) {
        bareTurns.push(await load(`${bare.base}${url}`, auth));
        attacheTurns.push(await load(`${base}${url}`, auth));
      }
      const bareLoad = medianLoad(bareTurns);
      const attache = medianLoad(attacheTurns);
      const answer = recorded.find((r) => r.url === url)!;
      const row: RouteFigures = {
        url,
        bytes: Buffer.from(answer.base64, 'base64').length,
        audited: answer.reads.length,
        bare: bareLoad,
        attache,
        ratio: attache.rps / bareLoad.rps,
      };
      figures.push(row);
      console.log(line(row));
    }
    return figures;
  } finally {
    bare?.child.kill('SIGTERM');
    server.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

function line(r: RouteFigures): string {
  return (
    `${routeMet(r) ? 'met   ' : 'MISSED'} ${r.url.padEnd(58)} ${String(r.bytes).padStart(8)} B` +
    `  bare ${r.bare.rps.toFixed(0).padStart(6)}/s  attaché ${r.attache.rps.toFixed(0).padStart(6)}/s` +
    `  ratio ${r.ratio.toFixed(2)}  p99 ${String(r.attache.p99).padStart(4)} ms` +
    // The bare route's own p99 for the same bytes: above 50 ms, the target is near it instead.
    ` (bare ${String(r.bare.p99).padStart(4)} ms)` +
    (r.bare.p99 > TARGET_P99_MS ? ` (target ${Math.round(p99Target(r))} ms)` : '') +
    (r.audited > 0
      ? `  (both append ${r.audited} read ${r.audited === 1 ? 'entry' : 'entries'} to an audit chain)`
      : '') +
    (r.attache.errors > 0 ? `  errors ${r.attache.errors}` : '')
  );
}

interface HealthFigures {
  readonly limits: string;
  readonly health: Load;
  readonly batches: { ok: number; limited: number; refused: number };
}

/** Ten token holders and ten anonymous clients post 10,000-question batches; one asks for health. */
async function healthUnderBatches(
  limits: 'default' | 'off',
  data: DataSet,
): Promise<HealthFigures> {
  const env: Record<string, string> =
    limits === 'off' ? { ATTACHE_RATE_LIMIT_CALLER: 'off', ATTACHE_RATE_LIMIT_ADDRESS: 'off' } : {};
  const server = await startServer('reads', serverArgs(data, 10), env);
  const { base, tokens } = JSON.parse(server.base) as { base: string; tokens: string[] };
  const countries = ['PAK', 'THA', 'COD', 'AUT', 'EGY', 'NGA', 'MLI', 'BRA'];
  const body = JSON.stringify({
    queries: Array.from({ length: 10_000 }, (_, i) => ({
      country: countries[i % countries.length],
      program: i % 3 === 0 ? 'FMF' : 'IMET',
      on: `20${10 + (i % 12)}-0${1 + (i % 9)}-15`,
    })),
  });
  try {
    const batch = (authorization: string | undefined) =>
      autocannon({
        url: `${base}/api/v1/eligibility/batch`,
        method: 'POST',
        connections: 1,
        duration: BATCH_S,
        headers: {
          'content-type': 'application/json',
          ...(authorization === undefined ? {} : { authorization }),
        },
        body,
      });
    const clients = [...tokens.map((t) => batch(t)), ...tokens.map(() => batch(undefined))];
    // Health asked once the batches are under way, and for a little less long.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const health = await load(`${base}/api/v1/health`, {}, 1, BATCH_S - 1);
    const results = await Promise.all(clients);
    const count = (status: string) =>
      results.reduce(
        (n, r) =>
          n + ((r.statusCodeStats as Record<string, { count: number }>)[status]?.count ?? 0),
        0,
      );
    return {
      limits,
      health,
      batches: { ok: count('200'), limited: count('429'), refused: count('401') },
    };
  } finally {
    server.child.kill('SIGTERM');
  }
}

export async function run(args: readonly string[]): Promise<void> {
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  const scale = scaleOf(args);
  const copy = scale === undefined ? undefined : await syntheticCopy(scale);
  try {
    await measure(
      args,
      only,
      copy === undefined ? { name: 'demo' } : { name: 'synthetic', url: copy.url },
      scale === undefined
        ? 'the demo data, in memory'
        : `the synthetic set (${describeScale(scale)}) on PostgreSQL`,
    );
  } finally {
    await copy?.drop();
  }
}

async function measure(
  args: readonly string[],
  only: string | undefined,
  data: DataSet,
  described: string,
): Promise<void> {
  console.log(
    `every read route, ${CONNECTIONS} connections, ${TURNS} turns of ${DURATION_S} s for each server (medians); Attaché (${described}, API token, rate limiter counting) against a bare Fastify route replaying its bytes and headers`,
  );
  const routes = await readRoutes(only, data);
  const missed = routes.filter((r) => !routeMet(r));
  const worst = [...routes].sort((a, b) => a.ratio - b.ratio)[0];
  console.log(
    `${routes.length - missed.length} of ${routes.length} routes met ratio >= ${TARGET_RATIO} and p99 <= ${TARGET_P99_MS} ms (or <= ${OVER_BARE_P99}x the bare route's p99 where that is over ${TARGET_P99_MS} ms)` +
      (worst === undefined ? '' : `; lowest ratio ${worst.ratio.toFixed(2)} (${worst.url})`),
  );
  const health: HealthFigures[] = [];
  if (!args.includes('--skip-batch')) {
    for (const limits of ['default', 'off'] as const) {
      const h = await healthUnderBatches(limits, data);
      health.push(h);
      console.log(
        `GET /health under 10 signed-in + 10 anonymous clients posting 10,000-question batches, rate limits ${h.limits}: ` +
          `p50 ${h.health.p50} ms, p99 ${h.health.p99} ms (target <= ${TARGET_P99_MS}) ${h.health.p99 <= TARGET_P99_MS ? 'met' : 'MISSED'}; ` +
          `batches answered ${h.batches.ok}, limited (429) ${h.batches.limited}, anonymous (401) ${h.batches.refused}`,
      );
    }
  }
  console.log(
    JSON.stringify({
      bench: 'reads',
      size: data.name,
      routes: routes.map((r) => ({
        url: r.url,
        bytes: r.bytes,
        bare_rps: Math.round(r.bare.rps),
        rps: Math.round(r.attache.rps),
        ratio: Number(r.ratio.toFixed(3)),
        p99_ms: r.attache.p99,
        p99_target_ms: Math.round(p99Target(r)),
        bare_p99_ms: r.bare.p99,
        audited_reads: r.audited,
        errors: r.attache.errors,
      })),
      health: health.map((h) => ({ limits: h.limits, p99_ms: h.health.p99, ...h.batches })),
      met:
        missed.length === 0 &&
        health.every((h) => h.health.p99 <= TARGET_P99_MS) &&
        routes.length > 0,
    }),
  );
}
