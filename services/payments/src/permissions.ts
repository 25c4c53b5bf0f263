import { allow, isAuthenticated, isOwnerOrStaff, isStaff, type ShieldRules } from '@shop/platform';
import type { PaymentView } from './payment.model';

/**
 * Who may do what in payments. Paying and reading a payment need a signed-in caller; the service
 * answers NOT_FOUND for another customer's order or payment (SEC-3). Refunds and a payment's
 * refund list are staff only. Anything not listed is denied.
 */
export const paymentsRules: ShieldRules = {
  Query: { payment: isAuthenticated, myWallet: isAuthenticated },
  Mutation: { payOrder: isAuthenticated, refundPayment: isStaff, confirmOfflinePayment: isStaff },
  Payment: { '*': isOwnerOrStaff<PaymentView>('Payment', (payment) => payment.customerId), refunds: isStaff },
  Refund: allow,
  Wallet: allow,
  Money: allow,
};
