// Runs once per test run: migrates a database, loads reference data (and, for the `demo`
// template, the demo), and keeps them as snapshots or templates each test file clones.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { systemActor } from '../src/core/actor.js';
import { contextOver } from '../src/services/context.js';
import { loadDemo } from '../src/services/demo/demo.service.js';
import { syncReferenceData } from '../src/services/countries/reference.service.js';
import { migrateStore, openStore, type Store } from '../src/store/database.js';
import { dropDatabase, withDatabase, type Template } from './support/databases.js';

async function prepare(store: Store, template: Template): Promise<void> {
  await migrateStore(store);
  const ctx = contextOver(store);
  const synced = await syncReferenceData(ctx);
  if (!synced.ok) throw new Error(synced.error.message);
  if (template === 'demo') {
    const loaded = await loadDemo(ctx, systemActor('demo'));
    if (!loaded.ok) throw new Error(loaded.error.message);
  }
}

/** Prepares an embedded database from `template` and writes it as a snapshot file in `dir`. */
async function pgliteSnapshot(dir: string, template: Template): Promise<string> {
  const store = await openStore({ kind: 'pglite-memory' });
  await prepare(store, template);
  const dump = await store.pglite!.dumpDataDir('none');
  const file = join(dir, `${template}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await store.close();
  return file;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const templatesList: Template[] = ['empty', 'demo'];
  const adminUrl = process.env.DATABASE_URL;
  const dir = mkdtempSync(join(tmpdir(), 'attache-test-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  if (adminUrl === undefined || adminUrl === '') {
    const files = {} as Record<Template, string>;
    for (const template of templatesList) files[template] = await pgliteSnapshot(dir, template);
    project.provide('databaseBackend', 'pglite');
    project.provide('databaseTemplates', files);
    project.provide('databaseAdminUrl', '');
    project.provide('pgliteDemoSnapshot', files.demo);
    return () => {
      removeDir();
      return Promise.resolve();
    };
  }
  // Command lines on an embedded data dir are tested on either backend: they need a demo data dir.
  project.provide('pgliteDemoSnapshot', await pgliteSnapshot(dir, 'demo'));

  const run = randomBytes(4).toString('hex');
  const names = {} as Record<Template, string>;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const template of templatesList) {
      names[template] = `attache_tpl_${template}_${run}`;
      await admin.query(`create database ${names[template]}`);
      const store = await openStore({
        kind: 'postgres',
        url: withDatabase(adminUrl, names[template]),
      });
      try {
        await prepare(store, template);
      } finally {
        await store.close();
      }
    }
  } finally {
    await admin.end();
  }
  project.provide('databaseBackend', 'postgres');
  project.provide('databaseTemplates', names);
  project.provide('databaseAdminUrl', adminUrl);
  return async () => {
    for (const name of Object.values(names)) await dropDatabase(adminUrl, name);
    removeDir();
  };
}
