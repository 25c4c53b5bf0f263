import { z } from 'zod';
import { env, loadConfig, subgraphEnv, subgraphSettings, type SubgraphSettings } from '@shop/platform';

const schema = z.object({
  ...subgraphEnv('SHIPPING', 4006),
  /** The carrier's time limit per booking call (SHIP-2). */
  SHIPPING_CARRIER_TIMEOUT_MS: env.positiveInt(3000),
  /** Attempts per booking run before the shipment waits for the next run. */
  SHIPPING_CARRIER_MAX_ATTEMPTS: env.positiveInt(2),
  /** Consecutive carrier failures that open the breaker, and how long it stays open. */
  SHIPPING_CARRIER_BREAKER_FAILURES: env.positiveInt(5),
  SHIPPING_CARRIER_BREAKER_OPEN_MS: env.positiveInt(30_000),
  /** How often the background job books shipments the carrier has not taken yet (once across replicas). */
  SHIPPING_BOOKING_INTERVAL_MS: env.positiveInt(5_000),
  /** The pause before a failed booking is tried again, doubled per attempt up to an hour. */
  SHIPPING_BOOKING_BACKOFF_MS: env.positiveInt(10_000),
});

/** The shipping subgraph's settings. */
export interface ShippingConfig extends SubgraphSettings {
  readonly carrier: { readonly timeoutMs: number; readonly maxAttempts: number; readonly breakerFailures: number; readonly breakerOpenMs: number };
  readonly bookingIntervalMs: number;
  readonly bookingBackoffMs: number;
}

/** Reads and validates the shipping environment; throws a ConfigError naming the variable. */
export function loadShippingConfig(source?: Readonly<Record<string, string | undefined>>): ShippingConfig {
  const config = loadConfig({ service: 'shipping', schema, secrets: ['GATEWAY_SUBGRAPH_SECRET'], env: source });
  return {
    ...subgraphSettings(config, 'SHIPPING', 'shipping'),
    carrier: {
      timeoutMs: config.SHIPPING_CARRIER_TIMEOUT_MS,
      maxAttempts: config.SHIPPING_CARRIER_MAX_ATTEMPTS,
      breakerFailures: config.SHIPPING_CARRIER_BREAKER_FAILURES,
      breakerOpenMs: config.SHIPPING_CARRIER_BREAKER_OPEN_MS,
    },
    bookingIntervalMs: config.SHIPPING_BOOKING_INTERVAL_MS,
    bookingBackoffMs: config.SHIPPING_BOOKING_BACKOFF_MS,
  };
}
