import type { CatalogContext } from '../catalog.context';

export const mutationResolvers = {
  createProduct: (_: unknown, args: { input: unknown }, ctx: CatalogContext) => ctx.productCommands.createProduct(ctx, args.input),
  updateProduct: (_: unknown, args: { id: string; input: unknown }, ctx: CatalogContext) =>
    ctx.productCommands.updateProduct(ctx, args.id, args.input),
  archiveProduct: (_: unknown, args: { id: string }, ctx: CatalogContext) => ctx.productCommands.archiveProduct(ctx, args.id),
  setVariantPrice: (_: unknown, args: { variantId: string; price: { amount: string; currency: string } }, ctx: CatalogContext) =>
    ctx.productCommands.setVariantPrice(ctx, args.variantId, args.price),
};
