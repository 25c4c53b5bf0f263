import type { Shipment } from './generated/prisma/client';

export type { Shipment };

/** A shipment as clients see it. */
export interface ShipmentView {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string | null;
  readonly status: string;
  readonly carrier: string;
  readonly trackingNumber: string | null;
  readonly createdAt: string;
  readonly dispatchedAt: string | null;
  readonly deliveredAt: string | null;
}

export function toShipmentView(row: Shipment): ShipmentView {
  return {
    id: row.id,
    orderId: row.orderId,
    customerId: row.customerId,
    status: row.status,
    carrier: row.carrier,
    trackingNumber: row.trackingNumber,
    createdAt: row.createdAt.toISOString(),
    dispatchedAt: row.dispatchedAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}
