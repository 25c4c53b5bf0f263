import { deadLetterTopic, eventsTopic, type EventBus, type EventEnvelope, type Logger, type Subscription } from '@shop/platform';
import type { ShipmentService } from '../shipment.service';
import { SHIPPING_SOURCE } from './shipping.events';

/** The consumer group (and inbox name) of shipping's part of the saga. */
export const ORDERS_CONSUMER = 'shipping';

interface OrderPayload {
  readonly orderId: string;
  readonly customerId?: string | null;
}

/**
 * Shipping follows orders.events: OrderAwaitingPayment names the order's owner, OrderPaid creates
 * the shipment. All replicas share one group; the inbox and the unique order id make redelivery harmless.
 */
export function consumeOrderEvents(bus: EventBus, shipments: ShipmentService, log: Logger): Promise<Subscription> {
  return bus.subscribe({
    group: ORDERS_CONSUMER,
    topics: [eventsTopic('orders')],
    deadLetterTopic: deadLetterTopic(SHIPPING_SOURCE),
    fromBeginning: true,
    handle: (envelope) => handleOrderEvent(envelope as EventEnvelope<OrderPayload>, shipments, log),
  });
}

async function handleOrderEvent(envelope: EventEnvelope<OrderPayload>, shipments: ShipmentService, log: Logger): Promise<void> {
  const event = { eventId: envelope.id, consumer: ORDERS_CONSUMER, log: log.child({ eventId: envelope.id, type: envelope.type }) };
  switch (envelope.type) {
    case 'OrderAwaitingPayment':
      return shipments.recordOwner(event, envelope.payload.orderId, envelope.payload.customerId ?? null);
    case 'OrderPaid':
      return shipments.createForPaidOrder(event, envelope.payload.orderId);
    default:
      return undefined;
  }
}
