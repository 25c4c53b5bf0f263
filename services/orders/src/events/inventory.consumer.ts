import { deadLetterTopic, eventsTopic, recordInInbox, type EventBus, type EventEnvelope, type Logger, type Subscription } from '@shop/platform';
import { advanceCheckoutSaga } from '../checkout/checkout.saga';
import type { OrderRepository } from '../order.repository';
import { TX_OPTIONS, type OrdersDb } from '../orders.db';

/** The consumer group (and inbox consumer name) of the checkout saga. */
export const SAGA_CONSUMER = 'orders-saga';

/**
 * Applies one inventory event to the checkout saga, idempotently: the inbox row and the saga's
 * effect commit together, so a redelivered event changes nothing. Returns false for a redelivery.
 */
export function applyInventoryEvent(db: OrdersDb, orders: OrderRepository, envelope: EventEnvelope, log: Logger): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await recordInInbox(tx, envelope.id, SAGA_CONSUMER))) return false;
    await advanceCheckoutSaga(tx, orders, envelope, log);
    return true;
  }, TX_OPTIONS);
}

/** Runs the checkout saga on inventory.events. */
export function consumeInventoryEvents(bus: EventBus, db: OrdersDb, orders: OrderRepository, log: Logger): Promise<Subscription> {
  return bus.subscribe({
    group: SAGA_CONSUMER,
    topics: [eventsTopic('inventory')],
    deadLetterTopic: deadLetterTopic('orders'),
    fromBeginning: true,
    handle: async (envelope) => {
      if (await applyInventoryEvent(db, orders, envelope, log)) log.debug({ eventId: envelope.id, type: envelope.type }, 'saga advanced');
    },
  });
}
