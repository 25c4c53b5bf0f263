import {
  BusinessError,
  deadLetterTopic,
  eventsTopic,
  recordInInbox,
  type EventBus,
  type EventEnvelope,
  type Logger,
  type RateTable,
  type Subscription,
} from '@shop/platform';
import { transitionOrder } from '../order-transition';
import type { OrderStatus } from '../order-status.machine';
import { TX_OPTIONS, type OrdersDb, type OrdersTx } from '../orders.db';
import type { ShippingRatesRepository } from '../shipping/shipping-rates.repository';
import { orderShipped } from './order.events';

/** The consumer group (and inbox consumer name) for shipping.events. */
export const SHIPPING_CONSUMER = 'orders-shipping';

interface ShipmentPayload {
  readonly orderId: string;
  readonly shipmentId: string;
  readonly trackingNumber?: string;
}

/** Moves the order along the table; an order that can no longer move there (cancelled meanwhile) is logged and left alone. */
async function follow(tx: OrdersTx, orderId: string, to: OrderStatus, reason: string, log: Logger): Promise<void> {
  try {
    await transitionOrder(tx, { orderId, to, actor: 'system:shipping', reason, events: () => (to === 'SHIPPED' ? [orderShipped(orderId)] : []) });
  } catch (error) {
    if (!(error instanceof BusinessError) || (error.code !== 'INVALID_TRANSITION' && error.code !== 'NOT_FOUND')) throw error;
    log.warn({ orderId, to, code: error.code }, 'shipment event does not move the order');
  }
}

/**
 * Applies one shipping event, idempotently (inbox row and effect in one transaction):
 * ShippingRatesPublished keeps the newest rate table; ShipmentDispatched moves the order to SHIPPED
 * (emitting OrderShipped, so inventory ships the stock); ShipmentDelivered to DELIVERED.
 * Returns false for a redelivery.
 */
export function applyShippingEvent(db: OrdersDb, rates: ShippingRatesRepository, envelope: EventEnvelope, log: Logger): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await recordInInbox(tx, envelope.id, SHIPPING_CONSUMER))) return false;
    const payload = envelope.payload as ShipmentPayload;
    switch (envelope.type) {
      case 'ShippingRatesPublished':
        await rates.store(tx, envelope.payload as RateTable);
        break;
      case 'ShipmentDispatched':
        await follow(tx, payload.orderId, 'SHIPPED', `dispatched, tracking ${payload.trackingNumber ?? ''}`.trim(), log);
        break;
      case 'ShipmentDelivered':
        await follow(tx, payload.orderId, 'DELIVERED', 'delivered', log);
        break;
      default:
        break;
    }
    return true;
  }, TX_OPTIONS);
}

/** Follows shipping.events: rates for quotes and checkout, shipments for the order lifecycle. */
export function consumeShippingEvents(bus: EventBus, db: OrdersDb, rates: ShippingRatesRepository, log: Logger): Promise<Subscription> {
  return bus.subscribe({
    group: SHIPPING_CONSUMER,
    topics: [eventsTopic('shipping')],
    deadLetterTopic: deadLetterTopic('orders'),
    fromBeginning: true,
    handle: async (envelope) => {
      if (await applyShippingEvent(db, rates, envelope, log)) log.debug({ eventId: envelope.id, type: envelope.type }, 'shipping event applied');
    },
  });
}
