import type { SubgraphResolvers } from '@shop/platform';
import type { OrdersContext } from '../orders.context';
import { cartLineResolvers, cartMutationResolvers, cartQueryResolvers } from './cart.resolvers';
import { shippingQuoteQueryResolvers, shippingQuoteResolvers } from './shipping-quote.resolvers';
import { customerResolvers, moneyResolvers, orderLineResolvers, orderMutationResolvers, orderQueryResolvers } from './order.resolvers';

/** Every orders resolver: thin, each one hands over to a service. */
export const resolvers = {
  Query: { ...cartQueryResolvers, ...orderQueryResolvers, ...shippingQuoteQueryResolvers },
  Mutation: { ...cartMutationResolvers, ...orderMutationResolvers },
  CartLine: cartLineResolvers,
  OrderLine: orderLineResolvers,
  Customer: customerResolvers,
  Money: moneyResolvers,
  ShippingQuote: shippingQuoteResolvers,
} as unknown as SubgraphResolvers<OrdersContext>;
