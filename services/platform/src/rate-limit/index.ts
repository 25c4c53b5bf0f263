import { z } from 'zod';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import type { RateLimitStore } from './rate-limiter';
import { RedisRateLimitStore } from './redis-rate-limit-store';
import type { RedisRateLimitStoreOptions } from './redis-rate-limit-store';

export * from './memory-rate-limit-store';
export * from './rate-limiter';
export * from './redis-rate-limit-store';

/**
 * Redis when a URL is configured (one budget shared by every replica), the in-process store
 * otherwise (one process, embedded mode). The Redis options choose the outage behaviour.
 */
export function createRateLimitStore(options: { redisUrl?: string | undefined; prefix: string } & RedisRateLimitStoreOptions): RateLimitStore {
  const { redisUrl, prefix, ...redisOptions } = options;
  return redisUrl ? new RedisRateLimitStore(redisUrl, prefix, redisOptions) : new MemoryRateLimitStore();
}

/**
 * The config fragment every service that rate-limits spreads into its schema: RATE_LIMIT_SCALE
 * multiplies every limit at once (CONTRACT), default 1.
 */
export const rateLimitEnv = {
  RATE_LIMIT_SCALE: z.coerce.number().positive().default(1),
};
export * from './leaky-bucket';
