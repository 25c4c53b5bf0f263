import type { CacheStore } from './cache-store';
import { MemoryCacheStore } from './memory-cache-store';
import { RedisCacheStore } from './redis-cache-store';

export * from './cache-store';
export * from './memory-cache-store';
export * from './redis-cache-store';
export * from './versioned-cache';

/** Redis when a URL is configured (shared by replicas), the in-process LRU otherwise. */
export function createCacheStore(options: { redisUrl?: string | undefined; prefix: string }): CacheStore {
  return options.redisUrl ? new RedisCacheStore(options.redisUrl, options.prefix) : new MemoryCacheStore();
}
export * from './redis-key-value-cache';
