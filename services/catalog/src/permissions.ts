import { allow, hasAnyRole, isMarketPartner, or, type ShieldRules } from '@shop/platform';

/** Staff, a seller, or a market partner's key; the service then checks the market is theirs. */
const mayManageSomeMarket = or(hasAnyRole('STAFF', 'SELLER'), isMarketPartner);

/**
 * Who may do what in the catalog. Reads are public; every change needs staff, a seller or a
 * MARKET-scoped partner key (the service then checks the market is theirs). Anything not listed is denied.
 */
export const catalogRules: ShieldRules = {
  Query: { products: allow, product: allow, categories: allow, markets: allow },
  Mutation: {
    createProduct: mayManageSomeMarket,
    updateProduct: mayManageSomeMarket,
    archiveProduct: mayManageSomeMarket,
    setVariantPrice: mayManageSomeMarket,
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
