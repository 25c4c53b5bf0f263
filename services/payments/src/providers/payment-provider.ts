import type { PaymentMethod } from '../generated/prisma/enums';

/** What a provider needs to know about an attempt. */
export interface ProviderPayment {
  readonly id: string;
  readonly orderId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  /** Stable per attempt: the provider deduplicates retried calls with it (PAY-3). */
  readonly idempotencyKey: string;
  readonly providerRef: string | null;
}

/** What starting an attempt gave: where to send the customer, the provider's id, or an outcome at once. */
export interface StartedPayment {
  readonly redirectUrl: string | null;
  readonly providerRef: string | null;
  /** SUCCEEDED for methods that settle synchronously; PENDING when a webhook or staff will settle it. */
  readonly status: 'PENDING' | 'SUCCEEDED';
}

/** The provider's view of an attempt, asked by reconciliation. */
export type ProviderOutcome = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** A verified webhook event, in payments' terms. */
export interface ProviderEvent {
  readonly id: string;
  readonly type: 'payment.succeeded' | 'payment.failed';
  readonly paymentId: string;
  readonly amountMinor: bigint;
  readonly currency: string;
}

/**
 * One payment provider (PAY-1), a strategy: the payment service knows only this interface. A new
 * gateway (a Razorpay- or Zibal-style redirect) is one new file implementing it, registered in
 * `providers/index.ts` (docs/payments.md).
 */
export interface PaymentProvider {
  /** Stable name, stored on each payment and used for its webhook path and breaker. */
  readonly name: string;
  /** The methods it handles. */
  readonly methods: readonly PaymentMethod[];
  /** Starts an attempt for exactly the order's total. */
  start(payment: ProviderPayment, signal: AbortSignal): Promise<StartedPayment>;
  /** Asks the provider how an attempt ended (reconciliation). */
  lookup(payment: ProviderPayment, signal: AbortSignal): Promise<ProviderOutcome>;
  /** Sends `amountMinor` of a capture back to the original method; `key` makes a retried call harmless. */
  refund(payment: ProviderPayment, amountMinor: bigint, key: string, signal: AbortSignal): Promise<void>;
  /**
   * Checks a webhook's signature over the raw body and parses it; throws WebhookRejected on any
   * doubt. Null for a genuine event payments has no use for (acknowledged, nothing changes).
   * Absent for providers without webhooks.
   */
  verifyWebhook?(rawBody: string, headers: Readonly<Record<string, string | undefined>>, nowSeconds: number): ProviderEvent | null;
}

/** A webhook refused before anything changed: answered 400 (PAY-2). */
export class WebhookRejected extends Error {
  constructor(readonly reason: string) {
    super(`webhook rejected: ${reason}`);
    this.name = 'WebhookRejected';
  }
}

/** A provider failure worth retrying (timeouts, 5xx, connection problems). */
export class ProviderUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnavailable';
  }
}
