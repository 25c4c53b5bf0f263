import { LRUCache } from 'lru-cache';
import { retryAfterSecondsOf, windowMillisecondsOf } from './rate-limiter';
import type { RateLimitDecision, RateLimitHit, RateLimitStore } from './rate-limiter';

/** Options of the in-process store. */
export interface MemoryRateLimitStoreOptions {
  /** Most keys kept; the least recently used key is forgotten beyond it (default 100 000). */
  readonly maxKeys?: number;
  /** The clock in milliseconds (default `Date.now`); tests inject their own. */
  readonly now?: () => number;
}

/**
 * The in-process store used without Redis (embedded mode, one process): the same sliding-window
 * log as the Redis store, as sorted timestamps per key. Memory is bounded by an LRU on keys; a key
 * evicted that way loses its history, the price of the bound.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly logs: LRUCache<string, number[]>;
  private readonly now: () => number;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    this.logs = new LRUCache({ max: options.maxKeys ?? 100_000 });
    this.now = options.now ?? Date.now;
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    const [decision] = await this.hitAll([{ key, limit, windowSeconds }]);
    return decision as RateLimitDecision;
  }

  async hitAll(hits: readonly RateLimitHit[]): Promise<RateLimitDecision[]> {
    const now = this.now();
    const entries = hits.map((hit) => ({ hit, log: this.liveLog(hit.key, windowMillisecondsOf(hit), now) }));
    if (entries.every(({ hit, log }) => log.length < hit.limit)) {
      return entries.map(({ hit, log }) => this.record(hit.key, log, now, hit.limit));
    }
    return entries.map(({ hit, log }) => decisionWithoutRecording(hit, log, now));
  }

  async reset(key: string): Promise<void> {
    this.logs.delete(key);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.logs.clear();
  }

  /**
   * The key's hits still inside the window, oldest first; expired ones are dropped for good. In
   * place, with a binary search for the cut: a loosened limit (RATE_LIMIT_SCALE) keeps long logs,
   * and copying one on every request would cost more than the request itself.
   */
  private liveLog(key: string, windowMilliseconds: number, now: number): number[] {
    const log = this.logs.get(key);
    if (!log) return [];
    const expired = firstAfter(log, now - windowMilliseconds);
    if (expired > 0) log.splice(0, expired);
    if (log.length === 0) this.logs.delete(key);
    return log;
  }

  private record(key: string, log: number[], now: number, limit: number): RateLimitDecision {
    const at = log.findLastIndex((time) => time <= now) + 1;
    log.splice(at, 0, now);
    this.logs.set(key, log);
    return { allowed: true, remaining: limit - log.length, retryAfterSeconds: 0 };
  }
}

/** The index of the first entry of the sorted `log` later than `cutoff` (log.length when none is). */
function firstAfter(log: readonly number[], cutoff: number): number {
  let low = 0;
  let high = log.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((log[middle] ?? 0) > cutoff) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * A key's answer when the group is not recorded. Refused keys wait for the hit whose departure
 * brings the count below the limit: the oldest one when the count is exactly the limit.
 */
function decisionWithoutRecording(hit: RateLimitHit, log: readonly number[], now: number): RateLimitDecision {
  if (log.length < hit.limit) return { allowed: true, remaining: hit.limit - log.length, retryAfterSeconds: 0 };
  const blocking = log[log.length - hit.limit] ?? now;
  return { allowed: false, remaining: 0, retryAfterSeconds: retryAfterSecondsOf(blocking + windowMillisecondsOf(hit) - now) };
}
