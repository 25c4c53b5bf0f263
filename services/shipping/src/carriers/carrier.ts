/** What a carrier is asked to carry. */
export interface BookingRequest {
  readonly shipmentId: string;
  readonly orderId: string;
}

/** What the carrier answers: the parcel is theirs, under this tracking number. */
export interface Booking {
  readonly trackingNumber: string;
}

/** Where a booked parcel is. */
export type ParcelProgress = 'IN_TRANSIT' | 'DELIVERED';

/**
 * A carrier behind one interface (strategy): booking may fail or hang, so callers wrap it with a
 * time limit, retries and a circuit breaker. `signal` aborts a call that ran out of time.
 */
export interface Carrier {
  readonly name: string;
  book(request: BookingRequest, signal: AbortSignal): Promise<Booking>;
  /** Moves a parcel one step on (the sandbox's stand-in for the carrier's tracking webhooks). */
  advance(trackingNumber: string, current: 'DISPATCHED' | 'IN_TRANSIT'): Promise<ParcelProgress>;
}
