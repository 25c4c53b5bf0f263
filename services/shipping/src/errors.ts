import { defineErrors } from '@shop/platform';

/** Shipping's own business errors (the common ones, NOT_FOUND and BAD_USER_INPUT, come from the platform). */
export const ShippingErrors = defineErrors({
  SHIPMENT_NOT_ADVANCEABLE: { retryable: true, message: 'The shipment has not been taken by the carrier yet, or is already delivered.' },
});
