import { deadLetterTopic, eventsTopic, recordInInbox, type EventBus, type EventEnvelope, type Subscription } from '@shop/platform';
import type { InventoryDb } from '../stock.repository';
import { INVENTORY_SOURCE } from './stock.events';

/** The consumer group (and inbox name) that keeps the inventory's variant list current. */
export const CATALOG_CONSUMER = 'inventory-catalog';

interface SellableProduct {
  readonly productId: string;
  readonly variants: readonly { variantId: string; sku: string }[];
}

/** Inventory learns which variants exist (and their SKUs) from catalog's ProductCreated/ProductUpdated v2. */
export function consumeCatalogEvents(bus: EventBus, db: InventoryDb): Promise<Subscription> {
  return bus.subscribe({
    group: CATALOG_CONSUMER,
    topics: [eventsTopic('catalog')],
    deadLetterTopic: deadLetterTopic(INVENTORY_SOURCE),
    fromBeginning: true,
    handle: async (envelope) => {
      if ((envelope.type !== 'ProductCreated' && envelope.type !== 'ProductUpdated') || envelope.version !== 2) return;
      await rememberVariants(db, envelope as EventEnvelope<SellableProduct>);
    },
  });
}

async function rememberVariants(db: InventoryDb, envelope: EventEnvelope<SellableProduct>): Promise<void> {
  const { productId, variants } = envelope.payload;
  await db.$transaction(async (tx) => {
    if (!(await recordInInbox(tx, envelope.id, CATALOG_CONSUMER))) return;
    for (const variant of variants) {
      await tx.variant.upsert({
        where: { id: variant.variantId },
        create: { id: variant.variantId, sku: variant.sku, productId },
        update: { sku: variant.sku, productId },
      });
    }
  });
}
