import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { errorCodes, postGraphQL, type GraphQLAnswer } from '@shop/platform/testing';
import { operationHash, parseManifest } from '../src/edge/persisted-queries';
import { PERSISTED_QUERIES_DIR } from '../src/subgraphs';
import { buildManifest } from '../src/tools/persisted-manifest';
import { startShopTestStack, type ShopTestStack } from './shop-test-stack';

const COST_PER_MINUTE = 400;
const demo = parseManifest(readFileSync(path.join(PERSISTED_QUERIES_DIR, 'demo-partner.json'), 'utf8'), 'demo-partner.json');
const PRODUCTS_PAGE = demo.operations.find((operation) => operation.name === 'ProductsPage');
const LOGOUT = 'mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }';
const CREATE_PRODUCT = 'mutation PartnerCreateProduct($input: CreateProductInput!) { createProduct(input: $input) { id market { id } variants { id sku } } }';
const SET_STOCK = 'mutation PartnerSetStock($variantId: ID!) { setStock(variantId: $variantId, quantity: 5, reason: "partner") { onHand } }';

/** A persisted query request as Apollo clients send it: the id, and the text unless `query` is null. */
async function persisted(
  url: string,
  key: string,
  hash: string,
  query: string | null,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, ...headers },
    body: JSON.stringify({ ...(query === null ? {} : { query }), variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as Pick<GraphQLAnswer, 'data' | 'errors'> & { extensions?: Record<string, unknown> };
  return { status: response.status, headers: response.headers, data: body.data, errors: body.errors, text };
}

const costOf = (answer: GraphQLAnswer) => (JSON.parse(answer.text) as { extensions?: { cost?: { requested: number; remaining: number; limit: number } } }).extensions?.cost;

describe('partner API keys and safelists (issue 9)', () => {
  let stack: ShopTestStack;
  let manifests: string;
  let staff: string;

  /** Creates a key through the gateway as staff; a MARKET key names its market. */
  async function createKey(partner: string, scope = 'READ_ONLY', marketId?: string): Promise<{ key: string; id: string }> {
    const answer = await postGraphQL<{ createPartnerKey: { key: string; partnerKey: { id: string } } }>(
      stack.gatewayUrl,
      'mutation ($input: CreatePartnerKeyInput!) { createPartnerKey(input: $input) { key partnerKey { id } } }',
      { variables: { input: { partner, scope, marketId } }, headers: { authorization: `Bearer ${staff}` } },
    );
    if (!answer.data) throw new Error(answer.text);
    return { key: answer.data.createPartnerKey.key, id: answer.data.createPartnerKey.partnerKey.id };
  }

  beforeAll(async () => {
    manifests = await mkdtemp(path.join(tmpdir(), 'partner-manifests-'));
    const demoJson = await readFile(path.join(PERSISTED_QUERIES_DIR, 'demo-partner.json'), 'utf8');
    for (const partner of ['demo-partner', 'budget-partner', 'revoked-partner']) await writeFile(path.join(manifests, `${partner}.json`), demoJson);
    await writeFile(path.join(manifests, 'logout.graphql'), LOGOUT);
    await writeFile(path.join(manifests, 'mutating-partner.json'), JSON.stringify(buildManifest([path.join(manifests, 'logout.graphql')])));
    await writeFile(path.join(manifests, 'create-product.graphql'), CREATE_PRODUCT);
    await writeFile(path.join(manifests, 'set-stock.graphql'), SET_STOCK);
    const marketOperations = buildManifest([path.join(manifests, 'create-product.graphql'), path.join(manifests, 'set-stock.graphql')]);
    await writeFile(path.join(manifests, 'market-partner.json'), JSON.stringify(marketOperations));
    stack = await startShopTestStack({
      // A 1 s key cache asks accounts often; key-lookup throttling has its own suite below.
      gatewayEnv: { PARTNER_MANIFESTS_DIR: manifests, PARTNER_COST_PER_MINUTE: String(COST_PER_MINUTE), PARTNER_KEY_CACHE_SECONDS: '1', GATEWAY_RATE_LIMIT_AUTH: '1000' },
    });
    staff = await stack.auth.token('partner-test-staff', ['STAFF', 'CUSTOMER']);
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(manifests, { recursive: true, force: true });
  });

  test('issue 9: a partner key runs a safelisted operation by its id alone, and with its exact text', async () => {
    if (!PRODUCTS_PAGE) throw new Error('demo-partner.json has no ProductsPage');
    const { key } = await createKey('demo-partner');
    const byId = await persisted(stack.gatewayUrl, key, PRODUCTS_PAGE.id, null, { first: 2 });
    expect(errorCodes(byId)).toEqual([]);
    expect((byId.data?.products as { edges: unknown[] }).edges).toHaveLength(2);
    const withText = await persisted(stack.gatewayUrl, key, PRODUCTS_PAGE.id, PRODUCTS_PAGE.body, { first: 1 });
    expect(errorCodes(withText)).toEqual([]);
    expect((withText.data?.products as { edges: unknown[] }).edges).toHaveLength(1);
  });

  test('issue 9: anything else from a partner key is PERSISTED_QUERY_NOT_ALLOWED: an unlisted query, altered text under a listed id, a plain query', async () => {
    if (!PRODUCTS_PAGE) throw new Error('demo-partner.json has no ProductsPage');
    const { key } = await createKey('demo-partner');
    const unlisted = '{ categories { id name } }';
    const answers = [
      await persisted(stack.gatewayUrl, key, operationHash(unlisted), unlisted),
      await persisted(stack.gatewayUrl, key, operationHash(unlisted), null),
      await persisted(stack.gatewayUrl, key, PRODUCTS_PAGE.id, PRODUCTS_PAGE.body.replace('slug', 'slug description')),
      await postGraphQL(stack.gatewayUrl, unlisted, { headers: { 'x-api-key': key } }),
    ];
    for (const answer of answers) {
      expect(errorCodes(answer)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
      expect(answer.data ?? null).toBeNull();
      expect(answer.status).toBe(400);
    }
  });

  test('issue 9: an unknown or revoked key is UNAUTHENTICATED (401)', async () => {
    if (!PRODUCTS_PAGE) throw new Error('demo-partner.json has no ProductsPage');
    const unknown = await persisted(stack.gatewayUrl, 'pk_not-a-key', PRODUCTS_PAGE.id, null);
    expect(unknown.status).toBe(401);
    expect(errorCodes(unknown)).toEqual(['UNAUTHENTICATED']);
    const { key, id } = await createKey('revoked-partner');
    expect(errorCodes(await persisted(stack.gatewayUrl, key, PRODUCTS_PAGE.id, null))).toEqual([]);
    const revoked = await postGraphQL(stack.gatewayUrl, 'mutation ($id: ID!) { revokePartnerKey(id: $id) { revokedAt } }', {
      variables: { id },
      headers: { authorization: `Bearer ${staff}` },
    });
    expect(errorCodes(revoked)).toEqual([]);
    // The gateway remembers a key's answer for PARTNER_KEY_CACHE_SECONDS (1 s here).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refused = await persisted(stack.gatewayUrl, key, PRODUCTS_PAGE.id, null);
    expect(refused.status).toBe(401);
    expect(errorCodes(refused)).toEqual(['UNAUTHENTICATED']);
  });

  test('issue 9: a read-only partner cannot run a mutation, even one of its safelist', async () => {
    const { key } = await createKey('mutating-partner');
    const answer = await persisted(stack.gatewayUrl, key, operationHash(buildManifest([path.join(manifests, 'logout.graphql')]).operations[0]?.body ?? ''), null, {
      refreshToken: 'x',
    });
    expect(errorCodes(answer)).toEqual(['FORBIDDEN']);
  });

  describe('a MARKET key acts for its one market (issue 9)', () => {
    let catalogDb: pg.Pool;
    let ownMarketId: string;
    let otherMarketId: string;
    const operationId = (name: string) => buildManifest([path.join(manifests, name)]).operations[0]?.id ?? '';
    const lamp = (sku: string, marketId?: string) => ({ name: `Partner Lamp ${sku}`, marketId, variants: [{ sku, name: 'Standard', price: { amount: '21.00', currency: 'EUR' } }] });
    const skusStored = async (skus: string[]) => (await catalogDb.query('SELECT sku FROM variant WHERE sku = ANY($1)', [skus])).rowCount;

    beforeAll(async () => {
      catalogDb = new pg.Pool({ connectionString: stack.catalogDatabaseUrl, max: 1 });
      const insert = (slug: string) =>
        catalogDb.query<{ id: string }>('INSERT INTO market (id, slug, name, owner_user_id) VALUES (gen_random_uuid(), $1, $1, $2) RETURNING id::text AS id', [slug, `${slug}-seller`]);
      ownMarketId = (await insert('partner-own-market')).rows[0]?.id ?? '';
      otherMarketId = (await insert('partner-other-market')).rows[0]?.id ?? '';
    });
    afterAll(async () => {
      await catalogDb?.end();
    });

    test('SEC-4: a MARKET key creates a product in its market through a safelisted mutation', async () => {
      const { key } = await createKey('market-partner', 'MARKET', ownMarketId);
      const answer = await persisted(stack.gatewayUrl, key, operationId('create-product.graphql'), null, { input: lamp('MKT-OWN-1', ownMarketId) });
      expect(errorCodes(answer)).toEqual([]);
      expect(answer.data?.createProduct).toMatchObject({ market: { id: ownMarketId }, variants: [{ sku: 'MKT-OWN-1' }] });
      expect(await skusStored(['MKT-OWN-1'])).toBe(1);
    });

    test('SEC-4: a MARKET key is FORBIDDEN in another market and the house market, also with a staff bearer token beside it', async () => {
      const { key } = await createKey('market-partner', 'MARKET', ownMarketId);
      const create = operationId('create-product.graphql');
      const answers = [
        await persisted(stack.gatewayUrl, key, create, null, { input: lamp('MKT-OTHER-1', otherMarketId) }),
        await persisted(stack.gatewayUrl, key, create, null, { input: lamp('MKT-HOUSE-1') }),
        // The key decides who the request is: a staff token sent with it lends no authority.
        await persisted(stack.gatewayUrl, key, create, null, { input: lamp('MKT-OTHER-2', otherMarketId) }, { authorization: `Bearer ${staff}` }),
      ];
      for (const answer of answers) expect(errorCodes(answer)).toEqual(['FORBIDDEN']);
      expect(await skusStored(['MKT-OTHER-1', 'MKT-HOUSE-1', 'MKT-OTHER-2'])).toBe(0);
    });

    test('SEC-4: outside the catalogue a MARKET key is a guest: staff-only setStock is UNAUTHENTICATED', async () => {
      const { key } = await createKey('market-partner', 'MARKET', ownMarketId);
      const created = await persisted(stack.gatewayUrl, key, operationId('create-product.graphql'), null, { input: lamp('MKT-STOCK-1', ownMarketId) });
      const variantId = (created.data?.createProduct as { variants: { id: string }[] } | undefined)?.variants[0]?.id;
      expect(variantId).toEqual(expect.any(String));
      const answer = await persisted(stack.gatewayUrl, key, operationId('set-stock.graphql'), null, { variantId });
      expect(errorCodes(answer)).toEqual(['UNAUTHENTICATED']);
    });
  });

  test('issue 9: every partner response reports extensions.cost, and past the budget per minute it is RATE_LIMITED with retryAfter', async () => {
    if (!PRODUCTS_PAGE) throw new Error('demo-partner.json has no ProductsPage');
    const { key } = await createKey('budget-partner');
    const first = await persisted(stack.gatewayUrl, key, PRODUCTS_PAGE.id, null, { first: 5 });
    const cost = costOf(first);
    expect(cost).toEqual({ requested: expect.any(Number), remaining: expect.any(Number), limit: COST_PER_MINUTE });
    expect(cost?.requested).toBeGreaterThan(0);
    expect(cost?.remaining).toBeLessThanOrEqual(COST_PER_MINUTE - (cost?.requested ?? 0) + 1);
    let answer = first;
    for (let call = 0; call < 20 && errorCodes(answer).length === 0; call += 1) answer = await persisted(stack.gatewayUrl, key, PRODUCTS_PAGE.id, null, { first: 5 });
    expect(errorCodes(answer)).toEqual(['RATE_LIMITED']);
    expect(answer.status).toBe(429);
    expect(Number(answer.errors?.[0]?.extensions?.retryAfter)).toBeGreaterThan(0);
    expect(costOf(answer)).toEqual({ requested: cost?.requested, remaining: expect.any(Number), limit: COST_PER_MINUTE });
    // Refusals report the budget too.
    expect(costOf(await persisted(stack.gatewayUrl, key, operationHash('{ categories { id } }'), null))).toEqual(expect.objectContaining({ limit: COST_PER_MINUTE }));
  });
});

describe('partner key lookups are throttled per client (issue 9, SEC-7)', () => {
  let stack: ShopTestStack;
  beforeAll(async () => {
    stack = await startShopTestStack({ gatewayEnv: { GATEWAY_RATE_LIMIT_AUTH: '3' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test('SEC-7: guessing keys spends the sign-in budget: past it the gateway answers 429 without asking accounts', async () => {
    const guess = (n: number) => persisted(stack.gatewayUrl, `pk_guess_${n}_${Date.now()}`, PRODUCTS_PAGE?.id ?? '', null);
    for (let n = 0; n < 3; n += 1) {
      const answer = await guess(n);
      expect(answer.status).toBe(401);
      expect(errorCodes(answer)).toEqual(['UNAUTHENTICATED']);
    }
    const refused = await guess(3);
    expect(refused.status).toBe(429);
    expect(errorCodes(refused)).toEqual(['RATE_LIMITED']);
    expect(refused.headers.get('retry-after')).toBe(String(refused.errors?.[0]?.extensions?.retryAfter));
  });
});
