import { randomUUID } from 'node:crypto';
import { createInventoryDatabase, pause, staff, startTestBus, startTestInventory, until, type TestBus, type TestInventory } from './inventory-test-server';

type Database = Awaited<ReturnType<typeof createInventoryDatabase>>;

function productEvent(type: 'ProductCreated' | 'ProductUpdated', productId: string, variants: { variantId: string; sku: string }[]) {
  const payload = {
    productId,
    marketId: randomUUID(),
    name: 'Mug',
    status: 'ACTIVE',
    variants: variants.map((v) => ({ ...v, name: 'White', weightGrams: 300, price: { amount: '9.90', amountMinor: '990', currency: 'EUR' } })),
    ...(type === 'ProductUpdated' ? { changedFields: ['variants'] } : {}),
  };
  return { id: randomUUID(), type, version: 2, occurredAt: new Date().toISOString(), source: 'catalog', aggregateId: productId, correlationId: null, causationId: null, payload };
}

describe('variants learned from catalog events (INV-1)', () => {
  let database: Database;
  let bus: TestBus;
  let inventory: TestInventory;

  beforeAll(async () => {
    database = await createInventoryDatabase();
    bus = await startTestBus();
    inventory = await startTestInventory(database.url, { busDatabaseUrl: bus.url });
  });
  afterAll(async () => {
    await inventory?.stop();
    await bus?.close();
    await database?.drop();
  });

  test('INV-1: ProductCreated v2 makes its variants known (stock can be set); ProductUpdated v2 renames a SKU; redelivery is harmless', async () => {
    const productId = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    const created = productEvent('ProductCreated', productId, [{ variantId: first, sku: 'MUG-W' }, { variantId: second, sku: 'MUG-B' }]);
    await bus.publish(created, created);
    await until(async () => ((await database.db.variant.count({ where: { productId } })) === 2 ? true : undefined));
    const set = await inventory.call(`mutation($v: ID!) { setStock(variantId: $v, quantity: 4, reason: "first delivery") { onHand } }`, { variables: { v: first }, identity: staff });
    expect(set.data).toEqual({ setStock: { onHand: 4 } });

    await bus.publish(productEvent('ProductUpdated', productId, [{ variantId: first, sku: 'MUG-WHITE' }, { variantId: second, sku: 'MUG-B' }]));
    await until(async () => ((await database.db.variant.findUnique({ where: { id: first } }))?.sku === 'MUG-WHITE' ? true : undefined));
    await pause(300);
    expect(await database.db.variant.count({ where: { productId } })).toBe(2);
    expect(await database.db.inboxEvent.count({ where: { eventId: created.id } })).toBe(1);
  });
});
