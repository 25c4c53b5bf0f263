import { randomUUID } from 'node:crypto';
import { createInventoryDatabase, guest, seedVariant, startTestInventory, type TestInventory } from './inventory-test-server';

type Database = Awaited<ReturnType<typeof createInventoryDatabase>>;

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Variant { id stock { available inStock } } } }`;

describe('Variant.stock through federation (CAT-3, CONTRACT)', () => {
  let database: Database;
  let inventory: TestInventory;

  beforeAll(async () => {
    database = await createInventoryDatabase();
    // No sweeps during the test: they are statements too, and the statement count is what CAT-3 checks.
    inventory = await startTestInventory(database.url, { sweepIntervalMs: 3_600_000 });
  });
  afterAll(async () => {
    await inventory?.stop();
    await database?.drop();
  });

  test('CAT-3: _entities answers stock for many variants with one SQL statement, publicly; an unknown variant has 0', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `f${i}-${randomUUID()}`);
    for (const [i, id] of ids.entries()) await seedVariant(database.url, id, i);
    const unknown = `unknown-${randomUUID()}`;
    const representations = [...ids, unknown].map((id) => ({ __typename: 'Variant', id }));
    inventory.statements.reset();
    const answer = await inventory.call<{ _entities: { id: string; stock: { available: number; inStock: boolean } }[] }>(ENTITIES, { variables: { representations }, identity: guest });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toHaveLength(21);
    expect(answer.data?._entities[0]).toEqual({ id: ids[0], stock: { available: 0, inStock: false } });
    expect(answer.data?._entities[7]).toEqual({ id: ids[7], stock: { available: 7, inStock: true } });
    expect(answer.data?._entities[20]).toEqual({ id: unknown, stock: { available: 0, inStock: false } });
    expect(inventory.statements.statements.filter((sql) => sql.includes('stock_level'))).toHaveLength(1);
    expect(inventory.statements.count).toBe(1);
  });

  test('CAT-3: available is summed over warehouses and leaves out reserved and committed stock', async () => {
    const id = `w-${randomUUID()}`;
    await seedVariant(database.url, id, 10);
    await database.db.stockLevel.update({ where: { variantId_warehouse: { variantId: id, warehouse: 'main' } }, data: { reserved: 3, committed: 2 } });
    await database.db.stockLevel.create({ data: { variantId: id, warehouse: 'north', onHand: 4 } });
    const answer = await inventory.call<{ _entities: { stock: { available: number } }[] }>(ENTITIES, { variables: { representations: [{ __typename: 'Variant', id }] }, identity: guest });
    expect(answer.data?._entities).toEqual([{ id, stock: { available: 9, inStock: true } }]);
  });
});
