import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { logger, type Logger } from '../logging/logger';

/** What pouring answers: whether it fit, and the bucket's level afterwards (before, when refused). */
export interface PourResult {
  readonly poured: boolean;
  readonly level: number;
}

/**
 * Leaky buckets (as Shopify meters its API): each key holds a level that drains at `capacity` per
 * minute; pouring `amount` succeeds only when it fits under `capacity`, and a refused pour adds
 * nothing. Pouring 0 reads the level.
 */
export interface LeakyBuckets {
  pour(key: string, amount: number, capacity: number): Promise<PourResult>;
  close(): Promise<void>;
}

/** One process's buckets (embedded mode, tests). */
export class MemoryLeakyBuckets implements LeakyBuckets {
  private readonly levels = new Map<string, { level: number; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async pour(key: string, amount: number, capacity: number): Promise<PourResult> {
    const entry = this.levels.get(key);
    const now = this.now();
    const level = entry ? Math.max(0, entry.level - ((now - entry.at) / 60_000) * capacity) : 0;
    if (amount === 0) return { poured: true, level };
    if (level + amount > capacity) return { poured: false, level };
    this.levels.set(key, { level: level + amount, at: now });
    return { poured: true, level: level + amount };
  }

  async close(): Promise<void> {}
}

/**
 * The same arithmetic in one atomic Redis step, on Redis's own clock (TIME), so every replica pours
 * into the one bucket. ARGV: amount, capacity. Answers poured (1/0) and the level as a string.
 */
const POUR_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local amount, capacity = tonumber(ARGV[1]), tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(state[1]) or 0
if state[2] then level = math.max(0, level - (now - tonumber(state[2])) / 60000 * capacity) end
if amount == 0 then return { 1, tostring(level) } end
if level + amount > capacity then return { 0, tostring(level) } end
level = level + amount
redis.call('HSET', KEYS[1], 'level', tostring(level), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 120000)
return { 1, tostring(level) }`;
const POUR_SCRIPT_SHA = createHash('sha1').update(POUR_SCRIPT).digest('hex');

/**
 * Buckets in Redis, shared by every replica. While Redis cannot answer, a pour is allowed and
 * logged (these budgets meter partners; an outage should not take their integrations down).
 */
export class RedisLeakyBuckets implements LeakyBuckets {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly log: Logger = logger.child({ component: 'leaky-bucket' }),
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, commandTimeout: 1000, disconnectTimeout: 100 });
    this.redis.on('error', () => undefined);
  }

  async pour(key: string, amount: number, capacity: number): Promise<PourResult> {
    const redisKey = `${this.prefix}:${key}`;
    try {
      const reply = (await this.run(redisKey, amount, capacity)) as [number, string];
      return { poured: reply[0] === 1, level: Number(reply[1]) };
    } catch (error) {
      this.log.warn({ err: error, key }, 'leaky bucket unavailable; letting the request through');
      return { poured: true, level: 0 };
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async run(key: string, amount: number, capacity: number): Promise<unknown> {
    try {
      return await this.redis.evalsha(POUR_SCRIPT_SHA, 1, key, amount, capacity);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      return this.redis.eval(POUR_SCRIPT, 1, key, amount, capacity);
    }
  }
}

/** Redis buckets when a URL is configured, in-process ones otherwise. */
export function createLeakyBuckets(options: { redisUrl?: string | undefined; prefix: string }): LeakyBuckets {
  return options.redisUrl ? new RedisLeakyBuckets(options.redisUrl, options.prefix) : new MemoryLeakyBuckets();
}
