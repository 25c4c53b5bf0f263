import { randomUUID } from 'node:crypto';
import { loadInventoryConfig, INVENTORY_SERVICE_DIR, seedDemoStockAt, startInventory } from '@shop/inventory';
import { loadOrdersConfig, ORDERS_SERVICE_DIR, startOrders, type OrdersServer } from '@shop/orders';
import { createPool, IDENTITY_HEADER, migrateDeploy, signIdentity, type Identity, type RunningServer } from '@shop/platform';
import { createTestDatabase, postGraphQL, type TestDatabase } from '@shop/platform/testing';
import { seedShippingAt } from '../src';
import { createShippingDatabase, customer, staff, startTestBus, startTestShipping, until, type TestBus, type TestShipping } from './shipping-test-server';

const SECRET = 'test-gateway-subgraph-secret-of-at-least-32-bytes';
const ADDRESS = { name: 'Ada Lovelace', line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' };

/**
 * Orders, inventory and shipping on one embedded PostgreSQL bus, each with its own database: the
 * quote → checkout → paid → shipment → SHIPPED (inventory ships) → DELIVERED → COMPLETED path.
 */
describe('shipping in the saga, service level on a real bus (SHIP-1, SHIP-2)', () => {
  let bus: TestBus;
  let shippingDb: Awaited<ReturnType<typeof createShippingDatabase>>;
  let ordersDb: TestDatabase;
  let inventoryDb: TestDatabase;
  let shipping: TestShipping;
  let orders: OrdersServer;
  let inventory: RunningServer;

  const call = <Data>(server: { url: string }, query: string, identity: Identity, variables?: Record<string, unknown>) =>
    postGraphQL<Data>(server.url, query, { variables, headers: { [IDENTITY_HEADER]: signIdentity(identity, SECRET) } });
  const common = { GATEWAY_SUBGRAPH_SECRET: SECRET, LOG_LEVEL: 'silent', OUTBOX_POLL_INTERVAL_MS: '100' };

  beforeAll(async () => {
    bus = await startTestBus();
    shippingDb = await createShippingDatabase();
    ordersDb = await createTestDatabase('orders');
    inventoryDb = await createTestDatabase('inventory');
    await migrateDeploy({ serviceDir: ORDERS_SERVICE_DIR, databaseUrl: ordersDb.url });
    await migrateDeploy({ serviceDir: INVENTORY_SERVICE_DIR, databaseUrl: inventoryDb.url });
    orders = await startOrders(loadOrdersConfig({ ...common, ORDERS_DATABASE_URL: ordersDb.url, ORDERS_PORT: '0', ORDERS_DB_POOL_SIZE: '3', BUS_DATABASE_URL: bus.url, CART_SWEEP_INTERVAL_MS: '3600000', ORDER_COMPLETION_INTERVAL_MS: '3600000' }));
    inventory = await startInventory(loadInventoryConfig({ ...common, INVENTORY_DATABASE_URL: inventoryDb.url, INVENTORY_PORT: '0', INVENTORY_DB_POOL_SIZE: '3', BUS_DATABASE_URL: bus.url }));
    shipping = await startTestShipping(shippingDb.url, { busDatabaseUrl: bus.url });
  }, 60_000);
  afterAll(async () => {
    await shipping?.stop();
    await inventory?.stop();
    await orders?.stop();
    await bus?.close();
    await shippingDb?.drop();
    await ordersDb?.drop();
    await inventoryDb?.drop();
  });

  test('SHIP-1, SHIP-2: quote → checkout with the token → paid → shipment with tracking number → SHIPPED (inventory ships the stock) → DELIVERED → COMPLETED', async () => {
    const variantId = randomUUID();
    const sku = `MUG-${variantId.slice(0, 6)}`;
    await seedDemoStockAt(inventoryDb.url, [{ id: variantId, sku }], 10);
    const productId = randomUUID();
    await bus.publish({
      id: randomUUID(), type: 'ProductCreated', version: 2, occurredAt: new Date().toISOString(), source: 'catalog', aggregateId: productId, correlationId: null, causationId: null,
      payload: { productId, marketId: randomUUID(), name: 'Mug', status: 'ACTIVE', variants: [{ variantId, sku, name: 'White', weightGrams: 350, price: { amount: '12.00', amountMinor: '1200', currency: 'EUR' } }] },
    });
    expect(await seedShippingAt(shippingDb.url)).toBe(true);
    const ada = customer();
    await until(async () => {
      const added = await call<{ addCartLine: { id: string } }>(orders, `mutation ($v: ID!) { addCartLine(variantId: $v, quantity: 2) { id } }`, ada, { v: variantId });
      return added.data?.addCartLine ?? undefined;
    });
    const quotes = await until(async () => {
      const answer = await call<{ shippingQuotes: { name: string; price: { amount: string }; token: string }[] }>(
        orders, `query ($a: AddressInput!) { shippingQuotes(address: $a) { name price { amount } token } }`, ada, { a: ADDRESS });
      return answer.data?.shippingQuotes.length ? answer.data.shippingQuotes : undefined;
    });
    expect(quotes.map((q) => [q.name, q.price.amount])).toEqual([['Standard', '4.90'], ['Express', '12.90']]);
    const express = quotes[1] as { token: string };
    const placed = await call<{ checkout: { id: string; shippingTotal: { amount: string }; total: { amount: string } } }>(
      orders, `mutation ($i: CheckoutInput!) { checkout(input: $i) { id shippingTotal { amount } total { amount } } }`, ada,
      { i: { idempotencyKey: randomUUID(), shippingAddress: ADDRESS, shippingQuoteToken: express.token } });
    const order = placed.data?.checkout;
    expect(order?.shippingTotal.amount).toBe('12.90');
    const orderId = order?.id as string;
    const statusOf = async () => (await call<{ order: { status: string } }>(orders, `query ($id: ID!) { order(id: $id) { status } }`, ada, { id: orderId })).data?.order.status;
    await until(async () => ((await statusOf()) === 'AWAITING_PAYMENT' ? true : undefined));
    await orders.orders.markPaid(orderId, 'payments:test');

    const dispatched = await until(() => bus.events('ShipmentDispatched', orderId)[0]);
    await until(async () => ((await statusOf()) === 'SHIPPED' ? true : undefined));
    const shipment = await call<{ shipment: { trackingNumber: string; status: string } }>(shipping.server, `query ($o: ID!) { shipment(orderId: $o) { status trackingNumber } }`, ada, { o: orderId });
    expect(shipment.data?.shipment).toEqual({ status: 'DISPATCHED', trackingNumber: (dispatched.payload as { trackingNumber: string }).trackingNumber });
    const reservation = async () =>
      (await call<{ reservation: { status: string } | null }>(inventory, `query ($o: ID!) { reservation(orderId: $o) { status } }`, staff, { o: orderId })).data?.reservation?.status;
    await until(async () => ((await reservation()) === 'SHIPPED' ? true : undefined));

    for (const step of ['IN_TRANSIT', 'DELIVERED']) {
      const advanced = await call<{ advanceShipment: { status: string } }>(shipping.server, `mutation ($o: ID!) { advanceShipment(orderId: $o) { status } }`, staff, { o: orderId });
      expect(advanced.data?.advanceShipment.status).toBe(step);
    }
    await until(async () => ((await statusOf()) === 'DELIVERED' ? true : undefined));
    // The job's own first run (one second after start) must be over, so the runs below are the test's alone.
    const ordersPool = createPool({ url: ordersDb.url, poolSize: 1 });
    try {
      await until(async () => ((await ordersPool.query(`SELECT 1 FROM scheduled_job WHERE name = 'order-completion' AND last_run_at IS NOT NULL`)).rowCount ? true : undefined));
      const makeJobDue = () => ordersPool.query(`UPDATE scheduled_job SET next_run_at = now() - interval '1 second' WHERE name = 'order-completion'`);
      await makeJobDue();
      expect(await orders.completionJob.runIfDue()).toBe(true);
      expect(await statusOf()).toBe('DELIVERED');
      await ordersPool.query(`UPDATE order_history SET at = now() - interval '15 days' WHERE order_id = $1 AND to_status = 'DELIVERED'`, [orderId]);
      await makeJobDue();
    } finally {
      await ordersPool.end();
    }
    expect(await orders.completionJob.runIfDue()).toBe(true);
    expect(await statusOf()).toBe('COMPLETED');
    expect(bus.events('ShipmentCreated', orderId)).toHaveLength(1);
  }, 90_000);
});
