/**
 * RedisCacheStore against a real Redis (REDIS_URL, default redis://127.0.0.1:6379). Every run uses
 * its own random key prefix and deletes its keys afterwards. Without a reachable Redis the Redis
 * block is skipped with a visible warning, except under CI, where a missing Redis fails the run.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { RedisCacheStore, VersionedCache } from '../src/cache';
import { logger } from '../src/logging/logger';
import { findFreePort } from '../src/postgres/free-port';
import { deleteTestKeys, describeWithRedis, TEST_REDIS_URL } from '../src/testing/redis';

const REDIS_URL = TEST_REDIS_URL;
const quiet = logger.child({}, { level: 'silent' });

const describeIfRedis = describeWithRedis('RedisCacheStore');

interface Price {
  readonly sku: string;
  readonly amount: bigint;
  readonly tiers: readonly { readonly min: number; readonly amount: bigint }[];
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A TCP port on which nothing listens. */
const closedPort = findFreePort;

describeIfRedis(`RedisCacheStore on ${REDIS_URL}`, () => {
  const prefix = `test:platform-cache:${process.pid}:${randomBytes(6).toString('hex')}`;
  const stores: RedisCacheStore[] = [];
  let admin: Redis;

  function replica(): RedisCacheStore {
    const store = new RedisCacheStore(REDIS_URL, prefix);
    stores.push(store);
    return store;
  }

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    expect(await deleteTestKeys(admin, prefix)).toEqual([]);
    await Promise.all(stores.map((store) => store.close()));
    admin.disconnect();
  });

  test('CAT-2: bigint amounts (beyond 2^53) come back from Redis exactly, and a second replica sees them', async () => {
    const price: Price = { sku: 'MUG-1', amount: 9_007_199_254_740_993n, tiers: [{ min: 10, amount: -1_999n }] };
    const first = new VersionedCache<Price>(replica(), 'prices', 60, quiet);
    expect(await first.get('MUG-1', async () => price)).toEqual(price);
    const loads: string[] = [];
    const second = new VersionedCache<Price>(replica(), 'prices', 60, quiet);
    const fromRedis = await second.get('MUG-1', async () => {
      loads.push('MUG-1');
      return undefined;
    });
    expect(loads).toEqual([]);
    expect(fromRedis).toEqual(price);
    expect(typeof fromRedis?.amount).toBe('bigint');
    expect(fromRedis?.tiers[0]?.amount).toBe(-1_999n);
    // Stored with the configured expiry, not forever.
    const [storedKey] = await admin.keys(`${prefix}:prices:*:MUG-1`);
    expect(await admin.ttl(storedKey ?? 'missing')).toBeGreaterThan(0);
  });

  test('CAT-2: an invalidation on one replica hides the value on every replica', async () => {
    const writer = new VersionedCache<Price>(replica(), 'products', 60, quiet);
    const reader = new VersionedCache<Price>(replica(), 'products', 60, quiet);
    await reader.get('p1', async () => ({ sku: 'p1', amount: 100n, tiers: [] }));
    await writer.invalidate();
    expect(await reader.get('p1', async () => ({ sku: 'p1', amount: 200n, tiers: [] }))).toEqual({ sku: 'p1', amount: 200n, tiers: [] });
  });

  test('CAT-2: a read that started before a write and finishes after it never makes its stale value visible to later reads', async () => {
    const readerReplica = new VersionedCache<Price>(replica(), 'race', 60, quiet);
    const writerReplica = new VersionedCache<Price>(replica(), 'race', 60, quiet);
    const loaderStarted = deferred<void>();
    const staleRow = deferred<Price>();
    const slowReader = readerReplica.get('p1', async () => {
      loaderStarted.resolve();
      return staleRow.promise;
    });
    await loaderStarted.promise;
    await writerReplica.invalidate();
    staleRow.resolve({ sku: 'p1', amount: 100n, tiers: [] });
    expect((await slowReader)?.amount).toBe(100n);
    const freshLoads: string[] = [];
    const fresh = await readerReplica.get('p1', async () => {
      freshLoads.push('p1');
      return { sku: 'p1', amount: 250n, tiers: [] };
    });
    expect(fresh?.amount).toBe(250n);
    expect(freshLoads).toEqual(['p1']);
    const later = await writerReplica.get('p1', async () => ({ sku: 'p1', amount: 0n, tiers: [] }));
    expect(later?.amount).toBe(250n);
  });

  test('CAT-2: ping answers true', async () => {
    expect(await replica().ping()).toBe(true);
  });
});

describe('RedisCacheStore with Redis unreachable', () => {
  test('CAT-2: VersionedCache.get falls back to the loader, does not throw and does not hang', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const store = new RedisCacheStore(url, `test:unreachable:${randomBytes(4).toString('hex')}`);
    try {
      const cache = new VersionedCache<Price>(store, 'products', 60, quiet);
      const started = Date.now();
      const loads: string[] = [];
      const value = await cache.get('p1', async () => {
        loads.push('p1');
        return { sku: 'p1', amount: 5n, tiers: [] };
      });
      expect(value).toEqual({ sku: 'p1', amount: 5n, tiers: [] });
      expect(await cache.getMany(['p1', 'p2'], async (missing) => new Map(missing.map((sku) => [sku, { sku, amount: 1n, tiers: [] }])))).toHaveLength(2);
      expect(loads).toEqual(['p1']);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await store.ping()).toBe(false);
    } finally {
      await store.close();
    }
  });

});
