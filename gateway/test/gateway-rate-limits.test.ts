import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { describeWithRedis, deleteTestKeys, errorCodes, postGraphQL, TEST_REDIS_URL } from '@shop/platform/testing';
import type { RunningServer } from '@shop/platform';
import { loadGatewayConfig, startGateway } from '../src';
import { requestsServed, startShopTestStack, TEST_SECRET, type ShopTestStack } from './shop-test-stack';

const PRODUCTS = '{ products(first: 1) { edges { node { id } } } }';
const logins = (count: number) =>
  `mutation { ${Array.from({ length: count }, (_, i) => `a${i}: login(email: "victim@example.com", password: "guess-${i}") { accessToken }`).join(' ')} }`;

describe('gateway rate limits (SEC-7)', () => {
  let stack: ShopTestStack;
  beforeAll(async () => {
    stack = await startShopTestStack({ gatewayEnv: { GATEWAY_RATE_LIMIT_PER_CLIENT: '5', GATEWAY_RATE_LIMIT_AUTH: '3' }, rateLimitScale: 1000 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test('SEC-7: past the per-client budget the gateway answers 429 RATE_LIMITED with retryAfter and Retry-After', async () => {
    for (let i = 0; i < 5; i += 1) expect(errorCodes(await postGraphQL(stack.gatewayUrl, PRODUCTS))).toEqual([]);
    const refused = await postGraphQL(stack.gatewayUrl, PRODUCTS);
    expect(refused.status).toBe(429);
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    const retryAfter = Number(refused.errors?.[0]?.extensions?.retryAfter);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('retry-after')).toBe(String(retryAfter));
  });
});

describe('gateway rate limits after the query limits (SEC-7)', () => {
  let stack: ShopTestStack;
  beforeAll(async () => {
    stack = await startShopTestStack({ gatewayEnv: { GATEWAY_RATE_LIMIT_PER_CLIENT: '3', GATEWAY_QUERY_MAX_DEPTH: '3' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test('SEC-7: an operation the query limits refuse spends none of the rate-limit budget', async () => {
    const deep = '{ products(first: 1) { edges { node { variants { price { amount } } } } } }';
    for (let i = 0; i < 5; i += 1) expect(errorCodes(await postGraphQL(stack.gatewayUrl, deep))).toEqual(['QUERY_TOO_COMPLEX']);
    const shallow = '{ products(first: 1) { pageInfo { hasNextPage } } }';
    for (let i = 0; i < 3; i += 1) expect(errorCodes(await postGraphQL(stack.gatewayUrl, shallow))).toEqual([]);
    expect(errorCodes(await postGraphQL(stack.gatewayUrl, shallow))).toEqual(['RATE_LIMITED']);
  });
});

describe('gateway rate limits on sign-in (SEC-7)', () => {
  let stack: ShopTestStack;
  beforeAll(async () => {
    stack = await startShopTestStack({ gatewayEnv: { GATEWAY_RATE_LIMIT_AUTH: '4' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test('SEC-7: aliased logins count one by one: a brute force in one document is refused whole, before accounts sees it', async () => {
    const before = await requestsServed(stack.accounts.url);
    const refused = await postGraphQL(stack.gatewayUrl, logins(10));
    expect(refused.status).toBe(429);
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(await requestsServed(stack.accounts.url)).toBe(before);
    // The control: a document within the budget does reach accounts.
    expect(errorCodes(await postGraphQL(stack.gatewayUrl, logins(1)))).toEqual(['INVALID_CREDENTIALS']);
    expect(await requestsServed(stack.accounts.url)).toBeGreaterThan(before);
  });
});

describeWithRedis('gateway rate limits in Redis')('gateway rate limits shared by replicas (SEC-7)', () => {
  let stack: ShopTestStack;
  let replica: RunningServer;
  const prefix = `test:gateway-limits:${randomBytes(4).toString('hex')}`;
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  beforeAll(async () => {
    const shared = { REDIS_URL: TEST_REDIS_URL, GATEWAY_RATE_LIMIT_PREFIX: prefix, GATEWAY_RATE_LIMIT_PER_CLIENT: '4' };
    stack = await startShopTestStack({ gatewayEnv: shared });
    replica = await startGateway(
      loadGatewayConfig({
        ...shared,
        PORT: '0',
        LOG_LEVEL: 'silent',
        GATEWAY_SUBGRAPH_SECRET: TEST_SECRET,
        JWT_JWKS: JSON.stringify(stack.auth.jwks),
        CATALOG_URL: stack.catalog.url,
        ACCOUNTS_URL: stack.accounts.url,
      }),
    );
  });
  afterAll(async () => {
    await replica?.stop();
    await stack?.stop();
    expect(await deleteTestKeys(redis, prefix)).toEqual([]);
    redis.disconnect();
  });

  test('SEC-7: two gateway replicas share one budget per client', async () => {
    for (const url of [stack.gatewayUrl, replica.url, stack.gatewayUrl, replica.url]) expect(errorCodes(await postGraphQL(url, PRODUCTS))).toEqual([]);
    expect(errorCodes(await postGraphQL(replica.url, PRODUCTS))).toEqual(['RATE_LIMITED']);
    expect(errorCodes(await postGraphQL(stack.gatewayUrl, PRODUCTS))).toEqual(['RATE_LIMITED']);
  });
});
