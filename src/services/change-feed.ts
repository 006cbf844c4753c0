// What other servers committed, heard over one LISTEN connection per store (PostgreSQL) and handed
// to every cache that keeps something in memory: the eligibility index and the signed-in callers.
// On the embedded database no other process writes, but SQL run beside the application in this
// process (a test, a maintenance script) fires the same triggers: PGlite's own LISTEN hears them.
// The triggers of migrations 0015, 0016, 0021, 0024 and 0025 notify channel attache_changes; the payload says
// what changed ('' the eligibility records, and `eligibility:PAK` for each country, or courses or
// countries, they changed; 'access' accounts, scopes, tokens and sessions; 'write' anything
// written on the one road, which appends to the audit log; 'read' read entries appended to it; 'jobs' jobs' rows).
import type { ChannelEvents } from '../store/listener.js';
import type { Store } from '../store/database.js';

/** The channel the triggers notify. */
export const CHANGES_CHANNEL = 'attache_changes';
/** The payload of a change to the eligibility records (migration 0015). */
export const ELIGIBILITY_CHANGED = '';
/**
 * The payload naming what a change to the eligibility records changed: `eligibility:` and a
 * country's ISO3 code, or `courses` or `countries` (migration 0021), one per topic a transaction
 * changed, each following ELIGIBILITY_CHANGED.
 */
export const ELIGIBILITY_TOPIC = 'eligibility:';
/**
 * The same, saying where in the change log the transaction's last change of the topic stands:
 * `eligibility@<seq>:` and the topic (migration 0026), following the form without it.
 */
export const ELIGIBILITY_AT = 'eligibility@';
/** The payload of a change to accounts, scopes, tokens or sessions (migration 0016). */
export const ACCESS_CHANGED = 'access';
/** The payload of anything written on the one road: an audit entry was appended (migration 0016). */
export const RECORD_WRITTEN = 'write';
/**
 * The payload of audited reads appended to the audit log (migration 0024): no record changed, only
 * the log itself grew.
 */
export const READS_APPENDED = 'read';
/** The payload of a change to jobs' rows (migration 0025): written off the one road. */
export const JOBS_CHANGED = 'jobs';

interface Feed {
  listening: boolean;
  readonly subscribers: Set<ChannelEvents>;
}

const feeds = new WeakMap<Store, Feed>();

/**
 * Hands `events` every notification, (re)connection and loss of the store's listening connection,
 * opened on the first subscription and closed with the store.
 */
export function subscribeChanges(store: Store, events: ChannelEvents): void {
  let feed = feeds.get(store);
  if (feed === undefined) {
    const created: Feed = { listening: false, subscribers: new Set() };
    feed = created;
    feeds.set(store, created);
    const relay: ChannelEvents = {
      notified(payload) {
        for (const s of created.subscribers) s.notified(payload);
      },
      listening() {
        created.listening = true;
        for (const s of created.subscribers) s.listening();
      },
      lost(error) {
        created.listening = false;
        for (const s of created.subscribers) s.lost(error);
      },
    };
    if (store.listen !== undefined) store.listen(CHANGES_CHANNEL, relay);
    else if (store.pglite !== undefined) {
      // Ends with the database: PGlite drops its listeners when closed.
      void store.pglite
        .listen(CHANGES_CHANNEL, (payload) => relay.notified(payload))
        .then(
          () => relay.listening(),
          (error: unknown) => relay.lost(error instanceof Error ? error : new Error(String(error))),
        );
    }
  }
  feed.subscribers.add(events);
  if (feed.listening) events.listening();
}

/** Whether a notification would reach this process now: its store listens (subscribeChanges). */
export function hearsChanges(store: Store): boolean {
  return feeds.get(store)?.listening === true;
}
