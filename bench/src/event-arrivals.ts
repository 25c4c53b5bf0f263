import { randomUUID } from 'node:crypto';
import { eventsTopic, type EventBus, type EventEnvelope, type Subscription } from '@shop/platform';
import { writeKey } from './price-writes';

/** The catalog's events topic, which the bench reads. */
export const CATALOG_EVENTS_TOPIC = eventsTopic('catalog');

/** `VariantPriceChanged` events seen on the bus by a fresh consumer group. */
export interface EventArrivals {
  /** Distinct event ids whose payload matches one of `keys` (the writes that committed). */
  matched(keys: ReadonlySet<string>): number;
  /** Deliveries of those events, redeliveries included. */
  matchedDeliveries(keys: ReadonlySet<string>): number;
  /** Milliseconds from each matched event's `occurredAt` to its first arrival here. */
  arrivalLagsMs(keys: ReadonlySet<string>): number[];
  stop(): Promise<void>;
}

interface Arrival {
  readonly key: string;
  readonly lagMs: number;
  deliveries: number;
}

function priceKey(envelope: EventEnvelope): string | undefined {
  const payload = envelope.payload as { variantId?: unknown; price?: { amount?: unknown } } | null;
  const amount = Number(payload?.price?.amount);
  return typeof payload?.variantId === 'string' && Number.isFinite(amount) ? writeKey(payload.variantId, amount) : undefined;
}

/**
 * Subscribes to `catalog.events` with a new consumer group from the beginning of the log, and
 * records every `VariantPriceChanged` by event id (so redeliveries count once) with its payload's
 * variant and price. Subscribe before writing; the caller stops it.
 */
export async function watchPriceEvents(bus: EventBus): Promise<EventArrivals> {
  const arrivals = new Map<string, Arrival>();
  const subscription: Subscription = await bus.subscribe({
    group: `bench-events-${randomUUID()}`,
    topics: [CATALOG_EVENTS_TOPIC],
    deadLetterTopic: 'bench.dlq',
    fromBeginning: true,
    handle: async (envelope) => {
      if (envelope.type !== 'VariantPriceChanged') return;
      const seen = arrivals.get(envelope.id);
      if (seen) {
        seen.deliveries += 1;
        return;
      }
      const key = priceKey(envelope);
      if (key) arrivals.set(envelope.id, { key, lagMs: Date.now() - Date.parse(envelope.occurredAt), deliveries: 1 });
    },
  });
  const ours = (keys: ReadonlySet<string>) => [...arrivals.values()].filter((arrival) => keys.has(arrival.key));
  return {
    matched: (keys) => ours(keys).length,
    matchedDeliveries: (keys) => ours(keys).reduce((sum, arrival) => sum + arrival.deliveries, 0),
    arrivalLagsMs: (keys) => ours(keys).map((arrival) => arrival.lagMs),
    stop: () => subscription.stop(),
  };
}
