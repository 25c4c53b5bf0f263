import { createCatalogDatabase, staff, startTestCatalog, type TestCatalog } from './catalog-test-server';

const LIST = `query List($first: Int) {
  products(first: $first) { edges { node { id name category { name } market { name } variants { sku price { amount } } images { url } } } }
}`;
const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Product { id name category { name } variants { sku price { amount } } } }
}`;

describe('no N+1 (CAT-3)', () => {
  let database: Awaited<ReturnType<typeof createCatalogDatabase>>;
  let catalog: TestCatalog;
  let ids: string[] = [];

  beforeAll(async () => {
    database = await createCatalogDatabase();
    // The cache would hide the statements; CAT-3 is about what reaches the database.
    catalog = await startTestCatalog(database.url, { cacheTtlSeconds: 0 });
    const categories = await catalog.call<{ categories: { id: string }[] }>('{ categories { id } }');
    // Every product has a category, so short and long lists select the same relations.
    const categoryId = categories.data?.categories[0]?.id;
    for (let i = 0; i < 50; i += 1) {
      const created = await catalog.call(
        `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
        { identity: staff, variables: { input: { name: `Bulk Item ${i}`, categoryId, variants: [{ sku: `BULK-${i}-A`, name: 'A', price: { amount: '1.00', currency: 'EUR' } }, { sku: `BULK-${i}-B`, name: 'B', price: { amount: '2.00', currency: 'EUR' } }] } } },
      );
      expect(created.errors).toBeUndefined();
    }
    const all = await catalog.call<{ products: { edges: { node: { id: string } }[] } }>(LIST, { variables: { first: 100 } });
    ids = all.data?.products.edges.map((edge) => edge.node.id) ?? [];
    expect(ids).toHaveLength(100);
  });
  afterAll(async () => {
    await catalog?.stop();
    await database?.drop();
  });

  async function statementsFor(query: string, variables: Record<string, unknown>): Promise<number> {
    catalog.statements.reset();
    const answer = await catalog.call(query, { variables });
    expect(answer.errors).toBeUndefined();
    return catalog.statements.count;
  }

  test('CAT-3: a list of 100 products with variants costs as many statements as a list of 10', async () => {
    const ten = await statementsFor(LIST, { first: 10 });
    const hundred = await statementsFor(LIST, { first: 100 });
    expect(ten).toBeGreaterThan(0);
    expect(hundred).toBe(ten);
    expect(ten).toBeLessThanOrEqual(6);
  });

  test('CAT-3: resolving 100 products through federation _entities costs as many statements as 10', async () => {
    const representations = (count: number) => ids.slice(0, count).map((id) => ({ __typename: 'Product', id }));
    const ten = await statementsFor(ENTITIES, { representations: representations(10) });
    const hundred = await statementsFor(ENTITIES, { representations: representations(100) });
    expect(ten).toBeGreaterThan(0);
    expect(hundred).toBe(ten);
  });
});
