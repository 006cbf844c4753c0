// Rate limits per caller (an API token, or a signed-in account's sessions) and per address, shared
// by every server on the database (decision 019). A request spends units (1, and a batch one more
// per 100 questions); a key may spend `limit` units in any minute, estimated over a sliding window
// from two fixed ones. Each server answers from memory and adds what it counted to the shared
// counts a few times a second (one statement), reading the totals back, so no request waits on the
// database; all servers together may overshoot a limit by what they admit in one flush interval.
import type { Store } from '../../store/database.js';
import {
  addRateCounts,
  pruneRateCounts,
  type RateCount,
} from '../../store/rate-limit.repository.js';

/** Units a minute; `null` in HttpPolicy turns limits off. */
export interface RateLimits {
  /** What one API token, or one account's sessions, may spend a minute. */
  readonly perCaller: number;
  /** What one client address may spend a minute, signed in or not. */
  readonly perAddress: number;
}

/** The length of a window, in seconds: limits are "per minute". */
export const RATE_WINDOW_SECONDS = 60;
/** How often a server adds its counts to the shared ones. */
const FLUSH_EVERY_MS = 250;

export type RateVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Counter {
  /** The current window's start (epoch seconds). */
  window: number;
  /** The shared total of this window when last read (this server's flushed units included). */
  shared: number;
  /** Units this server admitted in this window since its last flush began. */
  local: number;
  /** The previous window's total, as last known. */
  previous: number;
}

export interface RateLimiterOptions {
  /** Milliseconds since the epoch; the wall clock unless a test sets it. */
  readonly now?: () => number;
  readonly flushEveryMs?: number;
  /** A flush failed (the database is away): counting goes on in memory. */
  readonly onFlushError?: (error: unknown) => void;
}

export class RateLimiter {
  private readonly counters = new Map<string, Counter>();
  /** Units admitted but not yet added to the shared counts, by key and window. */
  private pending = new Map<string, RateCount>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private pruned = 0;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly options: RateLimiterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Spends `cost` units of `key` (limit `limit` a minute) if the key has them left: the estimate
   * is the previous window's total, weighted by how much of it the sliding minute still covers,
   * plus the current window's. Refused, nothing is spent, and the answer says how long to wait.
   */
  take(key: string, limit: number, cost = 1): RateVerdict {
    const nowMs = this.now();
    const window = windowOf(nowMs);
    const counter = this.counterOf(key, window);
    const used = usedOf(counter, nowMs);
    if (used + cost > limit) {
      // When the previous window's share has drained enough, or the window turns over.
      const over = used + cost - limit;
      const drain =
        counter.previous > 0 ? (over / counter.previous) * RATE_WINDOW_SECONDS : Infinity;
      const untilTurn = window + RATE_WINDOW_SECONDS - nowMs / 1000;
      const wait =
        counter.shared + counter.local + cost > limit ? untilTurn : Math.min(drain, untilTurn);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
    }
    counter.local += cost;
    const id = `${window} ${key}`;
    const pending = this.pending.get(id);
    this.pending.set(id, { key, windowStart: window, used: (pending?.used ?? 0) + cost });
    this.schedule();
    return { allowed: true };
  }

  /** Whether `take` would admit `cost` units of `key` now; nothing is spent. */
  allows(key: string, limit: number, cost = 1): boolean {
    const nowMs = this.now();
    const counter = this.counterOf(key, windowOf(nowMs));
    return usedOf(counter, nowMs) + cost <= limit;
  }

  private counterOf(key: string, window: number): Counter {
    const counter = this.counters.get(key);
    if (counter === undefined) {
      const created = { window, shared: 0, local: 0, previous: 0 };
      this.counters.set(key, created);
      return created;
    }
    if (counter.window !== window) {
      const last = counter.window === window - RATE_WINDOW_SECONDS;
      counter.previous = last ? counter.shared + counter.local : 0;
      counter.window = window;
      counter.shared = 0;
      counter.local = 0;
    }
    return counter;
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.flushEveryMs ?? FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /**
   * Adds what this server counted to the shared counts and reads back the totals of every key it
   * saw in this window (another server may be spending them too).
   */
  async flush(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
    const run = this.flushOnce();
    this.flushing = run;
    try {
      await run;
    } finally {
      this.flushing = undefined;
    }
  }

  private async flushOnce(): Promise<void> {
    const nowMs = this.now();
    const window = windowOf(nowMs);
    const sent = this.pending;
    this.pending = new Map();
    const rows = [...sent.values()];
    for (const [key, counter] of this.counters) {
      if (counter.window < window - RATE_WINDOW_SECONDS) this.counters.delete(key);
      else if (counter.window === window && !sent.has(`${window} ${key}`))
        rows.push({ key, windowStart: window, used: 0 });
    }
    if (rows.length === 0) return;
    let totals: RateCount[];
    try {
      totals = await addRateCounts(this.store.db, rows);
      if (nowMs - this.pruned > RATE_WINDOW_SECONDS * 1000) {
        this.pruned = nowMs;
        await pruneRateCounts(this.store.db, window - 2 * RATE_WINDOW_SECONDS);
      }
    } catch (error) {
      // Counted again at the next flush; meanwhile each server limits on what it knows.
      for (const [id, row] of sent) {
        const later = this.pending.get(id);
        this.pending.set(id, { ...row, used: row.used + (later?.used ?? 0) });
      }
      this.options.onFlushError?.(error);
      this.schedule();
      return;
    }
    for (const total of totals) {
      const counter = this.counters.get(total.key);
      if (counter === undefined) continue;
      const flushed = sent.get(`${total.windowStart} ${total.key}`)?.used ?? 0;
      if (counter.window === total.windowStart) {
        counter.shared = total.used;
        counter.local -= flushed;
      } else if (counter.window === total.windowStart + RATE_WINDOW_SECONDS) {
        // The window turned while this flush ran: its total is now the previous one.
        counter.previous = total.used;
      }
    }
  }

  /** Stops the timer and adds what is still counted to the shared counts. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => undefined);
  }
}

/** Units a key has spent in the sliding minute ending now (the previous window weighted by its share). */
function usedOf(counter: Counter, nowMs: number): number {
  const elapsed = (nowMs / 1000 - counter.window) / RATE_WINDOW_SECONDS;
  return counter.previous * (1 - elapsed) + counter.shared + counter.local;
}

function windowOf(nowMs: number): number {
  const seconds = Math.floor(nowMs / 1000);
  return seconds - (seconds % RATE_WINDOW_SECONDS);
}

/** Units a request spends: one, and a batch of questions one more per 100 of them. */
export function batchCost(questions: number): number {
  return Math.ceil(questions / 100);
}
