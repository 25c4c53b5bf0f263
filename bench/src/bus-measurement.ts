import type { EventBus } from '@shop/platform';
import type { BenchConfig } from './config';
import { embeddedDatabaseUrl, openPool } from './embedded-database';
import { watchPriceEvents } from './event-arrivals';
import { outboxStats, type OutboxStats } from './outbox-stats';
import { percentileCont } from './percentile';
import { listVariants, writeKey, writePrices } from './price-writes';
import type { Shop } from './shop-process';
import { staffToken } from './staff-token';

/** The events figures of one bus. */
export interface BusFigures {
  readonly writesAttempted: number;
  readonly writesCommitted: number;
  readonly writesFailed: number;
  /** The first few failed writes' messages. */
  readonly writeFailures: readonly string[];
  readonly writeSeconds: number;
  /** Distinct `VariantPriceChanged` event ids matching a committed write that arrived on `catalog.events`. */
  readonly eventsOnBus: number;
  /** Deliveries of those events to the bench's group (more than eventsOnBus means redeliveries). */
  readonly deliveries: number;
  /** eventsOnBus ÷ writesCommitted (target exactly 1). */
  readonly ratio: number;
  readonly outbox: OutboxStats;
  /** Exact percentiles of occurredAt → arrival at the bench's consumer, ms (information, no target). */
  readonly arrivalLagP50Ms: number | null;
  readonly arrivalLagP99Ms: number | null;
  /** From the last write's answer until everything was published and received (or the deadline). */
  readonly settleMs: number;
  /** Whether every committed write's event was published and received before the deadline. */
  readonly settled: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number | undefined | null) => (value === undefined || value === null ? null : Math.round(value * 100) / 100);

/**
 * On a running shop: subscribes a fresh group to `catalog.events` (through `bus`, which this closes),
 * makes the price writes as staff, waits until the relay has published their events and the group
 * received them (at most `eventDeadlineSeconds`), then reads counts and lags from the catalog outbox.
 */
export async function measureBus(shop: Shop, bus: EventBus, config: BenchConfig, log: (line: string) => void): Promise<BusFigures> {
  const catalog = openPool(await embeddedDatabaseUrl(shop, 'shop_catalog'));
  try {
    const arrivals = await watchPriceEvents(bus);
    try {
      const variants = await listVariants(shop.gatewayUrl);
      const writes = await writePrices(shop.gatewayUrl, await staffToken(shop.dataDir), variants, config.eventWrites, config.eventConcurrency);
      log(`    ${writes.committed.length}/${writes.attempted} writes committed in ${writes.seconds.toFixed(1)} s (${config.eventConcurrency} at a time, ${variants.length} variants)`);
      const keys = new Set(writes.committed.map((write) => writeKey(write.variantId, write.amount)));
      const settleStarted = performance.now();
      const deadline = Date.now() + config.eventDeadlineSeconds * 1000;
      let outbox = await outboxStats(catalog, writes.committed);
      const settledNow = () => outbox.published >= keys.size && arrivals.matched(keys) >= keys.size;
      while (!settledNow() && Date.now() < deadline) {
        await sleep(50);
        outbox = await outboxStats(catalog, writes.committed);
      }
      const settled = settledNow();
      const settleMs = performance.now() - settleStarted;
      const lags = arrivals.arrivalLagsMs(keys);
      const eventsOnBus = arrivals.matched(keys);
      return {
        writesAttempted: writes.attempted,
        writesCommitted: writes.committed.length,
        writesFailed: writes.failed,
        writeFailures: writes.failures,
        writeSeconds: round(writes.seconds) ?? 0,
        eventsOnBus,
        deliveries: arrivals.matchedDeliveries(keys),
        ratio: keys.size === 0 ? 0 : eventsOnBus / keys.size,
        outbox: { ...outbox, lagP50Ms: round(outbox.lagP50Ms), lagP99Ms: round(outbox.lagP99Ms), lagMaxMs: round(outbox.lagMaxMs) },
        arrivalLagP50Ms: round(percentileCont(lags, 0.5)),
        arrivalLagP99Ms: round(percentileCont(lags, 0.99)),
        settleMs: Math.round(settleMs),
        settled,
      };
    } finally {
      await arrivals.stop();
    }
  } finally {
    await bus.close();
    await catalog.end();
  }
}
