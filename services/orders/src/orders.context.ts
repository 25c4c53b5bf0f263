import type { RequestContext } from '@shop/platform';
import type { CartService } from './cart.service';
import type { CheckoutService } from './checkout/checkout.service';
import type { OrderAudit } from './order-audit';
import type { OrderService } from './order.service';
import type { ShippingQuoteService } from './shipping/shipping-quote.service';

/** What orders resolvers receive: the platform's request context plus the orders services. */
export interface OrdersContext extends RequestContext {
  readonly carts: CartService;
  readonly checkout: CheckoutService;
  readonly orders: OrderService;
  readonly shippingQuotes: ShippingQuoteService;
  readonly audit: () => Promise<OrderAudit>;
}
