import { formatAmount, notFound, type Money } from '@shop/platform';
import type { OrderLineView } from '../order.model';
import type { OrdersContext } from '../orders.context';

export const orderQueryResolvers = {
  order: (_: unknown, args: { id: string }, ctx: OrdersContext) => ctx.orders.order(ctx, args.id),
  trackOrder: (_: unknown, args: { reference: string; email: string }, ctx: OrdersContext) => ctx.orders.trackOrder(ctx, args.reference, args.email),
  orderAudit: (_: unknown, _args: unknown, ctx: OrdersContext) => ctx.audit(),
};

export const orderMutationResolvers = {
  checkout: (_: unknown, args: { input: unknown }, ctx: OrdersContext) => ctx.checkout.checkout(ctx, args.input),
  cancelOrder: (_: unknown, args: { id: string; reason?: string | null }, ctx: OrdersContext) => ctx.orders.cancelOrder(ctx, args.id, args.reason),
};

export const orderLineResolvers = {
  variant: (line: OrderLineView) => ({ __typename: 'Variant', id: line.variantId }),
};

export const customerResolvers = {
  /** Shield does not guard references: only the customer themself or staff resolve one. */
  __resolveReference: (reference: { id: string }, ctx: OrdersContext) => {
    if (!ctx.orders.mayReadCustomer(ctx, reference.id)) throw notFound();
    return { id: reference.id };
  },
  orders: (customer: { id: string }, args: { first?: number | null; after?: string | null }, ctx: OrdersContext) =>
    ctx.orders.ordersOfCustomer(ctx, customer.id, args.first, args.after),
};

export const moneyResolvers = {
  amount: (m: Money) => formatAmount(m),
};
