import { OrdersErrors } from './errors';
import type { OrderStatus } from './generated/prisma/enums';

export type { OrderStatus };

/** Every status, in lifecycle order. */
export const ORDER_STATUSES: readonly OrderStatus[] = ['PENDING', 'AWAITING_PAYMENT', 'PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED', 'REJECTED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/**
 * The order lifecycle (ORD-2) as data: for each status, the statuses it may move to. Anything not
 * listed here is refused; CANCELLED, REJECTED and REFUNDED are terminal. A refund (payments'
 * PaymentRefunded) moves a paid order, at any later stage, to PARTIALLY_REFUNDED or REFUNDED.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['AWAITING_PAYMENT', 'REJECTED', 'CANCELLED'],
  AWAITING_PAYMENT: ['PAID', 'CANCELLED'],
  PAID: ['SHIPPED', 'CANCELLED', 'PARTIALLY_REFUNDED', 'REFUNDED'],
  SHIPPED: ['DELIVERED', 'PARTIALLY_REFUNDED', 'REFUNDED'],
  DELIVERED: ['COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED'],
  COMPLETED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  CANCELLED: [],
  REJECTED: [],
  PARTIALLY_REFUNDED: ['REFUNDED'],
  REFUNDED: [],
};

/** Whether the table allows `from` → `to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Whether no transition leaves `status`. */
export function isTerminal(status: OrderStatus): boolean {
  return ORDER_TRANSITIONS[status].length === 0;
}

/** Throws INVALID_TRANSITION (with `from` and `to`) unless the table allows the change. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw OrdersErrors.create('INVALID_TRANSITION', { from, to, message: `An order cannot go from ${from} to ${to}.` });
  }
}
