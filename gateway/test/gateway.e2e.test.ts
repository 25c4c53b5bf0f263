import pg from 'pg';
import { SignJWT } from 'jose';
import { createTestAuth, errorCodes, postGraphQL } from '@shop/platform/testing';
import { startShopTestStack, type ShopTestStack } from './shop-test-stack';

const FIVE_PRODUCTS = '{ products(first: 5) { edges { node { id name variants { sku price { amount currency } } } } } }';
const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id name } }`;
const input = (sku: string) => ({ name: `Gateway Mug ${sku}`, variants: [{ sku, name: 'White', price: { amount: '14.90', currency: 'EUR' } }] });

describe('through the gateway, as a client', () => {
  let stack: ShopTestStack;
  beforeAll(async () => {
    stack = await startShopTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });
  const bearer = async (roles: ('STAFF' | 'CUSTOMER')[]) => ({ authorization: `Bearer ${await stack.auth.token(`user-${roles.join('-')}`, roles)}` });

  test('CAT-1: anyone lists five products with Money amounts as decimal strings', async () => {
    const answer = await postGraphQL<{ products: { edges: { node: { variants: { price: { amount: string } }[] } }[] } }>(stack.gatewayUrl, FIVE_PRODUCTS);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.products.edges).toHaveLength(5);
    for (const edge of answer.data?.products.edges ?? []) for (const v of edge.node.variants) expect(v.price.amount).toMatch(/^\d+\.\d{2}$/);
  });

  test('CAT-1: search works through the gateway', async () => {
    const answer = await postGraphQL<{ products: { edges: { node: { name: string } }[] } }>(
      stack.gatewayUrl,
      '{ products(first: 3, search: "cast iron skillet") { edges { node { name } } } }',
    );
    expect(answer.data?.products.edges[0]?.node.name).toBe('Cast Iron Skillet');
  });

  test('SEC-4: a staff token creates a product; anonymous gets UNAUTHENTICATED, a customer FORBIDDEN', async () => {
    const asStaff = await postGraphQL(stack.gatewayUrl, CREATE, { variables: { input: input('GW-1') }, headers: await bearer(['STAFF']) });
    expect(asStaff.errors).toBeUndefined();
    const anonymous = await postGraphQL(stack.gatewayUrl, CREATE, { variables: { input: input('GW-2') } });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const asCustomer = await postGraphQL(stack.gatewayUrl, CREATE, { variables: { input: input('GW-3') }, headers: await bearer(['CUSTOMER']) });
    expect(errorCodes(asCustomer)).toEqual(['FORBIDDEN']);
    expect(asCustomer.errors?.[0]?.extensions?.retryable).toBe(false);
  });

  test('CAT-1: bad input is BAD_USER_INPUT naming the field', async () => {
    const answer = await postGraphQL(stack.gatewayUrl, CREATE, {
      variables: { input: { name: 'Cheap', variants: [{ sku: 'GW-4', name: 'x', price: { amount: '0.001', currency: 'EUR' } }] } },
      headers: await bearer(['STAFF']),
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.variants.0.price', retryable: false });
  });

  test('SEC-1: tokens from another key, with another algorithm or expired are refused with UNAUTHENTICATED', async () => {
    const stranger = await createTestAuth();
    const hs256 = await new SignJWT({ roles: ['STAFF'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'x' })
      .setSubject('attacker')
      .setIssuer('shop-accounts')
      .setAudience('shop')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-secret-the-attacker-chose-32-bytes!'));
    const expired = await stack.auth.token('late', ['STAFF'], '-1s');
    for (const token of [await stranger.token('x', ['STAFF']), hs256, expired, 'not.a.jwt']) {
      const answer = await postGraphQL(stack.gatewayUrl, CREATE, { variables: { input: input('GW-5') }, headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(401);
      expect(errorCodes(answer)).toEqual(['UNAUTHENTICATED']);
    }
  });

  test('SEC-3: calling the subgraph port directly, without the gateway-signed identity, is refused', async () => {
    const direct = await postGraphQL(stack.catalog.url, FIVE_PRODUCTS);
    expect(direct.status).toBe(401);
    expect(errorCodes(direct)).toEqual(['UNAUTHENTICATED']);
    const forged = await postGraphQL(stack.catalog.url, CREATE, {
      variables: { input: input('GW-6') },
      headers: { 'x-shop-identity': Buffer.from(JSON.stringify({ sub: 'x', roles: ['STAFF'], exp: 9e9 })).toString('base64url') + '.AAAA' },
    });
    expect(forged.status).toBe(401);
  });

  test('PLAT-2: the correlation id a client sends is echoed and reaches the subgraph (it is on the outbox row)', async () => {
    const correlationId = `e2e-${Date.now()}`;
    const answer = await postGraphQL<{ createProduct: { id: string } }>(stack.gatewayUrl, CREATE, {
      variables: { input: input('GW-7') },
      headers: { ...(await bearer(['STAFF'])), 'x-correlation-id': correlationId },
    });
    expect(answer.headers.get('x-correlation-id')).toBe(correlationId);
    const sql = new pg.Client({ connectionString: stack.catalogDatabaseUrl });
    await sql.connect();
    try {
      const rows = await sql.query('SELECT correlation_id FROM outbox WHERE aggregate_id = $1', [answer.data?.createProduct.id]);
      expect(rows.rows).toEqual([{ correlation_id: correlationId }]);
    } finally {
      await sql.end();
    }
  });

  test('the playground page, /healthz and /readyz answer 200', async () => {
    const page = await fetch(stack.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/playground/graphiql.min.js');
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
    expect((await fetch(`${stack.gatewayOrigin}/playground/graphiql.min.js`)).status).toBe(200);
    expect((await fetch(`${stack.gatewayOrigin}/healthz`)).status).toBe(200);
    expect((await fetch(`${stack.gatewayOrigin}/readyz`)).status).toBe(200);
  });
});

describe('readiness', () => {
  test('PLAT-3: /readyz answers 503 while a subgraph is down', async () => {
    const stack = await startShopTestStack();
    try {
      await stack.catalog.stop();
      const ready = await fetch(`${stack.gatewayOrigin}/readyz`);
      expect(ready.status).toBe(503);
      const answer = await postGraphQL(stack.gatewayUrl, FIVE_PRODUCTS);
      expect(errorCodes(answer)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(answer.errors?.[0]?.extensions?.retryable).toBe(true);
    } finally {
      await stack.stop();
    }
  });
});
