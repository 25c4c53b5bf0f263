import { errorCodes } from '@shop/platform/testing';
import { auditOrders } from '../src';
import { envelope, outboxOf, placeOrder, startTestOrders, type TestOrders } from './orders-test-server';

let orders: TestOrders;

beforeAll(async () => {
  orders = await startTestOrders();
});
afterAll(async () => {
  await orders?.stop();
});

const inFifteenMinutes = () => new Date(Date.now() + 15 * 60_000).toISOString();

function stockReserved(orderId: string, variantId: string, quantity: number, expiresAt = inFifteenMinutes()) {
  return envelope('inventory', 'StockReserved', 1, orderId, { orderId, expiresAt, lines: [{ variantId, quantity }] });
}

async function statusOf(orderId: string) {
  return (await orders.db.order.findUniqueOrThrow({ where: { id: orderId }, include: { history: { orderBy: { at: 'asc' } } } }));
}

describe('checkout saga (ORD-2, ORD-3, INV-3)', () => {
  test('ORD-2: StockReserved moves the order to AWAITING_PAYMENT, due when the reservation expires, with OrderAwaitingPayment (final total) in the outbox', async () => {
    const { order, product, identity } = await placeOrder(orders, { quantity: 2, priceMinor: 1000n });
    const expiresAt = inFifteenMinutes();
    const event = stockReserved(order.id, product.variantId, 2, expiresAt);
    expect(await orders.inventoryEvent(event)).toBe(true);
    const after = await statusOf(order.id);
    expect(after.status).toBe('AWAITING_PAYMENT');
    expect(after.paymentDueAt?.toISOString()).toBe(expiresAt);
    expect(after.history.map((h) => [h.fromStatus, h.toStatus, h.actor])).toEqual([
      [null, 'PENDING', `customer:${identity.userId}`],
      ['PENDING', 'AWAITING_PAYMENT', 'system'],
    ]);
    const events = await outboxOf(orders, order.id);
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderAwaitingPayment']);
    expect(events[1]?.payload).toEqual({ orderId: order.id, reference: order.reference, customerId: identity.userId, total: { amount: '23.80', amountMinor: '2380', currency: 'EUR' }, paymentDueAt: expiresAt });
    expect(events[1]?.causationId).toBe(event.id);
  });

  test('ORD-2: a redelivered event changes nothing (inbox), and neither does a second confirmation', async () => {
    const { order, product } = await placeOrder(orders);
    const event = stockReserved(order.id, product.variantId, 1);
    expect(await orders.inventoryEvent(event)).toBe(true);
    expect(await orders.inventoryEvent(event)).toBe(false);
    expect(await orders.inventoryEvent(stockReserved(order.id, product.variantId, 1))).toBe(true);
    expect((await statusOf(order.id)).history).toHaveLength(2);
    expect((await outboxOf(orders, order.id)).map((e) => e.type)).toEqual(['OrderPlaced', 'OrderAwaitingPayment']);
  });

  test('ORD-3: StockRejected moves the order to REJECTED with the reasons in history and OrderRejected', async () => {
    const { order, product } = await placeOrder(orders, { quantity: 3 });
    const event = envelope('inventory', 'StockRejected', 1, order.id, { orderId: order.id, shortLines: [{ variantId: product.variantId, sku: product.sku, requested: 3, available: 1 }] });
    await orders.inventoryEvent(event);
    const after = await statusOf(order.id);
    const reason = `OUT_OF_STOCK: ${product.sku} requested 3, available 1`;
    expect(after.status).toBe('REJECTED');
    expect(after.history.at(-1)).toMatchObject({ fromStatus: 'PENDING', toStatus: 'REJECTED', actor: 'system', reason });
    const events = await outboxOf(orders, order.id);
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderRejected']);
    expect(events[1]?.payload).toEqual({ orderId: order.id, reasons: [reason] });
  });

  test('INV-3: StockReleased EXPIRED cancels an AWAITING_PAYMENT order (actor system, reason reservation expired) with OrderCancelled', async () => {
    const { order, product } = await placeOrder(orders);
    await orders.inventoryEvent(stockReserved(order.id, product.variantId, 1));
    await orders.inventoryEvent(envelope('inventory', 'StockReleased', 1, order.id, { orderId: order.id, reason: 'EXPIRED', lines: [{ variantId: product.variantId, quantity: 1 }] }));
    const after = await statusOf(order.id);
    expect(after.status).toBe('CANCELLED');
    expect(after.history.at(-1)).toMatchObject({ fromStatus: 'AWAITING_PAYMENT', toStatus: 'CANCELLED', actor: 'system', reason: 'reservation expired' });
    const events = await outboxOf(orders, order.id);
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderAwaitingPayment', 'OrderCancelled']);
    expect(events[2]?.payload).toEqual({ orderId: order.id, previousStatus: 'AWAITING_PAYMENT', actor: 'system', reason: 'reservation expired' });
  });

  test('ORD-2: events for an order already terminal are recorded and ignored', async () => {
    const { order, product, identity } = await placeOrder(orders);
    const cancelled = await orders.call(`mutation ($id: ID!) { cancelOrder(id: $id) { status } }`, { variables: { id: order.id }, identity });
    expect(errorCodes(cancelled)).toEqual([]);
    expect(await orders.inventoryEvent(stockReserved(order.id, product.variantId, 1))).toBe(true);
    await orders.inventoryEvent(envelope('inventory', 'StockReleased', 1, order.id, { orderId: order.id, reason: 'ORDER_CANCELLED', lines: [{ variantId: product.variantId, quantity: 1 }] }));
    const after = await statusOf(order.id);
    expect(after.status).toBe('CANCELLED');
    expect(after.history).toHaveLength(2);
    expect((await outboxOf(orders, order.id)).map((e) => e.type)).toEqual(['OrderPlaced', 'OrderCancelled']);
    expect(await orders.db.orderSagaStep.count({ where: { orderId: order.id } })).toBe(1);
  });

  test('ORD-2: an event about an unknown order is acknowledged and changes nothing', async () => {
    const unknown = '01900000-0000-7000-8000-000000000000';
    expect(await orders.inventoryEvent(stockReserved(unknown, 'v', 1))).toBe(true);
    expect(await orders.db.orderSagaStep.count({ where: { orderId: unknown } })).toBe(0);
  });

  test('ORD-2: the audit finds nothing wrong after the saga ran, and names an order that breaks the rules', async () => {
    expect(await auditOrders(orders.db)).toEqual({ ok: true, problems: [] });
    const { order } = await placeOrder(orders);
    await orders.db.order.update({ where: { id: order.id }, data: { status: 'AWAITING_PAYMENT' } });
    const audit = await auditOrders(orders.db);
    expect(audit.ok).toBe(false);
    expect(audit.problems).toEqual(
      expect.arrayContaining([expect.stringContaining(`${order.reference}: AWAITING_PAYMENT without a confirmed stock step`), expect.stringContaining(`${order.reference}: history ends in PENDING`)]),
    );
    await orders.db.order.update({ where: { id: order.id }, data: { status: 'PENDING' } });
  });
});
