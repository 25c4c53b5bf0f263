import { allow, isAuthenticated, isOwnerOrStaff, isStaff, type ShieldRules } from '@shop/platform';
import type { ShipmentView } from './shipment.model';

/**
 * Who may do what in shipping. The rate table and every mutation are staff only; a shipment is its
 * order's customer's or staff's (the service answers null for anyone else, like a missing one).
 * Anything not listed is denied.
 */
export const shippingRules: ShieldRules = {
  Query: { shippingRateTable: isStaff, shipment: isAuthenticated },
  Mutation: {
    upsertShippingZone: isStaff,
    deleteShippingZone: isStaff,
    upsertShippingMethod: isStaff,
    setShippingRates: isStaff,
    republishShippingRates: isStaff,
    advanceShipment: isStaff,
  },
  ShippingRateTable: isStaff,
  ShippingZone: isStaff,
  ShippingMethod: isStaff,
  ShippingRate: isStaff,
  FreeShippingThreshold: isStaff,
  Money: allow,
  Shipment: isOwnerOrStaff<ShipmentView>('Shipment', (shipment) => shipment.customerId),
};
