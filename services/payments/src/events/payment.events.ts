import { formatAmount, money, type DomainEvent, type Money } from '@shop/platform';
import type { PaymentMethod, RefundDestination } from '../generated/prisma/enums';

/** The payments topic's source name in every envelope. */
export const PAYMENTS_SOURCE = 'payments';

/** Money as events carry it: decimal string, minor units as a string, currency. */
export function moneyPayload(m: Money) {
  return { amount: formatAmount(m), amountMinor: m.amountMinor.toString(), currency: m.currency };
}

/** What the payment events need of a payment. */
export interface PaymentFacts {
  readonly id: string;
  readonly orderId: string;
  readonly method: PaymentMethod;
  readonly amountMinor: bigint;
  readonly currency: string;
}

/** The order's total was captured: orders moves it to PAID. */
export function paymentSucceeded(payment: PaymentFacts): DomainEvent {
  return {
    type: 'PaymentSucceeded',
    version: 1,
    aggregateId: payment.orderId,
    payload: { orderId: payment.orderId, paymentId: payment.id, method: payment.method, amount: moneyPayload(money(payment.amountMinor, payment.currency)) },
  };
}

/** An attempt failed; the customer may try again until the deadline. */
export function paymentFailed(payment: PaymentFacts, reason: string): DomainEvent {
  return { type: 'PaymentFailed', version: 1, aggregateId: payment.orderId, payload: { orderId: payment.orderId, paymentId: payment.id, method: payment.method, reason } };
}

/** Part or all of a capture went back to the customer. */
export function paymentRefunded(
  payment: PaymentFacts,
  refund: { id: string; amountMinor: bigint; destination: RefundDestination; reason: string },
  refundedTotalMinor: bigint,
  causationId?: string,
): DomainEvent {
  const of = (minor: bigint) => moneyPayload(money(minor, payment.currency));
  return {
    type: 'PaymentRefunded',
    version: 1,
    aggregateId: payment.orderId,
    causationId,
    payload: {
      orderId: payment.orderId,
      paymentId: payment.id,
      refundId: refund.id,
      amount: of(refund.amountMinor),
      refundedTotal: of(refundedTotalMinor),
      captured: of(payment.amountMinor),
      fullyRefunded: refundedTotalMinor === payment.amountMinor,
      destination: refund.destination,
      reason: refund.reason,
    },
  };
}
