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
  type EventBus,
  type EventEnvelope,
  type Identity,
} from '@shop/platform';
import { createTestDatabase, postGraphQL, type GraphQLAnswer, type TestDatabase } from '@shop/platform/testing';
import { loadShippingConfig, SHIPPING_SERVICE_DIR, startShipping, type Carrier, type ShippingServer } from '../src';
import { PrismaClient } from '../src/generated/prisma/client';

const SECRET = 'test-gateway-subgraph-secret-of-at-least-32-bytes';

export const log = serviceLogger('shipping-test');
log.level = 'silent';

/** A fresh, migrated shipping database, with a Prisma client on it for assertions. */
export async function createShippingDatabase(): Promise<TestDatabase & { db: PrismaClient; close(): Promise<void> }> {
  const database = await createTestDatabase('shipping');
  await migrateDeploy({ serviceDir: SHIPPING_SERVICE_DIR, databaseUrl: database.url });
  const pool = createPool({ url: database.url, poolSize: 3 });
  const db = createPrismaClient(PrismaClient, pool);
  const close = async () => {
    await db.$disconnect();
    await pool.end();
  };
  return { ...database, db, close, drop: async () => { await close().catch(() => undefined); await database.drop(); } };
}

/** A running shipping subgraph on a free port, and a client that signs identities like the gateway. */
export interface TestShipping {
  readonly server: ShippingServer;
  call<Data = Record<string, unknown>>(query: string, options?: { variables?: Record<string, unknown>; identity?: Identity }): Promise<GraphQLAnswer<Data>>;
  stop(): Promise<void>;
}

/** Settings a test may change. */
export interface TestShippingOptions {
  readonly busDatabaseUrl?: string;
  readonly carrier?: Carrier;
  readonly env?: Record<string, string>;
}

/** Starts shipping on `databaseUrl` (several may share one database, like replicas). */
export async function startTestShipping(databaseUrl: string, options: TestShippingOptions = {}): Promise<TestShipping> {
  const config = loadShippingConfig({
    SHIPPING_DATABASE_URL: databaseUrl,
    SHIPPING_PORT: '0',
    SHIPPING_DB_POOL_SIZE: '3',
    BUS_DATABASE_URL: options.busDatabaseUrl ?? '',
    OUTBOX_POLL_INTERVAL_MS: '200',
    SHIPPING_BOOKING_INTERVAL_MS: '3600000',
    GATEWAY_SUBGRAPH_SECRET: SECRET,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const server = await startShipping(config, { carrier: options.carrier });
  return {
    server,
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
export const customer = (userId = `customer-${randomUUID()}`): Identity => ({ userId, roles: ['CUSTOMER'] });

/** An orders.events envelope, as the orders service would publish it. */
export function orderEvent<Payload extends { orderId: string }>(type: string, payload: Payload): EventEnvelope<Payload> {
  return { id: randomUUID(), type, version: 1, occurredAt: new Date().toISOString(), source: 'orders', aggregateId: payload.orderId, correlationId: randomUUID(), causationId: null, payload };
}

const total = { amount: '24.90', amountMinor: '2490', currency: 'EUR' };

/** OrderAwaitingPayment (names the owner) and OrderPaid for a new order. */
export function paidOrderEvents(orderId: string, customerId: string | null): [EventEnvelope, EventEnvelope] {
  return [
    orderEvent('OrderAwaitingPayment', { orderId, reference: `R-${orderId.slice(0, 8)}`, customerId, total, paymentDueAt: new Date(Date.now() + 900_000).toISOString() }),
    orderEvent('OrderPaid', { orderId, total }),
  ];
}

/** A real embedded PostgreSQL bus in its own database, and every shipping event it carries. */
export interface TestBus {
  readonly url: string;
  readonly bus: EventBus;
  readonly received: EventEnvelope[];
  publish(...envelopes: EventEnvelope[]): Promise<void>;
  events(type: string, aggregateId?: string): EventEnvelope[];
  close(): Promise<void>;
}

export async function startTestBus(): Promise<TestBus> {
  const database = await createTestDatabase('shipping_bus');
  const bus = await createPostgresEventBus({ url: database.url, log });
  const received: EventEnvelope[] = [];
  const subscription = await bus.subscribe({
    group: `shipping-test-${randomUUID()}`,
    topics: [eventsTopic('shipping')],
    deadLetterTopic: 'shipping-test.dlq',
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
