import { randomUUID } from 'node:crypto';
import { auditStock } from '../src';
import { createInventoryDatabase, orderEvent, orderPlaced, pause, seedVariant, startTestBus, startTestInventory, until, type TestBus, type TestInventory } from './inventory-test-server';

type Database = Awaited<ReturnType<typeof createInventoryDatabase>>;

describe('reservation expiry with two replicas sweeping (INV-3)', () => {
  let database: Database;
  let bus: TestBus;
  let replicas: TestInventory[];

  /** A stock correction with its ledger row, as staff would make it. */
  const adjustOnHand = (variantId: string, delta: number) =>
    database.db.$transaction([
      database.db.stockLevel.update({ where: { variantId_warehouse: { variantId, warehouse: 'main' } }, data: { onHand: { increment: delta } } }),
      database.db.stockMovement.create({ data: { variantId, warehouse: 'main', kind: 'ADJUST', onHandDelta: delta, reservedDelta: 0, committedDelta: 0, actor: 'test', reason: 'correction' } }),
    ]);
  const level = (variantId: string) => database.db.stockLevel.findUniqueOrThrow({ where: { variantId_warehouse: { variantId, warehouse: 'main' } } });

  beforeAll(async () => {
    database = await createInventoryDatabase();
    bus = await startTestBus();
    replicas = [
      await startTestInventory(database.url, { busDatabaseUrl: bus.url, ttlSeconds: 1, sweepIntervalMs: 100 }),
      await startTestInventory(database.url, { busDatabaseUrl: bus.url, ttlSeconds: 1, sweepIntervalMs: 100 }),
    ];
  });
  afterAll(async () => {
    for (const replica of replicas ?? []) await replica.stop();
    await bus?.close();
    await database?.drop();
  });

  test('INV-3: with RESERVATION_TTL_SECONDS=1 unpaid reservations expire: StockReleased EXPIRED once each, stock back on sale', async () => {
    const variantId = `e-${randomUUID()}`;
    await seedVariant(database.url, variantId, 10);
    const orders = Array.from({ length: 6 }, () => randomUUID());
    await bus.publish(...orders.map((orderId) => orderPlaced(orderId, [{ variantId, quantity: 1 }])));
    await until(() => (orders.every((orderId) => bus.events('StockReserved', orderId).length === 1) ? true : undefined));
    await until(() => (orders.every((orderId) => bus.events('StockReleased', orderId).length > 0) ? true : undefined));
    await pause(1_000);
    for (const orderId of orders) {
      const released = bus.events('StockReleased', orderId);
      expect(released).toHaveLength(1);
      expect(released[0]?.payload).toEqual({ orderId, reason: 'EXPIRED', lines: [{ variantId, quantity: 1 }] });
    }
    expect(await level(variantId)).toMatchObject({ onHand: 10, reserved: 0, committed: 0 });
    expect(await database.db.reservation.count({ where: { orderId: { in: orders }, status: 'EXPIRED' } })).toBe(6);
    expect(await database.db.stockMovement.count({ where: { orderId: { in: orders }, kind: 'EXPIRE' } })).toBe(6);
    expect(await auditStock(database.db)).toEqual({ ok: true, problems: [] });
  });

  test('INV-3: a payment after expiry takes the stock again when there is some, and never oversells when there is none', async () => {
    const variantId = `p-${randomUUID()}`;
    await seedVariant(database.url, variantId, 1);
    const [late, lost] = [randomUUID(), randomUUID()];
    const paid = (orderId: string) => orderEvent('OrderPaid', { orderId, total: { amount: '1.00', amountMinor: '100', currency: 'EUR' } });

    await bus.publish(orderPlaced(late, [{ variantId, quantity: 1 }]));
    await until(() => bus.events('StockReleased', late)[0]);
    await bus.publish(paid(late));
    await until(() => bus.events('StockCommitted', late)[0]);
    expect(await level(variantId)).toMatchObject({ onHand: 1, reserved: 0, committed: 1 });

    await adjustOnHand(variantId, 1);
    await bus.publish(orderPlaced(lost, [{ variantId, quantity: 1 }]));
    await until(() => bus.events('StockReleased', lost)[0]);
    await adjustOnHand(variantId, -1);
    const payment = paid(lost);
    await bus.publish(payment);
    await until(async () => ((await database.db.inboxEvent.count({ where: { eventId: payment.id } })) === 1 ? true : undefined));
    expect(bus.events('StockCommitted', lost)).toHaveLength(0);
    expect(await database.db.reservation.findUnique({ where: { orderId: lost } })).toMatchObject({ status: 'EXPIRED' });
    expect(await level(variantId)).toMatchObject({ onHand: 1, reserved: 0, committed: 1 });
    expect(await auditStock(database.db)).toEqual({ ok: true, problems: [] });
  });
});
