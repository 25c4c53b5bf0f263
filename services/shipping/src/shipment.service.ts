import { appendToOutbox, hasRole, notFound, recordInInbox, type Logger, type RequestContext } from '@shop/platform';
import type { Carrier } from './carriers/carrier';
import { ShippingErrors } from './errors';
import { SHIPPING_SOURCE, shipmentCreated, shipmentDelivered } from './events/shipping.events';
import { toShipmentView, type ShipmentView } from './shipment.model';
import type { ShipmentBooking } from './shipment-booking';
import { TX_OPTIONS, type ShippingDb } from './shipping.db';

/** What a consumer knows about the event it applies. */
export interface EventContext {
  readonly eventId: string;
  readonly consumer: string;
  readonly log: Logger;
}

/**
 * Shipments (SHIP-2): one per paid order, created idempotently from OrderPaid, booked in the
 * background, advanced by the carrier; readable by the order's owner and staff only.
 */
export class ShipmentService {
  constructor(
    private readonly db: ShippingDb,
    private readonly carrier: Carrier,
    private readonly booking: ShipmentBooking,
  ) {}

  /** Remembers who owns an order (OrderAwaitingPayment), for owner-or-staff reads. */
  async recordOwner(event: EventContext, orderId: string, customerId: string | null): Promise<void> {
    await this.db.$transaction(async (tx) => {
      if (!(await recordInInbox(tx, event.eventId, event.consumer))) return;
      await tx.orderOwner.upsert({ where: { orderId }, create: { orderId, customerId }, update: { customerId } });
      await tx.shipment.updateMany({ where: { orderId }, data: { customerId } });
    }, TX_OPTIONS);
  }

  /**
   * OrderPaid: the order's one shipment (unique per order, so a redelivered event or a second
   * replica creates nothing), with ShipmentCreated; then a first booking attempt, whose failure
   * is left to the background retry.
   */
  async createForPaidOrder(event: EventContext, orderId: string): Promise<void> {
    const created = await this.db.$transaction(async (tx) => {
      if (!(await recordInInbox(tx, event.eventId, event.consumer))) return null;
      const owner = await tx.orderOwner.findUnique({ where: { orderId } });
      const inserted = await tx.shipment.createManyAndReturn({ data: [{ orderId, customerId: owner?.customerId ?? null, carrier: this.carrier.name }], skipDuplicates: true });
      const shipment = inserted[0];
      if (!shipment) return null;
      await appendToOutbox(tx, SHIPPING_SOURCE, [shipmentCreated(shipment.id, orderId, event.eventId)]);
      return shipment;
    }, TX_OPTIONS);
    if (created) await this.booking.bookDue(created.id).catch((error: unknown) => event.log.warn({ err: error, orderId }, 'first booking attempt failed'));
  }

  /** The order's shipment for its owner or staff; null for anyone else, exactly as for a missing one. */
  async shipment(ctx: RequestContext, orderId: string): Promise<ShipmentView | null> {
    if (!ctx.identity.userId || orderId.length > 64) return null;
    const row = await this.db.shipment.findUnique({ where: { orderId } });
    if (!row) return null;
    if (!hasRole(ctx.identity, 'STAFF') && row.customerId !== ctx.identity.userId) return null;
    return toShipmentView(row);
  }

  /**
   * Staff (sandbox): the carrier moves the parcel one step, DISPATCHED → IN_TRANSIT → DELIVERED;
   * delivery emits ShipmentDelivered.
   */
  async advance(_ctx: RequestContext, orderId: string): Promise<ShipmentView> {
    const row = orderId.length <= 64 ? await this.db.shipment.findUnique({ where: { orderId } }) : null;
    if (!row) throw notFound('No shipment for this order.');
    if ((row.status !== 'DISPATCHED' && row.status !== 'IN_TRANSIT') || !row.trackingNumber) {
      throw ShippingErrors.create('SHIPMENT_NOT_ADVANCEABLE', { status: row.status });
    }
    const next = await this.carrier.advance(row.trackingNumber, row.status);
    await this.db.$transaction(async (tx) => {
      const now = new Date();
      const updated = await tx.shipment.updateMany({ where: { id: row.id, status: row.status }, data: { status: next, deliveredAt: next === 'DELIVERED' ? now : undefined } });
      if (updated.count === 1 && next === 'DELIVERED') await appendToOutbox(tx, SHIPPING_SOURCE, [shipmentDelivered(row.id, row.orderId, now)]);
    }, TX_OPTIONS);
    return toShipmentView(await this.db.shipment.findUniqueOrThrow({ where: { id: row.id } }));
  }
}
