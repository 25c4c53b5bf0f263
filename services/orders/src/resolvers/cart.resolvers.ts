import type { CartLineView } from '../cart.model';
import type { OrdersContext } from '../orders.context';

type CartArgs = { cartId?: string | null };

export const cartQueryResolvers = {
  myCart: (_: unknown, args: CartArgs, ctx: OrdersContext) => ctx.carts.myCart(ctx, args.cartId),
};

export const cartMutationResolvers = {
  createCart: (_: unknown, _args: unknown, ctx: OrdersContext) => ctx.carts.createCart(ctx),
  addCartLine: (_: unknown, args: CartArgs & { variantId: string; quantity: number }, ctx: OrdersContext) =>
    ctx.carts.addLine(ctx, args.cartId, args.variantId, args.quantity),
  updateCartLine: (_: unknown, args: CartArgs & { lineId: string; quantity: number }, ctx: OrdersContext) =>
    ctx.carts.updateLine(ctx, args.cartId, args.lineId, args.quantity),
  removeCartLine: (_: unknown, args: CartArgs & { lineId: string }, ctx: OrdersContext) => ctx.carts.removeLine(ctx, args.cartId, args.lineId),
  mergeGuestCart: (_: unknown, args: { cartId: string }, ctx: OrdersContext) => ctx.carts.mergeGuestCart(ctx, args.cartId),
};

export const cartLineResolvers = {
  variant: (line: CartLineView) => ({ __typename: 'Variant', id: line.variantId }),
};
