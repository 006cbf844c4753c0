// `npm run bench -- budget-import`: the ten State budget tables (FY2008–2017, every account)
// imported into an empty database, all in one transaction; target ≤ 5 s. On the embedded
// database, or on PostgreSQL when DATABASE_URL is set.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { systemActor } from '../src/core/actor.js';
import { contextOver } from '../src/services/context.js';
import { syncReferenceData } from '../src/services/countries/reference.service.js';
import { importBudget } from '../src/services/imports/budget-import.service.js';
import { importFile } from '../src/services/imports/import-file.js';
import { migrateStore, openStore, type Store } from '../src/store/database.js';

const YEARS = [2008, 2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017];
const ROUNDS = 3;
const TARGET_MS = 5_000;
const FILES = YEARS.map((fy) =>
  importFile(
    `fy${fy}.csv`,
    readFileSync(new URL(`../resources/state-budget-by-country/fy${fy}.csv`, import.meta.url)),
  ),
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A fresh database (not yet migrated), and how to drop it: in memory, or a new one on DATABASE_URL. */
export async function freshStore(): Promise<{ store: Store; drop: () => Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined) {
    const store = await openStore({ kind: 'pglite-memory' });
    return { store, drop: () => store.close() };
  }
  const name = `attache_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ kind: 'postgres', url: url.toString() });
  return {
    store,
    drop: async () => {
      await store.close();
      await admin.query(`drop database ${name}`);
      await admin.end();
    },
  };
}

/** The ten tables' import timed: wall and CPU medians of ROUNDS rounds after a warm-up. */
export interface BudgetImportTiming {
  readonly backend: string;
  readonly figures: number;
  readonly times: readonly number[];
  readonly ms: number;
  readonly cpuMs: number;
  readonly peakRss: number;
  readonly targetMs: number;
}

export async function measureBudgetImport(): Promise<BudgetImportTiming> {
  const backend = process.env.DATABASE_URL === undefined ? 'PGlite (in memory)' : 'PostgreSQL';
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let figures = 0;
  let peakRss = 0;
  // Round 0 warms the code up (a server process runs warm code) and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    const { store, drop } = await freshStore();
    try {
      await migrateStore(store);
      const ctx = contextOver(store);
      const synced = await syncReferenceData(ctx);
      if (!synced.ok) throw new Error(synced.error.message);
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await importBudget(ctx, systemActor('bench'), {
        files: FILES,
        stage: 'enacted',
      });
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      if (!result.ok) throw new Error(result.error.message);
      if (!result.value.reconciled) throw new Error('the ten tables do not reconcile');
      figures = result.value.files.reduce((n, f) => n + f.figures.created, 0);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (round > 0) {
        times.push(ms);
        cpuTimes.push((used.user + used.system) / 1_000);
      }
    } finally {
      await drop();
    }
  }
  return {
    backend,
    figures,
    times,
    ms: median(times),
    cpuMs: median(cpuTimes),
    peakRss,
    targetMs: TARGET_MS,
  };
}

export async function run(): Promise<void> {
  const { backend, figures, times, ms, cpuMs, peakRss } = await measureBudgetImport();
  process.stdout.write(
    `budget import, ${backend}: ten tables, ${figures} figures, enacted (allocations too): ` +
      `median ${Math.round(ms)} ms of ${ROUNDS} (${times.map(Math.round).join(', ')}), ` +
      `target ≤ ${TARGET_MS} ms: ${ms <= TARGET_MS ? 'ok' : 'OVER'}; this process's CPU time median ` +
      // On a shared machine the wall clock waits for other processes; CPU time does not (PGlite
      // runs in this process, so it counts the database's work too; PostgreSQL's server does not).
      `${Math.round(cpuMs)} ms; peak RSS ${Math.round(peakRss / 2 ** 20)} MiB\n`,
  );
}
