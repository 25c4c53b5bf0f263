import { redisAnswers, TEST_REDIS_URL } from '@shop/platform/testing';
import { createCatalogDatabase, staff, startTestCatalog, type TestCatalog } from './catalog-test-server';

const READ = `query($id: ID!) { product(id: $id) { name variants { id price { amount } } } }`;
const LIST = `{ products(first: 100) { edges { node { id name } } } }`;
type Read = { product: { name: string; variants: { id: string; price: { amount: string } }[] } };

const redisUrl = TEST_REDIS_URL;

/** Updates through one instance, reads through `reader` right after the write committed. */
async function expectNoStaleRead(writer: TestCatalog, reader: TestCatalog, productId: string, round: number) {
  const before = await reader.call<Read>(READ, { variables: { id: productId } });
  const variantId = before.data?.product.variants[0]?.id;
  await reader.call(LIST); // warm the list cache too
  const name = `Renamed ${round}`;
  const amount = `${10 + round}.00`;
  const updated = await writer.call(
    `mutation($id: ID!, $variantId: ID!, $amount: String!, $name: String!) {
       updateProduct(id: $id, input: { name: $name }) { id }
       setVariantPrice(variantId: $variantId, price: { amount: $amount, currency: "EUR" }) { id }
     }`,
    { identity: staff, variables: { id: productId, variantId, amount, name } },
  );
  expect(updated.errors).toBeUndefined();
  const after = await reader.call<Read>(READ, { variables: { id: productId } });
  expect(after.data?.product.name).toBe(name);
  expect(after.data?.product.variants[0]?.price.amount).toBe(amount);
  const list = await reader.call<{ products: { edges: { node: { id: string; name: string } }[] } }>(LIST);
  expect(list.data?.products.edges.find((edge) => edge.node.id === productId)?.node.name).toBe(name);
}

describe('product cache (CAT-2)', () => {
  let database: Awaited<ReturnType<typeof createCatalogDatabase>>;
  let productId: string;

  beforeAll(async () => {
    database = await createCatalogDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function firstProductId(catalog: TestCatalog): Promise<string> {
    const list = await catalog.call<{ products: { edges: { node: { id: string } }[] } }>('{ products(first: 1) { edges { node { id } } } }');
    return list.data?.products.edges[0]?.node.id ?? '';
  }

  test('CAT-2: with the in-process cache, no read after a committed update returns the old value', async () => {
    const catalog = await startTestCatalog(database.url, { cacheTtlSeconds: 300 });
    try {
      productId = await firstProductId(catalog);
      for (let round = 1; round <= 3; round += 1) await expectNoStaleRead(catalog, catalog, productId, round);
    } finally {
      await catalog.stop();
    }
  });

  test('CAT-2: with Redis shared by two replicas, a write on one is never read stale on the other', async () => {
    if (!redisAnswers(redisUrl)) {
      if (process.env.CI) throw new Error(`no Redis answers at ${redisUrl}, and CI must have one`);
      console.warn(`*** CAT-2 Redis replica check SKIPPED: no Redis answers at ${redisUrl} ***`);
      return;
    }
    const replicaA = await startTestCatalog(database.url, { cacheTtlSeconds: 300, redisUrl });
    const replicaB = await startTestCatalog(database.url, { cacheTtlSeconds: 300, redisUrl });
    try {
      productId = await firstProductId(replicaA);
      for (let round = 4; round <= 6; round += 1) await expectNoStaleRead(replicaA, replicaB, productId, round);
    } finally {
      await replicaA.stop();
      await replicaB.stop();
    }
  });
});
