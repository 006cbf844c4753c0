// A server for the HTTP benchmarks, in its own process so the load generator does not share its CPU:
// `eligibility` serves Attaché on an in-memory database with the demo data; `bare` a bare Fastify
// JSON route; `postgres URL` Attaché on a database the benchmark prepared; `reads TOKENS [URL]`
// Attaché with the demo data (or on the PostgreSQL database at URL), its HTTP policy read from the environment as `attache serve` reads it (rate
// limits included), and TOKENS API tokens of program managers; `replay FILE [URL]` a bare Fastify
// answering each URL of FILE with the status, type and bytes recorded there, after appending the
// reads recorded with it (an audited read) to an audit chain of its own, as Attaché does: through the
// same group commit, on an empty database in memory (or on the PostgreSQL database at URL).
// The first line written is the base URL (`reads`: a JSON object with the base URL and the tokens).
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { buildApp } from '../src/api/server.js';
import { systemActor } from '../src/core/actor.js';
import { loadHttpPolicy } from '../src/services/config.js';
import { contextOver, type AppContext } from '../src/services/context.js';
import { auditReadsAgain, type RecordRead } from '../src/services/audit/audit-read.service.js';
import { loadDemo } from '../src/services/demo/demo.service.js';
import { syncReferenceData } from '../src/services/countries/reference.service.js';
import { migrateStore, openStore } from '../src/store/database.js';
import { tokenFor } from '../test/support/accounts.js';

/** What `replay` answers: recorded by the reads benchmark from Attaché's own answers. */
export interface Recorded {
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  /** Attaché's response headers but those Node writes for any server (date, length, connection). */
  readonly headers: Readonly<Record<string, string>>;
  readonly base64: string;
  /** The reads Attaché audited for it: appended again for each answer (an audited read). */
  readonly reads: readonly RecordRead[];
}

async function demoContext(): Promise<AppContext> {
  const store = await openStore({ kind: 'pglite-memory' });
  await migrateStore(store);
  const ctx = contextOver(store);
  const synced = await syncReferenceData(ctx);
  if (!synced.ok) throw new Error(synced.error.message);
  const loaded = await loadDemo(ctx, systemActor('bench'));
  if (!loaded.ok) throw new Error(loaded.error.message);
  return ctx;
}

// Exits normally on Ctrl-C, so a profile (--cpu-prof) is written.
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
const mode = process.argv[2];
if (mode === 'bare') {
  const app = Fastify({ logger: false });
  app.get('/bare', () => ({ country: 'PAK', program: 'IMET', on: '2019-06-01', eligible: false }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${address}\n`);
} else if (mode === 'eligibility') {
  const app = await buildApp(await demoContext());
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${address}\n`);
} else if (mode === 'postgres') {
  // Attaché on a PostgreSQL database the benchmark has migrated and filled: one of several servers.
  const store = await openStore({ kind: 'postgres', url: process.argv[3]! });
  const app = await buildApp(contextOver(store));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${address}\n`);
} else if (mode === 'reads') {
  const http = loadHttpPolicy(process.env);
  if (!http.ok) throw new Error(http.error);
  const url = process.argv[4];
  const ctx =
    url === undefined
      ? await demoContext()
      : contextOver(await openStore({ kind: 'postgres', url }));
  const tokens: string[] = [];
  for (let i = 0; i < Number(process.argv[3] ?? 1); i++) {
    const header = await tokenFor(ctx, `bench${i}`, { role: 'program-manager' });
    tokens.push(header['authorization']!);
  }
  // It runs jobs too, so the job routes have one to read.
  const app = await buildApp(ctx, { http: http.value, jobs: {} });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ base: address, tokens })}\n`);
} else if (mode === 'replay') {
  const recorded = JSON.parse(readFileSync(process.argv[3]!, 'utf8')) as Recorded[];
  const url = process.argv[4];
  // A chain of its own for the audited reads, only when there are any.
  let audit: AppContext | undefined;
  if (recorded.some((r) => r.reads.length > 0)) {
    const store = await openStore(
      url === undefined ? { kind: 'pglite-memory' } : { kind: 'postgres', url },
    );
    await migrateStore(store);
    audit = contextOver(store);
  }
  const reader = systemActor('bench-replay');
  const app = Fastify({ logger: false });
  const byUrl = new Map(
    recorded.map((r) => [r.url, { ...r, body: Buffer.from(r.base64, 'base64') }]),
  );
  for (const path of new Set(recorded.map((r) => new URL(r.url, 'http://x').pathname)))
    app.get(path, (request, reply) => {
      const answer = byUrl.get(request.url);
      if (answer === undefined) return reply.code(404).send();
      const send = () =>
        reply
          .code(answer.status)
          .headers(answer.headers)
          .type(answer.contentType)
          .send(answer.body);
      if (audit === undefined || answer.reads.length === 0) return send();
      return auditReadsAgain(audit, reader, answer.reads).then(send);
    });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${address}\n`);
} else {
  process.stderr.write(
    'usage: api-server.ts bare|eligibility|postgres URL|reads TOKENS [URL]|replay FILE [URL]\n',
  );
  process.exit(2);
}
