import { z } from 'zod';
import { env, loadConfig, subgraphEnv, subgraphSettings, type SubgraphSettings } from '@shop/platform';

const DEV_SANDBOX_SECRET = 'dev-only-sandbox-webhook-secret-not-for-production';

const schema = z.object({
  ...subgraphEnv('PAYMENTS', 4005),
  /** Signs and verifies the sandbox provider's webhooks (CONTRACT "Sandbox payment provider"). */
  PAYMENTS_SANDBOX_WEBHOOK_SECRET: z.string().min(16).default(DEV_SANDBOX_SECRET),
  /** Where the hosted sandbox page sends its signed webhook: through the gateway by default. */
  PAYMENTS_WEBHOOK_URL: z.url().default('http://localhost:4000/webhooks/payments/sandbox'),
  /** The public origin a browser reaches the hosted sandbox page at (`redirectUrl`). */
  PAYMENTS_PUBLIC_URL: z.url().default('http://localhost:4000'),
  /** Webhook timestamps older or newer than this are refused (PAY-2). */
  PAYMENTS_WEBHOOK_TOLERANCE_SECONDS: env.positiveInt(300),
  /** An attempt still pending after this long is asked about, then expired, by reconciliation (PAY-6). */
  PAYMENT_TIMEOUT_SECONDS: env.positiveInt(900),
  PAYMENTS_RECONCILE_INTERVAL_MS: env.positiveInt(60_000),
  /** One provider call's time limit, and how often a retryable failure is tried again. */
  PAYMENTS_PROVIDER_TIMEOUT_MS: env.positiveInt(5_000),
  PAYMENTS_PROVIDER_MAX_ATTEMPTS: env.positiveInt(3),
  /** Consecutive failures that open a provider's breaker, and how long it stays open. */
  PAYMENTS_BREAKER_FAILURES: env.positiveInt(5),
  PAYMENTS_BREAKER_OPEN_MS: env.positiveInt(30_000),
  /** Cards through Stripe: both set turns the CARD method on. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
});

/** The payments subgraph's settings. */
export interface PaymentsConfig extends SubgraphSettings {
  readonly sandboxWebhookSecret: string;
  readonly webhookUrl: string;
  readonly publicUrl: string;
  readonly webhookToleranceSeconds: number;
  readonly paymentTimeoutSeconds: number;
  readonly reconcileIntervalMs: number;
  /** Set when cards through Stripe are configured. */
  readonly stripe: { readonly secretKey: string; readonly webhookSecret: string } | null;
  readonly provider: { readonly timeoutMs: number; readonly maxAttempts: number; readonly breakerFailures: number; readonly breakerOpenMs: number };
}

/** Reads and validates the payments environment; throws a ConfigError naming the variable. */
export function loadPaymentsConfig(source?: Readonly<Record<string, string | undefined>>): PaymentsConfig {
  const config = loadConfig({ service: 'payments', schema, secrets: ['GATEWAY_SUBGRAPH_SECRET', 'PAYMENTS_SANDBOX_WEBHOOK_SECRET'], env: source });
  return {
    ...subgraphSettings(config, 'PAYMENTS', 'payments'),
    sandboxWebhookSecret: config.PAYMENTS_SANDBOX_WEBHOOK_SECRET,
    webhookUrl: config.PAYMENTS_WEBHOOK_URL,
    publicUrl: config.PAYMENTS_PUBLIC_URL.replace(/\/+$/, ''),
    webhookToleranceSeconds: config.PAYMENTS_WEBHOOK_TOLERANCE_SECONDS,
    paymentTimeoutSeconds: config.PAYMENT_TIMEOUT_SECONDS,
    reconcileIntervalMs: config.PAYMENTS_RECONCILE_INTERVAL_MS,
    stripe: config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET ? { secretKey: config.STRIPE_SECRET_KEY, webhookSecret: config.STRIPE_WEBHOOK_SECRET } : null,
    provider: {
      timeoutMs: config.PAYMENTS_PROVIDER_TIMEOUT_MS,
      maxAttempts: config.PAYMENTS_PROVIDER_MAX_ATTEMPTS,
      breakerFailures: config.PAYMENTS_BREAKER_FAILURES,
      breakerOpenMs: config.PAYMENTS_BREAKER_OPEN_MS,
    },
  };
}
