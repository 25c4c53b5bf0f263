/**
 * RedisRateLimitStore against a real Redis (REDIS_URL, default redis://127.0.0.1:6379). Every run
 * uses its own random key prefix and deletes its keys afterwards. Without a reachable Redis the
 * Redis block is skipped with a visible warning, except under CI, where a missing Redis fails the run.
 * The outage tests need no Redis and always run.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { BusinessError } from '../src/errors/business-error';
import { logger } from '../src/logging/logger';
import { findFreePort } from '../src/postgres/free-port';
import { businessErrorOf } from '../src/testing/business-error-of';
import { deleteTestKeys, describeWithRedis, TEST_REDIS_URL } from '../src/testing/redis';
import { createRateLimitStore, RateLimiter, RedisRateLimitStore } from '../src/rate-limit';
import type { RateLimitFailMode, RateLimitRule } from '../src/rate-limit';

const REDIS_URL = TEST_REDIS_URL;
const quiet = logger.child({}, { level: 'silent' });

const describeIfRedis = describeWithRedis('RedisRateLimitStore');

/** A TCP port on which nothing listens. */
const closedPort = findFreePort;

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}


/** Whether one consume is allowed (true) or refused with RATE_LIMITED (false). */
async function allowed(limiter: RateLimiter, rule: RateLimitRule, subject: string): Promise<boolean> {
  try {
    await limiter.consume(rule, subject);
    return true;
  } catch (error) {
    if (error instanceof BusinessError && error.code === 'RATE_LIMITED') return false;
    throw error;
  }
}

/** A fresh rule name per test, so tests never share a budget. */
function ruleOf(limit: number, windowSeconds: number): RateLimitRule {
  return { name: `rule-${randomBytes(4).toString('hex')}`, limit, windowSeconds };
}

