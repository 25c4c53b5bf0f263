import { defineErrors } from '@shop/platform';

/** The orders service's own business errors (the common ones come from the platform). */
export const OrdersErrors = defineErrors({
  OUT_OF_STOCK: { retryable: false, message: 'Some lines can no longer be bought.' },
  PRICE_CHANGED: { retryable: false, message: 'Prices changed since the lines were added; the cart now shows the current prices.' },
  INVALID_TRANSITION: { retryable: false, message: 'The order cannot change to this status from its current one.' },
  IDEMPOTENCY_KEY_REUSED: { retryable: false, message: 'This idempotency key was already used for a different checkout request.' },
  CANCEL_WINDOW_CLOSED: { retryable: false, message: 'The order can no longer be cancelled by its customer; contact support.' },
  VARIANT_UNAVAILABLE: { retryable: false, message: 'This variant is no longer for sale.' },
  COUPON_INVALID: { retryable: false, message: 'The coupon cannot be used.' },
  SHIPPING_QUOTE_INVALID: { retryable: false, message: 'The shipping quote is invalid or has expired.' },
});
