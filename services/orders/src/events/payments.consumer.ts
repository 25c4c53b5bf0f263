import { BusinessError, deadLetterTopic, eventsTopic, money, recordInInbox, type EventBus, type EventEnvelope, type Logger, type Subscription } from '@shop/platform';
import { transitionOrder } from '../order-transition';
import type { OrderStatus } from '../order-status.machine';
import { TX_OPTIONS, type OrdersDb, type OrdersTx } from '../orders.db';
import { orderPaid } from './order.events';

/** The consumer group (and inbox consumer name) for payments.events. */
export const PAYMENTS_CONSUMER = 'orders-payments';

interface PaymentPayload {
  readonly orderId: string;
  readonly paymentId: string;
  readonly fullyRefunded?: boolean;
  readonly amount?: { readonly amount: string; readonly currency: string };
}

/** Where a refund may move an order from; a cancelled order stays cancelled (payments refunded it). */
const REFUNDABLE: readonly OrderStatus[] = ['PAID', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'PARTIALLY_REFUNDED'];

/**
 * Applies one payments event, idempotently (inbox row and effect in one transaction).
 * PaymentSucceeded moves an AWAITING_PAYMENT order to PAID and emits OrderPaid (inventory commits,
 * promotions commits, shipping ships). A success for an order no longer awaiting payment (cancelled
 * meanwhile) changes nothing here: payments refunds every capture of a cancelled order when it sees
 * OrderCancelled. PaymentRefunded moves a paid order to PARTIALLY_REFUNDED or REFUNDED.
 * PaymentFailed changes nothing: the customer may try again until the payment deadline, after
 * which the reservation expires and the saga cancels the order. Returns false for a redelivery.
 */
export function applyPaymentEvent(db: OrdersDb, envelope: EventEnvelope, log: Logger): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await recordInInbox(tx, envelope.id, PAYMENTS_CONSUMER))) return false;
    const payload = envelope.payload as PaymentPayload;
    switch (envelope.type) {
      case 'PaymentSucceeded':
        await markPaid(tx, payload, envelope.id, log);
        break;
      case 'PaymentRefunded':
        await markRefunded(tx, payload, log);
        break;
      default:
        break;
    }
    return true;
  }, TX_OPTIONS);
}

async function markPaid(tx: OrdersTx, payload: PaymentPayload, causationId: string, log: Logger): Promise<void> {
  const order = await tx.order.findUnique({ where: { id: payload.orderId } });
  if (!order || order.status !== 'AWAITING_PAYMENT') {
    log.warn({ orderId: payload.orderId, paymentId: payload.paymentId, status: order?.status }, 'payment succeeded for an order not awaiting payment; payments refunds it');
    return;
  }
  await follow(tx, payload.orderId, 'PAID', `payment ${payload.paymentId} captured`, log, (before) => [
    { ...orderPaid(before.id, money(before.totalMinor, before.currency)), causationId },
  ]);
}

async function markRefunded(tx: OrdersTx, payload: PaymentPayload, log: Logger): Promise<void> {
  const order = await tx.order.findUnique({ where: { id: payload.orderId } });
  if (!order || !REFUNDABLE.includes(order.status)) {
    log.info({ orderId: payload.orderId, status: order?.status }, 'refund of an order that is not paid (cancelled): status unchanged');
    return;
  }
  const to: OrderStatus = payload.fullyRefunded ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  const amount = payload.amount ? `${payload.amount.amount} ${payload.amount.currency}` : '';
  await follow(tx, payload.orderId, to, `refund of ${amount} (payment ${payload.paymentId})`, log, () => []);
}

async function follow(tx: OrdersTx, orderId: string, to: OrderStatus, reason: string, log: Logger, events: Parameters<typeof transitionOrder>[1]['events']): Promise<void> {
  try {
    await transitionOrder(tx, { orderId, to, actor: 'system:payments', reason, events });
  } catch (error) {
    if (!(error instanceof BusinessError) || (error.code !== 'INVALID_TRANSITION' && error.code !== 'NOT_FOUND')) throw error;
    log.warn({ orderId, to, code: error.code }, 'payment event does not move the order');
  }
}

/** Follows payments.events: payments move orders to PAID, refunds to (PARTIALLY_)REFUNDED. */
export function consumePaymentsEvents(bus: EventBus, db: OrdersDb, log: Logger): Promise<Subscription> {
  return bus.subscribe({
    group: PAYMENTS_CONSUMER,
    topics: [eventsTopic('payments')],
    deadLetterTopic: deadLetterTopic('orders'),
    fromBeginning: true,
    handle: async (envelope) => {
      if (await applyPaymentEvent(db, envelope, log)) log.debug({ eventId: envelope.id, type: envelope.type }, 'payment event applied');
    },
  });
}
