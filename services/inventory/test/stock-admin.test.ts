import { randomUUID } from 'node:crypto';
import { errorCodes } from '@shop/platform/testing';
import { createInventoryDatabase, customer, guest, seedVariant, staff, startTestInventory, type TestInventory } from './inventory-test-server';

type Database = Awaited<ReturnType<typeof createInventoryDatabase>>;

const SET_STOCK = `mutation($v: ID!, $q: Int!, $r: String!, $w: String) {
  setStock(variantId: $v, quantity: $q, reason: $r, warehouse: $w) { variantId warehouse onHand reserved committed available } }`;
const ADJUST = `mutation($v: ID!, $d: Int!, $r: String!) { adjustStock(variantId: $v, delta: $d, reason: $r) { onHand available } }`;

describe('staff stock operations (INV-1, INV-5, SEC-4)', () => {
  let database: Database;
  let inventory: TestInventory;

  const ledger = (variantId: string) => database.db.stockMovement.findMany({ where: { variantId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const stockLowEvents = (variantId: string) => database.db.outboxEvent.findMany({ where: { type: 'StockLow', aggregateId: variantId }, orderBy: { seq: 'asc' } });

  beforeAll(async () => {
    database = await createInventoryDatabase();
    inventory = await startTestInventory(database.url, { lowStockThreshold: 5 });
  });
  afterAll(async () => {
    await inventory?.stop();
    await database?.drop();
  });

  test('INV-1: setStock, adjustStock and receiveReturn by staff write ledger rows with actor, reason and correlation id', async () => {
    const variantId = `v-${randomUUID()}`;
    await seedVariant(database.url, variantId, 0);
    const set = await inventory.call(SET_STOCK, { variables: { v: variantId, q: 12, r: 'stock count' }, identity: staff });
    expect(set.errors).toBeUndefined();
    expect(set.data?.setStock).toEqual({ variantId, warehouse: 'main', onHand: 12, reserved: 0, committed: 0, available: 12 });
    const adjusted = await inventory.call(ADJUST, { variables: { v: variantId, d: -2, r: 'damaged' }, identity: staff });
    expect(adjusted.data?.adjustStock).toEqual({ onHand: 10, available: 10 });
    const second = await inventory.call(SET_STOCK, { variables: { v: variantId, q: 3, r: 'delivery', w: 'north' }, identity: staff });
    expect(second.data?.setStock).toMatchObject({ warehouse: 'north', onHand: 3 });
    const returned = await inventory.call(`mutation($v: ID!) { receiveReturn(variantId: $v, quantity: 2, reason: "unopened") { onHand } }`, { variables: { v: variantId }, identity: staff });
    expect(returned.data?.receiveReturn).toEqual({ onHand: 12 });

    const rows = await ledger(variantId);
    expect(rows.map((row) => [row.kind, row.warehouse, row.onHandDelta, row.actor, row.reason])).toEqual([
      ['SET', 'main', 0, 'seed', 'demo stock'],
      ['SET', 'main', 12, 'staff-1', 'stock count'],
      ['ADJUST', 'main', -2, 'staff-1', 'damaged'],
      ['SET', 'north', 3, 'staff-1', 'delivery'],
      ['RETURN', 'main', 2, 'staff-1', 'unopened'],
    ]);
    for (const row of rows.slice(1)) expect(row.correlationId).toEqual(expect.any(String));

    const levels = await inventory.call<{ stockLevels: unknown[] }>(`query($v: ID!) { stockLevels(variantId: $v) { warehouse onHand available } }`, { variables: { v: variantId }, identity: staff });
    expect(levels.data?.stockLevels).toEqual([{ warehouse: 'main', onHand: 12, available: 12 }, { warehouse: 'north', onHand: 3, available: 3 }]);
    const audit = await inventory.call(`{ stockAudit { ok problems } }`, { identity: staff });
    expect(audit.data?.stockAudit).toEqual({ ok: true, problems: [] });
  });

  test('INV-1, SEC-4: customers get FORBIDDEN and guests UNAUTHENTICATED for every stock operation; nothing changes', async () => {
    const variantId = `v-${randomUUID()}`;
    await seedVariant(database.url, variantId, 7);
    const operations = [
      [SET_STOCK, { v: variantId, q: 100, r: 'x' }],
      [ADJUST, { v: variantId, d: 5, r: 'x' }],
      [`mutation($v: ID!) { receiveReturn(variantId: $v, quantity: 1, reason: "x") { onHand } }`, { v: variantId }],
      [`mutation($v: ID!) { setLowStockThreshold(variantId: $v, threshold: 50) { threshold } }`, { v: variantId }],
      [`query($v: ID!) { stockLevels(variantId: $v) { onHand } }`, { v: variantId }],
      [`query($v: ID!) { stockMovements(variantId: $v) { edges { node { id } } } }`, { v: variantId }],
      [`query($v: ID!) { reservation(orderId: $v) { status } }`, { v: variantId }],
      [`{ stockAudit { ok } }`, {}],
    ] as const;
    for (const [query, variables] of operations) {
      expect(errorCodes(await inventory.call(query, { variables, identity: customer }))).toEqual(['FORBIDDEN']);
      expect(errorCodes(await inventory.call(query, { variables, identity: guest }))).toEqual(['UNAUTHENTICATED']);
    }
    expect(await ledger(variantId)).toHaveLength(1);
    expect(await database.db.stockLevel.findMany({ where: { variantId } })).toEqual([expect.objectContaining({ onHand: 7, warehouse: 'main' })]);
    expect(await database.db.variant.findUnique({ where: { id: variantId } })).toMatchObject({ lowStockThreshold: null });
  });

  test('INV-1: an unknown variant is NOT_FOUND; bad quantities and reasons are BAD_USER_INPUT naming the field, and change nothing', async () => {
    const variantId = `v-${randomUUID()}`;
    await seedVariant(database.url, variantId, 10);
    expect(errorCodes(await inventory.call(SET_STOCK, { variables: { v: `missing-${randomUUID()}`, q: 1, r: 'x' }, identity: staff }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await inventory.call(`query { stockLevels(variantId: "nope") { onHand } }`, { identity: staff }))).toEqual(['NOT_FOUND']);
    const fieldOf = async (query: string, variables: Record<string, unknown>) => {
      const answer = await inventory.call(query, { variables, identity: staff });
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      return answer.errors?.[0]?.extensions?.field;
    };
    expect(await fieldOf(SET_STOCK, { v: variantId, q: -1, r: 'x' })).toBe('quantity');
    expect(await fieldOf(SET_STOCK, { v: variantId, q: 1_000_001, r: 'x' })).toBe('quantity');
    expect(await fieldOf(SET_STOCK, { v: variantId, q: 5, r: '   ' })).toBe('reason');
    expect(await fieldOf(SET_STOCK, { v: variantId, q: 5, r: 'x'.repeat(501) })).toBe('reason');
    expect(await fieldOf(ADJUST, { v: variantId, d: 0, r: 'x' })).toBe('delta');
    expect(await fieldOf(ADJUST, { v: variantId, d: -11, r: 'x' })).toBe('delta');
    expect(await fieldOf(`mutation($v: ID!) { receiveReturn(variantId: $v, quantity: 0, reason: "x") { onHand } }`, { v: variantId })).toBe('quantity');
    expect(await fieldOf(`mutation($v: ID!) { setLowStockThreshold(variantId: $v, threshold: -1) { threshold } }`, { v: variantId })).toBe('threshold');
    // Not an integer: refused by GraphQL's Int before any resolver runs.
    expect(errorCodes(await inventory.call(SET_STOCK, { variables: { v: variantId, q: 1.5, r: 'x' }, identity: staff }))).toEqual(['BAD_USER_INPUT']);

    await database.db.stockLevel.update({ where: { variantId_warehouse: { variantId, warehouse: 'main' } }, data: { reserved: 4, committed: 2 } });
    expect(await fieldOf(SET_STOCK, { v: variantId, q: 5, r: 'recount' })).toBe('quantity');
    expect(await fieldOf(ADJUST, { v: variantId, d: -5, r: 'lost' })).toBe('delta');
    const ok = await inventory.call(ADJUST, { variables: { v: variantId, d: -4, r: 'lost' }, identity: staff });
    expect(ok.data?.adjustStock).toEqual({ onHand: 6, available: 0 });
    expect((await ledger(variantId)).map((row) => row.kind)).toEqual(['SET', 'ADJUST']);
  });

  test('INV-5: StockLow is raised once per crossing below the threshold, and again after stock recovered', async () => {
    const variantId = `low-${randomUUID()}`;
    await seedVariant(database.url, variantId, 10);
    const adjust = async (delta: number) => {
      const answer = await inventory.call(ADJUST, { variables: { v: variantId, d: delta, r: 'sale' }, identity: staff });
      expect(answer.errors).toBeUndefined();
    };
    await adjust(-5); // 5: at the threshold, not below
    expect(await stockLowEvents(variantId)).toHaveLength(0);
    await adjust(-1); // 4: crossed
    await adjust(-1); // 3: still below, no second event
    expect((await stockLowEvents(variantId)).map((e) => e.payload)).toEqual([{ variantId, sku: `SKU-${variantId}`, warehouse: 'main', available: 4, threshold: 5 }]);
    await adjust(+2); // 5: recovered, flag cleared
    await adjust(-3); // 2: crossed again
    expect((await stockLowEvents(variantId)).map((e) => (e.payload as { available: number }).available)).toEqual([4, 2]);

    const threshold = await inventory.call(`mutation($v: ID!) { setLowStockThreshold(variantId: $v, threshold: 1) { variantId threshold } }`, { variables: { v: variantId }, identity: staff });
    expect(threshold.data?.setLowStockThreshold).toEqual({ variantId, threshold: 1 });
    await adjust(+1); // 3 >= 1: cleared
    await inventory.call(`mutation($v: ID!) { setLowStockThreshold(variantId: $v, threshold: 10) { threshold } }`, { variables: { v: variantId }, identity: staff });
    expect((await stockLowEvents(variantId)).map((e) => e.payload)).toHaveLength(3);
    expect((await stockLowEvents(variantId)).at(-1)?.payload).toMatchObject({ available: 3, threshold: 10 });
  });

  test('INV-1: stockMovements pages through the ledger newest first, at most 100 a page', async () => {
    const variantId = `m-${randomUUID()}`;
    await seedVariant(database.url, variantId, 50);
    for (const delta of [1, 2, 3, 4]) await inventory.call(ADJUST, { variables: { v: variantId, d: delta, r: `delivery ${delta}` }, identity: staff });
    const page = (after?: string) =>
      inventory.call<{ stockMovements: { edges: { cursor: string; node: { kind: string; onHandDelta: number; actor: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
        `query($v: ID!, $after: String) { stockMovements(variantId: $v, first: 2, after: $after) { edges { cursor node { kind onHandDelta actor } } pageInfo { hasNextPage endCursor } } }`,
        { variables: { v: variantId, after }, identity: staff },
      );
    const first = (await page()).data?.stockMovements;
    expect(first?.edges.map((e) => e.node.onHandDelta)).toEqual([4, 3]);
    expect(first?.pageInfo.hasNextPage).toBe(true);
    const second = (await page(first?.pageInfo.endCursor)).data?.stockMovements;
    expect(second?.edges.map((e) => e.node.onHandDelta)).toEqual([2, 1]);
    const third = (await page(second?.pageInfo.endCursor)).data?.stockMovements;
    expect(third?.edges.map((e) => [e.node.kind, e.node.onHandDelta, e.node.actor])).toEqual([['SET', 50, 'seed']]);
    expect(third?.pageInfo.hasNextPage).toBe(false);
    const tooMany = await inventory.call(`query($v: ID!) { stockMovements(variantId: $v, first: 101) { edges { cursor } } }`, { variables: { v: variantId }, identity: staff });
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
