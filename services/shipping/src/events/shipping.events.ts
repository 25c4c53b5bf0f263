import type { DomainEvent, RateTable } from '@shop/platform';

/** Shipping's topic source name in every envelope. */
export const SHIPPING_SOURCE = 'shipping';

/** The aggregate id of the rate table's events (one table). */
export const RATE_TABLE_AGGREGATE = 'shipping-rate-table';

/** The whole rate table after a change: orders quotes and prices from the newest revision. */
export function shippingRatesPublished(table: RateTable): DomainEvent {
  return { type: 'ShippingRatesPublished', version: 1, aggregateId: RATE_TABLE_AGGREGATE, payload: table };
}

export function shipmentCreated(shipmentId: string, orderId: string, causationId?: string): DomainEvent {
  return { type: 'ShipmentCreated', version: 1, aggregateId: orderId, causationId, payload: { shipmentId, orderId, methodId: null } };
}

export function shipmentDispatched(shipmentId: string, orderId: string, carrier: string, trackingNumber: string): DomainEvent {
  return { type: 'ShipmentDispatched', version: 1, aggregateId: orderId, payload: { shipmentId, orderId, carrier, trackingNumber } };
}

export function shipmentDelivered(shipmentId: string, orderId: string, deliveredAt: Date): DomainEvent {
  return { type: 'ShipmentDelivered', version: 1, aggregateId: orderId, payload: { shipmentId, orderId, deliveredAt: deliveredAt.toISOString() } };
}
