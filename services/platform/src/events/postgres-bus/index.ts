/** The embedded durable event bus on PostgreSQL (used when no Kafka is configured). */
export { createPostgresEventBus, type PostgresEventBus, type PostgresEventBusOptions } from './postgres-event-bus';
