// Test databases: every test file gets a fresh database cloned from a migrated snapshot (PGlite)
// or template (PostgreSQL, when DATABASE_URL is set), prepared once per run by global-setup.ts.
import { mkdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import pg from 'pg';
import { inject } from 'vitest';
import { contextOver, randomId, type AppContext } from '../../src/services/context.js';
import { migrateStore, openStore, type Store } from '../../src/store/database.js';
import { LASTING_SESSIONS } from './accounts.js';

export type Backend = 'pglite' | 'postgres';
export type Template = 'empty' | 'demo';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: the snapshot file of each template. PostgreSQL: the template database names. */
    databaseTemplates: Record<Template, string>;
    databaseBackend: Backend;
    /** PostgreSQL: the admin URL the templates live under. */
    databaseAdminUrl: string;
    /** On either backend: the embedded demo database as a snapshot file, for data dir tests. */
    pgliteDemoSnapshot: string;
  }
}

/**
 * A new embedded data dir (under `parent`) holding the demo, as `attache demo load` leaves it,
 * in a fraction of the time; returns its path.
 */
export async function demoDataDir(parent: string): Promise<string> {
  const dataDir = join(parent, `data-${randomBytes(4).toString('hex')}`);
  mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(join(dataDir, 'pgdata'), {
    extensions: { btree_gist },
    loadDataDir: new Blob([readFileSync(inject('pgliteDemoSnapshot'))]),
  });
  await client.close();
  return dataDir;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface TestDatabase {
  readonly ctx: AppContext;
  readonly store: Store;
  /** PostgreSQL only: the URL of this file's database (for a second process or instance). */
  readonly url?: string;
  close(): Promise<void>;
}

/** A fresh database from a template, wrapped in an application context. */
export async function openTestDatabase(
  template: Template = 'empty',
  overrides: Partial<Pick<AppContext, 'clock' | 'newId' | 'access'>> = {},
): Promise<TestDatabase> {
  overrides = { access: LASTING_SESSIONS, ...overrides };
  const templates = inject('databaseTemplates');
  if (inject('databaseBackend') === 'pglite') {
    const snapshot = new Blob([readFileSync(templates[template])]);
    const store = await openStore({ kind: 'pglite-memory', snapshot });
    await migrateStore(store);
    return {
      ctx: contextOver(store, { newId: randomId, ...overrides }),
      store,
      close: () => store.close(),
    };
  }
  const adminUrl = inject('databaseAdminUrl');
  const name = `attache_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${templates[template]}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const store = await openStore({ kind: 'postgres', url });
  return {
    ctx: contextOver(store, overrides),
    store,
    url,
    async close() {
      await store.close();
      await dropDatabase(adminUrl, name);
    },
  };
}

/**
 * Drops a test database once its pool's connections are gone. Not `with (force)`: killing a
 * connection that is still closing makes its client raise an unhandled error.
 */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`drop database if exists ${name}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await admin.end();
  }
}

/** A fixed clock, so "today" in a test does not depend on when it runs. */
export function fixedClock(instant: string): () => string {
  return () => instant;
}
