import { z } from 'zod';
import { loadConfig, subgraphEnv, subgraphSettings, type SubgraphSettings } from '@shop/platform';

const schema = z.object({
  ...subgraphEnv('CATALOG', 4001),
  /** 0 turns the product cache off. */
  CATALOG_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(60),
});

/** The catalog subgraph's settings. */
export interface CatalogConfig extends SubgraphSettings {
  readonly cacheTtlSeconds: number;
}

/** Reads and validates the catalog's environment; throws a ConfigError naming the variable. */
export function loadCatalogConfig(source?: Readonly<Record<string, string | undefined>>): CatalogConfig {
  const config = loadConfig({ service: 'catalog', schema, secrets: ['GATEWAY_SUBGRAPH_SECRET'], env: source });
  return { ...subgraphSettings(config, 'CATALOG', 'catalog'), cacheTtlSeconds: config.CATALOG_CACHE_TTL_SECONDS };
}
