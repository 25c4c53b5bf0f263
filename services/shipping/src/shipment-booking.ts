import { appendToOutbox, callResiliently, CallTimeoutError, CircuitBreaker, type Logger } from '@shop/platform';
import type { Carrier } from './carriers/carrier';
import { SHIPPING_SOURCE, shipmentDispatched } from './events/shipping.events';
import { TX_OPTIONS, type ShippingDb } from './shipping.db';

/** How bookings talk to the carrier (SHIP-2). */
export interface BookingSettings {
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly breakerFailures: number;
  readonly breakerOpenMs: number;
  /** First pause after a failed run; doubled per attempt, at most an hour. */
  readonly backoffMs: number;
}

const BATCH = 50;
const MAX_BACKOFF_MS = 3_600_000;

/**
 * Books shipments with the carrier: each BOOKING shipment is claimed (a lease on `next_attempt_at`,
 * taken with SKIP LOCKED, so two replicas never book one shipment at once), the carrier is called
 * with a time limit, retries and a circuit breaker, and success moves it to DISPATCHED with its
 * tracking number and ShipmentDispatched in one transaction. A failure only schedules the next
 * try: nobody's request waits for the carrier.
 */
export class ShipmentBooking {
  readonly breaker: CircuitBreaker;

  constructor(
    private readonly db: ShippingDb,
    private readonly carrier: Carrier,
    private readonly settings: BookingSettings,
    private readonly log: Logger,
  ) {
    this.breaker = new CircuitBreaker(`carrier:${carrier.name}`, { failureThreshold: settings.breakerFailures, openMs: settings.breakerOpenMs });
  }

  /** Books every due shipment (or only `shipmentId`); returns how many were dispatched. */
  async bookDue(shipmentId?: string): Promise<number> {
    const leaseSeconds = Math.ceil((this.settings.timeoutMs * this.settings.maxAttempts) / 1000) + 30;
    const claimed = await this.db.$queryRaw<{ id: string; order_id: string; booking_attempts: number }[]>`
      UPDATE shipment SET next_attempt_at = now() + make_interval(secs => ${leaseSeconds}::float8)
      WHERE id IN (
        SELECT id FROM shipment
        WHERE status = 'BOOKING' AND next_attempt_at <= now() AND (${shipmentId ?? null}::uuid IS NULL OR id = ${shipmentId ?? null}::uuid)
        ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      RETURNING id, order_id, booking_attempts`;
    let dispatched = 0;
    for (const shipment of claimed) if (await this.book(shipment.id, shipment.order_id, shipment.booking_attempts)) dispatched += 1;
    return dispatched;
  }

  private async book(shipmentId: string, orderId: string, attemptsBefore: number): Promise<boolean> {
    try {
      const booking = await callResiliently(
        { timeoutMs: this.settings.timeoutMs, maxAttempts: this.settings.maxAttempts, breaker: this.breaker, isRetryable: () => true, backoffMs: 50 },
        (signal) => this.carrier.book({ shipmentId, orderId }, signal),
      );
      await this.db.$transaction(async (tx) => {
        const updated = await tx.shipment.updateMany({
          where: { id: shipmentId, status: 'BOOKING' },
          data: { status: 'DISPATCHED', trackingNumber: booking.trackingNumber, dispatchedAt: new Date(), bookingAttempts: attemptsBefore + 1, lastError: null },
        });
        if (updated.count === 1) await appendToOutbox(tx, SHIPPING_SOURCE, [shipmentDispatched(shipmentId, orderId, this.carrier.name, booking.trackingNumber)]);
      }, TX_OPTIONS);
      return true;
    } catch (error) {
      const attempts = attemptsBefore + 1;
      const pause = Math.min(this.settings.backoffMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
      const reason = error instanceof CallTimeoutError ? 'carrier timed out' : error instanceof Error ? error.message : String(error);
      this.log.warn({ shipmentId, orderId, attempts, err: error }, 'carrier booking failed; retrying in the background');
      await this.db.shipment.updateMany({
        where: { id: shipmentId, status: 'BOOKING' },
        data: { bookingAttempts: attempts, lastError: reason.slice(0, 500), nextAttemptAt: new Date(Date.now() + pause) },
      });
      return false;
    }
  }
}
