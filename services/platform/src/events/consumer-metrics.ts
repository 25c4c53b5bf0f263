import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * What consumers report, labelled by group (PLAT-3): how far behind the producer they handle events,
 * and how many they dead-lettered. Created once per process and added to each service's registry.
 */
export const consumerMetrics = {
  lag: new Histogram({
    name: 'event_consumer_lag_seconds',
    help: 'Time from an event occurring to its handling by a consumer group',
    labelNames: ['group', 'type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [],
  }),
  deadLettered: new Counter({
    name: 'event_dead_lettered_total',
    help: 'Events a consumer group sent to its dead-letter topic',
    labelNames: ['group', 'type'],
    registers: [],
  }),
};

/** Publishes the consumer metrics on a service's /metrics. */
export function registerConsumerMetrics(registry: Registry): void {
  if (!registry.getSingleMetric('event_consumer_lag_seconds')) registry.registerMetric(consumerMetrics.lag);
  if (!registry.getSingleMetric('event_dead_lettered_total')) registry.registerMetric(consumerMetrics.deadLettered);
}
