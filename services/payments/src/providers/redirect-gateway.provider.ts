import type { PaymentMethod } from '../generated/prisma/enums';
import { ProviderUnavailable, type PaymentProvider, type ProviderOutcome, type ProviderPayment, type StartedPayment } from './payment-provider';

/** Where a redirect gateway lives and who we are to it. */
export interface RedirectGatewaySettings {
  readonly name: string;
  readonly methods: readonly PaymentMethod[];
  /** The gateway's API origin, e.g. https://gateway.example (a local fake in tests). */
  readonly apiUrl: string;
  readonly merchantId: string;
  /** Where the gateway sends the customer back (the shop's order page). */
  readonly callbackUrl: string;
}

/**
 * A Zibal- or Razorpay-style redirect gateway (PAY-1) in one file: `request` registers the
 * payment and returns a track id, the customer pays on the gateway's page, and the outcome is
 * learned by asking (`inquiry`), which reconciliation does for every pending attempt. No webhook.
 * 5xx and network failures are retryable (ProviderUnavailable); 4xx are not.
 */
export class RedirectGatewayProvider implements PaymentProvider {
  readonly name: string;
  readonly methods: readonly PaymentMethod[];

  constructor(private readonly settings: RedirectGatewaySettings) {
    this.name = settings.name;
    this.methods = settings.methods;
  }

  async start(payment: ProviderPayment, signal: AbortSignal): Promise<StartedPayment> {
    const answer = await this.post<{ trackId: string }>('/v1/request', {
      merchant: this.settings.merchantId,
      amount: payment.amountMinor.toString(),
      currency: payment.currency,
      orderId: payment.orderId,
      callbackUrl: this.settings.callbackUrl,
      idempotencyKey: payment.idempotencyKey,
    }, signal);
    return { redirectUrl: `${this.settings.apiUrl}/start/${encodeURIComponent(answer.trackId)}`, providerRef: answer.trackId, status: 'PENDING' };
  }

  async lookup(payment: ProviderPayment, signal: AbortSignal): Promise<ProviderOutcome> {
    if (!payment.providerRef) return 'PENDING';
    const answer = await this.post<{ status: 'paid' | 'failed' | 'pending'; amount: string }>('/v1/inquiry', { merchant: this.settings.merchantId, trackId: payment.providerRef }, signal);
    if (answer.status === 'paid') return answer.amount === payment.amountMinor.toString() ? 'SUCCEEDED' : 'FAILED';
    return answer.status === 'failed' ? 'FAILED' : 'PENDING';
  }

  async refund(payment: ProviderPayment, amountMinor: bigint, key: string, signal: AbortSignal): Promise<void> {
    await this.post('/v1/refund', { merchant: this.settings.merchantId, trackId: payment.providerRef, amount: amountMinor.toString(), idempotencyKey: key }, signal);
  }

  private async post<T>(path: string, body: object, signal: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ProviderUnavailable(`${this.name}: ${(error as Error).message}`);
    }
    if (response.status >= 500) throw new ProviderUnavailable(`${this.name}: HTTP ${response.status}`);
    if (!response.ok) throw new Error(`${this.name} refused ${path}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }
}
