import { money, type Money } from '@shop/platform';
import type { Payment, Refund } from './generated/prisma/client';

/** A payment as GraphQL shows it. */
export interface PaymentView {
  readonly id: string;
  readonly orderId: string;
  /** Whose it is (owner-or-staff rule). */
  readonly customerId: string | null;
  readonly status: Payment['status'];
  readonly method: Payment['method'];
  readonly amount: Money;
  readonly refunded: Money;
  readonly redirectUrl: string | null;
  readonly createdAt: Date;
}

/** A refund as GraphQL shows it. */
export interface RefundView {
  readonly id: string;
  readonly paymentId: string;
  readonly amount: Money;
  readonly reason: string;
  readonly destination: Refund['destination'];
  readonly createdAt: Date;
}

export function toPaymentView(payment: Payment, redirectUrl: string | null = null): PaymentView {
  return {
    id: payment.id,
    orderId: payment.orderId,
    customerId: payment.customerId,
    status: payment.status,
    method: payment.method,
    amount: money(payment.amountMinor, payment.currency),
    refunded: money(payment.refundedMinor, payment.currency),
    redirectUrl: payment.status === 'PENDING' ? redirectUrl : null,
    createdAt: payment.createdAt,
  };
}

export function toRefundView(refund: Refund): RefundView {
  return { id: refund.id, paymentId: refund.paymentId, amount: money(refund.amountMinor, refund.currency), reason: refund.reason, destination: refund.destination, createdAt: refund.createdAt };
}
