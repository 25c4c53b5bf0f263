import { formatAmount, type DomainEvent, type Money } from '@shop/platform';
import type { CouponKind } from '../generated/prisma/enums';

/** The promotions topic's source name in every envelope. */
export const PROMOTIONS_SOURCE = 'promotions';

/** Why a code was refused for an order (internal: the saga records it; clients only see COUPON_INVALID). */
export type CouponRejection = 'UNKNOWN' | 'NOT_STARTED' | 'EXPIRED' | 'MIN_SUBTOTAL' | 'CURRENCY' | 'USAGE_LIMIT' | 'CUSTOMER_LIMIT' | 'GUEST';

function moneyPayload(m: Money) {
  return { amount: formatAmount(m), amountMinor: m.amountMinor.toString(), currency: m.currency };
}

/** A redemption slot is reserved for the order: orders applies `amount` (and free shipping) to its totals. */
export function discountApplied(
  orderId: string,
  redemption: { couponId: string; code: string; kind: CouponKind; amount: Money; freeShipping: boolean; expiresAt: Date },
  causationId: string,
): DomainEvent {
  const { couponId, code, kind, amount, freeShipping, expiresAt } = redemption;
  return {
    type: 'DiscountApplied',
    version: 1,
    aggregateId: orderId,
    causationId,
    payload: { orderId, couponId, code, kind, amount: moneyPayload(amount), freeShipping, expiresAt: expiresAt.toISOString() },
  };
}

/** The order's code cannot be used; orders rejects the order (the customer never pays a price they did not see). */
export function couponRejected(orderId: string, code: string, reason: CouponRejection, causationId: string): DomainEvent {
  return { type: 'CouponRejected', version: 1, aggregateId: orderId, causationId, payload: { orderId, code, reason } };
}
