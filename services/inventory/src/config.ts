import { z } from 'zod';
import { env, loadConfig, subgraphEnv, subgraphSettings, type SubgraphSettings } from '@shop/platform';

const schema = z.object({
  ...subgraphEnv('INVENTORY', 4003),
  /** How long a reservation holds stock before the sweeper returns it to sale (INV-3). */
  RESERVATION_TTL_SECONDS: env.positiveInt(900),
  RESERVATION_SWEEP_INTERVAL_MS: env.positiveInt(1000),
  /** The low-stock threshold of a variant that has none of its own (INV-5). */
  LOW_STOCK_THRESHOLD: z.coerce.number().int().min(0).default(5),
  /** Where staff mutations without a warehouse and the seed put stock. */
  INVENTORY_DEFAULT_WAREHOUSE: z.string().min(1).max(64).default('main'),
});

/** The inventory subgraph's settings. */
export interface InventoryConfig extends SubgraphSettings {
  readonly reservationTtlSeconds: number;
  readonly sweepIntervalMs: number;
  readonly lowStockThreshold: number;
  readonly defaultWarehouse: string;
}

/** Reads and validates the inventory's environment; throws a ConfigError naming the variable. */
export function loadInventoryConfig(source?: Readonly<Record<string, string | undefined>>): InventoryConfig {
  const config = loadConfig({ service: 'inventory', schema, secrets: ['GATEWAY_SUBGRAPH_SECRET'], env: source });
  return {
    ...subgraphSettings(config, 'INVENTORY', 'inventory'),
    reservationTtlSeconds: config.RESERVATION_TTL_SECONDS,
    sweepIntervalMs: config.RESERVATION_SWEEP_INTERVAL_MS,
    lowStockThreshold: config.LOW_STOCK_THRESHOLD,
    defaultWarehouse: config.INVENTORY_DEFAULT_WAREHOUSE,
  };
}
