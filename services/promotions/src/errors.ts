import { defineErrors } from '@shop/platform';

/** The message every unusable code answers with, whatever the reason (PROMO-3: no enumeration). */
export const COUPON_INVALID_MESSAGE = 'The coupon cannot be used.';

/** The promotions service's own business errors (the common ones come from the platform). */
export const PromotionsErrors = defineErrors({
  COUPON_INVALID: { retryable: false, message: COUPON_INVALID_MESSAGE },
});

/** The one answer for an unknown, expired, exhausted or otherwise unusable code. */
export const couponInvalid = () => PromotionsErrors.create('COUPON_INVALID', { field: 'code' });
