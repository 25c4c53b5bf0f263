import { allow, isStaff, type ShieldRules } from '@shop/platform';

/**
 * Who may do what in inventory. Availability through `Variant.stock` is public; everything else
 * (levels, ledger, reservations, every mutation) is staff only (SEC-4). Anything not listed is denied.
 */
export const inventoryRules: ShieldRules = {
  Query: { stockLevels: isStaff, stockMovements: isStaff, reservation: isStaff, stockAudit: isStaff },
  Mutation: { setStock: isStaff, adjustStock: isStaff, receiveReturn: isStaff, setLowStockThreshold: isStaff },
  Variant: allow,
  StockAvailability: allow,
  StockLevel: isStaff,
  LowStockThreshold: isStaff,
  StockMovement: isStaff,
  StockMovementConnection: isStaff,
  StockMovementEdge: isStaff,
  PageInfo: allow,
  Reservation: isStaff,
  ReservationLine: isStaff,
  StockAudit: isStaff,
};
