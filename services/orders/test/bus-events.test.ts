import { randomUUID } from 'node:crypto';
import { createPostgresEventBus, eventsTopic, type EventBus, type EventEnvelope } from '@shop/platform';
import { createTestDatabase, type TestDatabase } from '@shop/platform/testing';
import { envelope, log, placeOrder, price, productCreated, startTestOrders, type TestOrders } from './orders-test-server';

async function until<T>(probe: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('orders on the event bus (CART-3, PLAT-4)', () => {
  let busDatabase: TestDatabase;
  let bus: EventBus;
  let orders: TestOrders;
  const published: EventEnvelope[] = [];

  beforeAll(async () => {
    busDatabase = await createTestDatabase('orders_bus');
    bus = await createPostgresEventBus({ url: busDatabase.url, log });
    await bus.subscribe({
      group: 'orders-events-test',
      topics: [eventsTopic('orders')],
      deadLetterTopic: 'orders-events-test.dlq',
      fromBeginning: true,
      handle: async (event) => void published.push(event),
    });
    orders = await startTestOrders({ BUS_DATABASE_URL: busDatabase.url });
  });
  afterAll(async () => {
    await orders?.stop();
    await bus?.close();
    await busDatabase?.drop();
  });

  test('CART-3: a ProductCreated v2 published on catalog.events reaches the read model through the bus (no call to catalog)', async () => {
    const product = productCreated({ priceMinor: 1290n });
    await bus.publish([{ topic: eventsTopic('catalog'), envelope: product.event }]);
    const variant = await until(() => orders.db.catalogVariant.findUnique({ where: { variantId: product.variantId } }));
    expect(variant).toMatchObject({ productId: product.productId, productName: 'Test Mug', variantName: 'White', sku: product.sku, weightGrams: 350, priceMinor: 1290n, currency: 'EUR', active: true, taxClass: 'standard' });
  });

  test('CART-3: ProductUpdated v2 upserts every variant, VariantPriceChanged updates the price, ProductArchived deactivates; each once (inbox)', async () => {
    const product = productCreated({ priceMinor: 1000n });
    expect(await orders.catalogEvent(product.event)).toBe(true);
    expect(await orders.catalogEvent(product.event)).toBe(false);
    const secondVariant = randomUUID();
    const updated = envelope('catalog', 'ProductUpdated', 2, product.productId, {
      productId: product.productId,
      marketId: randomUUID(),
      name: 'Renamed Mug',
      status: 'ACTIVE',
      changedFields: ['name', 'variants'],
      variants: [
        { variantId: product.variantId, sku: product.sku, name: 'White', weightGrams: 360, price: price(1000n) },
        { variantId: secondVariant, sku: `${product.sku}-B`, name: 'Black', weightGrams: 360, price: price(1100n) },
      ],
    });
    await orders.catalogEvent(updated);
    const rows = await orders.db.catalogVariant.findMany({ where: { productId: product.productId }, orderBy: { sku: 'asc' } });
    expect(rows.map((r) => [r.sku, r.productName, r.priceMinor, r.weightGrams])).toEqual([
      [product.sku, 'Renamed Mug', 1000n, 360],
      [`${product.sku}-B`, 'Renamed Mug', 1100n, 360],
    ]);
    await orders.catalogEvent(envelope('catalog', 'VariantPriceChanged', 1, product.productId, { productId: product.productId, variantId: secondVariant, sku: `${product.sku}-B`, previousPrice: price(1100n), price: price(1350n) }));
    expect((await orders.db.catalogVariant.findUniqueOrThrow({ where: { variantId: secondVariant } })).priceMinor).toBe(1350n);
    await orders.catalogEvent(envelope('catalog', 'ProductArchived', 1, product.productId, { productId: product.productId }));
    expect((await orders.db.catalogVariant.findMany({ where: { productId: product.productId } })).map((r) => r.active)).toEqual([false, false]);
  });

  test('CART-3: a v1 ProductCreated is ignored (v2 carries the sellable state)', async () => {
    const productId = randomUUID();
    const v1 = envelope('catalog', 'ProductCreated', 1, productId, { productId, variants: [{ variantId: randomUUID(), sku: 'OLD-1', price: price(100n) }] });
    expect(await orders.catalogEvent(v1)).toBe(true);
    expect(await orders.db.catalogVariant.count({ where: { productId } })).toBe(0);
  });

  test('ORD-2, PLAT-4: OrderPlaced leaves through the outbox onto orders.events; StockReserved on inventory.events moves the order to AWAITING_PAYMENT', async () => {
    const { order, product } = await placeOrder(orders, { quantity: 2 });
    const placed = await until(async () => published.find((e) => e.type === 'OrderPlaced' && e.aggregateId === order.id));
    expect(placed.payload).toMatchObject({ orderId: order.id, lines: [{ variantId: product.variantId, sku: product.sku, quantity: 2 }] });
    const expiresAt = new Date(Date.now() + 900_000).toISOString();
    const reserved = envelope('inventory', 'StockReserved', 1, order.id, { orderId: order.id, expiresAt, lines: [{ variantId: product.variantId, quantity: 2 }] });
    await bus.publish([{ topic: eventsTopic('inventory'), envelope: reserved }]);
    const awaiting = await until(async () => published.find((e) => e.type === 'OrderAwaitingPayment' && e.aggregateId === order.id));
    expect(awaiting.payload).toMatchObject({ orderId: order.id, paymentDueAt: expiresAt });
    expect((await orders.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('AWAITING_PAYMENT');
  });
});
