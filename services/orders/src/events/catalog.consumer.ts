import { deadLetterTopic, eventsTopic, recordInInbox, type EventBus, type EventEnvelope, type Logger, type Subscription } from '@shop/platform';
import type { OrdersDb, OrdersTx } from '../orders.db';

/** The consumer group (and inbox consumer name) of the catalog read model. */
export const CATALOG_CONSUMER = 'orders-catalog';

interface PricePayload {
  readonly amountMinor: string;
  readonly currency: string;
}

interface SellablePayload {
  readonly productId: string;
  readonly marketId: string;
  readonly name: string;
  readonly status: 'ACTIVE' | 'ARCHIVED';
  readonly variants: readonly { variantId: string; sku: string; name: string; weightGrams: number; price: PricePayload }[];
}

async function upsertProduct(tx: OrdersTx, product: SellablePayload, at: Date): Promise<void> {
  for (const variant of product.variants) {
    const data = {
      productId: product.productId,
      marketId: product.marketId,
      productName: product.name,
      variantName: variant.name,
      sku: variant.sku,
      weightGrams: variant.weightGrams,
      priceMinor: BigInt(variant.price.amountMinor),
      currency: variant.price.currency,
      active: product.status === 'ACTIVE',
      updatedAt: at,
    };
    await tx.catalogVariant.upsert({ where: { variantId: variant.variantId }, create: { variantId: variant.variantId, ...data }, update: data });
  }
}

/** What each catalog event does to the read model; anything else (ProductCreated v1, ...) is ignored. */
async function apply(tx: OrdersTx, envelope: EventEnvelope): Promise<void> {
  const at = new Date(envelope.occurredAt);
  const key = `${envelope.type}.v${envelope.version}`;
  if (key === 'ProductCreated.v2' || key === 'ProductUpdated.v2') {
    await upsertProduct(tx, envelope.payload as SellablePayload, at);
  } else if (key === 'VariantPriceChanged.v1') {
    const { variantId, price } = envelope.payload as { variantId: string; price: PricePayload };
    await tx.catalogVariant.updateMany({ where: { variantId }, data: { priceMinor: BigInt(price.amountMinor), currency: price.currency, updatedAt: at } });
  } else if (key === 'ProductArchived.v1') {
    const { productId } = envelope.payload as { productId: string };
    await tx.catalogVariant.updateMany({ where: { productId }, data: { active: false, updatedAt: at } });
  }
}

/**
 * Applies one catalog event to the read model, idempotently: the inbox row and the change commit
 * together, so a redelivered event changes nothing. Returns false for a redelivery.
 */
export function applyCatalogEvent(db: OrdersDb, envelope: EventEnvelope): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await recordInInbox(tx, envelope.id, CATALOG_CONSUMER))) return false;
    await apply(tx, envelope);
    return true;
  });
}

/** Keeps the catalog read model current from catalog.events, from the oldest retained event on. */
export function consumeCatalogEvents(bus: EventBus, db: OrdersDb, log: Logger): Promise<Subscription> {
  return bus.subscribe({
    group: CATALOG_CONSUMER,
    topics: [eventsTopic('catalog')],
    deadLetterTopic: deadLetterTopic('orders'),
    fromBeginning: true,
    handle: async (envelope) => {
      if (await applyCatalogEvent(db, envelope)) log.debug({ eventId: envelope.id, type: envelope.type }, 'catalog read model updated');
    },
  });
}
