import Redis from 'ioredis';
import type { CacheStore } from './cache-store';

/** Reads the generation and the values under it in one round trip, so no read mixes generations. */
const READ_SCRIPT = `
local generation = redis.call('GET', KEYS[1]) or '0'
local keys = {}
for i = 2, #ARGV do keys[#keys + 1] = ARGV[1] .. generation .. ':' .. ARGV[i] end
local result = { generation }
if #keys > 0 then
  local values = redis.call('MGET', unpack(keys))
  for i = 1, #values do result[#result + 1] = values[i] or '' end
end
return result`;

/** JSON with bigint kept exact (money in minor units is bigint). */
function encode(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v));
}

function decode(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && '$bigint' in v && typeof v.$bigint === 'string' ? BigInt(v.$bigint) : v,
  );
}

/**
 * Redis store, shared by every replica of a service, so an invalidation on one replica is seen by
 * all. Commands fail fast when Redis is down; the cache then reads through to the database.
 */
export class RedisCacheStore implements CacheStore {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: true, lazyConnect: false, disconnectTimeout: 100 });
    this.redis.on('error', () => undefined);
  }

  private generationKey(namespace: string) {
    return `${this.prefix}:${namespace}:generation`;
  }

  async read(namespace: string, keys: readonly string[]) {
    const reply = (await this.redis.eval(READ_SCRIPT, 1, this.generationKey(namespace), `${this.prefix}:${namespace}:`, ...keys)) as string[];
    const [generation = '0', ...values] = reply;
    return { generation, values: keys.map((_key, i) => (values[i] ? decode(values[i]) : undefined)) };
  }

  async write(namespace: string, generation: string, entries: readonly (readonly [string, unknown])[], ttlSeconds: number) {
    const pipeline = this.redis.pipeline();
    for (const [key, value] of entries) pipeline.set(`${this.prefix}:${namespace}:${generation}:${key}`, encode(value), 'EX', ttlSeconds);
    await pipeline.exec();
  }

  async bump(namespace: string) {
    await this.redis.incr(this.generationKey(namespace));
  }

  async ping() {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close() {
    this.redis.disconnect();
  }
}
