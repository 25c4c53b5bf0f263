import path from 'node:path';

export { shippingSdl, startShipping, SHIPMENT_BOOKING_JOB, type ShippingServer, type ShippingStartOptions } from './main';
export { loadShippingConfig, type ShippingConfig } from './config';
export { seedShippingAt } from './seed/shipping-rates';
export { DEFAULT_METHODS, DEFAULT_ZONES } from './seed/default-rates';
export { SandboxCarrier } from './carriers/sandbox-carrier';
export type { Booking, BookingRequest, Carrier, ParcelProgress } from './carriers/carrier';

/** The shipping package's folder (holds prisma.config.ts and the migrations). */
export const SHIPPING_SERVICE_DIR = path.join(__dirname, '..');
