import { compare, money, percentOf, type Money } from '@shop/platform';
import type { CouponKind } from './generated/prisma/enums';
import type { CouponRejection } from './events/promotion.events';

/** What a coupon's kind decides: the amount off a subtotal and whether shipping becomes free. */
export interface DiscountRule {
  discount(subtotal: Money, value: number): Money;
  readonly freeShipping: boolean;
}

/**
 * One strategy per coupon kind. Percentages round half-up on minor units (platform `percentOf`);
 * a fixed amount never exceeds the subtotal; free shipping takes nothing off the lines.
 */
export const DISCOUNT_RULES: Readonly<Record<CouponKind, DiscountRule>> = {
  PERCENTAGE: { freeShipping: false, discount: (subtotal, percent) => percentOf(subtotal, percent * 100) },
  FIXED_AMOUNT: {
    freeShipping: false,
    discount: (subtotal, minor) => {
      const fixed = money(BigInt(minor), subtotal.currency);
      return compare(fixed, subtotal) > 0 ? subtotal : fixed;
    },
  },
  FREE_SHIPPING: { freeShipping: true, discount: (subtotal) => money(0n, subtotal.currency) },
};

/** The terms of a coupon that decide whether it applies to a subtotal at a moment. */
export interface CouponTerms {
  readonly kind: CouponKind;
  readonly value: number;
  readonly currency: string | null;
  readonly minSubtotalMinor: bigint | null;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  readonly deletedAt: Date | null;
}

/** A coupon's answer for one subtotal. */
export type CouponOutcome = { readonly ok: true; readonly amount: Money; readonly freeShipping: boolean } | { readonly ok: false; readonly reason: CouponRejection };

/**
 * Whether a coupon applies to `subtotal` at `now`, and what it takes off (PROMO-1). Limits are not
 * checked here: they are reserved atomically in the database (PROMO-2).
 */
export function evaluateCoupon(terms: CouponTerms, subtotal: Money, now: Date): CouponOutcome {
  if (terms.deletedAt) return { ok: false, reason: 'UNKNOWN' };
  if (terms.startsAt && now < terms.startsAt) return { ok: false, reason: 'NOT_STARTED' };
  if (terms.endsAt && now >= terms.endsAt) return { ok: false, reason: 'EXPIRED' };
  if (terms.currency && terms.currency !== subtotal.currency) return { ok: false, reason: 'CURRENCY' };
  if (terms.minSubtotalMinor !== null && subtotal.amountMinor < terms.minSubtotalMinor) return { ok: false, reason: 'MIN_SUBTOTAL' };
  const rule = DISCOUNT_RULES[terms.kind];
  return { ok: true, amount: rule.discount(subtotal, terms.value), freeShipping: rule.freeShipping };
}

/** Codes are case-insensitive: stored and looked up trimmed and upper-cased. */
export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}
