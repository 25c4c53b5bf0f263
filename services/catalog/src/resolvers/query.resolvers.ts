import type { CatalogContext } from '../catalog.context';
import type { ProductListArgs } from '../product-query.service';

export const queryResolvers = {
  products: (_: unknown, args: ProductListArgs, ctx: CatalogContext) => ctx.productQueries.listProducts(ctx, args),
  product: (_: unknown, args: { id: string }, ctx: CatalogContext) => ctx.productQueries.productById(ctx, args.id),
  categories: (_: unknown, _args: unknown, ctx: CatalogContext) => ctx.productQueries.categories(ctx),
  markets: (_: unknown, _args: unknown, ctx: CatalogContext) => ctx.productQueries.markets(ctx),
};
