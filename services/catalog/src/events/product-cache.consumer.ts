import { randomUUID } from 'node:crypto';
import { deadLetterTopic, eventsTopic, type EventBus, type Logger, type Subscription } from '@shop/platform';
import { CATALOG_SOURCE } from './product.events';

/** Catalog events after which cached reads may be stale. */
const CHANGES = new Set(['ProductCreated', 'ProductUpdated', 'ProductArchived', 'VariantPriceChanged']);

/**
 * Every catalog replica invalidates its cache on every catalog change, including changes another
 * replica committed, so in-process caches converge too (CAT-2). Each replica is its own consumer
 * group: invalidation is a broadcast, not shared work.
 */
export function invalidateCacheOnCatalogChanges(bus: EventBus, invalidate: () => Promise<void>, log: Logger): Promise<Subscription> {
  return bus.subscribe({
    group: `catalog-cache-${randomUUID()}`,
    topics: [eventsTopic(CATALOG_SOURCE)],
    deadLetterTopic: deadLetterTopic(CATALOG_SOURCE),
    handle: async (envelope) => {
      if (!CHANGES.has(envelope.type)) return;
      await invalidate();
      log.debug({ eventId: envelope.id, type: envelope.type }, 'catalog cache invalidated by event');
    },
  });
}
