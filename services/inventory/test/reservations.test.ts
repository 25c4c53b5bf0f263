import { randomUUID } from 'node:crypto';
import { auditStock } from '../src';
import {
  createInventoryDatabase,
  orderEvent,
  orderPlaced,
  pause,
  seedVariant,
  staff,
  startTestBus,
  startTestInventory,
  until,
  type TestBus,
  type TestInventory,
} from './inventory-test-server';

type Database = Awaited<ReturnType<typeof createInventoryDatabase>>;

describe('reservations through the bus, two replicas on one database (INV-2, INV-4)', () => {
  let database: Database;
  let bus: TestBus;
  let replicaA: TestInventory;
  let replicaB: TestInventory;

  const level = (variantId: string) => database.db.stockLevel.findUniqueOrThrow({ where: { variantId_warehouse: { variantId, warehouse: 'main' } } });
  const outcomeOf = (orderId: string) => until(() => bus.received.find((e) => e.aggregateId === orderId && (e.type === 'StockReserved' || e.type === 'StockRejected')));

  beforeAll(async () => {
    database = await createInventoryDatabase();
    bus = await startTestBus();
    replicaA = await startTestInventory(database.url, { busDatabaseUrl: bus.url });
    replicaB = await startTestInventory(database.url, { busDatabaseUrl: bus.url });
  });
  afterAll(async () => {
    await replicaA?.stop();
    await replicaB?.stop();
    await bus?.close();
    await database?.drop();
  });

  test('INV-2: 40 orders of 1 unit for a variant with stock 5, on two replicas: exactly 5 StockReserved, 35 StockRejected, available 0', async () => {
    const variantId = `hot-${randomUUID()}`;
    await seedVariant(database.url, variantId, 5);
    const orders: string[] = Array.from({ length: 40 }, () => randomUUID());
    await Promise.all(orders.map((orderId) => bus.publish(orderPlaced(orderId, [{ variantId, quantity: 1 }]))));
    const outcomes = await until(() => {
      const mine = bus.received.filter((e) => orders.includes(e.aggregateId));
      return mine.length >= 40 ? mine : undefined;
    }, 45_000);
    await pause(500);
    expect(bus.received.filter((e) => orders.includes(e.aggregateId))).toHaveLength(40);
    expect(outcomes.filter((e) => e.type === 'StockReserved')).toHaveLength(5);
    const rejected = outcomes.filter((e) => e.type === 'StockRejected');
    expect(rejected).toHaveLength(35);
    expect(rejected[0]?.payload).toEqual({ orderId: rejected[0]?.aggregateId, shortLines: [{ variantId, sku: `SKU-${variantId}`, requested: 1, available: 0 }] });
    expect(await level(variantId)).toMatchObject({ onHand: 5, reserved: 5, committed: 0 });
    expect(await database.db.reservation.count({ where: { orderId: { in: orders }, status: 'RESERVED' } })).toBe(5);
    expect(await auditStock(database.db)).toEqual({ ok: true, problems: [] });
    // INV-5: the first reservation took available from 5 to 4, below the threshold of 5: one StockLow.
    expect(bus.events('StockLow', variantId).map((e) => e.payload)).toEqual([{ variantId, sku: `SKU-${variantId}`, warehouse: 'main', available: 4, threshold: 5 }]);
    const answer = await replicaB.call<{ stockLevels: { available: number }[] }>(`query($id: ID!) { stockLevels(variantId: $id) { available } }`, { variables: { id: variantId }, identity: staff });
    expect(answer.data?.stockLevels).toEqual([{ available: 0 }]);
  });

  test('INV-2: an order with one short line reserves nothing and names the short line with what is available', async () => {
    const plenty = `a-${randomUUID()}`;
    const scarce = `b-${randomUUID()}`;
    await seedVariant(database.url, plenty, 10);
    await seedVariant(database.url, scarce, 1);
    const orderId = randomUUID();
    await bus.publish(orderPlaced(orderId, [{ variantId: plenty, quantity: 2 }, { variantId: scarce, quantity: 2 }]));
    const outcome = await outcomeOf(orderId);
    expect(outcome.type).toBe('StockRejected');
    expect(outcome.payload).toEqual({ orderId, shortLines: [{ variantId: scarce, sku: `SKU-${scarce}`, requested: 2, available: 1 }] });
    expect(outcome.causationId).toEqual(expect.any(String));
    expect(await level(plenty)).toMatchObject({ onHand: 10, reserved: 0 });
    expect(await level(scarce)).toMatchObject({ onHand: 1, reserved: 0 });
    expect(await database.db.reservation.findUnique({ where: { orderId } })).toBeNull();
    expect(await database.db.stockMovement.count({ where: { orderId } })).toBe(0);
  });

  test('INV-2: a multi-line order that fits reserves every line, with ledger rows, until expiresAt', async () => {
    const first = `c-${randomUUID()}`;
    const second = `d-${randomUUID()}`;
    await seedVariant(database.url, first, 10);
    await seedVariant(database.url, second, 10);
    const orderId = randomUUID();
    await bus.publish(orderPlaced(orderId, [{ variantId: second, quantity: 3 }, { variantId: first, quantity: 2 }, { variantId: second, quantity: 1 }]));
    const outcome = await outcomeOf(orderId);
    expect(outcome.type).toBe('StockReserved');
    const payload = outcome.payload as { lines: unknown[]; expiresAt: string };
    expect(payload.lines).toEqual(expect.arrayContaining([{ variantId: first, quantity: 2 }, { variantId: second, quantity: 4 }]));
    expect(Date.parse(payload.expiresAt) - Date.now()).toBeGreaterThan(800_000);
    expect(await level(first)).toMatchObject({ reserved: 2 });
    expect(await level(second)).toMatchObject({ reserved: 4 });
    expect(await database.db.stockMovement.findMany({ where: { orderId }, select: { kind: true, reservedDelta: true, actor: true } })).toEqual(
      expect.arrayContaining([{ kind: 'RESERVE', reservedDelta: 2, actor: 'system' }, { kind: 'RESERVE', reservedDelta: 4, actor: 'system' }]),
    );
  });

  test('PLAT-4: a redelivered OrderPlaced or OrderPaid envelope changes nothing; a second OrderPlaced for the order does nothing', async () => {
    const variantId = `r-${randomUUID()}`;
    await seedVariant(database.url, variantId, 10);
    const orderId = randomUUID();
    const placed = orderPlaced(orderId, [{ variantId, quantity: 3 }]);
    await bus.publish(placed, placed);
    await outcomeOf(orderId);
    await bus.publish(orderPlaced(orderId, [{ variantId, quantity: 3 }]));
    await pause(1_000);
    expect(bus.events('StockReserved', orderId)).toHaveLength(1);
    expect(await level(variantId)).toMatchObject({ reserved: 3, committed: 0 });

    const paid = orderEvent('OrderPaid', { orderId, total: { amount: '10.00', amountMinor: '1000', currency: 'EUR' } });
    await bus.publish(paid, paid);
    await until(() => bus.events('StockCommitted', orderId)[0]);
    await pause(1_000);
    expect(bus.events('StockCommitted', orderId)).toHaveLength(1);
    expect(bus.events('StockCommitted', orderId)[0]?.payload).toEqual({ orderId, lines: [{ variantId, quantity: 3 }] });
    expect(await level(variantId)).toMatchObject({ onHand: 10, reserved: 0, committed: 3 });
    expect(await database.db.stockMovement.count({ where: { orderId } })).toBe(2);
    expect(await auditStock(database.db)).toEqual({ ok: true, problems: [] });
  });

  test('INV-3: a cancelled order releases its reservation, a rejected one too, and a paid unshipped one uncommits', async () => {
    const variantId = `x-${randomUUID()}`;
    await seedVariant(database.url, variantId, 20);
    const [cancelled, rejected, paidThenCancelled] = [randomUUID(), randomUUID(), randomUUID()];
    for (const orderId of [cancelled, rejected, paidThenCancelled]) await bus.publish(orderPlaced(orderId, [{ variantId, quantity: 2 }]));
    await Promise.all([cancelled, rejected, paidThenCancelled].map(outcomeOf));
    await bus.publish(orderEvent('OrderPaid', { orderId: paidThenCancelled, total: { amount: '1.00', amountMinor: '100', currency: 'EUR' } }));
    await until(() => bus.events('StockCommitted', paidThenCancelled)[0]);
    await bus.publish(
      orderEvent('OrderCancelled', { orderId: cancelled, previousStatus: 'AWAITING_PAYMENT', actor: 'customer-1', reason: 'changed my mind' }),
      orderEvent('OrderRejected', { orderId: rejected, reasons: ['coupon invalid'] }),
      orderEvent('OrderCancelled', { orderId: paidThenCancelled, previousStatus: 'PAID', actor: 'staff-1', reason: 'customer asked' }),
    );
    const released = await until(() => {
      const events = [cancelled, rejected, paidThenCancelled].map((orderId) => bus.events('StockReleased', orderId)[0]);
      return events.every(Boolean) ? events : undefined;
    });
    expect(released.map((e) => (e?.payload as { reason: string }).reason)).toEqual(['ORDER_CANCELLED', 'ORDER_REJECTED', 'ORDER_CANCELLED']);
    expect(await level(variantId)).toMatchObject({ onHand: 20, reserved: 0, committed: 0 });
    expect(await database.db.stockMovement.findFirst({ where: { orderId: paidThenCancelled, kind: 'UNCOMMIT' } })).toMatchObject({ committedDelta: -2 });
    expect(await database.db.reservation.count({ where: { orderId: { in: [cancelled, rejected, paidThenCancelled] }, status: 'RELEASED' } })).toBe(3);
    expect(await auditStock(database.db)).toEqual({ ok: true, problems: [] });
  });

  test('INV-4: a shipped order that is then cancelled never puts stock back; receiveReturn does, with a ledger row', async () => {
    const variantId = `s-${randomUUID()}`;
    await seedVariant(database.url, variantId, 10);
    const orderId = randomUUID();
    await bus.publish(orderPlaced(orderId, [{ variantId, quantity: 4 }]));
    await outcomeOf(orderId);
    const cancel = orderEvent('OrderCancelled', { orderId, previousStatus: 'PAID', actor: 'staff-1', reason: 'too late' });
    await bus.publish(orderEvent('OrderPaid', { orderId, total: { amount: '1.00', amountMinor: '100', currency: 'EUR' } }), orderEvent('OrderShipped', { orderId }), cancel);
    await until(async () => ((await database.db.inboxEvent.count({ where: { eventId: cancel.id } })) === 1 ? true : undefined));
    await pause(500);
    expect(bus.events('StockReleased', orderId)).toHaveLength(0);
    expect(await level(variantId)).toMatchObject({ onHand: 6, reserved: 0, committed: 0 });
    expect(await database.db.reservation.findUnique({ where: { orderId } })).toMatchObject({ status: 'SHIPPED' });

    const returned = await replicaA.call<{ receiveReturn: { onHand: number; available: number } }>(
      `mutation($v: ID!, $o: ID) { receiveReturn(variantId: $v, quantity: 1, reason: "parcel came back", orderId: $o) { onHand available } }`,
      { variables: { v: variantId, o: orderId }, identity: staff },
    );
    expect(returned.errors).toBeUndefined();
    expect(returned.data?.receiveReturn).toEqual({ onHand: 7, available: 7 });
    expect(await database.db.stockMovement.findFirst({ where: { orderId, kind: 'RETURN' } })).toMatchObject({ onHandDelta: 1, actor: 'staff-1', reason: 'parcel came back' });
    expect(await auditStock(database.db)).toEqual({ ok: true, problems: [] });
  });
});
