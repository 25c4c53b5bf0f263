import { z } from 'zod';
import { env, eventBusEnv, eventBusSettings, loadConfig, nodeEnv, tracingEnv, type EventBusSettings } from '@shop/platform';

const schema = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: env.logLevel(),
  CATALOG_HOST: z.string().default('127.0.0.1'),
  CATALOG_PORT: env.port(4001),
  CATALOG_DATABASE_URL: z.url(),
  CATALOG_DB_POOL_SIZE: env.positiveInt(10),
  /** 0 turns the product cache off. */
  CATALOG_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).default(60),
  REDIS_URL: env.optionalUrl(),
  GATEWAY_SUBGRAPH_SECRET: z.string().min(1).default('dev-only-gateway-subgraph-secret-not-for-production'),
  ...eventBusEnv,
  ...tracingEnv,
});

/** The catalog subgraph's settings. */
export interface CatalogConfig {
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly poolSize: number;
  readonly cacheTtlSeconds: number;
  readonly redisUrl: string | undefined;
  readonly identitySecret: string;
  /** Where catalog events go; without a bus (tests of reads only) the outbox just fills. */
  readonly events: EventBusSettings;
  /** OTLP/HTTP endpoint for traces; unset: tracing off. */
  readonly otlpEndpoint: string | undefined;
}

/** Reads and validates the catalog's environment; throws a ConfigError naming the variable. */
export function loadCatalogConfig(source?: Readonly<Record<string, string | undefined>>): CatalogConfig {
  const config = loadConfig({ service: 'catalog', schema, secrets: ['GATEWAY_SUBGRAPH_SECRET'], env: source });
  const events = eventBusSettings(config, 'catalog');
  return {
    production: config.NODE_ENV === 'production',
    host: config.CATALOG_HOST,
    port: config.CATALOG_PORT,
    databaseUrl: config.CATALOG_DATABASE_URL,
    poolSize: config.CATALOG_DB_POOL_SIZE,
    cacheTtlSeconds: config.CATALOG_CACHE_TTL_SECONDS,
    redisUrl: config.REDIS_URL,
    identitySecret: config.GATEWAY_SUBGRAPH_SECRET,
    events,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}
