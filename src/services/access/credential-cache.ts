// Who a token or session cookie signs in, remembered so a read does not ask the database three
// times before it starts (the token, the account, its scopes). Nothing is remembered longer than
// it is known to be true: a write of this process, a notification that accounts, scopes, tokens or
// sessions changed on any server (migration 0016), or a loss of the listening connection forgets
// everything; and while the connection is down nothing is remembered at all.
import type { Store } from '../../store/database.js';
import { ACCESS_CHANGED } from '../change-feed.js';
import { watchChanges, type Marks, type Watch } from '../watch-changes.js';

/** The most credentials remembered per store; past it, the oldest half is forgotten. */
const MAX_ENTRIES = 10_000;

interface Cache {
  readonly watch: Watch;
  readonly entries: Map<string, { readonly value: unknown; readonly marks: Marks }>;
}

const caches = new WeakMap<Store, Cache>();

function cacheOf(store: Store): Cache {
  let cache = caches.get(store);
  if (cache === undefined) {
    const entries = new Map<string, { readonly value: unknown; readonly marks: Marks }>();
    const watch = watchChanges(
      store,
      (payload) => payload === ACCESS_CHANGED,
      () => entries.clear(),
    );
    cache = { watch, entries };
    caches.set(store, cache);
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
  const { watch, entries } = cacheOf(store);
  const known = entries.get(key);
  if (known !== undefined && watch.holds(known.marks)) return known.value as T;
  if (known !== undefined) entries.delete(key);
  const marks = watch.marks();
  const value = await read();
  // Remembered only if a change would have been heard, and none was while it was read.
  if (value === undefined || marks === undefined || !watch.holds(marks)) return value;
  if (entries.size >= MAX_ENTRIES) {
    let drop = MAX_ENTRIES / 2;
    for (const old of entries.keys()) {
      entries.delete(old);
      if (--drop === 0) break;
    }
  }
  entries.set(key, { value, marks });
  return value;
}

/**
 * What `key` was read as, when it is remembered and still known to be true; undefined otherwise
 * (then ask rememberedCredential). Answers without a promise: a signed-in read's commonest case.
 */
export function credentialKnownNow<T>(store: Store, key: string): T | undefined {
  const { watch, entries } = cacheOf(store);
  const known = entries.get(key);
  return known !== undefined && watch.holds(known.marks) ? (known.value as T) : undefined;
}

/** Forgets every credential of `store`: a session or token was ended by this process. */
export function forgetCredentials(store: Store): void {
  caches.get(store)?.watch.forget();
}
