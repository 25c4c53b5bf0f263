/** The selection every product read uses. */
const PRODUCT_SELECTION = 'id name variants { id sku price { amount currency } }';

/** `products(first: n)` with the bench's selection. */
export function productsQuery(first: number): string {
  return `{ products(first: ${first}) { edges { node { ${PRODUCT_SELECTION} } } } }`;
}

/** The load query: 20 products with their variants and prices. */
export const LOAD_QUERY = productsQuery(20);

/** Product entities by representation, as the gateway asks the catalog for them. */
export const ENTITIES_QUERY =
  'query($r:[_Any!]!){ _entities(representations:$r){ ... on Product { id name variants { sku price { amount } } } } }';

/** Creates one product (staff only). */
export const CREATE_PRODUCT_MUTATION = 'mutation($input: CreateProductInput!){ createProduct(input: $input) { id } }';

/** Sets one variant's price (staff only); its commit appends a `VariantPriceChanged` event to the outbox. */
export const SET_VARIANT_PRICE_MUTATION =
  'mutation($variantId: ID!, $price: MoneyInput!){ setVariantPrice(variantId: $variantId, price: $price) { id price { amount currency } } }';
