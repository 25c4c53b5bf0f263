import { z } from 'zod';
import { env, loadConfig, rateLimitEnv, subgraphEnv, subgraphSettings, type SubgraphSettings } from '@shop/platform';

const schema = z.object({
  ...subgraphEnv('PROMOTIONS', 4007),
  ...rateLimitEnv,
  /**
   * How long a coupon redemption holds before the order's payment deadline is known (set when the
   * order awaits payment); longer than inventory's reservation, so a slot never lapses first.
   */
  REDEMPTION_TTL_SECONDS: env.positiveInt(1800),
  /** Extra time after the order's payment deadline before an unpaid redemption is released. */
  REDEMPTION_GRACE_SECONDS: env.positiveInt(300),
  REDEMPTION_SWEEP_INTERVAL_MS: env.positiveInt(5000),
  /** The commission of an affiliate created without one, in basis points (PROMO-5). */
  AFFILIATE_DEFAULT_COMMISSION_BP: z.coerce.number().int().min(0).max(10_000).default(500),
  /** Coupon checks (`applyCoupon`) per client address and per customer (PROMO-3). */
  COUPON_CHECKS_PER_CLIENT_PER_HOUR: env.positiveInt(30),
  COUPON_CHECKS_PER_CUSTOMER_PER_HOUR: env.positiveInt(20),
});

/** Limits promotions enforces, each scaled by RATE_LIMIT_SCALE. */
export interface PromotionsLimits {
  readonly couponChecksPerClientPerHour: number;
  readonly couponChecksPerCustomerPerHour: number;
  readonly scale: number;
}

/** The promotions subgraph's settings. */
export interface PromotionsConfig extends SubgraphSettings {
  readonly redemptionTtlSeconds: number;
  readonly redemptionGraceSeconds: number;
  readonly sweepIntervalMs: number;
  readonly defaultCommissionBp: number;
  readonly limits: PromotionsLimits;
}

/** Reads and validates the promotions environment; throws a ConfigError naming the variable. */
export function loadPromotionsConfig(source?: Readonly<Record<string, string | undefined>>): PromotionsConfig {
  const config = loadConfig({ service: 'promotions', schema, secrets: ['GATEWAY_SUBGRAPH_SECRET'], env: source });
  return {
    ...subgraphSettings(config, 'PROMOTIONS', 'promotions'),
    redemptionTtlSeconds: config.REDEMPTION_TTL_SECONDS,
    redemptionGraceSeconds: config.REDEMPTION_GRACE_SECONDS,
    sweepIntervalMs: config.REDEMPTION_SWEEP_INTERVAL_MS,
    defaultCommissionBp: config.AFFILIATE_DEFAULT_COMMISSION_BP,
    limits: {
      couponChecksPerClientPerHour: config.COUPON_CHECKS_PER_CLIENT_PER_HOUR,
      couponChecksPerCustomerPerHour: config.COUPON_CHECKS_PER_CUSTOMER_PER_HOUR,
      scale: config.RATE_LIMIT_SCALE,
    },
  };
}
