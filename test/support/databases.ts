// Test databases: every test file gets a fresh database cloned from a migrated snapshot (PGlite)
// or template (PostgreSQL, when DATABASE_URL is set), prepared once per run by global-setup.ts.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { contextOver, randomId, type AppContext } from '../../src/services/context.js';
import { migrateStore, openStore, type Store } from '../../src/store/database.js';

export type Backend = 'pglite' | 'postgres';
export type Template = 'empty' | 'demo';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite: the snapshot file of each template. PostgreSQL: the template database names. */
    databaseTemplates: Record<Template, string>;
    databaseBackend: Backend;
    /** PostgreSQL: the admin URL the templates live under. */
    databaseAdminUrl: string;
  }
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
  overrides: Partial<Pick<AppContext, 'clock' | 'newId'>> = {},
): Promise<TestDatabase> {
  const templates = inject('databaseTemplates');
  if (inject('databaseBackend') === 'pglite') {
    const snapshot = new Blob([readFileSync(templates[template])]);
    const store = await openStore({ kind: 'pglite-memory', snapshot });
    await migrateStore(store);
    return { ctx: contextOver(store, { newId: randomId, ...overrides }), store, close: () => store.close() };
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
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      try {
        await drop.query(`drop database if exists ${name} with (force)`);
      } finally {
        await drop.end();
      }
    },
  };
}

/** A fixed clock, so "today" in a test does not depend on when it runs. */
export function fixedClock(instant: string): () => string {
  return () => instant;
}
