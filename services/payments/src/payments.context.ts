import type { RequestContext } from '@shop/platform';
import type { PaymentService } from './payment.service';
import type { RefundService } from './refund.service';
import type { WalletService } from './wallet.service';

/** What payments resolvers receive: the platform's request context plus the payments services. */
export interface PaymentsContext extends RequestContext {
  readonly payments: PaymentService;
  readonly refunds: RefundService;
  readonly wallets: WalletService;
}
