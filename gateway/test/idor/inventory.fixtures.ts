import type { ShopServices } from './catalog.fixtures';
import { placedOrder } from './orders.fixtures';
import type { FieldFixture, FixtureRegistry, FixtureTools, Ids, OwnedObject } from './registry';

type Tools = FixtureTools<ShopServices>;

/**
 * A variant inventory knows (as catalog's events would have registered it) with 7 units that staff
 * set, and the ledger row saying so; the reason is only this variant's.
 */
async function stockedVariant(tools: Tools): Promise<OwnedObject> {
  const unique = tools.unique();
  const reason = `idor stock ${unique}`;
  const [row] = await tools.services.inventorySql(
    `WITH variant AS (INSERT INTO variant (id, sku, updated_at) VALUES (gen_random_uuid()::text, $1, now()) RETURNING id),
     level AS (INSERT INTO stock_level (id, variant_id, warehouse, on_hand) SELECT gen_random_uuid(), id, 'main', 7 FROM variant),
     movement AS (
       INSERT INTO stock_movement (id, variant_id, warehouse, kind, on_hand_delta, reserved_delta, committed_delta, actor, reason)
       SELECT gen_random_uuid(), id, 'main', 'SET'::"MovementKind", 7, 0, 0, 'idor-staff', $2::text FROM variant)
     SELECT id FROM variant`,
    [`IDOR-STOCK-${unique}`, reason],
  );
  const variantId = String(row?.id);
  return { ids: { variantId }, secrets: [variantId, reason] };
}

/** Everything a stock mutation could change: levels in every warehouse, the threshold, the ledger. */
const stockOf = (owned: OwnedObject, tools: Tools) =>
  tools.services.inventorySql(
    `SELECT v.low_stock_threshold, l.warehouse, l.on_hand, l.reserved, l.committed,
            (SELECT count(*)::int FROM stock_movement m WHERE m.variant_id = v.id) AS movements
     FROM variant v LEFT JOIN stock_level l ON l.variant_id = v.id WHERE v.id = $1 ORDER BY l.warehouse`,
    [owned.ids.variantId],
  );

function stockRead(query: string): FieldFixture<ShopServices> {
  return { access: 'staff-only', owner: 'CUSTOMER', create: stockedVariant, operation: (ids) => ({ query, variables: { variantId: ids.variantId } }) };
}

function stockWrite(query: string, variables: (ids: Ids, unique: string) => Record<string, unknown>): FieldFixture<ShopServices> {
  return {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: stockedVariant,
    operation: (ids, unique) => ({ query, variables: variables(ids, unique) }),
    readBack: stockOf,
  };
}

/**
 * Inventory. Stock belongs to no customer or seller: levels, ledger, reservations and every change
 * are staff's. Customers and sellers are refused with FORBIDDEN, guests UNAUTHENTICATED, and the
 * stock, threshold and ledger stay as they were.
 */
export const inventoryFixtures: FixtureRegistry<ShopServices> = {
  'Query.stockLevels': stockRead('query ($variantId: ID!) { stockLevels(variantId: $variantId) { variantId warehouse onHand } }'),
  'Query.stockMovements': stockRead('query ($variantId: ID!) { stockMovements(variantId: $variantId) { edges { node { variantId actor reason } } } }'),
  // The stock customer A's order holds, reserved by the checkout saga.
  'Query.reservation': {
    access: 'staff-only',
    owner: 'CUSTOMER',
    create: async (tools) => {
      const order = await placedOrder(tools);
      return { ids: { orderId: order.id }, secrets: [order.id] };
    },
    operation: (ids) => ({ query: 'query ($orderId: ID!) { reservation(orderId: $orderId) { orderId status lines { variantId quantity } } }', variables: { orderId: ids.orderId } }),
  },
  'Mutation.setStock': stockWrite(
    'mutation ($variantId: ID!, $reason: String!) { setStock(variantId: $variantId, quantity: 999, reason: $reason) { variantId onHand } }',
    (ids, unique) => ({ variantId: ids.variantId, reason: `intruder ${unique}` }),
  ),
  'Mutation.adjustStock': stockWrite(
    'mutation ($variantId: ID!, $reason: String!) { adjustStock(variantId: $variantId, delta: -3, reason: $reason) { variantId onHand } }',
    (ids, unique) => ({ variantId: ids.variantId, reason: `intruder ${unique}` }),
  ),
  'Mutation.receiveReturn': stockWrite(
    'mutation ($variantId: ID!, $reason: String!) { receiveReturn(variantId: $variantId, quantity: 2, reason: $reason) { variantId onHand } }',
    (ids, unique) => ({ variantId: ids.variantId, reason: `intruder ${unique}` }),
  ),
  'Mutation.setLowStockThreshold': stockWrite(
    'mutation ($variantId: ID!) { setLowStockThreshold(variantId: $variantId, threshold: 50) { variantId threshold } }',
    (ids) => ({ variantId: ids.variantId }),
  ),
};
