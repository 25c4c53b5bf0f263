import { deadLetterTopic, eventsTopic, type EventBus, type EventEnvelope, type Logger, type Subscription } from '@shop/platform';
import type { OrderLine, ReservationService } from '../reservation.service';
import { INVENTORY_SOURCE } from './stock.events';

/** The consumer group (and inbox name) of the inventory's saga steps. */
export const ORDERS_CONSUMER = 'inventory';

interface OrderPayload {
  readonly orderId: string;
  readonly lines?: readonly OrderLine[];
}

/**
 * The inventory's part of the checkout saga, driven by orders.events. All replicas share the
 * `inventory` group, so each order's events reach one of them, in order; the inbox makes a
 * redelivered event harmless.
 */
export function consumeOrderEvents(bus: EventBus, reservations: ReservationService, log: Logger): Promise<Subscription> {
  return bus.subscribe({
    group: ORDERS_CONSUMER,
    topics: [eventsTopic('orders')],
    deadLetterTopic: deadLetterTopic(INVENTORY_SOURCE),
    fromBeginning: true,
    handle: (envelope) => handleOrderEvent(envelope as EventEnvelope<OrderPayload>, reservations, log),
  });
}

async function handleOrderEvent(envelope: EventEnvelope<OrderPayload>, reservations: ReservationService, log: Logger): Promise<void> {
  const ctx = { eventId: envelope.id, consumer: ORDERS_CONSUMER, correlationId: envelope.correlationId, log: log.child({ eventId: envelope.id, type: envelope.type }) };
  const { orderId } = envelope.payload;
  switch (envelope.type) {
    case 'OrderPlaced':
      return reservations.placeOrder(ctx, orderId, envelope.payload.lines ?? []);
    case 'OrderCancelled':
      return reservations.releaseOrder(ctx, orderId, 'ORDER_CANCELLED');
    case 'OrderRejected':
      return reservations.releaseOrder(ctx, orderId, 'ORDER_REJECTED');
    case 'OrderPaid':
      return reservations.commitOrder(ctx, orderId);
    case 'OrderShipped':
      return reservations.shipOrder(ctx, orderId);
    default:
      return undefined;
  }
}
