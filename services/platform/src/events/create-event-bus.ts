import type { Logger } from '../logging/logger';
import type { EventBus } from './event-bus';
import type { EventBusSettings } from './event-bus-config';
import { createKafkaEventBus } from './kafka-bus';
import { createPostgresEventBus } from './postgres-bus';

/** Kafka when brokers are configured, the embedded PostgreSQL bus when its database is, else none. */
export async function createEventBus(settings: EventBusSettings, clientId: string, log: Logger): Promise<EventBus | null> {
  if (settings.kafkaBrokers) return createKafkaEventBus({ brokers: [...settings.kafkaBrokers], clientId, log });
  if (settings.busDatabaseUrl) return createPostgresEventBus({ url: settings.busDatabaseUrl, log, poolSize: settings.busPoolSize });
  return null;
}
