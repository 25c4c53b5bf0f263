import { appendToOutbox, notFound, type DomainEvent } from '@shop/platform';
import { OrdersErrors } from './errors';
import { ORDERS_SOURCE } from './events/order.events';
import type { Order } from './generated/prisma/client';
import { assertTransition, type OrderStatus } from './order-status.machine';
import type { OrdersTx } from './orders.db';

/** One requested status change. */
export interface TransitionRequest {
  readonly orderId: string;
  readonly to: OrderStatus;
  /** `customer:<id>`, `staff:<id>`, `system`, ... */
  readonly actor: string;
  readonly reason: string | null;
  /** Set with AWAITING_PAYMENT: when the reservation (and so the payment window) ends. */
  readonly paymentDueAt?: Date;
  /** The events the change emits, built from the order as it was before. */
  readonly events: (order: Order) => readonly DomainEvent[];
}

/** What happened: `changed` false means the order was already in the target status (idempotent success). */
export interface TransitionResult {
  readonly changed: boolean;
  readonly from: OrderStatus;
}

const MAX_ATTEMPTS = 3;

/**
 * Moves an order along the transition table (ORD-2) inside the caller's transaction: a guarded
 * `UPDATE ... WHERE status = from AND version = v`, a history row (ORD-3) and the events in the
 * outbox, all or nothing. A lost race reloads: the target already reached is success (ORD-4), a
 * status the table does not allow it from is INVALID_TRANSITION.
 */
export async function transitionOrder(tx: OrdersTx, request: TransitionRequest): Promise<TransitionResult> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const order = await tx.order.findUnique({ where: { id: request.orderId } });
    if (!order) throw notFound('No order with this id.');
    if (order.status === request.to) return { changed: false, from: order.status };
    assertTransition(order.status, request.to);
    const updated = await tx.order.updateMany({
      where: { id: order.id, status: order.status, version: order.version },
      data: { status: request.to, version: { increment: 1 }, updatedAt: new Date(), ...(request.paymentDueAt ? { paymentDueAt: request.paymentDueAt } : {}) },
    });
    if (updated.count === 0) continue;
    await tx.orderHistory.create({ data: { orderId: order.id, fromStatus: order.status, toStatus: request.to, actor: request.actor, reason: request.reason } });
    await appendToOutbox(tx, ORDERS_SOURCE, request.events(order));
    return { changed: true, from: order.status };
  }
  throw OrdersErrors.create('INVALID_TRANSITION', { to: request.to, message: 'The order changed concurrently; try again.' });
}
