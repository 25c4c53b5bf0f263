import { z } from 'zod';
import { env, loadConfig, rateLimitEnv, subgraphEnv, subgraphSettings, type SubgraphSettings } from '@shop/platform';
import { DEFAULT_TAX_RATES, type TaxRates } from './pricing/tax-rates';

const taxRates = env.json(z.record(z.string().regex(/^[A-Z]{2}$/, 'country codes are ISO 3166-1 alpha-2'), z.record(z.string().min(1), z.number().int().min(0).max(10_000))));

const schema = z.object({
  ...subgraphEnv('ORDERS', 4004),
  ...rateLimitEnv,
  CART_MAX_QUANTITY: env.positiveInt(999),
  /** How long after placing an order its customer may still cancel it themselves (ORD-5). */
  ORDER_CANCEL_WINDOW_MINUTES: env.positiveInt(60),
  TAX_RATES: taxRates.optional(),
  CART_REMINDER_HOURS: env.positiveInt(24),
  CART_PURGE_DAYS: env.positiveInt(8),
  CART_SWEEP_INTERVAL_MS: env.positiveInt(60_000),
  TRACK_ORDER_PER_CLIENT_PER_HOUR: env.positiveInt(20),
  /** Signs and verifies shipping quotes (SHIP-1); in production a real secret is required. */
  SHIPPING_QUOTE_SECRET: z.string().min(32).default('dev-only-shipping-quote-secret-not-for-production'),
  SHIPPING_QUOTE_TTL_SECONDS: env.positiveInt(900),
  /** Days after delivery before an order is COMPLETED (the return window). */
  ORDER_RETURN_WINDOW_DAYS: z.coerce.number().min(0).default(14),
  ORDER_COMPLETION_INTERVAL_MS: env.positiveInt(60_000),
});

/** Limits orders enforces, each scaled by RATE_LIMIT_SCALE. */
export interface OrdersLimits {
  readonly trackOrderPerClientPerHour: number;
  readonly scale: number;
}

/** The orders subgraph's settings. */
export interface OrdersConfig extends SubgraphSettings {
  readonly cartMaxQuantity: number;
  readonly cancelWindowMinutes: number;
  readonly taxRates: TaxRates;
  readonly cartReminderHours: number;
  readonly cartPurgeDays: number;
  readonly cartSweepIntervalMs: number;
  readonly limits: OrdersLimits;
  readonly shippingQuotes: { readonly secret: string; readonly ttlSeconds: number };
  readonly returnWindowDays: number;
  readonly completionIntervalMs: number;
}

/** Reads and validates the orders environment; throws a ConfigError naming the variable. */
export function loadOrdersConfig(source?: Readonly<Record<string, string | undefined>>): OrdersConfig {
  const config = loadConfig({ service: 'orders', schema, secrets: ['GATEWAY_SUBGRAPH_SECRET', 'SHIPPING_QUOTE_SECRET'], env: source });
  return {
    ...subgraphSettings(config, 'ORDERS', 'orders'),
    cartMaxQuantity: config.CART_MAX_QUANTITY,
    cancelWindowMinutes: config.ORDER_CANCEL_WINDOW_MINUTES,
    taxRates: config.TAX_RATES ?? DEFAULT_TAX_RATES,
    cartReminderHours: config.CART_REMINDER_HOURS,
    cartPurgeDays: config.CART_PURGE_DAYS,
    cartSweepIntervalMs: config.CART_SWEEP_INTERVAL_MS,
    limits: { trackOrderPerClientPerHour: config.TRACK_ORDER_PER_CLIENT_PER_HOUR, scale: config.RATE_LIMIT_SCALE },
    shippingQuotes: { secret: config.SHIPPING_QUOTE_SECRET, ttlSeconds: config.SHIPPING_QUOTE_TTL_SECONDS },
    returnWindowDays: config.ORDER_RETURN_WINDOW_DAYS,
    completionIntervalMs: config.ORDER_COMPLETION_INTERVAL_MS,
  };
}
