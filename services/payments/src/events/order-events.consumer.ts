import { deadLetterTopic, eventsTopic, recordInInbox, type EventBus, type EventEnvelope, type Logger, type Subscription } from '@shop/platform';
import { TX_OPTIONS, type PaymentsDb, type PaymentsTx } from '../payments.db';
import type { RefundService } from '../refund.service';
import { PAYMENTS_SOURCE } from './payment.events';

/** The consumer group (and inbox name) of payments on orders.events. */
export const ORDERS_CONSUMER = 'payments';

interface AwaitingPayment {
  readonly orderId: string;
  readonly customerId: string | null;
  readonly total: { readonly amountMinor: string; readonly currency: string };
  readonly paymentDueAt: string;
}

/**
 * Applies one orders event to payments, idempotently (inbox row and effect in one transaction):
 * OrderAwaitingPayment makes the order payable for exactly its total until its deadline; OrderPaid
 * closes it; OrderCancelled closes it and refunds every capture of it in full (a PAID order
 * cancelled by staff or its customer, or a capture that raced the cancellation). Returns false for
 * a redelivery.
 */
export function applyOrderEvent(db: PaymentsDb, refunds: RefundService, envelope: EventEnvelope, log: Logger): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await recordInInbox(tx, envelope.id, ORDERS_CONSUMER))) return false;
    await handle(tx, refunds, envelope, log);
    return true;
  }, TX_OPTIONS);
}

async function handle(tx: PaymentsTx, refunds: RefundService, envelope: EventEnvelope, log: Logger): Promise<void> {
  const orderId = (envelope.payload as { orderId: string }).orderId;
  switch (envelope.type) {
    case 'OrderAwaitingPayment': {
      const p = envelope.payload as AwaitingPayment;
      const row = { customerId: p.customerId, totalMinor: BigInt(p.total.amountMinor), currency: p.total.currency, paymentDueAt: new Date(p.paymentDueAt) };
      await tx.payableOrder.upsert({ where: { orderId }, create: { orderId, ...row, status: 'AWAITING_PAYMENT' }, update: {} });
      return;
    }
    case 'OrderPaid':
      await tx.payableOrder.updateMany({ where: { orderId }, data: { status: 'PAID' } });
      return;
    case 'OrderCancelled': {
      await tx.payableOrder.updateMany({ where: { orderId }, data: { status: 'CANCELLED' } });
      await tx.payment.updateMany({ where: { orderId, status: 'PENDING' }, data: { status: 'EXPIRED', failureReason: 'order cancelled' } });
      const captured = await tx.payment.findMany({ where: { orderId, status: 'SUCCEEDED' } });
      for (const payment of captured) {
        const refund = await refunds.refundRest(tx, payment, { reason: 'order cancelled', key: `order-cancelled:${envelope.id}`, actor: 'system' });
        if (refund) log.info({ orderId, paymentId: payment.id, refundId: refund.id }, 'cancelled order refunded');
      }
      return;
    }
    default:
      return;
  }
}

/** Keeps the payable-order read model and the cancellation refunds current from orders.events. */
export function consumeOrderEvents(bus: EventBus, db: PaymentsDb, refunds: RefundService, log: Logger): Promise<Subscription> {
  return bus.subscribe({
    group: ORDERS_CONSUMER,
    topics: [eventsTopic('orders')],
    deadLetterTopic: deadLetterTopic(PAYMENTS_SOURCE),
    fromBeginning: true,
    handle: async (envelope) => {
      if (await applyOrderEvent(db, refunds, envelope, log)) log.debug({ eventId: envelope.id, type: envelope.type }, 'order event applied');
    },
  });
}
