import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { formatError } from '../errors/format-error';
import { createRateLimitStore, rateLimitEnv } from './index';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import { RateLimiter } from './rate-limiter';
import type { RateLimitRule } from './rate-limiter';
import { businessErrorOf } from '../testing/business-error-of';

const SECOND = 1000;

/** A limiter over the memory store with a clock the test moves by hand, so every wait is exact. */
function limiterAt(scale = 1, maxKeys?: number) {
  const clock = { now: 1_700_000_000_000 };
  const start = clock.now;
  const store = new MemoryRateLimitStore({ now: () => clock.now, maxKeys });
  return {
    limiter: new RateLimiter(store, scale),
    /** Sets the clock to `seconds` after the start. */
    at: (seconds: number) => {
      clock.now = start + seconds * SECOND;
    },
  };
}


/** How many of `count` consecutive hits are allowed. */
async function allowedOf(limiter: RateLimiter, rule: RateLimitRule, subject: string, count: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < count; i += 1) {
    await limiter.consume(rule, subject).then(
      () => (allowed += 1),
      () => undefined,
    );
  }
  return allowed;
}

const perMinute: RateLimitRule = { name: 'coupon-per-client', limit: 3, windowSeconds: 60 };
const otpPerPhone: RateLimitRule = { name: 'otp-per-phone', limit: 1, windowSeconds: 120 };
const otpPerClient: RateLimitRule = { name: 'otp-per-client', limit: 3, windowSeconds: 60 };

