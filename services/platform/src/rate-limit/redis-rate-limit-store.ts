import { createHash, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { CommonErrors } from '../errors/common-errors';
import { logger } from '../logging/logger';
import type { Logger } from '../logging/logger';
import { retryAfterSecondsOf, windowMillisecondsOf } from './rate-limiter';
import type { RateLimitDecision, RateLimitHit, RateLimitStore } from './rate-limiter';

/**
 * Sliding-window log over sorted sets (score = hit time in ms), all or nothing over every key, in
 * one atomic step. The time is Redis's own (TIME), so replicas with skewed clocks agree. A refused
 * group records nothing. ARGV: a unique member, then limit and window (ms) per key. Answers, per
 * key: allowed (1/0), remaining, and for a refusal the ms until the blocking hit leaves the window.
 */
const HIT_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local counts, room = {}, true
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - tonumber(ARGV[2 * i + 1]))
  counts[i] = redis.call('ZCARD', KEYS[i])
  if counts[i] >= tonumber(ARGV[2 * i]) then room = false end
end
local result = {}
for i = 1, #KEYS do
  local limit, window, count = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1]), counts[i]
  if room then
    redis.call('ZADD', KEYS[i], now, ARGV[1])
    redis.call('PEXPIRE', KEYS[i], window)
    table.insert(result, 1); table.insert(result, limit - count - 1); table.insert(result, 0)
  elseif count < limit then
    table.insert(result, 1); table.insert(result, limit - count); table.insert(result, 0)
  else
    local blocking = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    table.insert(result, 0); table.insert(result, 0); table.insert(result, tonumber(blocking[2]) + window - now)
  end
end
return result`;
const HIT_SCRIPT_SHA = createHash('sha1').update(HIT_SCRIPT).digest('hex');

/**
 * What a hit answers while Redis is unreachable or too slow. `closed` refuses every request with
 * SERVICE_UNAVAILABLE (retryable): no OTP is sent and no coupon guessed without a count, at the
 * cost of blocking those operations during the outage. `open` lets every request through (logged),
 * for limits whose outage would hurt more than a short unlimited spell (gateway-wide limits).
 */
export type RateLimitFailMode = 'closed' | 'open';

/** Options of the Redis store. */
export interface RedisRateLimitStoreOptions {
  /** Default `closed`: these limits guard auth, coupons and payments, where failing open is the risk. */
  readonly failMode?: RateLimitFailMode;
  /** How long a hit may wait for Redis before it counts as an outage (default 1000 ms). */
  readonly commandTimeoutMs?: number;
  /** Where outages are reported (default: the platform logger). */
  readonly log?: Logger;
}

/**
 * Redis store, shared by every replica of a service, so replicas share one budget per key. Needs
 * one Redis node (not a cluster): a multi-key hit touches keys in different slots.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;
  private readonly failMode: RateLimitFailMode;
  private readonly log: Logger;

  constructor(
    url: string,
    private readonly prefix: string,
    options: RedisRateLimitStoreOptions = {},
  ) {
    this.failMode = options.failMode ?? 'closed';
    this.log = options.log ?? logger.child({ component: 'rate-limit' });
    this.redis = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      // A socket that died in an outage never reports "close"; without this, close() holds the process 2 s.
      disconnectTimeout: 100,
    });
    this.redis.on('error', () => undefined);
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    const [decision] = await this.hitAll([{ key, limit, windowSeconds }]);
    return decision as RateLimitDecision;
  }

  async hitAll(hits: readonly RateLimitHit[]): Promise<RateLimitDecision[]> {
    if (hits.length === 0) return [];
    const keys = hits.map((hit) => `${this.prefix}:${hit.key}`);
    const args = [randomUUID(), ...hits.flatMap((hit) => [hit.limit, windowMillisecondsOf(hit)])];
    let reply: unknown;
    try {
      reply = await this.runScript(keys, args);
    } catch (error) {
      return this.unavailable(error, hits);
    }
    return decisionsOf(reply, hits.length);
  }

  /** A failed reset is logged, not thrown: a count left standing only errs on the strict side. */
  async reset(key: string): Promise<void> {
    await this.redis.del(`${this.prefix}:${key}`).catch((error: unknown) => {
      this.log.warn({ err: error }, 'rate limit reset failed');
    });
  }

  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === 'PONG';
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  /** EVALSHA, sending the script itself only when Redis does not have it cached yet. */
  private async runScript(keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(HIT_SCRIPT_SHA, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await this.redis.eval(HIT_SCRIPT, keys.length, ...keys, ...args);
    }
  }

  private unavailable(error: unknown, hits: readonly RateLimitHit[]): RateLimitDecision[] {
    this.log.warn({ err: error, failMode: this.failMode }, 'rate limit store unavailable');
    if (this.failMode === 'closed') throw CommonErrors.create('SERVICE_UNAVAILABLE');
    return hits.map((hit) => ({ allowed: true, remaining: hit.limit, retryAfterSeconds: 0 }));
  }
}

/** Reads the script's flat reply (three numbers per key) into decisions. */
function decisionsOf(reply: unknown, count: number): RateLimitDecision[] {
  if (!Array.isArray(reply) || reply.length !== count * 3 || !reply.every((item) => typeof item === 'number')) {
    throw new Error(`unexpected rate limit script reply: ${JSON.stringify(reply)}`);
  }
  const numbers = reply as number[];
  return Array.from({ length: count }, (_unused, i) => {
    const [allowed, remaining, waitMilliseconds] = numbers.slice(i * 3, i * 3 + 3) as [number, number, number];
    return allowed === 1
      ? { allowed: true, remaining, retryAfterSeconds: 0 }
      : { allowed: false, remaining: 0, retryAfterSeconds: retryAfterSecondsOf(waitMilliseconds) };
  });
}
