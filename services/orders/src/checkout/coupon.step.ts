import type { SagaStep } from './checkout.saga';
import { applyOrderDiscount, type DiscountAppliedPayload } from '../pricing/order-discount';

interface CouponRejectedPayload {
  readonly orderId: string;
  readonly code: string;
  readonly reason: string;
}

/**
 * Coupon: promotions reserves one redemption slot of the order's code (PROMO-2), only for an
 * order placed with a code. On DiscountApplied the discount goes into the order's lines, tax and
 * total before the order awaits payment, so OrderAwaitingPayment carries the final total.
 *
 * Policy on CouponRejected: the order is REJECTED (never silently repriced without the discount),
 * so the customer is never charged a price they did not see; inventory releases the stock on
 * OrderRejected and the customer may check out again without the code.
 */
export const couponStep: SagaStep = {
  name: 'coupon',
  source: 'promotions',
  confirmedBy: 'DiscountApplied',
  rejectedBy: 'CouponRejected',
  compensation: 'promotions gives the redemption slot back on OrderRejected or OrderCancelled (also after payment)',
  appliesTo: (order) => order.couponCode !== null,
  confirmed: (payload) => {
    const applied = payload as DiscountAppliedPayload;
    return { expiresAt: null, detail: { code: applied.code, kind: applied.kind, amount: applied.amount, freeShipping: applied.freeShipping } };
  },
  apply: (tx, order, payload) => applyOrderDiscount(tx, order, payload as DiscountAppliedPayload),
  rejected: (payload) => {
    const { code, reason } = payload as CouponRejectedPayload;
    return { reasons: [`COUPON_INVALID: ${code} cannot be used (${reason})`], detail: { code, reason } };
  },
};
