import { serviceLogger } from '@shop/platform';
import { sweepAbandonedCarts } from '../src/jobs/abandoned-cart.job';
import { ScheduledJob } from '@shop/platform';
import { addLine, guestCart, outboxOf, seedVariant, startTestOrders, type TestOrders } from './orders-test-server';

let orders: TestOrders;
const log = serviceLogger('orders-cart-job-test');
log.level = 'silent';

beforeAll(async () => {
  orders = await startTestOrders();
});
afterAll(async () => {
  await orders?.stop();
});

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

async function idleCart(hoursIdle: number) {
  const variant = await seedVariant(orders, { priceMinor: 1200n });
  const cartId = await guestCart(orders);
  await addLine(orders, variant.variantId, 2, { cartId });
  await orders.db.cart.update({ where: { id: cartId }, data: { lastActivityAt: hoursAgo(hoursIdle) } });
  return cartId;
}

describe('abandoned carts (CART-6, PLAT-4)', () => {
  test('CART-6: a cart untouched for 24 h gets one CartAbandoned; a cart untouched for 8 days is purged; recent carts are left alone', async () => {
    const abandoned = await idleCart(25);
    const fresh = await idleCart(1);
    const ancient = await idleCart(8 * 24 + 1);
    const settings = { reminderHours: 24, purgeDays: 8 };
    const first = await sweepAbandonedCarts(orders.db, settings, log);
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    const events = await outboxOf(orders, abandoned);
    expect(events.map((e) => e.type)).toEqual(['CartAbandoned']);
    expect(events[0]?.payload).toMatchObject({ cartId: abandoned, customerId: null, lineCount: 1, subtotal: { amount: '24.00', amountMinor: '2400', currency: 'EUR' } });
    await sweepAbandonedCarts(orders.db, settings, log);
    expect(await outboxOf(orders, abandoned)).toHaveLength(1);
    expect(await outboxOf(orders, fresh)).toHaveLength(0);
    expect(await orders.db.cart.findUnique({ where: { id: ancient } })).toBeNull();
    expect(await orders.db.cart.findUnique({ where: { id: fresh } })).not.toBeNull();
  });

  test('CART-6: touching the cart again re-arms the reminder', async () => {
    const cartId = await idleCart(30);
    await sweepAbandonedCarts(orders.db, { reminderHours: 24, purgeDays: 8 }, log);
    const variant = await seedVariant(orders);
    await addLine(orders, variant.variantId, 1, { cartId });
    expect((await orders.db.cart.findUniqueOrThrow({ where: { id: cartId } })).reminderSentAt).toBeNull();
  });

  test('CART-6, PLAT-4: the scheduled job runs once per period across two instances, and its schedule survives a restart', async () => {
    const cartId = await idleCart(26);
    let runs = 0;
    const work = async () => {
      runs += 1;
      await sweepAbandonedCarts(orders.db, { reminderHours: 24, purgeDays: 8 }, log);
    };
    const name = `test-sweep-${Date.now()}`;
    const a = new ScheduledJob(orders.db, name, 60_000, work, 'replica-a', log);
    const b = new ScheduledJob(orders.db, name, 60_000, work, 'replica-b', log);
    const claimed = await Promise.all([a.runIfDue(), b.runIfDue(), a.runIfDue(), b.runIfDue()]);
    expect(claimed.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    expect(await outboxOf(orders, cartId)).toHaveLength(1);
    const restarted = new ScheduledJob(orders.db, name, 60_000, work, 'replica-c', log);
    expect(await restarted.runIfDue()).toBe(false);
    const row = await orders.db.scheduledJob.findUniqueOrThrow({ where: { name } });
    expect(row.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
    await orders.db.scheduledJob.update({ where: { name }, data: { nextRunAt: new Date(Date.now() - 1000) } });
    expect(await restarted.runIfDue()).toBe(true);
    expect(runs).toBe(2);
  });

  test('CART-6: the service wires the sweep into a running job with its own row', async () => {
    await orders.server.cartSweep.runIfDue();
    expect(await orders.db.scheduledJob.findUnique({ where: { name: 'abandoned-carts' } })).not.toBeNull();
  });
});
