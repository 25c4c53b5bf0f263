import { randomUUID } from 'node:crypto';
import { applyPaymentEvent } from '../src/events/payments.consumer';
import { envelope, log, outboxOf, placeOrder, price, staff, startTestOrders, type TestOrders } from './orders-test-server';

let orders: TestOrders;
beforeAll(async () => {
  orders = await startTestOrders();
});
afterAll(async () => orders?.stop());

/** An order moved to AWAITING_PAYMENT by the saga (StockReserved through the real consumer). */
async function awaitingPayment(priceMinor = 2500n) {
  const placed = await placeOrder(orders, { priceMinor });
  const expiresAt = new Date(Date.now() + 15 * 60_000).toISOString();
  await orders.inventoryEvent(envelope('inventory', 'StockReserved', 1, placed.order.id, { orderId: placed.order.id, expiresAt, lines: [{ variantId: placed.product.variantId, quantity: 1 }] }));
  const order = await orders.db.order.findUniqueOrThrow({ where: { id: placed.order.id } });
  expect(order.status).toBe('AWAITING_PAYMENT');
  return order;
}

function succeeded(orderId: string, totalMinor: bigint) {
  return envelope('payments', 'PaymentSucceeded', 1, orderId, { orderId, paymentId: randomUUID(), method: 'SANDBOX', amount: price(totalMinor) });
}

function refunded(orderId: string, amountMinor: bigint, refundedMinor: bigint, capturedMinor: bigint) {
  return envelope('payments', 'PaymentRefunded', 1, orderId, {
    orderId,
    paymentId: randomUUID(),
    refundId: randomUUID(),
    amount: price(amountMinor),
    refundedTotal: price(refundedMinor),
    captured: price(capturedMinor),
    fullyRefunded: refundedMinor === capturedMinor,
    destination: 'ORIGINAL',
    reason: 'returned',
  });
}

const apply = (event: ReturnType<typeof succeeded>) => applyPaymentEvent(orders.db, event, log);
const statusOf = async (id: string) => (await orders.db.order.findUniqueOrThrow({ where: { id } })).status;

describe('orders on payments.events (PAY-3, PAY-5, ORD-2)', () => {
  test('PAY-3: PaymentSucceeded moves AWAITING_PAYMENT to PAID with OrderPaid once; a redelivery changes nothing', async () => {
    const order = await awaitingPayment();
    const event = succeeded(order.id, order.totalMinor);
    expect(await apply(event)).toBe(true);
    expect(await apply(event)).toBe(false);
    expect(await statusOf(order.id)).toBe('PAID');
    const events = (await outboxOf(orders, order.id)).map((e) => e.type);
    expect(events.filter((t) => t === 'OrderPaid')).toHaveLength(1);
    const history = await orders.db.orderHistory.findMany({ where: { orderId: order.id }, orderBy: { at: 'asc' } });
    expect(history.at(-1)).toMatchObject({ fromStatus: 'AWAITING_PAYMENT', toStatus: 'PAID', actor: 'system:payments' });
  });

  test('PAY-3: a second PaymentSucceeded (another attempt) for a PAID order changes nothing', async () => {
    const order = await awaitingPayment();
    await apply(succeeded(order.id, order.totalMinor));
    await apply(succeeded(order.id, order.totalMinor));
    expect((await outboxOf(orders, order.id)).filter((e) => e.type === 'OrderPaid')).toHaveLength(1);
  });

  test('ORD-5: PaymentSucceeded for a CANCELLED order leaves it cancelled (payments refunds captures of cancelled orders)', async () => {
    const order = await awaitingPayment();
    const cancel = await orders.call(`mutation { cancelOrder(id: "${order.id}", reason: "changed mind") { status } }`, { identity: staff });
    expect(cancel.errors).toBeUndefined();
    expect(await apply(succeeded(order.id, order.totalMinor))).toBe(true);
    expect(await statusOf(order.id)).toBe('CANCELLED');
    expect((await outboxOf(orders, order.id)).map((e) => e.type)).not.toContain('OrderPaid');
  });

  test('PAY-5: PaymentRefunded moves PAID to PARTIALLY_REFUNDED, then to REFUNDED when fully refunded', async () => {
    const order = await awaitingPayment(2500n);
    await apply(succeeded(order.id, order.totalMinor));
    await apply(refunded(order.id, 500n, 500n, order.totalMinor));
    expect(await statusOf(order.id)).toBe('PARTIALLY_REFUNDED');
    await apply(refunded(order.id, 300n, 800n, order.totalMinor));
    expect(await statusOf(order.id)).toBe('PARTIALLY_REFUNDED');
    await apply(refunded(order.id, order.totalMinor - 800n, order.totalMinor, order.totalMinor));
    expect(await statusOf(order.id)).toBe('REFUNDED');
    const history = await orders.db.orderHistory.findMany({ where: { orderId: order.id }, orderBy: { at: 'asc' } });
    expect(history.slice(-2).map((h) => [h.fromStatus, h.toStatus])).toEqual([
      ['PAID', 'PARTIALLY_REFUNDED'],
      ['PARTIALLY_REFUNDED', 'REFUNDED'],
    ]);
  });

  test('PAY-5: a refund of a cancelled order (payments refunding a late capture) leaves it CANCELLED', async () => {
    const order = await awaitingPayment();
    await orders.call(`mutation { cancelOrder(id: "${order.id}") { status } }`, { identity: staff });
    await apply(refunded(order.id, order.totalMinor, order.totalMinor, order.totalMinor));
    expect(await statusOf(order.id)).toBe('CANCELLED');
  });

  test('ORD-5: cancelling a PAID order emits OrderCancelled with previousStatus PAID (payments refunds it on that event)', async () => {
    const order = await awaitingPayment();
    await apply(succeeded(order.id, order.totalMinor));
    const cancel = await orders.call<{ cancelOrder: { status: string } }>(`mutation { cancelOrder(id: "${order.id}", reason: "out of stock after all") { status } }`, { identity: staff });
    expect(cancel.data?.cancelOrder.status).toBe('CANCELLED');
    const cancelled = (await outboxOf(orders, order.id)).find((e) => e.type === 'OrderCancelled');
    expect(cancelled?.payload).toMatchObject({ orderId: order.id, previousStatus: 'PAID' });
  });
});
