import { randomUUID } from 'node:crypto';
import {
  ANONYMOUS,
  createPool,
  createPostgresEventBus,
  createPrismaClient,
  eventsTopic,
  IDENTITY_HEADER,
  migrateDeploy,
  serviceLogger,
  signIdentity,
  StatementCounter,
  type EventBus,
  type EventEnvelope,
  type Identity,
  type RunningServer,
} from '@shop/platform';
import { createTestDatabase, postGraphQL, type GraphQLAnswer, type TestDatabase } from '@shop/platform/testing';
import { INVENTORY_SERVICE_DIR, loadInventoryConfig, seedDemoStockAt, startInventory } from '../src';
import { PrismaClient } from '../src/generated/prisma/client';

const SECRET = 'test-gateway-subgraph-secret-of-at-least-32-bytes';

export const log = serviceLogger('inventory-test');
log.level = 'silent';

/** A fresh, migrated inventory database, with a Prisma client on it for assertions. */
export async function createInventoryDatabase(): Promise<TestDatabase & { db: PrismaClient; close(): Promise<void> }> {
  const database = await createTestDatabase('inventory');
  await migrateDeploy({ serviceDir: INVENTORY_SERVICE_DIR, databaseUrl: database.url });
  const pool = createPool({ url: database.url, poolSize: 3 });
  const db = createPrismaClient(PrismaClient, pool);
  const close = async () => {
    await db.$disconnect();
    await pool.end();
  };
  return { ...database, db, close, drop: async () => { await close().catch(() => undefined); await database.drop(); } };
}

/** Gives `variantId` (sku `SKU-<variantId>`) `quantity` units in the main warehouse. */
export async function seedVariant(databaseUrl: string, variantId: string, quantity: number): Promise<void> {
  await seedDemoStockAt(databaseUrl, [{ id: variantId, sku: `SKU-${variantId}` }], quantity);
}

/** A running inventory subgraph on a free port, and a client that signs identities like the gateway. */
export interface TestInventory {
  readonly server: RunningServer;
  readonly statements: StatementCounter;
  call<Data = Record<string, unknown>>(query: string, options?: { variables?: Record<string, unknown>; identity?: Identity }): Promise<GraphQLAnswer<Data>>;
  stop(): Promise<void>;
}

/** Settings a test may change. */
export interface TestInventoryOptions {
  readonly busDatabaseUrl?: string;
  readonly ttlSeconds?: number;
  readonly sweepIntervalMs?: number;
  readonly lowStockThreshold?: number;
}

/** Starts the inventory on `databaseUrl` (several may share one database, like replicas). */
export async function startTestInventory(databaseUrl: string, options: TestInventoryOptions = {}): Promise<TestInventory> {
  const statements = new StatementCounter(true);
  const config = loadInventoryConfig({
    INVENTORY_DATABASE_URL: databaseUrl,
    INVENTORY_PORT: '0',
    BUS_DATABASE_URL: options.busDatabaseUrl ?? '',
    OUTBOX_POLL_INTERVAL_MS: '200',
    RESERVATION_TTL_SECONDS: String(options.ttlSeconds ?? 900),
    RESERVATION_SWEEP_INTERVAL_MS: String(options.sweepIntervalMs ?? 200),
    LOW_STOCK_THRESHOLD: String(options.lowStockThreshold ?? 5),
    GATEWAY_SUBGRAPH_SECRET: SECRET,
    LOG_LEVEL: 'silent',
  });
  const server = await startInventory(config, { statementCounter: statements });
  return {
    server,
    statements,
    call: (query, callOptions = {}) =>
      postGraphQL(server.url, query, {
        variables: callOptions.variables,
        headers: { [IDENTITY_HEADER]: signIdentity(callOptions.identity ?? ANONYMOUS, SECRET) },
      }),
    stop: () => server.stop(),
  };
}

/** Callers for permission tests. */
export const staff: Identity = { userId: 'staff-1', roles: ['STAFF'] };
export const customer: Identity = { userId: 'customer-1', roles: ['CUSTOMER'] };
export const guest: Identity = ANONYMOUS;

/** An orders.events envelope, as the orders service would publish it. */
export function orderEvent<Payload extends { orderId: string }>(type: string, payload: Payload): EventEnvelope<Payload> {
  return {
    id: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'orders',
    aggregateId: payload.orderId,
    correlationId: randomUUID(),
    causationId: null,
    payload,
  };
}

/** OrderPlaced for `lines` (variant id and quantity). */
export function orderPlaced(orderId: string, lines: readonly { variantId: string; quantity: number }[]) {
  return orderEvent('OrderPlaced', {
    orderId,
    reference: `R-${orderId.slice(0, 8)}`,
    customerId: 'customer-1',
    lines: lines.map((line, index) => ({ lineId: `${orderId}-${index}`, variantId: line.variantId, sku: `SKU-${line.variantId}`, quantity: line.quantity })),
    subtotal: { amount: '10.00', amountMinor: '1000', currency: 'EUR' },
    couponCode: null,
  });
}

/** A real embedded PostgreSQL bus in its own database, and every inventory event it carries. */
export interface TestBus {
  readonly url: string;
  readonly bus: EventBus;
  readonly received: EventEnvelope[];
  publish(...envelopes: EventEnvelope[]): Promise<void>;
  /** The inventory events of `type` (for `orderId`, when given). */
  events(type: string, aggregateId?: string): EventEnvelope[];
  close(): Promise<void>;
}

export async function startTestBus(): Promise<TestBus> {
  const database = await createTestDatabase('inventory_bus');
  const bus = await createPostgresEventBus({ url: database.url, log });
  const received: EventEnvelope[] = [];
  const subscription = await bus.subscribe({
    group: `inventory-test-${randomUUID()}`,
    topics: [eventsTopic('inventory')],
    deadLetterTopic: 'inventory-test.dlq',
    fromBeginning: true,
    handle: async (envelope) => void received.push(envelope),
  });
  return {
    url: database.url,
    bus,
    received,
    publish: (...envelopes) => bus.publish(envelopes.map((envelope) => ({ topic: eventsTopic(String(envelope.source)), envelope }))),
    events: (type, aggregateId) => received.filter((e) => e.type === type && (aggregateId === undefined || e.aggregateId === aggregateId)),
    close: async () => {
      await subscription.stop();
      await bus.close();
      await database.drop();
    },
  };
}

/** Polls `probe` until it gives a value (not undefined), or fails after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits `ms` (to show that nothing more happens). */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
