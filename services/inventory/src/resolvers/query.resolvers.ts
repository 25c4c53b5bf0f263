import type { InventoryContext } from '../inventory.context';

export const queryResolvers = {
  stockLevels: (_: unknown, args: { variantId: string }, ctx: InventoryContext) => ctx.stockQueries.stockLevels(ctx, args.variantId),
  stockMovements: (_: unknown, args: { variantId: string; first?: number | null; after?: string | null }, ctx: InventoryContext) =>
    ctx.stockQueries.stockMovements(ctx, args.variantId, args.first, args.after),
  reservation: (_: unknown, args: { orderId: string }, ctx: InventoryContext) => ctx.stockQueries.reservation(ctx, args.orderId),
  stockAudit: (_: unknown, _args: unknown, ctx: InventoryContext) => ctx.audit(),
};
