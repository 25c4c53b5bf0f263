import { randomUUID } from 'node:crypto';
import { createPool, createPrismaClient } from '@shop/platform';
import { auditStock } from '../src';
import { PrismaClient } from '../src/generated/prisma/client';
import { ReservationService, type EventContext } from '../src/reservation.service';
import { StockRepository } from '../src/stock.repository';
import { createInventoryDatabase, log, seedVariant } from './inventory-test-server';

type Database = Awaited<ReturnType<typeof createInventoryDatabase>>;

/** One replica's saga steps: its own pool and Prisma client on the shared database. */
function replica(url: string, ttlSeconds: number) {
  const pool = createPool({ url, poolSize: 8 });
  const db = createPrismaClient(PrismaClient, pool);
  const service = new ReservationService(db, new StockRepository(5), { ttlSeconds, defaultWarehouse: 'main' });
  return { service, close: async () => { await db.$disconnect(); await pool.end(); } };
}

const context = (): EventContext => ({ eventId: randomUUID(), consumer: 'inventory', correlationId: null, log });

describe('reservations under real parallelism, two replicas (INV-2, INV-3)', () => {
  let database: Database;
  let replicas: ReturnType<typeof replica>[];

  const outbox = (type: string, orderIds: readonly string[]) => database.db.outboxEvent.findMany({ where: { type, aggregateId: { in: [...orderIds] } } });

  beforeAll(async () => {
    database = await createInventoryDatabase();
    replicas = [replica(database.url, 900), replica(database.url, 900)];
  });
  afterAll(async () => {
    for (const r of replicas ?? []) await r.close();
    await database?.drop();
  });

  test('INV-2: 40 simultaneous orders for stock 5 on two replicas give exactly 5 reservations; stock never negative', async () => {
    const variantId = `par-${randomUUID()}`;
    await seedVariant(database.url, variantId, 5);
    const orders = Array.from({ length: 40 }, () => randomUUID());
    await Promise.all(orders.map((orderId, i) => replicas[i % 2]?.service.placeOrder(context(), orderId, [{ variantId, sku: 'S', quantity: 1 }])));
    expect(await outbox('StockReserved', orders)).toHaveLength(5);
    expect(await outbox('StockRejected', orders)).toHaveLength(35);
    expect(await database.db.stockLevel.findFirst({ where: { variantId } })).toMatchObject({ onHand: 5, reserved: 5 });
    expect(await auditStock(database.db)).toEqual({ ok: true, problems: [] });
  });

  test('INV-2: orders naming the same two variants in opposite orders neither deadlock nor oversell', async () => {
    const [x, y] = [`x-${randomUUID()}`, `y-${randomUUID()}`];
    await seedVariant(database.url, x, 10);
    await seedVariant(database.url, y, 10);
    const orders = Array.from({ length: 30 }, () => randomUUID());
    await Promise.all(
      orders.map((orderId, i) => {
        const lines = [{ variantId: x, sku: 'X', quantity: 1 }, { variantId: y, sku: 'Y', quantity: 1 }];
        return replicas[i % 2]?.service.placeOrder(context(), orderId, i % 3 === 0 ? lines.reverse() : lines);
      }),
    );
    expect(await outbox('StockReserved', orders)).toHaveLength(10);
    expect(await outbox('StockRejected', orders)).toHaveLength(20);
    expect(await database.db.stockLevel.findMany({ where: { variantId: { in: [x, y] } }, select: { reserved: true } })).toEqual([{ reserved: 10 }, { reserved: 10 }]);
    expect(await auditStock(database.db)).toEqual({ ok: true, problems: [] });
  });

  test('INV-3: two replicas sweeping the same expired reservations at once release each exactly once', async () => {
    const variantId = `sw-${randomUUID()}`;
    await seedVariant(database.url, variantId, 30);
    const orders = Array.from({ length: 25 }, () => randomUUID());
    await Promise.all(orders.map((orderId) => replicas[0]?.service.placeOrder(context(), orderId, [{ variantId, sku: 'S', quantity: 1 }])));
    await database.db.reservation.updateMany({ where: { orderId: { in: orders } }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const swept = await Promise.all([...replicas, ...replicas].map((r) => r.service.sweepExpired(log)));
    expect(swept.reduce((sum, n) => sum + n, 0)).toBe(25);
    expect(await outbox('StockReleased', orders)).toHaveLength(25);
    expect(await database.db.stockLevel.findFirst({ where: { variantId } })).toMatchObject({ onHand: 30, reserved: 0 });
    expect(await auditStock(database.db)).toEqual({ ok: true, problems: [] });
  });
});
