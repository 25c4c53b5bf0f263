import { z } from 'zod';
import { env } from '../config/load-config';
import { eventBusEnv, eventBusSettings, type EventBusSettings } from '../events/event-bus-config';
import { tracingEnv } from '../tracing/tracing-env';

const DEV_SUBGRAPH_SECRET = 'dev-only-gateway-subgraph-secret-not-for-production';

/**
 * The variables every subgraph reads, named after it: `CATALOG_HOST`, `CATALOG_PORT`,
 * `CATALOG_DATABASE_URL`, `CATALOG_DB_POOL_SIZE`, plus the shared Redis, identity secret, bus and
 * tracing settings. Spread into the service's own schema.
 */
export function subgraphEnv<Prefix extends string>(prefix: Prefix, defaultPort: number) {
  return {
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: env.logLevel(),
    [`${prefix}_HOST`]: z.string().default('127.0.0.1'),
    [`${prefix}_PORT`]: env.port(defaultPort),
    [`${prefix}_DATABASE_URL`]: z.url(),
    [`${prefix}_DB_POOL_SIZE`]: env.positiveInt(10),
    REDIS_URL: env.optionalUrl(),
    GATEWAY_SUBGRAPH_SECRET: z.string().min(1).default(DEV_SUBGRAPH_SECRET),
    ...eventBusEnv,
    ...tracingEnv,
  } as {
    NODE_ENV: z.ZodDefault<z.ZodEnum<{ development: 'development'; test: 'test'; production: 'production' }>>;
    LOG_LEVEL: ReturnType<typeof env.logLevel>;
    REDIS_URL: ReturnType<typeof env.optionalUrl>;
    GATEWAY_SUBGRAPH_SECRET: z.ZodDefault<z.ZodString>;
  } & Record<`${Prefix}_HOST`, z.ZodDefault<z.ZodString>> &
    Record<`${Prefix}_PORT` | `${Prefix}_DB_POOL_SIZE`, z.ZodDefault<z.ZodCoercedNumber<unknown>>> &
    Record<`${Prefix}_DATABASE_URL`, z.ZodURL> &
    typeof eventBusEnv &
    typeof tracingEnv;
}

/** The settings every subgraph has, read out of a config parsed with `subgraphEnv`. */
export interface SubgraphSettings {
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  readonly poolSize: number;
  readonly redisUrl: string | undefined;
  /** Verifies the identity the gateway signs for each request. */
  readonly identitySecret: string;
  /** Where the service's events go; without a bus (read-only tests) the outbox just fills. */
  readonly events: EventBusSettings;
  /** OTLP/HTTP endpoint for traces; unset: tracing off. */
  readonly otlpEndpoint: string | undefined;
}

/** What `subgraphEnv` parses to. */
type ParsedSubgraphEnv<Prefix extends string> = {
  readonly NODE_ENV: string;
  readonly REDIS_URL?: string | undefined;
  readonly GATEWAY_SUBGRAPH_SECRET: string;
  readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  readonly KAFKA_BROKERS?: string | undefined;
  readonly BUS_DATABASE_URL?: string | undefined;
  readonly OUTBOX_POLL_INTERVAL_MS: number;
  readonly OUTBOX_BATCH_SIZE: number;
  readonly OUTBOX_RETENTION_HOURS: number;
} & Readonly<Record<`${Prefix}_HOST` | `${Prefix}_DATABASE_URL`, string>> &
  Readonly<Record<`${Prefix}_PORT` | `${Prefix}_DB_POOL_SIZE`, number>>;

/** Picks the common settings out of a parsed config; refuses a production service without a bus. */
export function subgraphSettings<Prefix extends string>(values: ParsedSubgraphEnv<Prefix>, prefix: Prefix, service: string): SubgraphSettings {
  // zod has checked these; the generic keys only need reading back.
  const own = values as Readonly<Record<string, unknown>>;
  return {
    production: values.NODE_ENV === 'production',
    host: String(own[`${prefix}_HOST`]),
    port: Number(own[`${prefix}_PORT`]),
    databaseUrl: String(own[`${prefix}_DATABASE_URL`]),
    poolSize: Number(own[`${prefix}_DB_POOL_SIZE`]),
    redisUrl: values.REDIS_URL,
    identitySecret: values.GATEWAY_SUBGRAPH_SECRET,
    events: eventBusSettings(values, service),
    otlpEndpoint: values.OTEL_EXPORTER_OTLP_ENDPOINT,
  };
}
