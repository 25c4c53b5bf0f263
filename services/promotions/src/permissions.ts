import { allow, isAuthenticated, isStaff, type ShieldRules } from '@shop/platform';

/**
 * Who may do what in promotions. Coupons are staff only; `applyCoupon` is open (rate-limited and
 * non-enumerable in the service); an affiliate is visible to its marketer and staff, which the
 * service checks (anyone else gets NOT_FOUND). Anything not listed is denied.
 */
export const promotionsRules: ShieldRules = {
  Query: { coupons: isStaff, coupon: isStaff, affiliate: isAuthenticated, myAffiliates: isAuthenticated },
  Mutation: { createCoupon: isStaff, updateCoupon: isStaff, deleteCoupon: isStaff, applyCoupon: allow, createAffiliate: isStaff },
  Coupon: isStaff,
  CouponCheck: allow,
  Money: allow,
  Affiliate: isAuthenticated,
  AffiliateAttribution: isAuthenticated,
};
