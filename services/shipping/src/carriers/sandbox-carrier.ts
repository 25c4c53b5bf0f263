import { createHash } from 'node:crypto';
import type { Booking, BookingRequest, Carrier, ParcelProgress } from './carrier';

/**
 * The sandbox carrier: books every parcel at once with a tracking number derived from the
 * shipment (the same shipment always gets the same number, so a retried booking is harmless), and
 * moves it on when staff advance it: dispatched → in transit → delivered.
 */
export class SandboxCarrier implements Carrier {
  readonly name = 'sandbox';

  async book(request: BookingRequest): Promise<Booking> {
    const digest = createHash('sha256').update(request.shipmentId).digest('hex').slice(0, 12).toUpperCase();
    return { trackingNumber: `SBX${digest}` };
  }

  async advance(_trackingNumber: string, current: 'DISPATCHED' | 'IN_TRANSIT'): Promise<ParcelProgress> {
    return current === 'DISPATCHED' ? 'IN_TRANSIT' : 'DELIVERED';
  }
}
