// What a cache in memory needs to know whether what it kept still holds: nothing written by this
// process since (store.writes, or another count of what this process did that concerns it), nothing
// heard since from the change feed that concerns it, and the feed listening all along. Each cache
// keeps its own marks and its own entries.
import { performance } from 'node:perf_hooks';
import type { Store } from '../store/database.js';
import { hearsChanges, subscribeChanges } from './change-feed.js';

/** When something was read: compare with `holds` before using it. */
export interface Marks {
  /**
   * The count of what this process did that concerns the cache (its writes, by default); for
   * what is kept for a time (`watchAge`), when it was read (milliseconds of `performance.now`).
   */
  readonly local: number;
  readonly epoch: number;
}

export interface Watch {
  /** The marks of now, or undefined when a change could go unheard (nothing may be kept). */
  marks(): Marks | undefined;
  /** Whether nothing that concerns the cache has happened since `marks` were taken. */
  holds(marks: Marks): boolean;
  /** Something concerning the cache happened here: whatever was kept before is stale. */
  forget(): void;
}

/**
 * Watches `store` for a cache: `concerns` says which notifications make what it kept stale;
 * `onForget` runs whenever that happens (to drop the entries at once); `local` counts what this
 * process did that does (moved once it is committed, never back).
 */
export function watchChanges(
  store: Store,
  concerns: (payload: string) => boolean,
  onForget: () => void = () => undefined,
  local: (store: Store) => number = (s) => s.writes.count,
): Watch {
  let epoch = 0;
  let subscribed = false;
  const forget = () => {
    epoch += 1;
    onForget();
  };
  // On first use, not when made: a route built without a database (the API document) never asks.
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    subscribeChanges(store, {
      notified(payload) {
        if (concerns(payload)) forget();
      },
      listening: forget,
      lost: forget,
    });
  };
  return {
    marks() {
      subscribe();
      return hearsChanges(store) ? { local: local(store), epoch } : undefined;
    },
    holds: (marks) => marks.local === local(store) && marks.epoch === epoch,
    forget,
  };
}

/**
 * A watch of what no write moves but time may (health: the database still answers): what was read
 * holds for `ms` milliseconds, until `forget`.
 */
export function watchAge(ms: number): Watch {
  let epoch = 0;
  return {
    marks: () => ({ local: performance.now(), epoch }),
    holds: (marks) => marks.epoch === epoch && performance.now() - marks.local < ms,
    forget() {
      epoch += 1;
    },
  };
}
