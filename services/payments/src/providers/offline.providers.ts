import type { PaymentProvider, StartedPayment } from './payment-provider';

/**
 * Cash on delivery and bank transfer (PAY-1): no gateway. The attempt stays PENDING until staff
 * confirm the money arrived (`confirmOfflinePayment`); reconciliation expires it after the order's
 * payment deadline.
 * Refunds to the original method are paid out by staff by hand; the record is what this keeps.
 */
export class OfflineProvider implements PaymentProvider {
  constructor(
    readonly name: 'cash-on-delivery' | 'bank-transfer',
    readonly methods: readonly ('CASH_ON_DELIVERY' | 'BANK_TRANSFER')[],
  ) {}

  async start(): Promise<StartedPayment> {
    return { redirectUrl: null, providerRef: null, status: 'PENDING' };
  }

  async lookup(): Promise<'PENDING'> {
    return 'PENDING';
  }

  async refund(): Promise<void> {}
}
