import { formatAmount, type DomainEvent, type Money } from '@shop/platform';
import type { OrderStatus } from '../order-status.machine';

/** The orders topic's source name in every envelope. */
export const ORDERS_SOURCE = 'orders';

/** Money as events carry it: decimal string, minor units as a string, currency. */
export function moneyPayload(m: Money) {
  return { amount: formatAmount(m), amountMinor: m.amountMinor.toString(), currency: m.currency };
}

/** What the order events need of an order. */
export interface OrderFacts {
  readonly id: string;
  readonly reference: string;
  readonly customerId: string | null;
}

/** An order was placed PENDING: inventory reserves its lines. */
export function orderPlaced(
  order: OrderFacts,
  lines: readonly { lineId: string; variantId: string; sku: string; quantity: number }[],
  subtotal: Money,
  couponCode: string | null,
): DomainEvent {
  return {
    type: 'OrderPlaced',
    version: 1,
    aggregateId: order.id,
    payload: { orderId: order.id, reference: order.reference, customerId: order.customerId, lines, subtotal: moneyPayload(subtotal), couponCode },
  };
}

/** Every saga step confirmed: payments may charge exactly `total` until `paymentDueAt`. */
export function orderAwaitingPayment(order: OrderFacts, total: Money, paymentDueAt: Date, causationId: string): DomainEvent {
  return {
    type: 'OrderAwaitingPayment',
    version: 1,
    aggregateId: order.id,
    causationId,
    payload: { orderId: order.id, reference: order.reference, customerId: order.customerId, total: moneyPayload(total), paymentDueAt: paymentDueAt.toISOString() },
  };
}

/** A saga step rejected the order; every reservation made for it is released. */
export function orderRejected(orderId: string, reasons: readonly string[], causationId: string): DomainEvent {
  return { type: 'OrderRejected', version: 1, aggregateId: orderId, causationId, payload: { orderId, reasons } };
}

/** The order was cancelled; reservations and redemptions are released. */
export function orderCancelled(orderId: string, previousStatus: OrderStatus, actor: string, reason: string, causationId?: string): DomainEvent {
  return { type: 'OrderCancelled', version: 1, aggregateId: orderId, causationId, payload: { orderId, previousStatus, actor, reason } };
}

/** The order's payment was captured. */
export function orderPaid(orderId: string, total: Money): DomainEvent {
  return { type: 'OrderPaid', version: 1, aggregateId: orderId, payload: { orderId, total: moneyPayload(total) } };
}

/** The order left the warehouse. */
export function orderShipped(orderId: string): DomainEvent {
  return { type: 'OrderShipped', version: 1, aggregateId: orderId, payload: { orderId } };
}

/** A cart with lines was left untouched for the reminder period. */
export function cartAbandoned(cart: { id: string; customerId: string | null; lastActivityAt: Date }, lineCount: number, subtotal: Money): DomainEvent {
  return {
    type: 'CartAbandoned',
    version: 1,
    aggregateId: cart.id,
    payload: { cartId: cart.id, customerId: cart.customerId, lineCount, subtotal: moneyPayload(subtotal), lastActivityAt: cart.lastActivityAt.toISOString() },
  };
}
