import type { DomainEvent } from '@shop/platform';

/** The inventory's topic source name in every envelope. */
export const INVENTORY_SOURCE = 'inventory';

/** A variant and a number of its units, as stock events list them. */
export interface StockLine {
  readonly variantId: string;
  readonly quantity: number;
}

/** A line that could not be reserved: what was asked and what is available now. */
export interface ShortLine {
  readonly variantId: string;
  readonly sku: string | null;
  readonly requested: number;
  readonly available: number;
}

/** Why a reservation went back to sale. */
export type ReleaseReason = 'EXPIRED' | 'ORDER_CANCELLED' | 'ORDER_REJECTED';

/** Every line of the order is reserved until `expiresAt`. */
export function stockReserved(orderId: string, expiresAt: Date, lines: readonly StockLine[], causationId?: string): DomainEvent {
  return { type: 'StockReserved', version: 1, aggregateId: orderId, causationId, payload: { orderId, expiresAt: expiresAt.toISOString(), lines } };
}

/** Nothing of the order was reserved; `shortLines` names each line without enough stock. */
export function stockRejected(orderId: string, shortLines: readonly ShortLine[], causationId?: string): DomainEvent {
  return { type: 'StockRejected', version: 1, aggregateId: orderId, causationId, payload: { orderId, shortLines } };
}

/** The order's reservation went back to sale. */
export function stockReleased(orderId: string, reason: ReleaseReason, lines: readonly StockLine[], causationId?: string): DomainEvent {
  return { type: 'StockReleased', version: 1, aggregateId: orderId, causationId, payload: { orderId, reason, lines } };
}

/** The paid order's stock is sold: out of available stock until it ships. */
export function stockCommitted(orderId: string, lines: readonly StockLine[], causationId?: string): DomainEvent {
  return { type: 'StockCommitted', version: 1, aggregateId: orderId, causationId, payload: { orderId, lines } };
}

/** A level's available stock fell below its variant's threshold (INV-5), once per crossing. */
export function stockLow(level: { variantId: string; sku: string | null; warehouse: string; available: number; threshold: number }): DomainEvent {
  return { type: 'StockLow', version: 1, aggregateId: level.variantId, payload: level };
}

/** Reservation lines summed per variant (a variant may come from several warehouses or lines). */
export function linesPerVariant(lines: readonly StockLine[]): StockLine[] {
  const sums = new Map<string, number>();
  for (const line of lines) sums.set(line.variantId, (sums.get(line.variantId) ?? 0) + line.quantity);
  return [...sums].map(([variantId, quantity]) => ({ variantId, quantity }));
}
