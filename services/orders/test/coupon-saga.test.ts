import type { Identity } from '@shop/platform';
import { applyPromotionsEvent } from '../src/events/promotions.consumer';
import { OrderRepository } from '../src/order.repository';
import { addLine, checkout, customer, envelope, log, outboxOf, seedVariant, startTestOrders, type TestOrders } from './orders-test-server';

let orders: TestOrders;

beforeAll(async () => {
  orders = await startTestOrders();
});
afterAll(async () => {
  await orders?.stop();
});

const eur = (minor: bigint) => ({ amount: (Number(minor) / 100).toFixed(2), amountMinor: minor.toString(), currency: 'EUR' });
const promotionsEvent = (event: ReturnType<typeof envelope>) => applyPromotionsEvent(orders.db, new OrderRepository(orders.db), event, log);
const inFifteenMinutes = () => new Date(Date.now() + 15 * 60_000).toISOString();

/** Places an order with lines of 10.00 and 30.00 EUR (19 % tax in DE) and the given coupon code. */
async function placeWithCoupon(couponCode: string | null, identity: Identity = customer()) {
  const [a, b] = [await seedVariant(orders, { priceMinor: 1000n }), await seedVariant(orders, { priceMinor: 3000n })];
  await addLine(orders, a.variantId, 1, { identity });
  await addLine(orders, b.variantId, 1, { identity });
  const answer = await checkout(orders, couponCode ? { couponCode } : {}, identity);
  const order = answer.data?.checkout;
  if (!order) throw new Error(`checkout failed: ${answer.text}`);
  const stockReserved = envelope('inventory', 'StockReserved', 1, order.id, { orderId: order.id, expiresAt: inFifteenMinutes(), lines: [{ variantId: a.variantId, quantity: 1 }, { variantId: b.variantId, quantity: 1 }] });
  return { order, stockReserved };
}

function discountApplied(orderId: string, amountMinor: bigint, freeShipping = false) {
  return envelope('promotions', 'DiscountApplied', 1, orderId, {
    orderId,
    couponId: 'c-1',
    code: 'SAVE10',
    kind: freeShipping ? 'FREE_SHIPPING' : 'PERCENTAGE',
    amount: eur(amountMinor),
    freeShipping,
    expiresAt: inFifteenMinutes(),
  });
}

const statusOf = (orderId: string) => orders.db.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: { orderBy: { position: 'asc' } }, history: { orderBy: { at: 'asc' } } } });

describe('checkout saga with a coupon (PROMO-1, PROMO-2)', () => {
  test('PROMO-2: an order with a code waits for stock and coupon, then awaits payment with the discount allocated over its lines and tax after discount', async () => {
    const { order, stockReserved } = await placeWithCoupon('save10');
    expect((await outboxOf(orders, order.id))[0]?.payload).toMatchObject({ couponCode: 'save10', subtotal: { amountMinor: '4000' } });
    await orders.inventoryEvent(stockReserved);
    expect((await statusOf(order.id)).status).toBe('PENDING');
    const applied = discountApplied(order.id, 400n);
    expect(await promotionsEvent(applied)).toBe(true);
    expect(await promotionsEvent(applied)).toBe(false);
    const after = await statusOf(order.id);
    expect(after.status).toBe('AWAITING_PAYMENT');
    expect(after.history.at(-1)?.reason).toBe('confirmed: stock, coupon');
    expect(after.lines.map((l) => [l.discountMinor, l.taxMinor, l.lineTotalMinor])).toEqual([[100n, 171n, 1071n], [300n, 513n, 3213n]]);
    expect({ subtotal: after.subtotalMinor, discount: after.discountMinor, tax: after.taxMinor, total: after.totalMinor }).toEqual({ subtotal: 4000n, discount: 400n, tax: 684n, total: 4284n });
    const events = await outboxOf(orders, order.id);
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderAwaitingPayment']);
    expect(events[1]?.payload).toMatchObject({ total: eur(4284n) });
  });

  test('PROMO-2: the coupon may answer before the stock; the discount counts once', async () => {
    const { order, stockReserved } = await placeWithCoupon('SAVE10');
    await promotionsEvent(discountApplied(order.id, 4000n));
    expect((await statusOf(order.id)).status).toBe('PENDING');
    await orders.inventoryEvent(stockReserved);
    const after = await statusOf(order.id);
    expect(after.status).toBe('AWAITING_PAYMENT');
    expect({ discount: after.discountMinor, tax: after.taxMinor, total: after.totalMinor }).toEqual({ discount: 4000n, tax: 0n, total: 0n });
    expect((await outboxOf(orders, order.id))[1]?.payload).toMatchObject({ total: eur(0n) });
  });

  test('PROMO-2: CouponRejected rejects the order with the reason (never charged a price the customer did not see); OrderRejected releases the stock', async () => {
    const { order, stockReserved } = await placeWithCoupon('GONE-CODE');
    await orders.inventoryEvent(stockReserved);
    await promotionsEvent(envelope('promotions', 'CouponRejected', 1, order.id, { orderId: order.id, code: 'GONE-CODE', reason: 'USAGE_LIMIT' }));
    const after = await statusOf(order.id);
    const reason = 'COUPON_INVALID: GONE-CODE cannot be used (USAGE_LIMIT)';
    expect(after.status).toBe('REJECTED');
    expect(after.history.at(-1)).toMatchObject({ fromStatus: 'PENDING', toStatus: 'REJECTED', actor: 'system', reason });
    expect((await outboxOf(orders, order.id)).map((e) => [e.type, e.payload])).toEqual([
      ['OrderPlaced', expect.anything()],
      ['OrderRejected', { orderId: order.id, reasons: [reason] }],
    ]);
  });

  test('PROMO-2: an order without a code does not wait for promotions', async () => {
    const { order, stockReserved } = await placeWithCoupon(null);
    await orders.inventoryEvent(stockReserved);
    const after = await statusOf(order.id);
    expect(after.status).toBe('AWAITING_PAYMENT');
    expect(after.history.at(-1)?.reason).toBe('confirmed: stock');
    expect(after.totalMinor).toBe(4760n);
  });

  test('PROMO-1: free shipping takes the shipping price off the order, not off its lines', async () => {
    const { order, stockReserved } = await placeWithCoupon('FREESHIP');
    await orders.db.order.update({ where: { id: order.id }, data: { shippingMinor: 490n, totalMinor: { increment: 490n } } });
    await promotionsEvent(discountApplied(order.id, 0n, true));
    await orders.inventoryEvent(stockReserved);
    const after = await statusOf(order.id);
    expect(after.lines.map((l) => l.discountMinor)).toEqual([0n, 0n]);
    expect({ discount: after.discountMinor, shipping: after.shippingMinor, total: after.totalMinor }).toEqual({ discount: 490n, shipping: 490n, total: 4760n });
  });
});
