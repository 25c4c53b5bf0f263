import { z } from 'zod';
import type { PaymentProvider, ProviderEvent, ProviderPayment, StartedPayment } from './payment-provider';
import { WebhookRejected } from './payment-provider';
import { SANDBOX_SIGNATURE_HEADER, verifySandboxSignature } from './sandbox-signature';

const sandboxEvent = z.strictObject({
  id: z.string().min(1).max(100),
  type: z.enum(['payment.succeeded', 'payment.failed']),
  data: z.strictObject({ paymentId: z.uuid(), amount: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), currency: z.string().regex(/^[A-Z]{3}$/) }),
});

/** The sandbox provider's settings. */
export interface SandboxSettings {
  readonly webhookSecret: string;
  readonly toleranceSeconds: number;
  /** The public origin of the hosted page (`PAYMENTS_PUBLIC_URL`). */
  readonly publicUrl: string;
}

/**
 * The built-in sandbox gateway (PAY-1): it behaves like a hosted-page gateway. Starting an attempt
 * gives the hosted page's URL; the page's Pay or Fail button makes the provider send a signed
 * webhook (CONTRACT "Sandbox payment provider"). It keeps no state of its own, so reconciliation
 * learns nothing from it: a forgotten sandbox attempt expires at the deadline.
 */
export class SandboxProvider implements PaymentProvider {
  readonly name = 'sandbox';
  readonly methods = ['SANDBOX'] as const;

  constructor(private readonly settings: SandboxSettings) {}

  async start(payment: ProviderPayment): Promise<StartedPayment> {
    return { redirectUrl: `${this.settings.publicUrl}/pay/sandbox/${payment.id}`, providerRef: `sbx_${payment.id}`, status: 'PENDING' };
  }

  async lookup(): Promise<'PENDING'> {
    return 'PENDING';
  }

  async refund(): Promise<void> {}

  verifyWebhook(rawBody: string, headers: Readonly<Record<string, string | undefined>>, nowSeconds: number): ProviderEvent {
    verifySandboxSignature(this.settings.webhookSecret, rawBody, headers[SANDBOX_SIGNATURE_HEADER], nowSeconds, this.settings.toleranceSeconds);
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      throw new WebhookRejected('body is not JSON');
    }
    const parsed = sandboxEvent.safeParse(body);
    if (!parsed.success) throw new WebhookRejected('body does not match the contract');
    const { id, type, data } = parsed.data;
    return { id, type, paymentId: data.paymentId, amountMinor: BigInt(data.amount), currency: data.currency };
  }
}
