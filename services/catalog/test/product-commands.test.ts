import pg from 'pg';
import type { Identity } from '@shop/platform';
import { createCatalogDatabase, customer, staff, startTestCatalog, type TestCatalog } from './catalog-test-server';

const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { id slug variants { id sku price { amount currency } } } }`;
type Created = { createProduct: { id: string; slug: string; variants: { id: string; sku: string; price: { amount: string; currency: string } }[] } };

const mug = (sku: string, extra: Record<string, unknown> = {}) => ({
  name: 'Enamel Mug',
  variants: [{ sku, name: 'White', attributes: [{ name: 'colour', value: 'white' }], price: { amount: '14.90', currency: 'EUR' } }],
  ...extra,
});

describe('catalog changes (CAT-1, CAT-6, SEC-4)', () => {
  let database: Awaited<ReturnType<typeof createCatalogDatabase>>;
  let catalog: TestCatalog;
  let sql: pg.Client;
  let sellerMarketId: string;
  const seller: Identity = { userId: 'seller-a', roles: ['SELLER'] };

  beforeAll(async () => {
    database = await createCatalogDatabase();
    catalog = await startTestCatalog(database.url);
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    const market = await sql.query<{ id: string }>(
      `INSERT INTO market (id, slug, name, owner_user_id) VALUES (gen_random_uuid(), 'seller-a', 'Seller A', 'seller-a') RETURNING id`,
    );
    sellerMarketId = market.rows[0]?.id ?? '';
  });
  afterAll(async () => {
    await sql?.end();
    await catalog?.stop();
    await database?.drop();
  });

  const count = async (table: string) => Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
  const outboxTypes = async (aggregateId: string) =>
    (await sql.query<{ type: string }>('SELECT type FROM outbox WHERE aggregate_id = $1 ORDER BY occurred_at, type', [aggregateId])).rows.map((r) => r.type);

  test('CAT-1: staff create a product; its ProductCreated event is in the outbox of the same transaction', async () => {
    const answer = await catalog.call<Created>(CREATE, { identity: staff, variables: { input: mug('MUG-1') } });
    expect(answer.errors).toBeUndefined();
    const product = answer.data?.createProduct;
    expect(product?.slug).toBe('enamel-mug');
    expect(product?.variants[0]?.price).toEqual({ amount: '14.90', currency: 'EUR' });
    expect(await outboxTypes(product?.id ?? '')).toEqual(['ProductCreated']);
  });

  test('SEC-4: anonymous callers get UNAUTHENTICATED and customers FORBIDDEN; nothing is written', async () => {
    const before = await count('product');
    const anonymous = await catalog.call(CREATE, { variables: { input: mug('MUG-ANON') } });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const asCustomer = await catalog.call(CREATE, { identity: customer, variables: { input: mug('MUG-CUST') } });
    expect(asCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count('product')).toBe(before);
  });

  test.each([
    ['an empty name', { name: ' ' }, 'input.name'],
    ['no variants', { variants: [] }, 'input.variants'],
    ['a price with too many decimals', { variants: [{ sku: 'X-1', name: 'x', price: { amount: '1.999', currency: 'EUR' } }] }, 'input.variants.0.price'],
    ['an unknown currency', { variants: [{ sku: 'X-2', name: 'x', price: { amount: '1.00', currency: 'XYZ' } }] }, 'input.variants.0.price'],
    ['a float-looking amount', { variants: [{ sku: 'X-3', name: 'x', price: { amount: '1e3', currency: 'EUR' } }] }, 'input.variants.0.price'],
    ['a bad SKU', { variants: [{ sku: 'has space', name: 'x', price: { amount: '1.00', currency: 'EUR' } }] }, 'input.variants.0.sku'],
    ['an image that is not http(s)', { images: [{ url: 'javascript:alert(1)' }] }, 'input.images.0.url'],
    ['an unknown category', { categoryId: '00000000-0000-7000-8000-000000000000' }, 'input.categoryId'],
  ])('CAT-1: %s is BAD_USER_INPUT naming the field and changes nothing', async (_case, override, field) => {
    const before = [await count('product'), await count('variant'), await count('outbox')];
    const answer = await catalog.call(CREATE, { identity: staff, variables: { input: mug('MUG-BAD', override) } });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field, retryable: false });
    expect([await count('product'), await count('variant'), await count('outbox')]).toEqual(before);
  });

  test('CAT-1: a SKU already in use is BAD_USER_INPUT on that variant and nothing is written', async () => {
    const before = await count('product');
    const input = { name: 'Twin', variants: [{ sku: 'NEW-1', name: 'a', price: { amount: '1.00', currency: 'EUR' } }, { sku: 'MUG-1', name: 'b', price: { amount: '1.00', currency: 'EUR' } }] };
    const answer = await catalog.call(CREATE, { identity: staff, variables: { input } });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.variants.1.sku' });
    expect(await count('product')).toBe(before);
  });

  test('CAT-6: a seller manages products in their own market only', async () => {
    const own = await catalog.call<Created>(CREATE, { identity: seller, variables: { input: mug('SELLER-1', { name: 'Seller Mug', marketId: sellerMarketId }) } });
    expect(own.errors).toBeUndefined();
    const house = await catalog.call(CREATE, { identity: seller, variables: { input: mug('SELLER-2', { name: 'House Mug' }) } });
    expect(house.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const houseProduct = await catalog.call<{ products: { edges: { node: { id: string; market: { slug: string } } }[] } }>(
      '{ products(first: 100) { edges { node { id market { slug } } } } }',
    );
    const houseId = houseProduct.data?.products.edges.find((edge) => edge.node.market.slug === 'house')?.node.id;
    const update = await catalog.call(`mutation($id: ID!) { updateProduct(id: $id, input: { name: "Mine now" }) { id } }`, {
      identity: seller,
      variables: { id: houseId },
    });
    expect(update.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  describe('a partner key scoped to a market (issue 9)', () => {
    const partnerOf = (marketId: string): Identity => ({ userId: null, roles: [], partnerMarketId: marketId });
    const UPDATE = `mutation($id: ID!, $name: String!) { updateProduct(id: $id, input: { name: $name }) { id name } }`;
    const PRICE = `mutation($id: ID!) { setVariantPrice(variantId: $id, price: { amount: "7.00", currency: "EUR" }) { price { amount } } }`;
    const ARCHIVE = `mutation($id: ID!) { archiveProduct(id: $id) { status } }`;
    let otherMarketId: string;
    let houseProduct: Created['createProduct'];

    beforeAll(async () => {
      const other = await sql.query<{ id: string }>(
        `INSERT INTO market (id, slug, name, owner_user_id) VALUES (gen_random_uuid(), 'seller-b', 'Seller B', 'seller-b') RETURNING id`,
      );
      otherMarketId = other.rows[0]?.id ?? '';
      const created = await catalog.call<Created>(CREATE, { identity: staff, variables: { input: mug('HOUSE-P1', { name: 'House Partner Mug' }) } });
      if (!created.data) throw new Error(created.text);
      houseProduct = created.data.createProduct;
    });

    test('SEC-4: a market partner creates, updates, prices and archives products in its own market', async () => {
      const partner = partnerOf(sellerMarketId);
      const created = await catalog.call<Created>(CREATE, { identity: partner, variables: { input: mug('PARTNER-1', { name: 'Partner Mug', marketId: sellerMarketId }) } });
      expect(created.errors).toBeUndefined();
      const product = created.data?.createProduct;
      const stored = await sql.query<{ market_id: string }>('SELECT market_id FROM product WHERE id = $1', [product?.id]);
      expect(stored.rows[0]?.market_id).toBe(sellerMarketId);
      const updated = await catalog.call<{ updateProduct: { name: string } }>(UPDATE, { identity: partner, variables: { id: product?.id, name: 'Partner Mug II' } });
      expect(updated.data?.updateProduct.name).toBe('Partner Mug II');
      const priced = await catalog.call<{ setVariantPrice: { price: { amount: string } } }>(PRICE, { identity: partner, variables: { id: product?.variants[0]?.id } });
      expect(priced.data?.setVariantPrice.price.amount).toBe('7.00');
      const archived = await catalog.call<{ archiveProduct: { status: string } }>(ARCHIVE, { identity: partner, variables: { id: product?.id } });
      expect(archived.data?.archiveProduct.status).toBe('ARCHIVED');
      expect(await outboxTypes(product?.id ?? '')).toEqual(['ProductCreated', 'ProductUpdated', 'VariantPriceChanged', 'ProductArchived']);
    });

    test('SEC-4: a market partner gets FORBIDDEN in another market and in the house market, and nothing changes', async () => {
      const ownProduct = (await catalog.call<Created>(CREATE, { identity: staff, variables: { input: mug('PARTNER-2', { name: 'Seller A Mug', marketId: sellerMarketId }) } })).data
        ?.createProduct;
      const outsider = partnerOf(otherMarketId);
      const before = [await count('product'), await count('outbox')];
      const answers = [
        await catalog.call(CREATE, { identity: outsider, variables: { input: mug('PARTNER-3', { marketId: sellerMarketId }) } }),
        await catalog.call(CREATE, { identity: outsider, variables: { input: mug('PARTNER-4') } }),
        await catalog.call(UPDATE, { identity: outsider, variables: { id: ownProduct?.id, name: 'Taken over' } }),
        await catalog.call(PRICE, { identity: outsider, variables: { id: ownProduct?.variants[0]?.id } }),
        await catalog.call(ARCHIVE, { identity: outsider, variables: { id: ownProduct?.id } }),
        await catalog.call(UPDATE, { identity: partnerOf(sellerMarketId), variables: { id: houseProduct.id, name: 'Taken over' } }),
        await catalog.call(PRICE, { identity: partnerOf(sellerMarketId), variables: { id: houseProduct.variants[0]?.id } }),
      ];
      for (const answer of answers) expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
      expect([await count('product'), await count('outbox')]).toEqual(before);
      const names = await sql.query<{ name: string }>('SELECT name FROM product WHERE id = ANY($1::uuid[])', [[ownProduct?.id, houseProduct.id]]);
      expect(names.rows.map((row) => row.name).sort()).toEqual(['House Partner Mug', 'Seller A Mug']);
    });
  });

  test('CAT-1: setVariantPrice changes the price, records VariantPriceChanged, and refuses a negative price', async () => {
    const created = await catalog.call<Created>(CREATE, { identity: staff, variables: { input: mug('MUG-PRICE', { name: 'Price Mug' }) } });
    const product = created.data?.createProduct;
    const variantId = product?.variants[0]?.id;
    const set = (amount: string) =>
      catalog.call<{ setVariantPrice: { price: { amount: string } } }>(
        `mutation($id: ID!, $amount: String!) { setVariantPrice(variantId: $id, price: { amount: $amount, currency: "EUR" }) { price { amount } } }`,
        { identity: staff, variables: { id: variantId, amount } },
      );
    expect((await set('9.50')).data?.setVariantPrice.price.amount).toBe('9.50');
    expect(await outboxTypes(product?.id ?? '')).toEqual(['ProductCreated', 'VariantPriceChanged']);
    expect((await set('-1.00')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'price' });
  });

  test('CAT-1: archiving takes a product off the list, keeps it readable by id, and blocks further changes', async () => {
    const created = await catalog.call<Created>(CREATE, { identity: staff, variables: { input: mug('MUG-ARCH', { name: 'Archived Mug' }) } });
    const id = created.data?.createProduct.id;
    const archived = await catalog.call<{ archiveProduct: { status: string } }>(`mutation($id: ID!) { archiveProduct(id: $id) { status } }`, {
      identity: staff,
      variables: { id },
    });
    expect(archived.data?.archiveProduct.status).toBe('ARCHIVED');
    const list = await catalog.call<{ products: { edges: { node: { id: string } }[] } }>('{ products(first: 100, search: "archived mug") { edges { node { id } } } }');
    expect(list.data?.products.edges.map((edge) => edge.node.id)).not.toContain(id);
    const byId = await catalog.call<{ product: { status: string } }>(`query($id: ID!) { product(id: $id) { status } }`, { variables: { id } });
    expect(byId.data?.product.status).toBe('ARCHIVED');
    const update = await catalog.call(`mutation($id: ID!) { updateProduct(id: $id, input: { name: "Back" }) { id } }`, { identity: staff, variables: { id } });
    expect(update.errors?.[0]?.extensions?.code).toBe('PRODUCT_ARCHIVED');
  });
});
