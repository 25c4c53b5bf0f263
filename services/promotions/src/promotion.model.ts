import { formatAmount, money, type Money } from '@shop/platform';
import type { Affiliate, AffiliateAttribution, Coupon } from './generated/prisma/client';

/** Money as the GraphQL `Money` type shows it. */
export interface MoneyView {
  readonly amount: string;
  readonly currency: string;
}

export const moneyView = (m: Money): MoneyView => ({ amount: formatAmount(m), currency: m.currency });

/** A coupon as staff see it. */
export function couponView(coupon: Coupon) {
  return {
    id: coupon.id,
    code: coupon.code,
    kind: coupon.kind,
    value: coupon.value,
    currency: coupon.currency,
    usageLimit: coupon.usageLimit,
    perCustomerLimit: coupon.perCustomerLimit,
    usageCount: coupon.usageCount,
    minSubtotal: coupon.minSubtotalMinor !== null && coupon.currency ? moneyView(money(coupon.minSubtotalMinor, coupon.currency)) : null,
    startsAt: coupon.startsAt?.toISOString() ?? null,
    endsAt: coupon.endsAt?.toISOString() ?? null,
    deletedAt: coupon.deletedAt?.toISOString() ?? null,
    affiliateId: coupon.affiliateId,
  };
}

/** An affiliate with its codes and attributed orders, as its marketer and staff see it. */
export function affiliateView(affiliate: Affiliate & { coupons: Coupon[]; attributions: AffiliateAttribution[] }) {
  const earned = affiliate.attributions.filter((a) => a.status === 'EARNED');
  const currencies = [...new Set(earned.map((a) => a.currency))].sort();
  return {
    id: affiliate.id,
    marketerId: affiliate.marketerId,
    commissionRateBp: affiliate.commissionRateBp,
    codes: affiliate.coupons.filter((c) => !c.deletedAt).map((c) => c.code),
    commissionEarned: currencies.map((currency) =>
      moneyView(money(earned.filter((a) => a.currency === currency).reduce((total, a) => total + a.commissionMinor, 0n), currency)),
    ),
    attributions: affiliate.attributions.map((a) => ({
      orderId: a.orderId,
      code: a.code,
      status: a.status,
      orderAmount: moneyView(money(a.baseMinor, a.currency)),
      commission: moneyView(money(a.commissionMinor, a.currency)),
      createdAt: a.createdAt.toISOString(),
    })),
  };
}
