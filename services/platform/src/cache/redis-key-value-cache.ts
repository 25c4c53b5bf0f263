import Redis from 'ioredis';

/**
 * Strings by key in Redis with a time to live, in the shape Apollo Server's caches take
 * (`KeyValueCache`): automatic persisted queries registered on one gateway replica are found by
 * every other. A Redis outage reads as a miss and a failed write is dropped: the client then sends
 * the query text again, which is slower but correct.
 */
export class RedisKeyValueCache {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly defaultTtlSeconds: number,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, commandTimeout: 500, disconnectTimeout: 100 });
    this.redis.on('error', () => undefined);
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.redis.get(`${this.prefix}:${key}`)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const ttl = options?.ttl ?? this.defaultTtlSeconds;
    try {
      await this.redis.set(`${this.prefix}:${key}`, value, 'EX', Math.max(1, Math.ceil(ttl)));
    } catch {
      // dropped: see the class comment
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.redis.del(`${this.prefix}:${key}`)) > 0;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
