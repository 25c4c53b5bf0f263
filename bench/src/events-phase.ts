import { createKafkaEventBus, createPostgresEventBus, serviceLogger, type EventBus } from '@shop/platform';
// Not exported by @shop/platform's package map (test helper): reached through its build output.
import { startKafkaMock } from '../../services/platform/dist/events/testing/kafka-mock';
import { measureBus, type BusFigures } from './bus-measurement';
import type { Cleanup } from './cleanup';
import type { BenchConfig } from './config';
import { embeddedDatabaseUrl } from './embedded-database';
import { startShop, type Shop } from './shop-process';

/** Which bus carried the events. */
export type BusName = 'embedded (PostgreSQL)' | 'Kafka (librdkafka mock)';

/** One bus's outcome: measured, skipped (with the reason) or failed (with the error). */
export type BusOutcome =
  | { readonly bus: BusName; readonly status: 'measured'; readonly figures: BusFigures }
  | { readonly bus: BusName; readonly status: 'skipped'; readonly reason: string }
  | { readonly bus: BusName; readonly status: 'failed'; readonly error: string };

/** The events phase's settings and outcomes. */
export interface EventsResults {
  readonly writesPerBus: number;
  readonly concurrency: number;
  readonly pollIntervalMs: number;
  /** Publish-lag p99 target: 2 × poll interval + 20 ms. */
  readonly lagTargetMs: number;
  readonly deadlineSeconds: number;
  readonly buses: readonly BusOutcome[];
}

/** Bus clients of the bench log errors only, so their lines do not break up the bench's output. */
const busLog = () => serviceLogger('bench-events').child({}, { level: 'error' });

async function measureOnShop(bus: BusName, env: Record<string, string>, connect: (shop: Shop) => Promise<EventBus>, context: PhaseContext): Promise<BusOutcome> {
  let shop: Shop | undefined;
  try {
    context.log(`  ${bus}: starting a shop${env.KAFKA_BROKERS ? ` with KAFKA_BROKERS=${env.KAFKA_BROKERS}` : ''}...`);
    shop = await startShop({ config: context.config, cleanup: context.cleanup, label: `events, ${bus}`, env });
    const figures = await measureBus(shop, await connect(shop), context.config, context.log);
    context.log(`    ${figures.eventsOnBus} events on the bus, ${figures.outbox.published} published in the outbox, publish lag p99 ${figures.outbox.lagP99Ms ?? '-'} ms`);
    return { bus, status: 'measured', figures };
  } catch (error) {
    if (context.cleanup.interruptedBy) throw error;
    const message = error instanceof Error ? error.message : String(error);
    context.log(`    failed: ${message}`);
    return { bus, status: 'failed', error: message };
  } finally {
    await shop?.stop();
  }
}

interface PhaseContext {
  readonly config: BenchConfig;
  readonly cleanup: Cleanup;
  readonly log: (line: string) => void;
}

/** The embedded shop as `npm start` runs it: no KAFKA_BROKERS, the PostgreSQL bus in `shop_bus`. */
function embeddedBus(context: PhaseContext): Promise<BusOutcome> {
  return measureOnShop('embedded (PostgreSQL)', {}, async (shop) => createPostgresEventBus({ url: await embeddedDatabaseUrl(shop, 'shop_bus'), log: busLog() }), context);
}

/** A librdkafka mock broker (kcat), and a shop with KAFKA_BROKERS pointing at it; both stopped after. */
async function kafkaBus(context: PhaseContext): Promise<BusOutcome> {
  const bus: BusName = 'Kafka (librdkafka mock)';
  let mock: Awaited<ReturnType<typeof startKafkaMock>>;
  try {
    mock = await startKafkaMock();
  } catch (error) {
    return { bus, status: 'failed', error: `the Kafka mock did not start: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!mock) return { bus, status: 'skipped', reason: 'skipped: kcat not installed' };
  const { brokers, stop } = mock;
  const unregister = context.cleanup.add({ name: 'stopping kcat (Kafka mock)', run: stop });
  try {
    const connect = () => createKafkaEventBus({ brokers, clientId: 'bench-events', log: busLog() });
    return await measureOnShop(bus, { KAFKA_BROKERS: brokers.join(',') }, connect, context);
  } finally {
    await stop();
    unregister();
  }
}

/**
 * Price writes through the gateway on two fresh shops, one per bus, one after the other: how many
 * of their events reached `catalog.events`, and how long the outbox relay took to publish them.
 * A bus that fails is reported as failed and the other one still runs.
 */
export async function runEventsPhase(config: BenchConfig, cleanup: Cleanup, log: (line: string) => void): Promise<EventsResults> {
  const context = { config, cleanup, log };
  const buses = [await embeddedBus(context), await kafkaBus(context)];
  return {
    writesPerBus: config.eventWrites,
    concurrency: config.eventConcurrency,
    pollIntervalMs: config.outboxPollIntervalMs,
    lagTargetMs: 2 * config.outboxPollIntervalMs + 20,
    deadlineSeconds: config.eventDeadlineSeconds,
    buses,
  };
}
