import { z } from 'zod';
import { ConfigError, env } from '../config/load-config';

/** The event settings every service shares; merge into its config schema. */
export const eventBusEnv = {
  /** Kafka brokers, comma-separated; when set, events go through Kafka. */
  KAFKA_BROKERS: z.string().optional(),
  /** Otherwise the embedded durable bus in this PostgreSQL database (embedded mode: shop_bus). */
  BUS_DATABASE_URL: env.optionalUrl(),
  /** Connections a service keeps to the embedded bus for publishing and reading (plus one per consumer group and one listener). */
  BUS_POOL_SIZE: env.positiveInt(4),
  OUTBOX_POLL_INTERVAL_MS: env.positiveInt(1000),
  OUTBOX_BATCH_SIZE: env.positiveInt(100),
  OUTBOX_RETENTION_HOURS: env.positiveInt(72),
};

/** Where a service's events go, and how its outbox is relayed. */
export interface EventBusSettings {
  readonly kafkaBrokers: readonly string[] | undefined;
  readonly busDatabaseUrl: string | undefined;
  readonly busPoolSize: number;
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  readonly retentionHours: number;
}

interface EventEnvValues {
  readonly NODE_ENV?: string | undefined;
  readonly KAFKA_BROKERS?: string | undefined;
  readonly BUS_DATABASE_URL?: string | undefined;
  readonly BUS_POOL_SIZE?: number | undefined;
  readonly OUTBOX_POLL_INTERVAL_MS: number;
  readonly OUTBOX_BATCH_SIZE: number;
  readonly OUTBOX_RETENTION_HOURS: number;
}

/**
 * Reads the shared event settings out of a parsed service config. In production a service without
 * a bus is refused (a ConfigError naming `service`): no event would ever leave its outbox.
 */
export function eventBusSettings(values: EventEnvValues, service?: string): EventBusSettings {
  const brokers = values.KAFKA_BROKERS?.split(',').map((broker) => broker.trim()).filter(Boolean);
  if (service && values.NODE_ENV === 'production' && !brokers?.length && !values.BUS_DATABASE_URL) {
    throw new ConfigError(`${service}: KAFKA_BROKERS (or BUS_DATABASE_URL) is missing; without a bus no event leaves the outbox`);
  }
  return {
    kafkaBrokers: brokers && brokers.length > 0 ? brokers : undefined,
    busDatabaseUrl: values.BUS_DATABASE_URL,
    busPoolSize: values.BUS_POOL_SIZE ?? 4,
    pollIntervalMs: values.OUTBOX_POLL_INTERVAL_MS,
    batchSize: values.OUTBOX_BATCH_SIZE,
    retentionHours: values.OUTBOX_RETENTION_HOURS,
  };
}
