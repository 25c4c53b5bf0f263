import { BusinessError, defineErrors } from '@shop/platform';

/** The payments service's own business errors (the common ones come from the platform). */
export const PaymentsErrors = defineErrors({
  INVALID_TRANSITION: { retryable: false, message: 'The order cannot change to this status from its current one.' },
  PAYMENT_PROVIDER_UNAVAILABLE: { retryable: true, message: 'The payment provider is unavailable; try again shortly.' },
  PAYMENT_DECLINED: { retryable: false, message: 'The payment was declined.' },
  REFUND_EXCEEDS_CAPTURED: { retryable: false, message: 'The refund is larger than what remains of the captured amount.' },
  IDEMPOTENCY_KEY_REUSED: { retryable: false, message: 'This idempotency key was already used for a different request.' },
  INSUFFICIENT_WALLET_BALANCE: { retryable: false, message: 'The wallet balance does not cover this amount.' },
});

/**
 * CONTRACT: paying an order that is not AWAITING_PAYMENT is INVALID_TRANSITION, "retryable while
 * PENDING". The registry gives a code one default retryability (false, as orders declared it), so
 * this one occurrence, an order whose saga has not finished yet, is raised with retryable true:
 * the code clients match on stays the contract's, and only this state is marked worth retrying.
 */
export function orderNotPayableYet(orderId: string): BusinessError {
  return new BusinessError('INVALID_TRANSITION', 'The order is not ready for payment yet; try again in a moment.', true, { orderId, status: 'PENDING' });
}
