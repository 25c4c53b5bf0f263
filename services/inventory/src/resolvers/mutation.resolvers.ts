import type { InventoryContext } from '../inventory.context';

type Args = Record<string, unknown>;

export const mutationResolvers = {
  setStock: (_: unknown, args: Args, ctx: InventoryContext) => ctx.stockCommands.setStock(ctx, args),
  adjustStock: (_: unknown, args: Args, ctx: InventoryContext) => ctx.stockCommands.adjustStock(ctx, args),
  receiveReturn: (_: unknown, args: Args, ctx: InventoryContext) => ctx.stockCommands.receiveReturn(ctx, args),
  setLowStockThreshold: (_: unknown, args: Args, ctx: InventoryContext) => ctx.stockCommands.setLowStockThreshold(ctx, args),
};