describeIfRedis(`RedisRateLimitStore on ${REDIS_URL}`, () => {
  const prefix = `test:platform-rate-limit:${process.pid}:${randomBytes(6).toString('hex')}`;
  const stores: RedisRateLimitStore[] = [];
  let admin: Redis;

  /** A limiter over its own connection, as one replica of a service would have. */
  function replica(scale = 1): RateLimiter {
    const store = new RedisRateLimitStore(REDIS_URL, prefix, { log: quiet });
    stores.push(store);
    return new RateLimiter(store, scale);
  }

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    expect(await deleteTestKeys(admin, prefix)).toEqual([]);
    await Promise.all(stores.map((store) => store.close()));
    admin.disconnect();
  });

  test('SEC-7: exactly `limit` hits pass, the next is RATE_LIMITED with retryAfter the whole window', async () => {
    const limiter = replica();
    const rule = ruleOf(3, 60);
    const results = [];
    for (let i = 0; i < 5; i += 1) results.push(await allowed(limiter, rule, 'client-1'));
    expect(results).toEqual([true, true, true, false, false]);
    const error = await businessErrorOf(limiter.consume(rule, 'client-1'));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, details: { retryAfter: 60 } });
  });

  test('SEC-2: refused hits are not counted: hammering through the window still gets through once it has slid past', async () => {
    const limiter = replica();
    const rule = ruleOf(2, 1);
    const started = Date.now();
    expect([await allowed(limiter, rule, 'client-1'), await allowed(limiter, rule, 'client-1')]).toEqual([true, true]);
    let refusals = 0;
    while (Date.now() - started < 700) {
      expect(await allowed(limiter, rule, 'client-1')).toBe(false);
      refusals += 1;
      await sleep(20);
    }
    expect(refusals).toBeGreaterThan(5);
    await sleep(started + 1_100 - Date.now());
    expect([await allowed(limiter, rule, 'client-1'), await allowed(limiter, rule, 'client-1'), await allowed(limiter, rule, 'client-1')]).toEqual([
      true,
      true,
      false,
    ]);
  });

  test('SEC-7: two replicas sharing Redis share one budget, and the scale applies on each', async () => {
    const first = replica();
    const second = replica();
    const rule = ruleOf(5, 60);
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push(await allowed(first, rule, 'client-1'), await allowed(second, rule, 'client-1'));
    expect(results.filter(Boolean)).toHaveLength(5);
    const scaled = ruleOf(5, 60);
    const [doubledA, doubledB] = [replica(2), replica(2)];
    let passed = 0;
    for (let i = 0; i < 8; i += 1) passed += Number(await allowed(doubledA, scaled, 'x')) + Number(await allowed(doubledB, scaled, 'x'));
    expect(passed).toBe(10);
  });

  test('SEC-2: 50 concurrent hits from 5 replicas against a limit of 10 allow exactly 10', async () => {
    const replicas = Array.from({ length: 5 }, () => replica());
    const rule = ruleOf(10, 60);
    const results = await Promise.all(Array.from({ length: 50 }, (_unused, i) => allowed(replicas[i % 5] as RateLimiter, rule, 'phone-1')));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(await admin.zcard(`${prefix}:${rule.name}:phone-1`)).toBe(10);
  });

  test('SEC-2, PROMO-3: consumeAll counts against every limit or none, also under concurrency', async () => {
    const limiter = replica();
    const perPhone = ruleOf(1, 120);
    const perClient = ruleOf(3, 60);
    const otp = (phone: string, client: string) => [
      { rule: perPhone, subject: phone },
      { rule: perClient, subject: client },
    ];
    await limiter.consumeAll(otp('+33600000001', 'client-1'));
    expect((await businessErrorOf(limiter.consumeAll(otp('+33600000001', 'client-1')))).details.retryAfter).toBe(120);
    await limiter.consumeAll(otp('+33600000002', 'client-1'));
    await limiter.consumeAll(otp('+33600000003', 'client-1'));
    expect((await businessErrorOf(limiter.consumeAll(otp('+33600000004', 'client-1')))).details.retryAfter).toBe(60);
    await limiter.consumeAll(otp('+33600000004', 'client-2'));
    const racing = await Promise.allSettled(Array.from({ length: 20 }, () => replica().consumeAll(otp('+33600000005', 'client-3'))));
    expect(racing.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(await admin.zcard(`${prefix}:${perClient.name}:client-3`)).toBe(1);
  });

  test('SEC-7: a key expires with its window, and reset forgets it at once', async () => {
    const limiter = replica();
    const rule = ruleOf(1, 30);
    await limiter.consume(rule, 'customer-1');
    const ttl = await admin.pttl(`${prefix}:${rule.name}:customer-1`);
    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(await allowed(limiter, rule, 'customer-1')).toBe(false);
    await limiter.reset(rule, 'customer-1');
    expect(await admin.exists(`${prefix}:${rule.name}:customer-1`)).toBe(0);
    expect(await allowed(limiter, rule, 'customer-1')).toBe(true);
  });

  test('SEC-7: createRateLimitStore with a Redis URL gives the Redis store', async () => {
    const store = createRateLimitStore({ redisUrl: REDIS_URL, prefix, log: quiet });
    expect(store).toBeInstanceOf(RedisRateLimitStore);
    await store.close();
  });
});

describe('RedisRateLimitStore with Redis unreachable', () => {
  async function unreachable(failMode?: RateLimitFailMode) {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    return new RedisRateLimitStore(url, `test:unreachable:${randomBytes(4).toString('hex')}`, { log: quiet, ...(failMode ? { failMode } : {}) });
  }

  test.each([
    ['closed (the default)', undefined],
    ['closed', 'closed' as const],
  ])('SEC-2: fail mode %s refuses with SERVICE_UNAVAILABLE (retryable), without hanging', async (_label, failMode) => {
    const store = await unreachable(failMode);
    try {
      const started = Date.now();
      const error = await businessErrorOf(new RateLimiter(store).consume(ruleOf(5, 60), 'phone-1'));
      expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      expect(Date.now() - started).toBeLessThan(5_000);
      await expect(store.reset('any')).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });

  test('SEC-7: fail mode open lets every hit through, without hanging', async () => {
    const store = await unreachable('open');
    try {
      const limiter = new RateLimiter(store);
      const rule = ruleOf(1, 60);
      const started = Date.now();
      for (let i = 0; i < 3; i += 1) await expect(limiter.consume(rule, 'client-1')).resolves.toBeUndefined();
      expect(await store.hit('k', 4, 60)).toEqual({ allowed: true, remaining: 4, retryAfterSeconds: 0 });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await store.close();
    }
  });
});
