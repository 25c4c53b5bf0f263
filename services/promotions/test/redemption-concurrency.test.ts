import { randomUUID } from 'node:crypto';
import { handleOrderEvent } from '../src/events/order-events.consumer';
import { createPromotionsDatabase, log, orderEvent, orderPlaced, replica } from './promotions-test-server';

type Database = Awaited<ReturnType<typeof createPromotionsDatabase>>;

describe('coupon redemption in the saga, two replicas (PROMO-1, PROMO-2, PROMO-5)', () => {
  let database: Database;
  let replicas: ReturnType<typeof replica>[];

  const outbox = (type: string, orderIds: readonly string[]) => database.db.outboxEvent.findMany({ where: { type, aggregateId: { in: [...orderIds] } } });
  const coupon = (data: { code: string; usageLimit?: number; perCustomerLimit?: number; kind?: 'PERCENTAGE' | 'FIXED_AMOUNT' | 'FREE_SHIPPING'; value?: number }) =>
    database.db.coupon.create({ data: { kind: 'PERCENTAGE', value: 10, ...data } });
  const deliver = (i: number, envelope: ReturnType<typeof orderEvent>) => handleOrderEvent(envelope, replicas[i % 2]!.service, log);

  beforeAll(async () => {
    database = await createPromotionsDatabase();
    replicas = [replica(database.url), replica(database.url)];
  });
  afterAll(async () => {
    for (const r of replicas ?? []) await r.close();
    await database?.drop();
  });

  test('PROMO-2: usage limit 3, 25 concurrent orders from different customers on two replicas: exactly 3 DiscountApplied, 22 CouponRejected', async () => {
    const code = `LIM3-${randomUUID().slice(0, 8)}`;
    await coupon({ code: code.toUpperCase(), usageLimit: 3 });
    const orders = Array.from({ length: 25 }, () => randomUUID());
    await Promise.all(orders.map((orderId, i) => deliver(i, orderPlaced(orderId, { couponCode: code.toLowerCase(), customerId: `c-${i}` }))));
    expect(await outbox('DiscountApplied', orders)).toHaveLength(3);
    const rejected = await outbox('CouponRejected', orders);
    expect(rejected).toHaveLength(22);
    expect(rejected.every((e) => (e.payload as { reason: string }).reason === 'USAGE_LIMIT')).toBe(true);
    expect(await database.db.coupon.findUnique({ where: { code: code.toUpperCase() } })).toMatchObject({ usageCount: 3 });
  });

  test('PROMO-2: cancelling a paid order frees its slot; redelivered events change nothing', async () => {
    const code = `ONE-${randomUUID().slice(0, 8)}`.toUpperCase();
    await coupon({ code, usageLimit: 1 });
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    const placed = orderPlaced(first, { couponCode: code, customerId: 'a' });
    await deliver(0, placed);
    await deliver(1, placed);
    await deliver(0, orderEvent('OrderPaid', { orderId: first, total: { amount: '90.00', amountMinor: '9000', currency: 'EUR' } }));
    await deliver(1, orderPlaced(second, { couponCode: code, customerId: 'b' }));
    expect(await outbox('CouponRejected', [second])).toHaveLength(1);
    expect(await database.db.redemption.findUnique({ where: { orderId: first } })).toMatchObject({ status: 'COMMITTED' });
    const cancelled = orderEvent('OrderCancelled', { orderId: first, previousStatus: 'PAID', actor: 'staff:1', reason: 'customer asked' });
    await deliver(0, cancelled);
    await deliver(1, cancelled);
    expect(await database.db.coupon.findUnique({ where: { code } })).toMatchObject({ usageCount: 0 });
    await deliver(0, orderPlaced(third, { couponCode: code, customerId: 'c' }));
    expect(await outbox('DiscountApplied', [first, third])).toHaveLength(2);
    expect(await database.db.coupon.findUnique({ where: { code } })).toMatchObject({ usageCount: 1 });
  });

  test('PROMO-1: the per-customer limit holds under concurrency and a rejected order gives its slot back', async () => {
    const code = `PER-${randomUUID().slice(0, 8)}`.toUpperCase();
    await coupon({ code, perCustomerLimit: 2 });
    const orders = Array.from({ length: 10 }, () => randomUUID());
    await Promise.all(orders.map((orderId, i) => deliver(i, orderPlaced(orderId, { couponCode: code, customerId: 'same-customer' }))));
    const applied = await outbox('DiscountApplied', orders);
    expect(applied).toHaveLength(2);
    expect((await outbox('CouponRejected', orders)).map((e) => (e.payload as { reason: string }).reason)).toEqual(Array(8).fill('CUSTOMER_LIMIT'));
    const guest = randomUUID();
    await deliver(0, orderPlaced(guest, { couponCode: code, customerId: null }));
    expect(await outbox('CouponRejected', [guest])).toMatchObject([{ payload: { reason: 'GUEST' } }]);
    await deliver(0, orderEvent('OrderRejected', { orderId: applied[0]!.aggregateId, reasons: ['OUT_OF_STOCK'] }));
    const again = randomUUID();
    await deliver(1, orderPlaced(again, { couponCode: code, customerId: 'same-customer' }));
    expect(await outbox('DiscountApplied', [again])).toHaveLength(1);
  });

  test('PROMO-1: a redemption holds until the payment deadline plus grace; then the sweeper gives it back (once, across replicas)', async () => {
    const code = `EXP-${randomUUID().slice(0, 8)}`.toUpperCase();
    await coupon({ code, usageLimit: 5 });
    const orders = Array.from({ length: 5 }, () => randomUUID());
    await Promise.all(orders.map((orderId, i) => deliver(i, orderPlaced(orderId, { couponCode: code, customerId: `e-${i}` }))));
    const due = new Date(Date.now() + 60_000);
    await deliver(0, orderEvent('OrderAwaitingPayment', { orderId: orders[0]!, paymentDueAt: due.toISOString() }));
    expect((await database.db.redemption.findUnique({ where: { orderId: orders[0]! } }))?.expiresAt.getTime()).toBe(due.getTime() + 300_000);
    await database.db.redemption.updateMany({ where: { orderId: { in: orders } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const swept = await Promise.all([...replicas, ...replicas].map((r) => r.service.sweepExpired(log)));
    expect(swept.reduce((sum, n) => sum + n, 0)).toBe(5);
    expect(await database.db.coupon.findUnique({ where: { code } })).toMatchObject({ usageCount: 0 });
    expect(await database.db.redemption.count({ where: { orderId: { in: orders }, status: 'EXPIRED' } })).toBe(5);
  });

  test('PROMO-1: validity window, minimum subtotal, currency and soft delete reject with their reason; nothing is reserved', async () => {
    const suffix = randomUUID().slice(0, 8).toUpperCase();
    await database.db.coupon.createMany({
      data: [
        { code: `LATER-${suffix}`, kind: 'PERCENTAGE', value: 10, startsAt: new Date(Date.now() + 3_600_000) },
        { code: `OVER-${suffix}`, kind: 'PERCENTAGE', value: 10, endsAt: new Date(Date.now() - 1000) },
        { code: `MIN-${suffix}`, kind: 'PERCENTAGE', value: 10, currency: 'EUR', minSubtotalMinor: 20_000n },
        { code: `USD-${suffix}`, kind: 'FIXED_AMOUNT', value: 500, currency: 'USD' },
        { code: `GONE-${suffix}`, kind: 'PERCENTAGE', value: 10, deletedAt: new Date() },
      ],
    });
    const cases = { LATER: 'NOT_STARTED', OVER: 'EXPIRED', MIN: 'MIN_SUBTOTAL', USD: 'CURRENCY', GONE: 'UNKNOWN', NOPE: 'UNKNOWN' } as const;
    for (const [prefix, reason] of Object.entries(cases)) {
      const orderId = randomUUID();
      await deliver(0, orderPlaced(orderId, { couponCode: `${prefix}-${suffix}`, customerId: 'x' }));
      expect(await outbox('CouponRejected', [orderId])).toMatchObject([{ payload: { reason } }]);
    }
    expect(await database.db.redemption.count({ where: { coupon: { code: { endsWith: suffix } } } })).toBe(0);
  });

  test('PROMO-5: an affiliate code attributes the order with its commission: pending, earned when paid, void when cancelled', async () => {
    const affiliate = await database.db.affiliate.create({ data: { marketerId: 'm-1', commissionRateBp: 1000 } });
    const code = `AFF-${randomUUID().slice(0, 8)}`.toUpperCase();
    await database.db.coupon.create({ data: { code, kind: 'FIXED_AMOUNT', value: 1000, currency: 'EUR', affiliateId: affiliate.id } });
    const [paid, cancelled] = [randomUUID(), randomUUID()];
    await deliver(0, orderPlaced(paid, { couponCode: code, customerId: 'p', subtotalMinor: 12_345n }));
    await deliver(1, orderPlaced(cancelled, { couponCode: code, customerId: 'q' }));
    expect(await database.db.affiliateAttribution.findUnique({ where: { orderId: paid } })).toMatchObject({ status: 'PENDING', baseMinor: 11_345n, commissionMinor: 1135n });
    await deliver(0, orderEvent('OrderPaid', { orderId: paid, total: { amount: '113.45', amountMinor: '11345', currency: 'EUR' } }));
    await deliver(1, orderEvent('OrderCancelled', { orderId: cancelled, previousStatus: 'AWAITING_PAYMENT', actor: 'customer:q', reason: 'changed mind' }));
    expect(await database.db.affiliateAttribution.findMany({ where: { affiliateId: affiliate.id }, orderBy: { orderId: 'asc' }, select: { orderId: true, status: true } })).toEqual(
      [{ orderId: paid, status: 'EARNED' }, { orderId: cancelled, status: 'VOID' }].sort((a, b) => (a.orderId < b.orderId ? -1 : 1)),
    );
  });

  test('PROMO-2: an order without a code records nothing and emits nothing', async () => {
    const orderId = randomUUID();
    await deliver(0, orderPlaced(orderId, { couponCode: null, customerId: 'n' }));
    expect(await database.db.outboxEvent.count({ where: { aggregateId: orderId } })).toBe(0);
  });

  test('PROMO-2: a payment after the slot expired takes a slot again if one is left, and never over-redeems', async () => {
    const code = `LATE-${randomUUID().slice(0, 8)}`.toUpperCase();
    await coupon({ code, usageLimit: 1 });
    const [late, other, third] = [randomUUID(), randomUUID(), randomUUID()];
    await deliver(0, orderPlaced(late, { couponCode: code, customerId: 'l' }));
    await database.db.redemption.updateMany({ where: { orderId: late }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await replicas[0]!.service.sweepExpired(log);
    await deliver(1, orderEvent('OrderPaid', { orderId: late, total: { amount: '90.00', amountMinor: '9000', currency: 'EUR' } }));
    expect(await database.db.redemption.findUnique({ where: { orderId: late } })).toMatchObject({ status: 'COMMITTED' });
    expect(await database.db.coupon.findUnique({ where: { code } })).toMatchObject({ usageCount: 1 });
    await deliver(0, orderPlaced(other, { couponCode: code, customerId: 'm' }));
    await database.db.redemption.create({ data: { orderId: third, couponId: (await database.db.coupon.findUniqueOrThrow({ where: { code } })).id, status: 'EXPIRED', discountMinor: 0n, currency: 'EUR', subtotalMinor: 0n, expiresAt: new Date() } });
    await deliver(1, orderEvent('OrderPaid', { orderId: third, total: { amount: '1.00', amountMinor: '100', currency: 'EUR' } }));
    expect(await database.db.redemption.findUnique({ where: { orderId: third } })).toMatchObject({ status: 'EXPIRED' });
    expect(await outbox('CouponRejected', [other])).toHaveLength(1);
    expect(await database.db.coupon.findUnique({ where: { code } })).toMatchObject({ usageCount: 1 });
  });
});
