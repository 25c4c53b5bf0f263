import { allow, isAuthenticated, isOwnerOrStaff, isStaff, or, rule, type ShieldRules } from '@shop/platform';
import type { OrderView } from './order.model';

/** An order the caller just proved they hold: a guest's checkout (cart secret) or trackOrder (reference + email). */
const heldByCaller = rule('Order:heldByCaller', { cache: 'no_cache' })((order: OrderView) => order.heldByCaller === true);

/**
 * Who may do what in orders. Carts are open to guests: the service finds the caller's cart by
 * identity or by its secret id and answers NOT_FOUND for anyone else's. An order is visible to its
 * customer and staff (NOT_FOUND otherwise), or to a guest who proved they hold it. Anything not
 * listed is denied.
 */
export const ordersRules: ShieldRules = {
  Query: { myCart: allow, order: isAuthenticated, trackOrder: allow, orderAudit: isStaff, shippingQuotes: allow },
  Mutation: {
    createCart: allow,
    addCartLine: allow,
    updateCartLine: allow,
    removeCartLine: allow,
    mergeGuestCart: isAuthenticated,
    checkout: allow,
    cancelOrder: isAuthenticated,
  },
  Cart: allow,
  CartLine: allow,
  Variant: allow,
  Money: allow,
  ShippingQuote: allow,
  PageInfo: allow,
  // `or` answers with isOwnerOrStaff's NOT_FOUND when neither holds.
  Order: or(heldByCaller, isOwnerOrStaff<OrderView>('Order', (order) => order.customerId)),
  OrderLine: allow,
  ShippingAddress: allow,
  OrderHistoryEntry: allow,
  OrderConnection: allow,
  OrderEdge: allow,
  OrderAudit: isStaff,
  // The service checks again in ordersOfCustomer, and __resolveReference before it.
  Customer: isOwnerOrStaff<{ id: string }>('Customer', (customer) => customer.id),
};
