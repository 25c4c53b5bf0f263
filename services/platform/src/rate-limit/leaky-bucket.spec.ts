import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { describeWithRedis, deleteTestKeys, TEST_REDIS_URL } from '../testing/redis';
import { MemoryLeakyBuckets, RedisLeakyBuckets, type LeakyBuckets } from './leaky-bucket';

describe('leaky buckets in memory (SEC-7 partner cost budgets)', () => {
  test('SEC-7: pours fit up to the capacity, a refused pour adds nothing, and the bucket drains at capacity per minute', async () => {
    let now = 0;
    const buckets = new MemoryLeakyBuckets(() => now);
    expect(await buckets.pour('p', 60, 100)).toEqual({ poured: true, level: 60 });
    expect(await buckets.pour('p', 50, 100)).toEqual({ poured: false, level: 60 });
    expect(await buckets.pour('other', 50, 100)).toEqual({ poured: true, level: 50 });
    now = 30_000; // half a minute drains half the capacity
    expect(await buckets.pour('p', 0, 100)).toEqual({ poured: true, level: 10 });
    expect(await buckets.pour('p', 90, 100)).toEqual({ poured: true, level: 100 });
    now = 10 * 60_000;
    expect(await buckets.pour('p', 0, 100)).toEqual({ poured: true, level: 0 });
  });
});

describeWithRedis('leaky buckets in Redis')('leaky buckets in Redis (SEC-7 partner cost budgets)', () => {
  const prefix = `test:buckets:${randomBytes(4).toString('hex')}`;
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  let replicas: LeakyBuckets[] = [];
  beforeAll(() => {
    replicas = [new RedisLeakyBuckets(TEST_REDIS_URL, prefix), new RedisLeakyBuckets(TEST_REDIS_URL, prefix)];
  });
  afterAll(async () => {
    await Promise.all(replicas.map((buckets) => buckets.close()));
    expect(await deleteTestKeys(redis, prefix)).toEqual([]);
    redis.disconnect();
  });

  test('SEC-7: two replicas pour into one bucket; concurrent pours never overfill it', async () => {
    const pours = await Promise.all(Array.from({ length: 20 }, (_, i) => replicas[i % 2]?.pour('partner', 10, 100)));
    expect(pours.filter((result) => result?.poured)).toHaveLength(10);
    const level = (await replicas[0]?.pour('partner', 0, 100))?.level ?? 0;
    expect(level).toBeGreaterThan(99);
    expect(level).toBeLessThanOrEqual(100);
  });
});
