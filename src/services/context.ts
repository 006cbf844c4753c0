// The composition root: opens the store and hands services their clock and id source.
import { randomBytes } from 'node:crypto';
import { dateOfInstant, type IsoDate } from '../core/dates.js';
import { DEFAULT_SCREENING_POLICY, type ScreeningPolicy } from '../core/students/gates.js';
import { migrateIfBehind, openStore, type Store, type StoreConfig } from '../store/database.js';
import { syncReferenceData } from './countries/reference.service.js';

export interface AppContext {
  readonly store: Store;
  /** Now, as an ISO 8601 instant. */
  readonly clock: () => string;
  /** A new id with a readable prefix, e.g. `rst_3f9a0c12ab45`. */
  readonly newId: (prefix: string) => string;
  /** How long screenings stay valid (configuration). */
  readonly screening: ScreeningPolicy;
  /** Sessions and sign-in limits (configuration). */
  readonly access: AccessPolicy;
}

/** How long sessions live and how failed sign-ins are limited. */
export interface AccessPolicy {
  /** A session unused this long ends. */
  readonly sessionIdleMinutes: number;
  /** A session ends this long after sign-in, used or not. */
  readonly sessionMaxHours: number;
  /** Failed sign-ins for one login within the window that lock it. */
  readonly loginMaxFailures: number;
  /** Failed sign-ins from one address within the window that lock it. */
  readonly addressMaxFailures: number;
  /** The window failures are counted in, and how long a lock lasts. */
  readonly loginLockMinutes: number;
}

export const DEFAULT_ACCESS_POLICY: AccessPolicy = {
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
  loginMaxFailures: 5,
  addressMaxFailures: 50,
  loginLockMinutes: 15,
};

type ContextOverrides = Partial<Pick<AppContext, 'clock' | 'newId' | 'screening' | 'access'>>;

export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

let clockMs = Number.NaN;
let clockText = '';

/** The wall clock as an ISO instant, to the millisecond (made once per millisecond: read often). */
export function systemClock(): string {
  const ms = Date.now();
  if (ms !== clockMs) {
    clockMs = ms;
    clockText = new Date(ms).toISOString();
  }
  return clockText;
}

/** Today's calendar date (UTC) by the context's clock. */
export function today(ctx: AppContext): IsoDate {
  return dateOfInstant(ctx.clock());
}

/** Opens the configured database and applies pending migrations (a current one is only read). */
export async function openContext(
  config: StoreConfig,
  overrides: ContextOverrides = {},
): Promise<AppContext> {
  const store = await openStore(config);
  try {
    await migrateIfBehind(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return contextOver(store, overrides);
}

/** A context over an already open store (tests bring their own). */
export function contextOver(store: Store, overrides: ContextOverrides = {}): AppContext {
  return {
    store,
    clock: overrides.clock ?? systemClock,
    newId: overrides.newId ?? randomId,
    screening: overrides.screening ?? DEFAULT_SCREENING_POLICY,
    access: overrides.access ?? DEFAULT_ACCESS_POLICY,
  };
}

/**
 * Opens, migrates and brings reference data up to date: what every entry point does first. On a
 * database that is current, nothing is written.
 */
export async function openApplication(
  config: StoreConfig,
  overrides: ContextOverrides = {},
): Promise<AppContext> {
  const ctx = await openContext(config, overrides);
  try {
    const synced = await syncReferenceData(ctx);
    if (!synced.ok) throw new Error(`reference data: ${synced.error.message}`);
  } catch (error) {
    await ctx.store.close();
    throw error;
  }
  return ctx;
}
