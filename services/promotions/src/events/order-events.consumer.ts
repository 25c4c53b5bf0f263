import { deadLetterTopic, eventsTopic, parseMoney, type EventBus, type EventEnvelope, type Logger, type Subscription } from '@shop/platform';
import type { RedemptionService } from '../redemption.service';
import { PROMOTIONS_SOURCE } from './promotion.events';

/** The consumer group (and inbox name) of the promotions' saga steps. */
export const ORDERS_CONSUMER = 'promotions';

interface OrderPayload {
  readonly orderId: string;
  readonly customerId?: string | null;
  readonly couponCode?: string | null;
  readonly subtotal?: { amount: string; currency: string };
  readonly paymentDueAt?: string;
}

/**
 * The promotions' part of the checkout saga, driven by orders.events. All replicas share the
 * `promotions` group, so each order's events reach one of them, in order; the inbox makes a
 * redelivered event harmless.
 */
export function consumeOrderEvents(bus: EventBus, redemptions: RedemptionService, log: Logger): Promise<Subscription> {
  return bus.subscribe({
    group: ORDERS_CONSUMER,
    topics: [eventsTopic('orders')],
    deadLetterTopic: deadLetterTopic(PROMOTIONS_SOURCE),
    fromBeginning: true,
    handle: (envelope) => handleOrderEvent(envelope as EventEnvelope<OrderPayload>, redemptions, log),
  });
}

/** Applies one orders.events envelope to the redemptions (exported for tests that drive replicas directly). */
export function handleOrderEvent(envelope: EventEnvelope<OrderPayload>, redemptions: RedemptionService, log: Logger): Promise<void> {
  const ctx = { eventId: envelope.id, consumer: ORDERS_CONSUMER, correlationId: envelope.correlationId, log: log.child({ eventId: envelope.id, type: envelope.type }) };
  const { orderId } = envelope.payload;
  switch (envelope.type) {
    case 'OrderPlaced': {
      const { subtotal, couponCode = null, customerId = null } = envelope.payload;
      if (!couponCode || !subtotal) return Promise.resolve();
      return redemptions.placeOrder(ctx, { orderId, customerId, couponCode, subtotal: parseMoney(subtotal.amount, subtotal.currency) });
    }
    case 'OrderAwaitingPayment':
      return envelope.payload.paymentDueAt ? redemptions.holdUntil(ctx, orderId, new Date(envelope.payload.paymentDueAt)) : Promise.resolve();
    case 'OrderPaid':
      return redemptions.commitOrder(ctx, orderId);
    case 'OrderCancelled':
    case 'OrderRejected':
      return redemptions.releaseOrder(ctx, orderId);
    default:
      return Promise.resolve();
  }
}
