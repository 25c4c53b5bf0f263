import { callResiliently, CallTimeoutError, CircuitBreaker, CircuitOpenError } from '@shop/platform';
import { PaymentsErrors } from '../errors';
import type { PaymentMethod } from '../generated/prisma/enums';
import { OfflineProvider } from './offline.providers';
import { ProviderUnavailable, type PaymentProvider } from './payment-provider';
import { SandboxProvider, type SandboxSettings } from './sandbox.provider';
import { StripeCardProvider } from './stripe-card.provider';

/** Time limit, retries and breaker settings for every provider call (PAY-6). */
export interface ProviderCallSettings {
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly breakerFailures: number;
  readonly breakerOpenMs: number;
  readonly now?: () => number;
}

/**
 * The providers payments knows, by method and by name, each behind its own breaker. Every call
 * goes through `call`: timeout, bounded retries on retryable failures, breaker; an open breaker
 * or exhausted retries answer PAYMENT_PROVIDER_UNAVAILABLE (retryable).
 */
export class ProviderRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly providers: readonly PaymentProvider[],
    private readonly settings: ProviderCallSettings,
  ) {
    for (const provider of providers) {
      this.breakers.set(provider.name, new CircuitBreaker(`payments:${provider.name}`, { failureThreshold: settings.breakerFailures, openMs: settings.breakerOpenMs, now: settings.now }));
    }
  }

  /** The provider for a method, if this deployment has one (WALLET is settled by the ledger itself). */
  forMethod(method: PaymentMethod): PaymentProvider | null {
    return this.providers.find((p) => p.methods.includes(method)) ?? null;
  }

  byName(name: string): PaymentProvider | null {
    return this.providers.find((p) => p.name === name) ?? null;
  }

  breaker(name: string): CircuitBreaker | undefined {
    return this.breakers.get(name);
  }

  /** Runs one call to `provider` with the resilience rules. */
  async call<T>(provider: PaymentProvider, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const breaker = this.breakers.get(provider.name) as CircuitBreaker;
    try {
      return await callResiliently({ timeoutMs: this.settings.timeoutMs, maxAttempts: this.settings.maxAttempts, isRetryable, breaker }, work);
    } catch (error) {
      if (error instanceof CircuitOpenError || isRetryable(error)) throw PaymentsErrors.create('PAYMENT_PROVIDER_UNAVAILABLE', { provider: provider.name });
      throw error;
    }
  }
}

function isRetryable(error: unknown): boolean {
  return error instanceof ProviderUnavailable || error instanceof CallTimeoutError;
}

/** The default providers: sandbox, cash on delivery, bank transfer, and Stripe cards when configured (wallet is the ledger). */
export function defaultProviders(sandbox: SandboxSettings, stripe: { secretKey: string; webhookSecret: string } | null = null): PaymentProvider[] {
  const providers: PaymentProvider[] = [new SandboxProvider(sandbox), new OfflineProvider('cash-on-delivery', ['CASH_ON_DELIVERY']), new OfflineProvider('bank-transfer', ['BANK_TRANSFER'])];
  if (stripe) providers.push(new StripeCardProvider({ ...stripe, toleranceSeconds: sandbox.toleranceSeconds }));
  return providers;
}
