import type { FieldFixture, FixtureRegistry, FixtureTools, Ids, OwnedObject } from './registry';

/** What shop fixtures may use besides the gateway. */
export interface ShopServices {
  /** SQL on the catalog's database: a seller's market has no API yet. */
  catalogSql(text: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** SQL on the accounts database: partner keys are created by staff only. */
  accountsSql(text: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** SQL on the inventory database: stock of a variant as staff would have set it, and its ledger. */
  inventorySql(text: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** SQL on the payments database: the attempts on an order, which no API lists. */
  paymentsSql(text: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** SQL on the shipping database: zones, methods and rates are readable by staff only. */
  shippingSql(text: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** SQL on the promotions database: coupons and affiliates are created and read by staff only. */
  promotionsSql(text: string, values?: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

type Tools = FixtureTools<ShopServices>;

const CREATE_PRODUCT = `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id name variants { id sku } } }`;
const PRODUCT_STATE = `query ($id: ID!) {
  product(id: $id) {
    name slug description status updatedAt category { id } market { id }
    seo { title description keywords } images { url alt } variants { id sku price { amount currency } }
  }
}`;

/** A market owned by seller A, as a seller's onboarding would create it. */
async function sellerMarket(tools: Tools): Promise<string> {
  const slug = `idor-market-${tools.unique()}`;
  const [row] = await tools.services.catalogSql(
    'INSERT INTO market (id, slug, name, owner_user_id) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id::text AS id',
    [slug, `Market ${slug}`, tools.owner.identity.userId],
  );
  return String(row?.id);
}

interface SellerProduct {
  readonly productId: string;
  readonly variantId: string;
  readonly marketId: string;
  readonly categoryId: string;
  readonly name: string;
  readonly sku: string;
}

/** Seller A's market with one product in the first category, created through the gateway. */
async function sellerProduct(tools: Tools): Promise<SellerProduct> {
  const marketId = await sellerMarket(tools);
  const categories = await tools.gateway({ query: '{ categories { id } }', variables: {} });
  const categoryId = String((categories.data?.categories as { id: string }[] | undefined)?.[0]?.id);
  const unique = tools.unique();
  const input = { name: `Idor Lamp ${unique}`, marketId, categoryId, variants: [{ sku: `IDOR-${unique}`, name: 'Standard', price: { amount: '12.34', currency: 'EUR' } }] };
  const created = await tools.gateway({ query: CREATE_PRODUCT, variables: { input } });
  const product = created.data?.createProduct as { id: string; variants: { id: string }[] } | undefined;
  if (!product?.variants[0]) throw new Error(`seller A could not create a product: ${created.text}`);
  return { productId: product.id, variantId: product.variants[0].id, marketId, categoryId, name: input.name, sku: `IDOR-${unique}` };
}

const productOf = async (tools: Tools): Promise<OwnedObject> => {
  const product = await sellerProduct(tools);
  return { ids: { id: product.productId }, secrets: [product.productId, product.name] };
};

const variantOf = async (tools: Tools): Promise<OwnedObject> => {
  const product = await sellerProduct(tools);
  return { ids: { id: product.variantId }, secrets: [product.variantId, product.sku] };
};

/** Everything a product mutation could change, read back through the public API. */
const productState = async (owned: OwnedObject, tools: Tools) => (await tools.gateway({ query: PRODUCT_STATE, variables: { id: owned.ids.id } })).data;

/** A write on seller A's product: publicly readable, changed only by its seller or staff. */
function productWrite(query: string, variables: (ids: Ids, unique: string) => Record<string, unknown>): FieldFixture<ShopServices> {
  return {
    access: 'owner-write',
    owner: 'SELLER',
    create: productOf,
    operation: (ids, unique) => ({ query, variables: variables(ids, unique) }),
    readBack: productState,
  };
}

/**
 * The catalog. Its reads are public by design (CONTRACT.md: "catalog (reads are public)"); its
 * writes are for staff or the seller owning the product's market. Category ids inside inputs are
 * shop-wide and owned by nobody, so the owned object is always the product, variant or market.
 */
export const catalogFixtures: FixtureRegistry<ShopServices> = {
  'Query.product': {
    access: 'public-read',
    owner: 'SELLER',
    create: productOf,
    operation: (ids) => ({ query: 'query ($id: ID!) { product(id: $id) { id name } }', variables: { id: ids.id } }),
  },
  'Query.products': {
    access: 'public-read',
    owner: 'SELLER',
    create: async (tools) => {
      const product = await sellerProduct(tools);
      return { ids: { categoryId: product.categoryId }, secrets: [product.productId] };
    },
    operation: (ids) => ({
      query: 'query ($categoryId: ID) { products(first: 100, categoryId: $categoryId) { edges { node { id } } } }',
      variables: { categoryId: ids.categoryId },
    }),
  },
  // Seller B must not add products to seller A's market; A's market keeps exactly its products.
  'Mutation.createProduct': {
    access: 'owner-write',
    owner: 'SELLER',
    create: async (tools) => {
      const marketId = await sellerMarket(tools);
      return { ids: { marketId }, secrets: [marketId] };
    },
    operation: (ids, unique) => ({
      query: CREATE_PRODUCT,
      variables: { input: { name: `Intruder ${unique}`, marketId: ids.marketId, variants: [{ sku: `INTR-${unique}`, name: 'x', price: { amount: '1.00', currency: 'EUR' } }] } },
    }),
    readBack: async (owned, tools) => tools.services.catalogSql('SELECT id::text AS id FROM product WHERE market_id = $1 ORDER BY id', [owned.ids.marketId]),
  },
  'Mutation.updateProduct': productWrite(
    'mutation ($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { id name } }',
    (ids, unique) => ({ id: ids.id, input: { name: `Renamed ${unique}`, description: 'changed by an intruder' } }),
  ),
  'Mutation.archiveProduct': productWrite(
    'mutation ($id: ID!) { archiveProduct(id: $id) { id status } }',
    (ids) => ({ id: ids.id }),
  ),
  'Mutation.setVariantPrice': {
    access: 'owner-write',
    owner: 'SELLER',
    create: async (tools) => {
      const product = await sellerProduct(tools);
      return { ids: { id: product.productId, variantId: product.variantId }, secrets: [product.variantId, product.sku] };
    },
    operation: (ids) => ({
      query: 'mutation ($variantId: ID!, $price: MoneyInput!) { setVariantPrice(variantId: $variantId, price: $price) { id price { amount } } }',
      variables: { variantId: ids.variantId, price: { amount: '0.01', currency: 'EUR' } },
    }),
    readBack: productState,
  },
  'Entity.Product': { access: 'public-read', owner: 'SELLER', create: productOf, selection: 'id name' },
  'Entity.Variant': {
    access: 'public-read',
    owner: 'SELLER',
    create: variantOf,
    // Inventory adds public availability; its answer shows A's variant by the id it echoes.
    selection: { catalog: 'id sku', inventory: 'id stock { available inStock }' },
  },
};
