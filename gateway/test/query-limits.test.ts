import { getIntrospectionQuery } from 'graphql';
import { errorCodes, postGraphQL, type GraphQLAnswer } from '@shop/platform/testing';
import { requestsServed, startShopTestStack, type ShopTestStack } from './shop-test-stack';

/** `depth` nested fields: categories, then parents, then id. */
const deepQuery = (depth: number) => `{ categories { ${'parent { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;
const logins = (count: number) =>
  `mutation { ${Array.from({ length: count }, (_, i) => `a${i}: login(email: "x@y.z", password: "p${i}") { accessToken }`).join(' ')} }`;
const aliasedProducts = (count: number) =>
  `{ ${Array.from({ length: count }, (_, i) => `p${i}: products(first: 1) { edges { node { id } } }`).join(' ')} }`;
const STOREFRONT = `
  query Storefront($first: Int = 20) {
    products(first: $first) { edges { cursor node { ...Card } } pageInfo { hasNextPage endCursor } }
    categories { id slug name }
  }
  fragment Card on Product { id name slug priceFrom { amount currency } variants { id sku ... on Variant { price { amount currency } } } }
`;

async function postBatch(url: string, operations: { query: string }[]): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(operations) });
  return { status: response.status, body: await response.json() };
}

function expectTooComplex(answer: GraphQLAnswer<unknown>, limitKind: string, limit: number): number {
  expect(answer.status).toBe(400);
  expect(answer.data).toBeUndefined();
  expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
  const extensions = answer.errors?.[0]?.extensions ?? {};
  expect(extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', retryable: false, limitKind, limit });
  expect(extensions.measured).toBeGreaterThan(limit);
  return Number(extensions.measured);
}

describe('query limits at the gateway, default bounds (SEC-7)', () => {
  let stack: ShopTestStack;
  /** Runs `act` and proves that neither subgraph was called meanwhile. */
  const withoutSubgraphs = async <T>(act: () => Promise<T>): Promise<T> => {
    const before = await Promise.all([requestsServed(stack.catalog.url), requestsServed(stack.accounts.url)]);
    const result = await act();
    expect(await Promise.all([requestsServed(stack.catalog.url), requestsServed(stack.accounts.url)])).toEqual(before);
    return result;
  };
  beforeAll(async () => {
    stack = await startShopTestStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test('SEC-7: a normal storefront query (fragments, a page of 20 or of 100, variants and prices) passes', async () => {
    for (const variables of [{}, { first: 100 }]) {
      const answer = await postGraphQL<{ products: { edges: unknown[] } }>(stack.gatewayUrl, STOREFRONT, { variables });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.products.edges.length).toBeGreaterThan(0);
    }
    // The subgraph counters move when a query does run, so the "not called" proofs below mean something.
    const before = await requestsServed(stack.catalog.url);
    await postGraphQL(stack.gatewayUrl, '{ categories { id } }');
    expect(await requestsServed(stack.catalog.url)).toBeGreaterThan(before);
  });

  test('CONTRACT, SEC-7: a query 20 deep is refused with QUERY_TOO_COMPLEX (depth) before any subgraph runs', async () => {
    const answer = await withoutSubgraphs(() => postGraphQL(stack.gatewayUrl, deepQuery(20)));
    expect(expectTooComplex(answer, 'depth', 10)).toBe(20);
    // Measures of a variable-free operation are remembered: the second sending is refused just the same.
    expect(expectTooComplex(await withoutSubgraphs(() => postGraphQL(stack.gatewayUrl, deepQuery(20))), 'depth', 10)).toBe(20);
    expect(errorCodes(await postGraphQL(stack.gatewayUrl, deepQuery(10)))).toEqual([]);
  });

  test('CONTRACT, SEC-7: 100 aliased logins in one document are refused (aliases) and never reach accounts', async () => {
    const answer = await withoutSubgraphs(() => postGraphQL(stack.gatewayUrl, logins(100)));
    expect(expectTooComplex(answer, 'aliases', 15)).toBe(100);
  });

  test('SEC-7: nested lists under a page of 100 are refused with their estimated cost', async () => {
    const query = '{ products(first: 100) { edges { node { variants { product { variants { sku price { amount } } } } } } } }';
    const answer = await withoutSubgraphs(() => postGraphQL(stack.gatewayUrl, query));
    // products 1 + edges (1 + 100 × (node 1 + variants (1 + 10 × (product 1 + variants (1 + 10 × (sku 1 + price 1 + amount 1))))))
    expect(expectTooComplex(answer, 'cost', 10000)).toBe(1 + 1 + 100 * (1 + 1 + 10 * (1 + 1 + 10 * 3)));
  });

  test('SEC-7: the list size a variable sets is the one counted', async () => {
    const query = 'query($n: Int) { products(first: $n) { edges { node { variants { product { name } } } } } }';
    const small = await postGraphQL(stack.gatewayUrl, query, { variables: { n: 2 } });
    expect(small.errors).toBeUndefined();
    const large = await withoutSubgraphs(() => postGraphQL(stack.gatewayUrl, query, { variables: { n: 1000 } }));
    expectTooComplex(large, 'cost', 10000);
  });

  test("SEC-7: the playground's introspection query passes; a deeper introspection is refused", async () => {
    for (const options of [{}, { inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true }]) {
      const answer = await postGraphQL<{ __schema: { types: unknown[] } }>(stack.gatewayUrl, getIntrospectionQuery(options));
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.__schema.types.length).toBeGreaterThan(10);
    }
    const ofTypes = (n: number): string => (n === 0 ? 'name' : `name ofType { ${ofTypes(n - 1)} }`);
    expectTooComplex(await postGraphQL(stack.gatewayUrl, `{ __type(name: "Product") { ${ofTypes(20)} } }`), 'depth', 15);
  });

  test('SEC-7: a huge document is refused by its token count before it is parsed', async () => {
    const query = `{ products(first: 1) { edges { node { ${'id '.repeat(5000)}} } } }`;
    const answer = await withoutSubgraphs(() => postGraphQL(stack.gatewayUrl, query));
    expectTooComplex(answer, 'tokens', 2000);
  });

  test('SEC-7: more than 20 directives are refused, counted through fragments', async () => {
    const query = `{ products(first: 1) { edges { node { ...A ...A } } } } fragment A on Product { ${'id @include(if: true) '.repeat(11)}}`;
    const answer = await withoutSubgraphs(() => postGraphQL(stack.gatewayUrl, query));
    expect(expectTooComplex(answer, 'directives', 20)).toBe(22);
  });

  test('SEC-7: batched requests (a JSON array) are refused unless enabled', async () => {
    const { status, body } = await withoutSubgraphs(() => postBatch(stack.gatewayUrl, [{ query: '{ categories { id } }' }]));
    expect(status).toBe(400);
    expect(body).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });
});

describe('query limits with batching enabled (SEC-7)', () => {
  let stack: ShopTestStack;
  beforeAll(async () => {
    stack = await startShopTestStack({ gatewayEnv: { GATEWAY_BATCHING_ENABLED: 'true' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  test('SEC-7: with GATEWAY_BATCHING_ENABLED each operation of a batch is measured on its own', async () => {
    // 10 + 10 aliases pass (the bound is per operation, not per request); 16 in one operation do not.
    const { body } = await postBatch(stack.gatewayUrl, [{ query: aliasedProducts(10) }, { query: aliasedProducts(10) }, { query: aliasedProducts(16) }]);
    const answers = body as { data?: Record<string, unknown>; errors?: { extensions?: Record<string, unknown> }[] }[];
    expect(answers).toHaveLength(3);
    expect(answers[0]?.errors).toBeUndefined();
    expect(Object.keys(answers[0]?.data ?? {})).toHaveLength(10);
    expect(answers[1]?.errors).toBeUndefined();
    expect(answers[2]?.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limitKind: 'aliases', measured: 16, limit: 15 });
  });
});
