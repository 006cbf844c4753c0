// Who a token or session cookie signs in, remembered so a read does not ask the database three
// times before it starts (the token, the account, its scopes). Nothing is remembered longer than
// it is known to be true: a write of this process, a notification that accounts, scopes, tokens or
// sessions changed on any server (migration 0016), or a loss of the listening connection forgets
// everything; and while the connection is down nothing is remembered at all.
import type { Store } from '../../store/database.js';
import { ACCESS_CHANGED, hearsChanges, subscribeChanges } from '../change-feed.js';

/** The most credentials remembered per store; past it, the oldest half is forgotten. */
const MAX_ENTRIES = 10_000;

interface Remembered<T> {
  readonly value: T;
  /** store.writes.count and the cache's epoch when the value was read. */
  readonly writes: number;
  readonly epoch: number;
}

interface Cache {
  epoch: number;
  readonly entries: Map<string, Remembered<unknown>>;
}

const caches = new WeakMap<Store, Cache>();

function cacheOf(store: Store): Cache {
  let cache = caches.get(store);
  if (cache === undefined) {
    const created: Cache = { epoch: 0, entries: new Map() };
    cache = created;
    caches.set(store, created);
    const forget = () => {
      created.epoch += 1;
      created.entries.clear();
    };
    subscribeChanges(store, {
      notified(payload) {
        if (payload === ACCESS_CHANGED) forget();
      },
      listening: forget,
      lost: forget,
    });
  }
  return cache;
}

/**
 * What `key` (a secret's hash) was read as, while nothing that could change it has happened since;
 * otherwise reads it with `read` and remembers it (unless it is undefined: an unknown secret is
 * asked again). `read` answers as of the moment it began.
 */
export async function rememberedCredential<T>(
  store: Store,
  key: string,
  read: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const cache = cacheOf(store);
  const known = cache.entries.get(key);
  if (known !== undefined && known.writes === store.writes.count && known.epoch === cache.epoch)
    return known.value as T;
  if (known !== undefined) cache.entries.delete(key);
  const marks = { writes: store.writes.count, epoch: cache.epoch };
  const value = await read();
  // Remembered only if nothing moved while it was read, and a change elsewhere would be heard.
  if (
    value === undefined ||
    !hearsChanges(store) ||
    marks.writes !== store.writes.count ||
    marks.epoch !== cache.epoch
  )
    return value;
  if (cache.entries.size >= MAX_ENTRIES) {
    let drop = MAX_ENTRIES / 2;
    for (const old of cache.entries.keys()) {
      cache.entries.delete(old);
      if (--drop === 0) break;
    }
  }
  cache.entries.set(key, { value, ...marks });
  return value;
}

/** Forgets every credential of `store`: a session or token was ended by this process. */
export function forgetCredentials(store: Store): void {
  const cache = caches.get(store);
  if (cache === undefined) return;
  cache.epoch += 1;
  cache.entries.clear();
}
