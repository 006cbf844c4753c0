// A server for the API benchmark, in its own process so the load generator does not share its CPU:
// `eligibility` serves Attaché on an in-memory database with the demo data; `bare` a bare Fastify JSON
// route; `postgres URL` Attaché on a database the benchmark prepared.
import Fastify from 'fastify';
import { buildApp } from '../src/api/server.js';
import { systemActor } from '../src/core/actor.js';
import { contextOver } from '../src/services/context.js';
import { loadDemo } from '../src/services/demo/demo.service.js';
import { syncReferenceData } from '../src/services/countries/reference.service.js';
import { migrateStore, openStore } from '../src/store/database.js';

const mode = process.argv[2];
if (mode === 'bare') {
  const app = Fastify({ logger: false });
  app.get('/bare', () => ({ country: 'PAK', program: 'IMET', on: '2019-06-01', eligible: false }));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${address}\n`);
} else if (mode === 'eligibility') {
  const store = await openStore({ kind: 'pglite-memory' });
  await migrateStore(store);
  const ctx = contextOver(store);
  const synced = await syncReferenceData(ctx);
  if (!synced.ok) throw new Error(synced.error.message);
  const loaded = await loadDemo(ctx, systemActor('bench'));
  if (!loaded.ok) throw new Error(loaded.error.message);
  const app = await buildApp(ctx);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${address}\n`);
} else if (mode === 'postgres') {
  // Attaché on a PostgreSQL database the benchmark has migrated and filled: one of several servers.
  const store = await openStore({ kind: 'postgres', url: process.argv[3]! });
  const app = await buildApp(contextOver(store));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${address}\n`);
} else {
  process.stderr.write('usage: api-server.ts bare|eligibility|postgres URL\n');
  process.exit(2);
}
