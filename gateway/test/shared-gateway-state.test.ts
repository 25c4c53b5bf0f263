import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import type { RunningServer } from '@shop/platform';
import { describeWithRedis, deleteTestKeys, postGraphQL, TEST_REDIS_URL } from '@shop/platform/testing';
import { loadGatewayConfig, startGateway } from '../src';
import { parseManifest } from '../src/edge/persisted-queries';
import { PERSISTED_QUERIES_DIR } from '../src/subgraphs';
import { startShopTestStack, TEST_SECRET, type ShopTestStack } from './shop-test-stack';

const COST_PER_MINUTE = 400;
const demo = parseManifest(readFileSync(path.join(PERSISTED_QUERIES_DIR, 'demo-partner.json'), 'utf8'), 'demo-partner.json');
const PRODUCTS_PAGE = demo.operations.find((operation) => operation.name === 'ProductsPage');

/** POSTs a body as is (persisted query requests carry `extensions`). */
async function post(url: string, body: object, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[]; extensions?: { cost?: { requested: number } } } };
}

describeWithRedis('gateway state in Redis')('gateway replicas share persisted queries and partner budgets through Redis (issue 9)', () => {
  let stack: ShopTestStack;
  let replica: RunningServer;
  const prefix = `test:gateway-state:${randomBytes(4).toString('hex')}`;
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  beforeAll(async () => {
    const shared = { REDIS_URL: TEST_REDIS_URL, GATEWAY_RATE_LIMIT_PREFIX: prefix, PARTNER_COST_PER_MINUTE: String(COST_PER_MINUTE), GATEWAY_RATE_LIMIT_AUTH: '1000' };
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
        INVENTORY_URL: stack.inventoryUrls[0] ?? '',
        ORDERS_URL: stack.ordersUrls[0] ?? '',
      }),
    );
  });
  afterAll(async () => {
    await replica?.stop();
    await stack?.stop();
    expect(await deleteTestKeys(redis, prefix)).toEqual([]);
    redis.disconnect();
  });

  test('issue 9: an automatic persisted query registered on one replica runs by its hash alone on the other', async () => {
    const query = `{ products(first: 2) { edges { node { id name } } } __typename } # ${randomBytes(4).toString('hex')}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    expect((await post(replica.url, { extensions })).body.errors?.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const registered = await post(stack.gatewayUrl, { query, extensions });
    expect(registered.body.errors).toBeUndefined();
    const byHash = await post(replica.url, { extensions });
    expect(byHash.body.errors).toBeUndefined();
    expect(byHash.body.data).toEqual(registered.body.data);
  });

  test('issue 9: a partner spends one cost budget across both replicas', async () => {
    const staff = await stack.auth.token('shared-state-staff', ['STAFF']);
    const created = await postGraphQL<{ createPartnerKey: { key: string } }>(
      stack.gatewayUrl,
      'mutation ($input: CreatePartnerKeyInput!) { createPartnerKey(input: $input) { key } }',
      { variables: { input: { partner: 'demo-partner', scope: 'READ_ONLY' } }, headers: { authorization: `Bearer ${staff}` } },
    );
    const key = created.data?.createPartnerKey.key ?? '';
    const request = { variables: { first: 5 }, extensions: { persistedQuery: { version: 1, sha256Hash: PRODUCTS_PAGE?.id } } };
    let served = 0;
    let cost = 0;
    for (let i = 0; i < 40; i += 1) {
      const answer = await post(i % 2 === 0 ? stack.gatewayUrl : replica.url, request, { 'x-api-key': key });
      if (answer.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED') break;
      expect(answer.body.errors).toBeUndefined();
      cost = answer.body.extensions?.cost?.requested ?? 0;
      served += 1;
    }
    expect(cost).toBeGreaterThan(0);
    // One shared bucket fits floor(budget / cost) operations (plus what drains meanwhile); two
    // per-replica buckets would have let nearly twice as many through.
    const oneBudget = Math.floor(COST_PER_MINUTE / cost);
    expect(served).toBeGreaterThanOrEqual(oneBudget);
    expect(served).toBeLessThanOrEqual(oneBudget + 1);
  });
});
