import { randomUUID } from 'node:crypto';
import { createPostgresEventBus, eventsTopic, type EventBus, type EventEnvelope, type Subscription } from '@shop/platform';
import { createTestDatabase, type TestDatabase } from '@shop/platform/testing';
import { createPromotionsDatabase, log, orderEvent, orderPlaced, staff, startTestPromotions, type TestPromotions } from './promotions-test-server';

/** Polls `probe` until it gives a value, or fails after `timeoutMs`. */
async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('promotions on a real event bus (PROMO-2)', () => {
  let database: Awaited<ReturnType<typeof createPromotionsDatabase>>;
  let busDatabase: TestDatabase;
  let bus: EventBus;
  let subscription: Subscription;
  let promotions: TestPromotions;
  const received: EventEnvelope[] = [];

  beforeAll(async () => {
    database = await createPromotionsDatabase();
    busDatabase = await createTestDatabase('promotions_bus');
    bus = await createPostgresEventBus({ url: busDatabase.url, log });
    subscription = await bus.subscribe({
      group: `promotions-test-${randomUUID()}`,
      topics: [eventsTopic('promotions')],
      deadLetterTopic: 'promotions-test.dlq',
      fromBeginning: true,
      handle: async (envelope) => void received.push(envelope),
    });
    promotions = await startTestPromotions(database.url, { BUS_DATABASE_URL: busDatabase.url });
  });
  afterAll(async () => {
    await promotions?.stop();
    await subscription?.stop();
    await bus?.close();
    await busDatabase?.drop();
    await database?.drop();
  });

  test('PROMO-2: OrderPlaced with a code on orders.events gives DiscountApplied on promotions.events; OrderPaid commits the redemption', async () => {
    const created = await promotions.call(`mutation { createCoupon(input: { code: "BUS10", kind: PERCENTAGE, value: 10, usageLimit: 1 }) { id } }`, { identity: staff });
    expect(created.errors).toBeUndefined();
    const [orderId, second] = [randomUUID(), randomUUID()];
    const publish = (envelope: EventEnvelope) => bus.publish([{ topic: eventsTopic('orders'), envelope }]);
    await publish(orderPlaced(orderId, { couponCode: 'bus10', customerId: 'c-1', subtotalMinor: 2599n }));
    await publish(orderPlaced(second, { couponCode: 'bus10', customerId: 'c-2' }));
    const applied = await until(() => received.find((e) => e.type === 'DiscountApplied' && e.aggregateId === orderId));
    expect(applied.payload).toMatchObject({ orderId, code: 'BUS10', kind: 'PERCENTAGE', amount: { amount: '2.60', amountMinor: '260', currency: 'EUR' }, freeShipping: false });
    expect(await until(() => received.find((e) => e.type === 'CouponRejected' && e.aggregateId === second))).toMatchObject({ payload: { orderId: second, code: 'BUS10', reason: 'USAGE_LIMIT' } });
    await publish(orderEvent('OrderPaid', { orderId, total: { amount: '23.39', amountMinor: '2339', currency: 'EUR' } }));
    await until(async () => ((await database.db.redemption.findUnique({ where: { orderId } }))?.status === 'COMMITTED' ? true : undefined));
  });
});
