import Stripe from 'stripe';
import type { PaymentMethod } from '../generated/prisma/enums';
import { ProviderUnavailable, WebhookRejected, type PaymentProvider, type ProviderEvent, type ProviderOutcome, type ProviderPayment, type StartedPayment } from './payment-provider';

/** How to reach Stripe (or a local fake of it) and verify its webhooks. */
export interface StripeCardSettings {
  readonly secretKey: string;
  readonly webhookSecret: string;
  readonly toleranceSeconds: number;
  /** Only for tests: a local fake of the API (`http://127.0.0.1:<port>`). */
  readonly apiUrl?: string;
}

/** The header Stripe signs its webhooks with. */
export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

/**
 * Cards through Stripe PaymentIntents (PAY-1), on the official SDK. Each attempt creates one
 * PaymentIntent with the attempt's stable idempotency key, so a retried call never charges twice;
 * the customer confirms it client-side and Stripe's signed webhook reports the outcome. The SDK's
 * own retries are off: timeouts, retries and the breaker are the registry's, like every provider's.
 */
export class StripeCardProvider implements PaymentProvider {
  readonly name = 'stripe';
  readonly methods: readonly PaymentMethod[] = ['CARD'];
  private readonly stripe: Stripe;

  constructor(private readonly settings: StripeCardSettings) {
    const api = settings.apiUrl ? new URL(settings.apiUrl) : null;
    this.stripe = new Stripe(settings.secretKey, {
      maxNetworkRetries: 0,
      ...(api ? { host: api.hostname, port: Number(api.port), protocol: api.protocol === 'http:' ? 'http' : 'https' } : {}),
    });
  }

  async start(payment: ProviderPayment): Promise<StartedPayment> {
    const intent = await this.call(() =>
      this.stripe.paymentIntents.create(
        { amount: Number(payment.amountMinor), currency: payment.currency.toLowerCase(), metadata: { paymentId: payment.id, orderId: payment.orderId } },
        { idempotencyKey: payment.idempotencyKey },
      ),
    );
    return { redirectUrl: null, providerRef: intent.id, status: 'PENDING' };
  }

  async lookup(payment: ProviderPayment): Promise<ProviderOutcome> {
    if (!payment.providerRef) return 'PENDING';
    const ref = payment.providerRef;
    const intent = await this.call(() => this.stripe.paymentIntents.retrieve(ref));
    if (intent.status === 'succeeded') return BigInt(intent.amount_received) === payment.amountMinor ? 'SUCCEEDED' : 'FAILED';
    return intent.status === 'canceled' ? 'FAILED' : 'PENDING';
  }

  async refund(payment: ProviderPayment, amountMinor: bigint, key: string): Promise<void> {
    if (!payment.providerRef) throw new Error('stripe: a payment without a PaymentIntent cannot be refunded');
    const ref = payment.providerRef;
    await this.call(() => this.stripe.refunds.create({ payment_intent: ref, amount: Number(amountMinor) }, { idempotencyKey: key }));
  }

  /**
   * Verifies `Stripe-Signature` with the SDK (HMAC over `t.body`, any of several `v1` during secret
   * rotation, stale timestamps refused) and refuses future-dated ones too, which the SDK does not.
   */
  verifyWebhook(rawBody: string, headers: Readonly<Record<string, string | undefined>>, nowSeconds: number): ProviderEvent | null {
    const header = headers[STRIPE_SIGNATURE_HEADER];
    if (!header) throw new WebhookRejected('missing signature');
    const timestamp = /(?:^|,)t=(\d{1,12})(?:,|$)/.exec(header)?.[1];
    if (timestamp && Number(timestamp) - nowSeconds > this.settings.toleranceSeconds) throw new WebhookRejected('future timestamp');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, header, this.settings.webhookSecret, this.settings.toleranceSeconds, undefined, nowSeconds * 1000);
    } catch (error) {
      throw new WebhookRejected(error instanceof Error ? error.message : 'bad signature');
    }
    if (event.type !== 'payment_intent.succeeded' && event.type !== 'payment_intent.payment_failed') return null;
    const intent = event.data.object;
    const paymentId = intent.metadata?.['paymentId'];
    if (!paymentId) throw new WebhookRejected('PaymentIntent without a paymentId');
    return {
      id: event.id,
      type: event.type === 'payment_intent.succeeded' ? 'payment.succeeded' : 'payment.failed',
      paymentId,
      amountMinor: BigInt(event.type === 'payment_intent.succeeded' ? intent.amount_received : intent.amount),
      currency: intent.currency.toUpperCase(),
    };
  }

  /** Connection problems, 5xx and rate limits are worth retrying; every other Stripe error is final. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError || error instanceof Stripe.errors.StripeRateLimitError) {
        throw new ProviderUnavailable(`stripe: ${error.message}`);
      }
      if (error instanceof Stripe.errors.StripeError && (error.statusCode ?? 0) >= 500) throw new ProviderUnavailable(`stripe: ${error.message}`);
      throw error;
    }
  }
}
