import { createPostgresEventBus, eventsTopic, serviceLogger, type EventBus, type EventEnvelope } from '@shop/platform';
import { createTestDatabase } from '@shop/platform/testing';
import { createCatalogDatabase, staff, startTestCatalog, type TestCatalog } from './catalog-test-server';

const log = serviceLogger('catalog-events-test');
log.level = 'silent';

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('catalog events (PLAT-4, CAT-2)', () => {
  let database: Awaited<ReturnType<typeof createCatalogDatabase>>;
  let busDatabase: Awaited<ReturnType<typeof createTestDatabase>>;
  let bus: EventBus;
  let replicaA: TestCatalog;
  let replicaB: TestCatalog;
  const received: EventEnvelope[] = [];

  beforeAll(async () => {
    database = await createCatalogDatabase();
    busDatabase = await createTestDatabase('catalog_bus');
    bus = await createPostgresEventBus({ url: busDatabase.url, log });
    await bus.subscribe({
      group: 'catalog-events-test',
      topics: [eventsTopic('catalog')],
      deadLetterTopic: 'catalog-events-test.dlq',
      fromBeginning: true,
      handle: async (envelope) => void received.push(envelope),
    });
    // Two replicas with in-process caches only: nothing but the events can tell one about the other's writes.
    replicaA = await startTestCatalog(database.url, { cacheTtlSeconds: 300, busDatabaseUrl: busDatabase.url });
    replicaB = await startTestCatalog(database.url, { cacheTtlSeconds: 300, busDatabaseUrl: busDatabase.url });
  });
  afterAll(async () => {
    await replicaA?.stop();
    await replicaB?.stop();
    await bus?.close();
    await busDatabase?.drop();
    await database?.drop();
  });

  test('PLAT-4: a catalog change reaches catalog.events from the outbox, with its payload and correlation id', async () => {
    const created = await replicaA.call<{ createProduct: { id: string; variants: { id: string; sku: string }[] } }>(
      `mutation { createProduct(input: { name: "Event Mug", variants: [{ sku: "EVT-1", name: "White", price: { amount: "9.90", currency: "EUR" } }] }) { id variants { id sku } } }`,
      { identity: staff },
    );
    const product = created.data?.createProduct;
    const event = await until(() => received.find((e) => e.type === 'ProductCreated' && e.aggregateId === product?.id));
    expect(event).toMatchObject({
      source: 'catalog',
      version: 2,
      payload: {
        productId: product?.id,
        name: 'Event Mug',
        status: 'ACTIVE',
        variants: [{ variantId: product?.variants[0]?.id, sku: 'EVT-1', name: 'White', weightGrams: 0, price: { amount: '9.90', amountMinor: '990', currency: 'EUR' } }],
      },
    });
    expect(event.correlationId).toEqual(expect.any(String));
  });

  test('CAT-2: a write on one replica invalidates the in-process cache of the other through the events', async () => {
    const list = await replicaB.call<{ products: { edges: { node: { id: string; name: string } }[] } }>('{ products(first: 1) { edges { node { id name } } } }');
    const id = list.data?.products.edges[0]?.node.id;
    const read = async () => (await replicaB.call<{ product: { name: string } }>(`query($id: ID!) { product(id: $id) { name } }`, { variables: { id } })).data?.product.name;
    expect(await read()).toBeDefined(); // now cached on replica B
    const updated = await replicaA.call(`mutation($id: ID!) { updateProduct(id: $id, input: { name: "Renamed on A" }) { id } }`, { identity: staff, variables: { id } });
    expect(updated.errors).toBeUndefined();
    await until(async () => ((await read()) === 'Renamed on A' ? true : undefined), 5_000);
    const event = await until(() => received.find((e) => e.type === 'ProductUpdated' && e.aggregateId === id));
    expect(event.payload).toMatchObject({ productId: id, name: 'Renamed on A', changedFields: ['name'], variants: expect.any(Array) });
  });
});

describe('catalog event metrics (PLAT-3)', () => {
  test('PLAT-3: /metrics reports the outbox backlog, its oldest pending age, publish lag and consumer lag', async () => {
    const database = await createCatalogDatabase();
    const busDatabase = await createTestDatabase('catalog_metrics_bus');
    const catalog = await startTestCatalog(database.url, { busDatabaseUrl: busDatabase.url });
    try {
      const origin = catalog.server.url.replace(/\/graphql$/, '');
      await catalog.call(`mutation { createProduct(input: { name: "Metric Mug", variants: [{ sku: "MET-1", name: "x", price: { amount: "1.00", currency: "EUR" } }] }) { id } }`, {
        identity: staff,
      });
      await until(async () => {
        const text = await (await fetch(`${origin}/metrics`)).text();
        const published = /^outbox_published_total\{[^}]*\} ([1-9]\d*)$/m.test(text);
        const drained = /^outbox_backlog\{[^}]*\} 0$/m.test(text);
        return published && drained && text.includes('event_consumer_lag_seconds_count') ? text : undefined;
      });
      const text = await (await fetch(`${origin}/metrics`)).text();
      for (const name of ['outbox_oldest_pending_age_seconds', 'outbox_publish_lag_seconds_bucket', 'event_dead_lettered_total']) expect(text).toContain(name);
      const ready = await (await fetch(`${origin}/readyz`)).json();
      expect(ready).toMatchObject({ status: 'ready', checks: { database: true, bus: true } });
    } finally {
      await catalog.stop();
      await busDatabase.drop();
      await database.drop();
    }
  });
});
