import type { OrdersContext } from '../orders.context';

export const shippingQuoteQueryResolvers = {
  shippingQuotes: (_: unknown, args: { address: unknown; cartId?: string | null }, ctx: OrdersContext) => ctx.shippingQuotes.quotes(ctx, args.address, args.cartId),
};

export const shippingQuoteResolvers = {
  expiresAt: (quote: { expiresAt: Date }) => quote.expiresAt.toISOString(),
};
