import type { InventoryContext } from '../inventory.context';
import type { StockAvailability } from '../stock-query.service';

interface VariantRef {
  readonly id: string;
  readonly stock?: StockAvailability;
}

/**
 * Variant is the catalog's entity; inventory answers its `stock` for any variant id. References
 * load through one DataLoader, so a list of variants costs one SQL statement.
 */
export const variantResolvers = {
  __resolveReference: async (reference: VariantRef, ctx: InventoryContext): Promise<VariantRef> => ({
    id: reference.id,
    stock: await ctx.stockQueries.availability(ctx, reference.id),
  }),
  stock: (variant: VariantRef, _: unknown, ctx: InventoryContext) => variant.stock ?? ctx.stockQueries.availability(ctx, variant.id),
};
