import { allow, hasAnyRole, type ShieldRules } from '@shop/platform';

/**
 * Who may do what in the catalog. Reads are public; every change needs staff or a seller (the
 * service then checks the seller owns the market). Anything not listed is denied.
 */
export const catalogRules: ShieldRules = {
  Query: { products: allow, product: allow, categories: allow, markets: allow },
  Mutation: {
    createProduct: hasAnyRole('STAFF', 'SELLER'),
    updateProduct: hasAnyRole('STAFF', 'SELLER'),
    archiveProduct: hasAnyRole('STAFF', 'SELLER'),
    setVariantPrice: hasAnyRole('STAFF', 'SELLER'),
  },
  Product: allow,
  Variant: allow,
  VariantAttribute: allow,
  ProductConnection: allow,
  ProductEdge: allow,
  PageInfo: allow,
  Money: allow,
  ProductImage: allow,
  Seo: allow,
  Category: allow,
  Market: allow,
};
