import { createCatalogDatabase, startTestCatalog, type TestCatalog } from './catalog-test-server';

const PAGE = `query Page($first: Int, $after: String, $search: String, $categoryId: ID) {
  products(first: $first, after: $after, search: $search, categoryId: $categoryId) {
    edges { cursor node { id name category { slug } variants { sku price { amount currency } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Page = {
  products: {
    edges: { cursor: string; node: { id: string; name: string; category: { slug: string } | null; variants: { sku: string; price: { amount: string; currency: string } }[] } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

describe('catalog products (CAT-1)', () => {
  let database: Awaited<ReturnType<typeof createCatalogDatabase>>;
  let catalog: TestCatalog;

  beforeAll(async () => {
    database = await createCatalogDatabase();
    catalog = await startTestCatalog(database.url);
  });
  afterAll(async () => {
    await catalog?.stop();
    await database?.drop();
  });

  const page = (variables: Record<string, unknown>) => catalog.call<Page>(PAGE, { variables });

  test('CAT-1: walking every page with cursors yields each seeded product exactly once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard += 1) {
      const answer = await page({ first: 7, after });
      const products = answer.data?.products;
      if (!products) throw new Error(answer.text);
      seen.push(...products.edges.map((edge) => edge.node.id));
      if (!products.pageInfo.hasNextPage) break;
      after = products.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(54);
    expect(new Set(seen).size).toBe(54);
  });

  test('CAT-1: prices are Money with decimal strings, never floats', async () => {
    const answer = await page({ first: 5 });
    const prices = answer.data?.products.edges.flatMap((edge) => edge.node.variants.map((v) => v.price)) ?? [];
    expect(prices.length).toBeGreaterThan(0);
    for (const price of prices) {
      expect(price.amount).toMatch(/^\d+\.\d{2}$/);
      expect(price.currency).toBe('EUR');
    }
  });

  test('CAT-1: full-text search matches stemmed words in names and descriptions, best match first', async () => {
    const sweaters = await page({ first: 10, search: 'sweaters' });
    const names = sweaters.data?.products.edges.map((edge) => edge.node.name) ?? [];
    expect(names[0]).toMatch(/Sweater/);
    const byDescription = await page({ first: 20, search: 'resoled' });
    expect(byDescription.data?.products.edges.map((edge) => edge.node.category?.slug)).toEqual(Array(6).fill('footwear'));
    const nothing = await page({ first: 10, search: 'zeppelin' });
    expect(nothing.data?.products.edges).toEqual([]);
  });

  test('CAT-1: search results page with cursors without overlap', async () => {
    const first = await page({ first: 3, search: 'cotton' });
    const second = await page({ first: 3, search: 'cotton', after: first.data?.products.pageInfo.endCursor });
    const ids = [...(first.data?.products.edges ?? []), ...(second.data?.products.edges ?? [])].map((edge) => edge.node.id);
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('CAT-1: a category filter includes its subcategories', async () => {
    const categories = await catalog.call<{ categories: { id: string; slug: string }[] }>('{ categories { id slug } }');
    const apparel = categories.data?.categories.find((category) => category.slug === 'apparel');
    const answer = await page({ first: 100, categoryId: apparel?.id });
    const slugs = new Set(answer.data?.products.edges.map((edge) => edge.node.category?.slug));
    expect(slugs).toEqual(new Set(['t-shirts', 'sweaters', 'outerwear']));
    expect(answer.data?.products.edges).toHaveLength(18);
  });

  test('CAT-1: bad page arguments are BAD_USER_INPUT naming the argument', async () => {
    const tooMany = await page({ first: 101 });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const badCursor = await page({ first: 5, after: 'not-a-cursor' });
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  test('CAT-1: an unknown or malformed product id answers null', async () => {
    const answer = await catalog.call<{ a: unknown; b: unknown }>(
      '{ a: product(id: "00000000-0000-7000-8000-000000000000") { id } b: product(id: "nope") { id } }',
    );
    expect(answer.data).toEqual({ a: null, b: null });
  });
});