describe('RateLimiter over the memory store', () => {
  test('SEC-7: exactly `limit` hits pass in a window, the next one is refused', async () => {
    const { limiter } = limiterAt();
    expect(await allowedOf(limiter, perMinute, 'client-1', 10)).toBe(3);
  });

  test('SEC-7: the window slides: a burst at the end of one minute leaves no room at the start of the next (no double burst)', async () => {
    const { limiter, at } = limiterAt();
    at(59);
    expect(await allowedOf(limiter, perMinute, 'client-1', 3)).toBe(3);
    at(60);
    expect(await allowedOf(limiter, perMinute, 'client-1', 3)).toBe(0);
    at(118.999);
    expect(await allowedOf(limiter, perMinute, 'client-1', 1)).toBe(0);
    at(119);
    expect(await allowedOf(limiter, perMinute, 'client-1', 5)).toBe(3);
  });

  test('SEC-7: hits spread over the window free one slot each as each of them leaves it', async () => {
    const { limiter, at } = limiterAt();
    for (const second of [0, 20, 40]) {
      at(second);
      await limiter.consume(perMinute, 'client-1');
    }
    at(59);
    expect(await allowedOf(limiter, perMinute, 'client-1', 1)).toBe(0);
    at(60);
    expect(await allowedOf(limiter, perMinute, 'client-1', 2)).toBe(1);
    at(79);
    expect(await allowedOf(limiter, perMinute, 'client-1', 1)).toBe(0);
    at(80);
    expect(await allowedOf(limiter, perMinute, 'client-1', 2)).toBe(1);
  });

  test('SEC-2, SEC-7: retryAfter is the whole seconds until the oldest hit leaves the window, rounded up, never 0', async () => {
    const { limiter, at } = limiterAt();
    at(0);
    await limiter.consume(otpPerPhone, '+33600000001');
    at(30.5);
    expect((await businessErrorOf(limiter.consume(otpPerPhone, '+33600000001'))).details.retryAfter).toBe(90);
    at(119.001);
    expect((await businessErrorOf(limiter.consume(otpPerPhone, '+33600000001'))).details.retryAfter).toBe(1);
    at(120);
    await expect(limiter.consume(otpPerPhone, '+33600000001')).resolves.toBeUndefined();
  });

  test('SEC-7: retryAfter counts from the oldest hit still in the window, and waiting that long succeeds', async () => {
    const { limiter, at } = limiterAt();
    const twoPerMinute = { name: 'pay', limit: 2, windowSeconds: 60 };
    at(0);
    await limiter.consume(twoPerMinute, 'customer-1');
    at(50);
    await limiter.consume(twoPerMinute, 'customer-1');
    at(55);
    const { details } = await businessErrorOf(limiter.consume(twoPerMinute, 'customer-1'));
    expect(details.retryAfter).toBe(5);
    at(55 + 5);
    await expect(limiter.consume(twoPerMinute, 'customer-1')).resolves.toBeUndefined();
  });

  test('SEC-2: refused hits are not counted: a client that keeps hammering gets through once its hits leave the window', async () => {
    const { limiter, at } = limiterAt();
    const twoPerMinute = { name: 'login', limit: 2, windowSeconds: 60 };
    at(0);
    await limiter.consume(twoPerMinute, 'client-1');
    at(1);
    await limiter.consume(twoPerMinute, 'client-1');
    for (let second = 2; second < 60; second += 0.5) {
      at(second);
      expect(await allowedOf(limiter, twoPerMinute, 'client-1', 1)).toBe(0);
    }
    at(60);
    expect(await allowedOf(limiter, twoPerMinute, 'client-1', 2)).toBe(1);
    at(61);
    expect(await allowedOf(limiter, twoPerMinute, 'client-1', 2)).toBe(1);
  });

  test('CONTRACT: RATE_LIMIT_SCALE multiplies every limit (floor of limit × scale)', async () => {
    expect(await allowedOf(limiterAt(2).limiter, perMinute, 'client-1', 20)).toBe(6);
    expect(await allowedOf(limiterAt(0.5).limiter, { name: 'x', limit: 5, windowSeconds: 60 }, 'client-1', 20)).toBe(2);
    expect(new RateLimiter(new MemoryRateLimitStore(), 1.5).effectiveLimit({ name: 'x', limit: 3, windowSeconds: 1 })).toBe(4);
  });

  test('CONTRACT: a scale below 1 never brings a limit to 0, and a scale that is not positive is refused', async () => {
    expect(await allowedOf(limiterAt(0.01).limiter, perMinute, 'client-1', 5)).toBe(1);
    const store = new MemoryRateLimitStore();
    for (const scale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => new RateLimiter(store, scale)).toThrow(/scale/);
  });

  test('SEC-7: subjects and rules are counted apart', async () => {
    const { limiter } = limiterAt();
    expect(await allowedOf(limiter, perMinute, 'client-1', 5)).toBe(3);
    expect(await allowedOf(limiter, perMinute, 'client-2', 5)).toBe(3);
    expect(await allowedOf(limiter, { ...perMinute, name: 'payment-per-client' }, 'client-1', 5)).toBe(3);
  });

  test('CONTRACT: over a limit is RATE_LIMITED, retryable, with extensions.retryAfter in seconds', async () => {
    const { limiter, at } = limiterAt();
    at(0);
    await limiter.consume(otpPerPhone, '+33600000001');
    at(10);
    const error = await businessErrorOf(limiter.consume(otpPerPhone, '+33600000001'));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, details: { retryAfter: 110 } });
    expect(error.message).toContain('110');
    const formatted = formatError(new GraphQLError(error.message, { originalError: error }).toJSON(), error);
    expect(formatted.extensions).toEqual({ code: 'RATE_LIMITED', retryable: true, retryAfter: 110 });
  });

  test('SEC-2, PROMO-3: consumeAll counts a request against every limit or none: a refusal by one spends nothing of the others', async () => {
    const { limiter, at } = limiterAt();
    const otp = (phone: string, client: string) => [
      { rule: otpPerPhone, subject: phone },
      { rule: otpPerClient, subject: client },
    ];
    at(0);
    await limiter.consumeAll(otp('+33600000001', 'client-1'));
    // Refused per phone: the client's budget is not spent.
    await businessErrorOf(limiter.consumeAll(otp('+33600000001', 'client-1')));
    await limiter.consumeAll(otp('+33600000002', 'client-1'));
    await limiter.consumeAll(otp('+33600000003', 'client-1'));
    // Refused per client: the phone's budget is not spent, so another client may still use it.
    const refused = await businessErrorOf(limiter.consumeAll(otp('+33600000004', 'client-1')));
    expect(refused.details.retryAfter).toBe(60);
    await limiter.consumeAll(otp('+33600000004', 'client-2'));
  });

  test('SEC-7: when several limits are exceeded, retryAfter is the longest wait among them', async () => {
    const { limiter, at } = limiterAt();
    at(0);
    await limiter.consumeAll([
      { rule: otpPerPhone, subject: '+33600000001' },
      { rule: { ...otpPerClient, limit: 1 }, subject: 'client-1' },
    ]);
    at(30);
    const error = await businessErrorOf(
      limiter.consumeAll([
        { rule: { ...otpPerClient, limit: 1 }, subject: 'client-1' },
        { rule: otpPerPhone, subject: '+33600000001' },
      ]),
    );
    expect(error.details.retryAfter).toBe(90);
  });

  test('SEC-2: consume before each attempt and reset on success locks out after N consecutive failures only', async () => {
    const { limiter } = limiterAt();
    const fiveFailures = { name: 'otp-verify', limit: 5, windowSeconds: 900 };
    expect(await allowedOf(limiter, fiveFailures, 'challenge-1', 4)).toBe(4);
    await limiter.reset(fiveFailures, 'challenge-1');
    expect(await allowedOf(limiter, fiveFailures, 'challenge-1', 6)).toBe(5);
    expect((await businessErrorOf(limiter.consume(fiveFailures, 'challenge-1'))).details.retryAfter).toBe(900);
  });

  test('SEC-7: the memory store keeps at most maxKeys keys (the least recently used one is forgotten)', async () => {
    const { limiter } = limiterAt(1, 2);
    const once = { name: 'once', limit: 1, windowSeconds: 60 };
    await limiter.consume(once, 'a');
    await limiter.consume(once, 'b');
    await limiter.consume(once, 'c');
    expect(await allowedOf(limiter, once, 'a', 1)).toBe(1);
    expect(await allowedOf(limiter, once, 'c', 1)).toBe(0);
  });

  test('SEC-7: a malformed rule or the same rule and subject twice in consumeAll is a programming error', async () => {
    const { limiter } = limiterAt();
    await expect(limiter.consume({ name: 'zero', limit: 0, windowSeconds: 60 }, 's')).rejects.toThrow(/limit/);
    await expect(limiter.consume({ name: 'half', limit: 1.5, windowSeconds: 60 }, 's')).rejects.toThrow(/limit/);
    await expect(limiter.consume({ name: 'no-window', limit: 1, windowSeconds: 0 }, 's')).rejects.toThrow(/windowSeconds/);
    await expect(limiter.consumeAll([{ rule: perMinute, subject: 's' }, { rule: perMinute, subject: 's' }])).rejects.toThrow(/twice/);
    await expect(limiter.consumeAll([])).resolves.toBeUndefined();
  });
});

describe('rate-limit configuration', () => {
  const schema = z.object(rateLimitEnv);

  test('CONTRACT: RATE_LIMIT_SCALE defaults to 1, is read as a number and must be positive', () => {
    expect(schema.parse({})).toEqual({ RATE_LIMIT_SCALE: 1 });
    expect(schema.parse({ RATE_LIMIT_SCALE: '0.25' })).toEqual({ RATE_LIMIT_SCALE: 0.25 });
    expect(schema.safeParse({ RATE_LIMIT_SCALE: '0' }).success).toBe(false);
    expect(schema.safeParse({ RATE_LIMIT_SCALE: 'lots' }).success).toBe(false);
  });

  test('SEC-7: without a Redis URL the store is the in-process one', async () => {
    const store = createRateLimitStore({ prefix: 'unused' });
    expect(store).toBeInstanceOf(MemoryRateLimitStore);
    await store.close();
  });
});
