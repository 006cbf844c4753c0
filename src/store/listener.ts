// LISTEN on PostgreSQL over a connection of its own (a pooled one would be handed to others),
// connecting again after a loss, and saying when notifications may have been missed.
import pg from 'pg';

/** What a listener hears. */
export interface ChannelEvents {
  /** A notification on the channel: something committed after the last `listening`. */
  notified(payload: string): void;
  /**
   * Listening (again). Notifications sent before this may have been missed: whoever relies on
   * them reads what it missed now.
   */
  listening(): void;
  /** The connection is lost: until the next `listening`, notifications are missed. */
  lost(error: Error): void;
}

export interface Listener {
  /** Stops listening and closes the connection. */
  close(): Promise<void>;
}

/** Waits before connecting again: 50 ms, doubling up to 2 s. */
const FIRST_RETRY_MS = 50;
const LAST_RETRY_MS = 2_000;
/**
 * A connection can die without a word (a lost network path): it is asked a trivial query this
 * often, and given up when no answer comes in PROBE_TIMEOUT_MS. That bounds how long a silent
 * loss can go unnoticed (and notifications unheard) to about 7 s.
 */
export const PROBE_INTERVAL_MS = 5_000;
const PROBE_TIMEOUT_MS = 2_000;
/** How the listening connection names itself in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'attache-listener';

/**
 * Listens on `channel` until closed. Connects at once; after an error or an end, connects again
 * with backoff, and calls `listening` each time LISTEN has succeeded. TCP keepalive finds a peer
 * that went away without a word.
 */
export function listenOn(
  config: pg.ClientConfig,
  channel: string,
  events: ChannelEvents,
): Listener {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let probe: NodeJS.Timeout | undefined;
  let delay = FIRST_RETRY_MS;

  const connect = async () => {
    retry = undefined;
    if (closed) return;
    const next = new pg.Client({
      ...config,
      keepAlive: true,
      application_name: LISTENER_APPLICATION_NAME,
    });
    client = next;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      clearInterval(probe);
      if (client === next) client = undefined;
      next.removeAllListeners('notification');
      void next.end().catch(() => undefined);
      if (closed) return;
      events.lost(error);
      retry = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, LAST_RETRY_MS);
    };
    next.on('error', fail);
    next.on('end', () => fail(new Error('the listening connection ended')));
    next.on('notification', (message) => {
      if (message.channel === channel) events.notified(message.payload ?? '');
    });
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (closed || failed) return;
    delay = FIRST_RETRY_MS;
    probe = setInterval(() => {
      const timeout = setTimeout(
        () => fail(new Error(`the listening connection did not answer in ${PROBE_TIMEOUT_MS} ms`)),
        PROBE_TIMEOUT_MS,
      );
      next.query('select 1').then(
        () => clearTimeout(timeout),
        (error: unknown) => {
          clearTimeout(timeout);
          fail(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }, PROBE_INTERVAL_MS);
    probe.unref();
    events.listening();
  };
  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(probe);
      const current = client;
      client = undefined;
      if (current !== undefined) {
        current.removeAllListeners('notification');
        await current.end().catch(() => undefined);
      }
    },
  };
}
