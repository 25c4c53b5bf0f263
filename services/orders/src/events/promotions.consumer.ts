import { deadLetterTopic, eventsTopic, recordInInbox, type EventBus, type EventEnvelope, type Logger, type Subscription } from '@shop/platform';
import { advanceCheckoutSaga } from '../checkout/checkout.saga';
import type { OrderRepository } from '../order.repository';
import { TX_OPTIONS, type OrdersDb } from '../orders.db';

/** The consumer group (and inbox consumer name) of the saga's coupon step. */
export const PROMOTIONS_SAGA_CONSUMER = 'orders-saga-promotions';

/**
 * Applies one promotions event (DiscountApplied, CouponRejected) to the checkout saga,
 * idempotently: the inbox row and the saga's effect commit together. Returns false for a redelivery.
 */
export function applyPromotionsEvent(db: OrdersDb, orders: OrderRepository, envelope: EventEnvelope, log: Logger): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await recordInInbox(tx, envelope.id, PROMOTIONS_SAGA_CONSUMER))) return false;
    await advanceCheckoutSaga(tx, orders, envelope, log);
    return true;
  }, TX_OPTIONS);
}

/** Runs the checkout saga's coupon step on promotions.events. */
export function consumePromotionsEvents(bus: EventBus, db: OrdersDb, orders: OrderRepository, log: Logger): Promise<Subscription> {
  return bus.subscribe({
    group: PROMOTIONS_SAGA_CONSUMER,
    topics: [eventsTopic('promotions')],
    deadLetterTopic: deadLetterTopic('orders'),
    fromBeginning: true,
    handle: async (envelope) => {
      if (await applyPromotionsEvent(db, orders, envelope, log)) log.debug({ eventId: envelope.id, type: envelope.type }, 'saga advanced');
    },
  });
}
